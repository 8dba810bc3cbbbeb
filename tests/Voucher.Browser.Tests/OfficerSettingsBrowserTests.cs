namespace Voucher.Browser.Tests;

/// <summary>The site of <see cref="OfficerSettingsBrowserTests"/>: its own policies, so no other test sees the versions it publishes.</summary>
public sealed class OfficerSettingsSiteFixture() : LocalSite(new LocalSiteSettings { TaskHubPrefix = "officerset" });

/// <summary>
/// Policy officers change in the portal, in headless Chromium: the province centre's risk rules and thresholds (from its
/// home, a refused threshold by its field, the confirmation naming the change, the new version listed) and a city
/// bureau's objection contacts (a refused e-mail, the confirmation, the new version); axe scans, desktop and 390 px
/// screenshots of each page.
/// </summary>
[Collection("browser")]
public sealed class OfficerSettingsBrowserTests(BrowserFixture browser, OfficerSettingsSiteFixture site, ITestOutputHelper output)
    : IClassFixture<OfficerSettingsSiteFixture>
{
    readonly BrowserRun run = new(browser, site, output);

    [Fact]
    public Task Province_edits_risk_thresholds_and_a_bureau_edits_its_objection_contacts() => run.RunAsync(nameof(Province_edits_risk_thresholds_and_a_bureau_edits_its_objection_contacts), async () =>
    {
        var province = await run.NewPageAsync();
        await Portal.SignInAsync(province, "province", "", "省中心监管员");
        await province.GetByRole(AriaRole.Link, new() { Name = "风险规则与阈值" }).ClickAsync();
        await Expect(province.GetByRole(AriaRole.Heading, new() { Name = "风险规则与阈值", Level = 1 })).ToBeVisibleAsync();
        await Expect(province.Locator("#burstCount")).ToHaveValueAsync("30");
        await run.ScanAsync(province, "risk rules");
        output.WriteLine($"risk rules: {await Screenshots.SaveAsync(province, "risk-policy")}");

        // A threshold out of range: the message by the field, what was typed kept.
        await province.Locator("#burstCount").FillAsync("1");
        await province.Locator("#reason").FillAsync("收紧机构集中兑付阈值");
        await province.GetByRole(AriaRole.Button, new() { Name = "发布新版本" }).ClickAsync();
        await Expect(province.Locator(".error-summary")).ToContainTextAsync("机构短期兑付集中的笔数阈值必须在 2 至 100000 之间");
        await Expect(province.Locator("#burstCount")).ToHaveValueAsync("1");
        await run.ScanAsync(province, "risk rules refused");
        output.WriteLine($"risk rules refused: {await Screenshots.SaveAsync(province, "risk-policy-refused")}");

        // The confirmation names the change; confirmed, the new version is in force and listed.
        await province.Locator("#burstCount").FillAsync("20");
        await province.Locator("#rule-repeated-face-value").UncheckAsync();
        await province.GetByRole(AriaRole.Button, new() { Name = "发布新版本" }).ClickAsync();
        await Expect(province.Locator("main")).ToContainTextAsync("机构短期兑付集中：笔数达到（笔）：30 → 20");
        await Expect(province.Locator("main")).ToContainTextAsync("停用“");
        output.WriteLine($"risk rules confirmation: {await Screenshots.SaveAsync(province, "risk-policy-confirm")}");
        await province.GetByRole(AriaRole.Button, new() { Name = "确认发布" }).ClickAsync();
        await Expect(province.Locator("main")).ToContainTextAsync("风险规则已随全省政策第2版发布");
        await Expect(province.Locator("#burstCount")).ToHaveValueAsync("20");
        await Expect(province.Locator("#rule-repeated-face-value")).Not.ToBeCheckedAsync();
        await Expect(province.Locator("table tbody tr").First).ToContainTextAsync("第2版（现行）");
        await run.ScanAsync(province, "risk rules published");
        output.WriteLine($"risk rules published: {await Screenshots.SaveAsync(province, "risk-policy-published")}");
        await province.SetViewportSizeAsync(390, 844);
        output.WriteLine($"risk rules at 390 px: {await Screenshots.SaveAsync(province, "risk-policy-phone")}");
        await province.SetViewportSizeAsync(1280, 900);
        run.Step("risk rules published");

        var bureau = await run.NewPageAsync();
        await Portal.SignInAsync(bureau, "city-bureau", "lvliang", "吕梁审核员");
        await bureau.GetByRole(AriaRole.Link, new() { NameRegex = new System.Text.RegularExpressions.Regex("^本市政策设置") }).ClickAsync();
        await Expect(bureau.Locator("#objectionPhone")).ToHaveValueAsync("0358-12345");
        await run.ScanAsync(bureau, "city settings");
        output.WriteLine($"city settings: {await Screenshots.SaveAsync(bureau, "city-contacts")}");

        await bureau.Locator("#objectionEmail").FillAsync("kjj@localhost");
        await bureau.Locator("#objectionPhone").FillAsync("0358-8221234");
        await bureau.Locator("#reason").FillAsync("受理窗口调整");
        await bureau.GetByRole(AriaRole.Button, new() { Name = "发布新版本" }).ClickAsync();
        await Expect(bureau.Locator("#objectionEmail-error")).ToHaveTextAsync("受理邮箱格式不正确");
        await Expect(bureau.Locator("#objectionPhone")).ToHaveValueAsync("0358-8221234");
        await run.ScanAsync(bureau, "city settings refused");
        output.WriteLine($"city settings refused: {await Screenshots.SaveAsync(bureau, "city-contacts-refused")}");

        await bureau.Locator("#objectionEmail").FillAsync("gs@kjj.lvliang.gov.cn");
        await bureau.GetByRole(AriaRole.Button, new() { Name = "发布新版本" }).ClickAsync();
        await Expect(bureau.Locator("main")).ToContainTextAsync("联系电话：0358-12345 → 0358-8221234");
        output.WriteLine($"city settings confirmation: {await Screenshots.SaveAsync(bureau, "city-contacts-confirm")}");
        await bureau.GetByRole(AriaRole.Button, new() { Name = "确认发布" }).ClickAsync();
        await Expect(bureau.Locator("main")).ToContainTextAsync("公示异议受理方式已发布为吕梁市政策第2版");
        await Expect(bureau.Locator("table tbody tr").First).ToContainTextAsync("吕梁审核员 · 吕梁市科技局");
        await run.ScanAsync(bureau, "city settings published");
        output.WriteLine($"city settings published: {await Screenshots.SaveAsync(bureau, "city-contacts-published")}");
        await bureau.SetViewportSizeAsync(390, 844);
        output.WriteLine($"city settings at 390 px: {await Screenshots.SaveAsync(bureau, "city-contacts-phone")}");
        await bureau.SetViewportSizeAsync(1280, 900);
        run.AssertNoSeriousFindings();
    });
}
