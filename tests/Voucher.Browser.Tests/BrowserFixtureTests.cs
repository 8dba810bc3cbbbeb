namespace Voucher.Browser.Tests;

/// <summary>Self-check of the browser plumbing: Chromium launches, a page reacts to a click, a screenshot is written.</summary>
[Collection("browser")]
public sealed class BrowserFixtureTests(BrowserFixture browser)
{
    [Fact]
    public async Task Clicking_a_button_changes_the_dom_and_a_screenshot_is_saved()
    {
        var page = await browser.NewPageAsync();
        try
        {
            await page.SetContentAsync(
                """
                <!doctype html>
                <html lang="en"><body>
                  <button id="go" onclick="document.getElementById('state').textContent = 'clicked'">Go</button>
                  <p id="state">idle</p>
                </body></html>
                """);
            Assert.Equal("idle", await page.TextContentAsync("#state"));

            await page.ClickAsync("#go");

            Assert.Equal("clicked", await page.TextContentAsync("#state"));
            var png = await Screenshots.SaveAsync(page, nameof(BrowserFixtureTests) + " click");
            Assert.True(File.Exists(png), png);
            Assert.True(new FileInfo(png).Length > 0, png);
        }
        finally
        {
            await page.Context.CloseAsync();
        }
    }

    [Fact]
    public async Task Pages_get_separate_contexts()
    {
        var first = await browser.NewPageAsync();
        var second = await browser.NewPageAsync();
        try
        {
            Assert.NotSame(first.Context, second.Context);
        }
        finally
        {
            await first.Context.CloseAsync();
            await second.Context.CloseAsync();
        }
    }
}
