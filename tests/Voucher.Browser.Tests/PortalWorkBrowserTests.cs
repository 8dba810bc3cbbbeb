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
}
