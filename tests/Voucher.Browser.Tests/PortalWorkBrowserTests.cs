using System.Diagnostics;
using Microsoft.Playwright;
using Xunit;
using Xunit.Abstractions;
using static Microsoft.Playwright.Assertions;

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
    private readonly List<IPage> _pages = [];
    private readonly Stopwatch _watch = new();

    private void Step(string what) => output.WriteLine($"{_watch.Elapsed.TotalSeconds,6:0.0} s  {what}");

    private async Task<IPage> NewPageAsync(BrowserNewContextOptions? options = null)
    {
        options ??= new BrowserNewContextOptions();
        options.BaseURL = site.BaseUrl;
        options.Locale = "zh-CN";
        var page = await browser.NewPageAsync(options);
        page.Context.SetDefaultTimeout(Portal.ActionTimeoutMs);
        SetDefaultExpectTimeout(Portal.ActionTimeoutMs);
        _pages.Add(page);
        return page;
    }

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

    /// <summary>Accepts every dialog and records its message.</summary>
    private static List<string> RecordAndAcceptDialogs(IPage page)
    {
        var messages = new List<string>();
        page.Dialog += (_, dialog) =>
        {
            lock (messages)
            {
                messages.Add(dialog.Message);
            }

            _ = dialog.AcceptAsync();
        };
        return messages;
    }

    /// <summary>Runs a test body; on failure saves a screenshot of every open page and prints the host's output tail.</summary>
    private async Task RunAsync(string testName, Func<Task> body)
    {
        _watch.Restart();
        output.WriteLine($"site {site.BaseUrl} (host + demo seed {site.StartupTime.TotalSeconds:0.0} s, scenario {site.ScenarioTime.TotalSeconds:0.0} s)");
        try
        {
            await body();
            output.WriteLine($"{testName} passed in {_watch.Elapsed.TotalSeconds:0.0} s");
        }
        catch (Exception failure)
        {
            output.WriteLine($"{testName} failed after {_watch.Elapsed.TotalSeconds:0.0} s: {failure.Message}");
            for (var i = 0; i < _pages.Count; i++)
            {
                try
                {
                    output.WriteLine($"page {i} at {_pages[i].Url}: {await Screenshots.SaveAsync(_pages[i], $"FAILED-{testName}-page{i}")}");
                }
                catch (PlaywrightException e)
                {
                    output.WriteLine($"page {i}: no screenshot ({e.Message})");
                }
            }

            output.WriteLine("local host output (tail):" + Environment.NewLine + site.OutputTail());
            throw;
        }
        finally
        {
            foreach (var page in _pages)
            {
                await page.Context.CloseAsync();
            }

            _pages.Clear();
        }
    }
}
