namespace Voucher.Browser.Tests;

public sealed partial class PortalWorkBrowserTests
{
    /// <summary>
    /// Each role's home page with the scenario's work on it, saved as PNG artifacts (desktop 1280 px and phone 390 px
    /// wide) under the screenshots folder (TestResults/screenshots in tests/run-all.sh). On the phone the page itself
    /// must not scroll sideways (tables turn into stacked cards), nothing may need zooming to read, and axe finds
    /// nothing serious or critical in the phone layout either.
    /// </summary>
    [Fact]
    public Task Each_role_home_page_is_saved_as_a_screenshot_on_desktop_and_phone_and_fits_the_phone_width() => run.RunAsync(nameof(Each_role_home_page_is_saved_as_a_screenshot_on_desktop_and_phone_and_fits_the_phone_width), async () =>
    {
        (string File, string Role, string? Scope, string Name, string Heading)[] homes =
        [
            ("enterprise", "enterprise", site.BindingUscc, "企业经办人", "企业首页"),
            ("institution", "institution", PortalScenarioFixture.InstitutionId, "山西大学分析测试中心经办人", "工作台"),
            ("city-bureau", "city-bureau", "taiyuan", "太原市科技局审核员", "科技局"),
            ("finance-bureau", "finance-bureau", "taiyuan", "太原市财政局经办人", "财政局"),
            ("province", "province", null, "省中心督查员", ""),
            ("expert", "expert", PortalScenarioFixture.ExpertId, "李专家", ""),
            ("agency", "agency", PortalScenarioFixture.AgencyId, "晋科代理经办人", ""),
        ];
        var problems = new List<string>();
        foreach (var home in homes)
        {
            var desktop = await run.NewPageAsync(new BrowserNewContextOptions { ViewportSize = new ViewportSize { Width = 1280, Height = 900 } });
            await Portal.SignInAsync(desktop, home.Role, home.Scope, home.Name);
            await Expect(desktop.Locator("h1")).ToHaveCountAsync(1);
            if (home.Heading.Length > 0)
            {
                await Expect(desktop.Locator("h1")).ToContainTextAsync(home.Heading);
            }

            output.WriteLine($"{home.File}: {await Screenshots.SaveAsync(desktop, $"home-{home.File}")}");

            var phone = await run.NewPageAsync(new BrowserNewContextOptions
            {
                ViewportSize = new ViewportSize { Width = 390, Height = 844 }, DeviceScaleFactor = 2, IsMobile = true, HasTouch = true,
            });
            await Portal.SignInAsync(phone, home.Role, home.Scope, home.Name);
            var overflow = await phone.EvaluateAsync<int>("() => document.documentElement.scrollWidth - window.innerWidth");
            if (overflow > 1)
            {
                var wide = await phone.EvaluateAsync<string>(
                    "() => [...document.querySelectorAll('body *')].filter(e => e.getBoundingClientRect().right > window.innerWidth + 1 && !e.closest('.table-wrap')).slice(0, 5).map(e => e.tagName.toLowerCase() + (e.id ? '#' + e.id : '') + (e.className ? '.' + e.className : '')).join(', ')");
                problems.Add($"{home.File}: the page is {overflow}px wider than a 390px phone ({wide})");
            }

            var tiny = await phone.EvaluateAsync<int>("() => [...document.querySelectorAll('main *')].filter(e => e.childNodes.length && [...e.childNodes].some(n => n.nodeType === 3 && n.textContent.trim()) && parseFloat(getComputedStyle(e).fontSize) < 12).length");
            if (tiny > 0)
            {
                problems.Add($"{home.File}: {tiny} text element(s) under 12px on the phone");
            }

            // The phone layout (tables as stacked cards) must stay as accessible as the desktop one.
            var axe = await phone.RunAxe();
            foreach (var v in axe.Violations.Where(v => v.Impact is "serious" or "critical"))
            {
                problems.Add($"{home.File} (phone): {Describe(v)}");
            }

            output.WriteLine($"{home.File} (phone): {await Screenshots.SaveAsync(phone, $"home-{home.File}-phone")}");
        }

        Assert.True(problems.Count == 0, string.Join(Environment.NewLine, problems));
    });
}
