namespace Voucher.Browser.Tests;

/// <summary>
/// The portal as each party uses it, in headless Chromium against one local host with <see cref="PortalScenarioFixture"/>'s
/// work in progress: the journeys (enterprise from registration to an uploaded redemption, institution binding from
/// its list, bureau queue, finance payment), an axe check of every page route, and each role's home page on a
/// desktop and a phone screen. This file holds the shared plumbing; the tests are in the other parts of the class.
/// </summary>
[Collection("browser")]
public sealed partial class PortalWorkBrowserTests(BrowserFixture browser, PortalScenarioFixture site, ITestOutputHelper output)
    : IClassFixture<PortalScenarioFixture>
{
    private readonly BrowserRun run = new(browser, site, output);

    /// <summary>Development sign-in through the form (role claim value, scope, display name).</summary>
    private static async Task SignInAsync(IPage page, string role, string? scope, string name)
    {
        await page.GotoAsync("/dev/signin");
        await page.Locator("select#role").SelectOptionAsync(role);
        await page.Locator("input#scope").FillAsync(scope ?? "");
        await page.Locator("input#name").FillAsync(name);
        await page.GetByRole(AriaRole.Button, new() { Name = "登录 Sign in" }).ClickAsync();
        // Every role lands on "/", except an agency, whose home is the list of parties it acts for.
        // Commit, not load: the header check below waits for the page itself (a load event once took 30 s on two busy cores).
        await page.WaitForURLAsync(url => new Uri(url).AbsolutePath is "/" or "/portal/agency", new() { WaitUntil = WaitUntilState.Commit });
        await Expect(page.Locator("header .who")).ToContainTextAsync(name);
    }
}
