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
        var registered = await agency.APIRequest.PostAsync("/api/agencies", new() { DataObject = new { name = "浏览器测试代理有限公司", cityCode = "taiyuan", contactName = "郑代理", contactPhone = "13903516666" } });
        Assert.Equal(201, registered.Status);
        await Expect(agency.GetByRole(AriaRole.Heading, new() { Name = "代理机构工作台 Agency" })).ToBeVisibleAsync();
        await run.ScanAsync(agency, "agency home (no delegations)");

        var enterprise = await run.NewPageAsync();
        Portal.AcceptDialogs(enterprise);
        var uscc = TestUscc.New();
        await Portal.SignInAsync(enterprise, "enterprise", uscc, "企业经办人");
        await Portal.RegisterEnterpriseAsync(enterprise, "太原委托测试科技有限公司");
        run.Step("enterprise registered");

        // Profile: a wrong phone is refused next to the field with everything typed kept.
        await enterprise.GetByRole(AriaRole.Link, new() { Name = "修改企业信息" }).ClickAsync();
        await Expect(enterprise.GetByRole(AriaRole.Heading, new() { Name = "企业信息 Enterprise profile" })).ToBeVisibleAsync();
        await run.ScanAsync(enterprise, "profile");
        await enterprise.Locator("#address").FillAsync("太原市小店区长治路 1 号");
        await enterprise.Locator("#contactPhone").FillAsync("12345");
        await enterprise.GetByRole(AriaRole.Button, new() { Name = "保存 Save" }).ClickAsync();
        await Expect(enterprise.Locator("#contactPhone-error")).ToBeVisibleAsync();
        await Expect(enterprise.Locator("#contactPhone")).ToHaveValueAsync("12345");
        await Expect(enterprise.Locator("#address")).ToHaveValueAsync("太原市小店区长治路 1 号");
        await run.ScanAsync(enterprise, "profile (phone error)");
        await enterprise.Locator("#contactPhone").FillAsync("13812340000");
        await enterprise.GetByRole(AriaRole.Button, new() { Name = "保存 Save" }).ClickAsync();
        await Expect(enterprise.GetByRole(AriaRole.Status)).ToContainTextAsync("已保存");
        await Expect(enterprise.Locator("#address")).ToHaveValueAsync("太原市小店区长治路 1 号");
        run.Step("profile saved");

        // Delegation: nothing chosen is refused next to the fields; then view + apply until a date.
        await enterprise.GotoAsync("/portal/delegations");
        await run.ScanAsync(enterprise, "delegations (none)");
        await enterprise.GetByRole(AriaRole.Button, new() { Name = "授予委托 Delegate" }).ClickAsync();
        await Expect(enterprise.Locator("#agencyId-error")).ToBeVisibleAsync();
        await Expect(enterprise.Locator("#actions-error")).ToBeVisibleAsync();
        await run.ScanAsync(enterprise, "delegations (errors)");
        await enterprise.Locator("#agencyId").SelectOptionAsync(agencyId);
        await enterprise.GetByLabel("申请创新券 Apply for a voucher").CheckAsync();
        await enterprise.GetByLabel("查看申请、创新券和兑付记录 View records").CheckAsync();
        await enterprise.GetByRole(AriaRole.Button, new() { Name = "授予委托 Delegate" }).ClickAsync();
        var row = enterprise.Locator("tbody tr", new() { HasText = agencyId });
        await Expect(row).ToContainTextAsync("有效 Active");
        await run.ScanAsync(enterprise, "delegations (one active)");
        run.Step("delegated");

        // The agency picks the enterprise and applies for it from the enterprise's own home page.
        await agency.GotoAsync("/portal/agency");
        await Expect(agency.Locator("tbody tr", new() { HasText = uscc })).ToContainTextAsync("有效 Active");
        await run.ScanAsync(agency, "agency home (one party)");
        output.WriteLine($"agency home: {await Screenshots.SaveAsync(agency, "agency-home")}");
        await agency.GetByRole(AriaRole.Button, new() { Name = $"代为办理 Act for {uscc}" }).ClickAsync();
        await Expect(agency.GetByRole(AriaRole.Heading, new() { Name = "太原委托测试科技有限公司" })).ToBeVisibleAsync();
        await Expect(agency.Locator("header .who")).ToContainTextAsync("acting for");
        var applicationId = await Portal.ApplyAsync(agency);
        run.Step($"agency applied for the enterprise: {applicationId}");
        await run.ScanAsync(agency, "enterprise home as the agency");

        // The enterprise sees the application, and who submitted it, on its own home and timeline.
        await enterprise.GotoAsync($"/portal/applications/{applicationId}");
        await Expect(enterprise.Locator("main")).ToContainTextAsync($"via agency:{agencyId}");

        // Revoked: the agency is refused on its very next request.
        await enterprise.GotoAsync("/portal/delegations");
        await enterprise.GetByRole(AriaRole.Button, new() { Name = "撤销 Revoke 浏览器测试代理有限公司" }).ClickAsync();
        await Expect(enterprise.Locator("tbody tr", new() { HasText = agencyId })).ToContainTextAsync("已撤销 Revoked");
        var refused = await agency.GotoAsync("/");
        Assert.Equal(403, refused!.Status);
        await Expect(agency.Locator("main")).ToContainTextAsync("revoked");
        await run.ScanAsync(agency, "refused after revocation");
        run.Step("revoked and refused");

        run.AssertNoSeriousFindings();
    });
}
