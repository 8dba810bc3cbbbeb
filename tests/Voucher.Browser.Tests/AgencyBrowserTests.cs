namespace Voucher.Browser.Tests;

/// <summary>
/// Delegation and profile pages in headless Chromium: the enterprise edits its profile (error next to the field,
/// typed values kept), delegates to an agency, the agency picks the enterprise and applies for it from the
/// enterprise's own home page, the enterprise revokes and the agency is refused at once; axe scans each page.
/// </summary>
[Collection("browser")]
public sealed class AgencyBrowserTests(BrowserFixture browser, LocalSiteFixture site, ITestOutputHelper output)
    : IClassFixture<LocalSiteFixture>
{
    readonly BrowserRun run = new(browser, site, output);

    [Fact]
    public Task Enterprise_edits_profile_delegates_agency_applies_for_it_then_revocation_refuses_it() => run.RunAsync(nameof(Enterprise_edits_profile_delegates_agency_applies_for_it_then_revocation_refuses_it), async () =>
    {
        var agencyId = "agency-br-" + Guid.NewGuid().ToString("N")[..8];
        var agency = await run.NewPageAsync();
        // The agency's home is its own page: sign-in lands there.
        await Portal.SignInAsync(agency, "agency", agencyId, "代理经办人");
        await agency.WaitForURLAsync(url => new Uri(url).AbsolutePath == "/portal/agency");
        // Not registered yet: the desk says why no one can delegate to it and offers the registration form.
        await Expect(agency.GetByRole(AriaRole.Heading, new() { Name = "代理机构工作台" })).ToBeVisibleAsync();
        await Expect(agency.Locator("p.warn")).ToContainTextAsync("尚未登记");
        await run.ScanAsync(agency, "agency home (not registered)");
        await agency.Locator("#name").FillAsync("浏览器测试代理有限公司");
        await agency.Locator("#cityCode").SelectOptionAsync("taiyuan");
        await agency.Locator("#contactName").FillAsync("郑代理");
        await agency.Locator("#contactPhone").FillAsync("12345");
        await agency.GetByRole(AriaRole.Button, new() { Name = "登记", Exact = true }).ClickAsync();
        await Expect(agency.Locator("#contactPhone-error")).ToBeVisibleAsync();
        await Expect(agency.Locator("#name")).ToHaveValueAsync("浏览器测试代理有限公司");
        await agency.Locator("#contactPhone").FillAsync("13903516666");
        await agency.GetByRole(AriaRole.Button, new() { Name = "登记", Exact = true }).ClickAsync();
        await Expect(agency.GetByRole(AriaRole.Status)).ToContainTextAsync("已登记");
        await run.ScanAsync(agency, "agency home (no delegations)");
        await Expect(agency.Locator("dl.facts")).ToContainTextAsync("浏览器测试代理有限公司");

        var enterprise = await run.NewPageAsync();
        Portal.AcceptDialogs(enterprise);
        var uscc = TestUscc.New();
        await Portal.SignInAsync(enterprise, "enterprise", uscc, "企业经办人");
        await Portal.RegisterEnterpriseAsync(enterprise, "太原委托测试科技有限公司");
        run.Step("enterprise registered");

        // Profile: a wrong phone is refused next to the field with everything typed kept.
        await enterprise.GetByRole(AriaRole.Link, new() { Name = "修改企业信息" }).ClickAsync();
        await Expect(enterprise.GetByRole(AriaRole.Heading, new() { Name = "企业信息", Level = 1 })).ToBeVisibleAsync();
        await run.ScanAsync(enterprise, "profile");
        await enterprise.Locator("#address").FillAsync("太原市小店区长治路 1 号");
        await enterprise.Locator("#contactPhone").FillAsync("12345");
        await enterprise.GetByRole(AriaRole.Button, new() { Name = "保存", Exact = true }).ClickAsync();
        await Expect(enterprise.Locator("#contactPhone-error")).ToBeVisibleAsync();
        await Expect(enterprise.Locator("#contactPhone")).ToHaveValueAsync("12345");
        await Expect(enterprise.Locator("#address")).ToHaveValueAsync("太原市小店区长治路 1 号");
        await run.ScanAsync(enterprise, "profile (phone error)");
        await enterprise.Locator("#contactPhone").FillAsync("13812340000");
        await enterprise.GetByRole(AriaRole.Button, new() { Name = "保存", Exact = true }).ClickAsync();
        await Expect(enterprise.GetByRole(AriaRole.Status)).ToContainTextAsync("已保存");
        await Expect(enterprise.Locator("#address")).ToHaveValueAsync("太原市小店区长治路 1 号");
        run.Step("profile saved");

        // The personal-data copy is offered on the profile page and arrives as a JSON file about this enterprise.
        var download = await enterprise.RunAndWaitForDownloadAsync(() => enterprise.GetByRole(AriaRole.Link, new() { Name = "下载本企业的个人信息副本（JSON 文件）" }).ClickAsync());
        Assert.Equal($"personal-data-{uscc}.json", download.SuggestedFilename);
        var copy = await File.ReadAllTextAsync(await download.PathAsync());
        Assert.Contains("太原委托测试科技有限公司", copy, StringComparison.Ordinal);
        output.WriteLine($"profile: {await Screenshots.SaveAsync(enterprise, "profile")}");
        await enterprise.SetViewportSizeAsync(390, 844);
        output.WriteLine($"profile at 390 px: {await Screenshots.SaveAsync(enterprise, "profile-phone")}");
        await enterprise.SetViewportSizeAsync(1280, 900);
        run.Step("personal-data copy downloaded");

        // Delegation: nothing chosen is refused next to the fields; then view + apply until a date.
        await enterprise.GotoAsync("/portal/delegations");
        await run.ScanAsync(enterprise, "delegations (none)");
        await enterprise.GetByRole(AriaRole.Button, new() { Name = "授予委托" }).ClickAsync();
        await Expect(enterprise.Locator("#agencyId-error")).ToBeVisibleAsync();
        await Expect(enterprise.Locator("#actions-error")).ToBeVisibleAsync();
        await run.ScanAsync(enterprise, "delegations (errors)");
        await enterprise.Locator("#agencyId").SelectOptionAsync(agencyId);
        await enterprise.GetByLabel("申请创新券", new() { Exact = true }).CheckAsync();
        await enterprise.GetByLabel("查看申请、创新券和兑付记录", new() { Exact = true }).CheckAsync();
        await enterprise.GetByRole(AriaRole.Button, new() { Name = "授予委托" }).ClickAsync();
        var row = enterprise.Locator("tbody tr", new() { HasText = "浏览器测试代理有限公司" });
        await Expect(row).ToContainTextAsync("有效");
        await Expect(row).ToContainTextAsync("申请创新券、查看申请、创新券和兑付记录");
        await run.ScanAsync(enterprise, "delegations (one active)");
        run.Step("delegated");

        // The agency picks the enterprise and applies for it from the enterprise's own home page.
        await agency.GotoAsync("/portal/agency");
        await Expect(agency.Locator("tbody tr", new() { HasText = "太原委托测试科技有限公司" })).ToContainTextAsync("有效");
        await run.ScanAsync(agency, "agency home (one party)");
        output.WriteLine($"agency home: {await Screenshots.SaveAsync(agency, "agency-home")}");
        await agency.GetByRole(AriaRole.Button, new() { Name = "代为办理 太原委托测试科技有限公司" }).ClickAsync();
        await Expect(agency.GetByRole(AriaRole.Heading, new() { Name = "太原委托测试科技有限公司" })).ToBeVisibleAsync();
        await Expect(agency.Locator("header .who")).ToContainTextAsync("委托方");
        var applicationId = await Portal.ApplyAsync(agency);
        run.Step($"agency applied for the enterprise: {applicationId}");
        await run.ScanAsync(agency, "enterprise home as the agency");

        // The enterprise sees the application, and who submitted it (the agency by name, never its id), on its progress page.
        await enterprise.GotoAsync($"/portal/applications/{applicationId}");
        await Expect(enterprise.Locator("main")).ToContainTextAsync("由浏览器测试代理有限公司（受太原委托测试科技有限公司委托）提交");
        await Expect(enterprise.Locator("main")).Not.ToContainTextAsync("via agency");

        // Revoked: the agency is refused on its very next request.
        await enterprise.GotoAsync("/portal/delegations");
        await enterprise.GetByRole(AriaRole.Button, new() { Name = "撤销 浏览器测试代理有限公司" }).ClickAsync();
        // Revoking asks first, naming the agency and what follows; the confirming post revokes.
        await Expect(enterprise.GetByRole(AriaRole.Heading, new() { Name = "确认撤销对 浏览器测试代理有限公司 的委托？" })).ToBeVisibleAsync();
        await Expect(enterprise.Locator("dl.facts")).ToContainTextAsync("立即生效");
        await run.ScanAsync(enterprise, "revocation confirmation");
        await enterprise.GetByRole(AriaRole.Button, new() { Name = "确认撤销" }).ClickAsync();
        await Expect(enterprise.GetByRole(AriaRole.Status)).ToContainTextAsync("已撤销对 浏览器测试代理有限公司 的委托");
        await Expect(enterprise.Locator("tbody tr", new() { HasText = "浏览器测试代理有限公司" })).ToContainTextAsync("已撤销");
        await Expect(enterprise.GetByRole(AriaRole.Button, new() { Name = "撤销 浏览器测试代理有限公司" })).ToHaveCountAsync(0);
        var refused = await agency.GotoAsync("/");
        Assert.Equal(403, refused!.Status);
        await Expect(agency.Locator("main")).ToContainTextAsync("revoked");
        await run.ScanAsync(agency, "refused after revocation");
        run.Step("revoked and refused");

        run.AssertNoSeriousFindings();
    });
}
