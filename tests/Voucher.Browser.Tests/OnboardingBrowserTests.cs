using Voucher.Demo;

namespace Voucher.Browser.Tests;

/// <summary>
/// The onboarding journey in headless Chromium on the local host: a person signs in with a pending claim, fills in the
/// enterprise's details, cannot apply (the home says why), uploads the business licence and the authorisation letter (a
/// bad file refused by its field first); the Taiyuan bureau finds the claim in its list, sees both documents in the page,
/// is refused a rejection without a reason, and verifies; the person is told in the inbox (a page, not JSON) and applies.
/// Desktop and 390 px screenshots of the claim form, the bureau's list and the review page; axe on each. And an
/// institution's: a person signed in with no membership applies for a new institution from 我的身份, fills in its profile
/// while waiting (confirming waits), the province verifies it from its claims list, and the person sees the institution's pages.
/// </summary>
[Collection("browser")]
public sealed class OnboardingBrowserTests(BrowserFixture browser, LocalSiteFixture site, ITestOutputHelper output)
    : IClassFixture<LocalSiteFixture>
{
    readonly BrowserRun run = new(browser, site, output);

    async Task ShootAsync(IPage page, string name)
    {
        output.WriteLine($"{name}: {await Screenshots.SaveAsync(page, name)}");
        await page.SetViewportSizeAsync(390, 844);
        output.WriteLine($"{name} at 390 px: {await Screenshots.SaveAsync(page, name + "-phone")}");
        await page.SetViewportSizeAsync(1280, 900);
    }

    [Fact]
    public Task Pending_claimant_uploads_documents_bureau_verifies_then_the_enterprise_applies() => run.RunAsync(nameof(Pending_claimant_uploads_documents_bureau_verifies_then_the_enterprise_applies), async () =>
    {
        var uscc = TestUscc.New("taiyuan");
        var name = "太原认领旅程科技有限公司";
        var person = await run.NewPageAsync();
        Portal.AcceptDialogs(person);

        // Signed in with a claim that waits: the home says 待审核 and why applying waits; the details may be filled in.
        await person.GotoAsync("/dev/signin");
        await person.Locator("select#role").SelectOptionAsync("enterprise");
        await person.Locator("input#scope").FillAsync(uscc);
        await person.Locator("input#name").FillAsync("周晓");
        await person.Locator("input[name=pending]").CheckAsync();
        await person.GetByRole(AriaRole.Button, new() { Name = "登录" }).ClickAsync();
        await person.GotoAsync("/");
        await Expect(person.Locator("#apply-why")).ToContainTextAsync("认领通过市科技局审核后");
        await Expect(person.GetByRole(AriaRole.Button, new() { Name = "申请创新券" })).ToHaveCountAsync(0);
        await Portal.RegisterEnterpriseAsync(person, name);
        await Expect(person.Locator(".claim-state")).ToHaveTextAsync("待审核");
        await Expect(person.GetByRole(AriaRole.Button, new() { Name = "申请创新券" })).ToHaveCountAsync(0);
        await run.ScanAsync(person, "pending home");
        run.Step("pending home: details filled in, no apply");

        // The claim form: the enterprise's USCC and details filled in from the sign-in and the profile.
        await person.GetByRole(AriaRole.Link, new() { Name = "上传认领材料" }).ClickAsync();
        await Expect(person.Locator("#uscc")).ToHaveValueAsync(uscc);
        await Expect(person.Locator("#enterpriseName")).ToHaveValueAsync(name);
        await Expect(person.Locator("#cityCode")).ToHaveValueAsync("taiyuan");
        await Expect(person.Locator(".account-number-value")).ToHaveTextAsync(new System.Text.RegularExpressions.Regex("^[0-9]{10}$"));
        await run.ScanAsync(person, "claim form");
        await ShootAsync(person, "onboarding-claim-form");

        // A text file as the letter is refused by its field; what was typed stays.
        await person.Locator("#licence").SetInputFilesAsync(new FilePayload { Name = "营业执照.png", MimeType = "image/png", Buffer = OnboardingDemo.LicencePng() });
        await person.Locator("#letter").SetInputFilesAsync(new FilePayload { Name = "授权委托书.pdf", MimeType = "application/pdf", Buffer = Encoding.UTF8.GetBytes("这不是 PDF 文件") });
        await person.GetByRole(AriaRole.Button, new() { Name = "提交认领" }).ClickAsync();
        await Expect(person.Locator("#letter-error")).ToBeVisibleAsync();
        await Expect(person.Locator(".error-summary")).ToContainTextAsync("授权委托书");
        await Expect(person.Locator("#enterpriseName")).ToHaveValueAsync(name);
        await run.ScanAsync(person, "claim form (letter refused)");
        await ShootAsync(person, "onboarding-claim-form-error");

        await person.Locator("#licence").SetInputFilesAsync(new FilePayload { Name = "营业执照.png", MimeType = "image/png", Buffer = OnboardingDemo.LicencePng() });
        await person.Locator("#letter").SetInputFilesAsync(new FilePayload { Name = "授权委托书.pdf", MimeType = "application/pdf", Buffer = OnboardingDemo.LetterPdf() });
        await person.GetByRole(AriaRole.Button, new() { Name = "提交认领" }).ClickAsync();
        await person.WaitForURLAsync(url => new Uri(url).AbsolutePath.StartsWith("/portal/claims/c", StringComparison.Ordinal));
        await Expect(person.GetByRole(AriaRole.Status)).ToContainTextAsync("认领已提交");
        await Expect(person.Locator(".claim-state")).ToHaveTextAsync("待审核");
        await run.ScanAsync(person, "claim progress");
        run.Step("claim submitted");

        // The Taiyuan bureau: its list, the review page with both documents shown in it.
        var bureau = await run.NewPageAsync();
        await Portal.SignInAsync(bureau, "city-bureau", "taiyuan", "王芳");
        await bureau.GetByRole(AriaRole.Link, new() { Name = "企业认领审核（营业执照、授权委托书）" }).ClickAsync();
        await Expect(bureau.Locator("table.worklist-table")).ToContainTextAsync(name);
        await bureau.Locator("#claims-q").FillAsync(uscc);
        await bureau.GetByRole(AriaRole.Button, new() { Name = "查询" }).ClickAsync();
        await Expect(bureau.Locator("table.worklist-table tbody tr")).ToHaveCountAsync(1);
        await Expect(bureau.Locator(".pager-summary")).ToContainTextAsync("共 1 条");
        await run.ScanAsync(bureau, "claims list");
        await ShootAsync(bureau, "onboarding-claims-list");

        await bureau.GetByRole(AriaRole.Link, new() { Name = $"审核 {name} 的认领" }).ClickAsync();
        var image = bureau.Locator("figure.evidence-preview img");
        await Expect(image).ToHaveCountAsync(1);
        await Expect(image).ToHaveJSPropertyAsync("complete", true);
        Assert.True(await image.EvaluateAsync<int>("img => img.naturalWidth") > 0, "the licence image is shown in the page");
        var frame = bureau.Locator("figure.evidence-preview iframe");
        await Expect(frame).ToHaveCountAsync(1);
        var letterHref = await frame.GetAttributeAsync("src") ?? "";
        var letter = await bureau.APIRequest.GetAsync(letterHref);
        Assert.Equal(200, letter.Status);
        Assert.Equal("application/pdf", letter.Headers["content-type"]);
        Assert.Equal("SAMEORIGIN", letter.Headers["x-frame-options"]);
        Assert.StartsWith("%PDF", Encoding.ASCII.GetString(await letter.BodyAsync())[..4], StringComparison.Ordinal);
        await run.ScanAsync(bureau, "claim review");
        await ShootAsync(bureau, "onboarding-claim-review");

        // A rejection needs a reason, shown by the field; then the bureau verifies.
        // (The frame's PDF viewer may still be loading after the screenshots: wait for the page to settle, then wait for the post's answer.)
        await bureau.WaitForLoadStateAsync(LoadState.NetworkIdle);
        var refused = await bureau.RunAndWaitForResponseAsync(
            () => bureau.GetByRole(AriaRole.Button, new() { Name = "驳回认领" }).ClickAsync(),
            r => r.Url.EndsWith("/decision", StringComparison.Ordinal) && r.Request.Method == "POST");
        Assert.Equal(400, refused.Status);
        await Expect(bureau.Locator("#reason-error")).ToBeVisibleAsync();
        await run.ScanAsync(bureau, "claim review (reason missing)");
        await bureau.GetByRole(AriaRole.Button, new() { Name = "通过认领" }).ClickAsync();
        await Expect(bureau.GetByRole(AriaRole.Status)).ToContainTextAsync($"已通过“{name}”的认领");
        await bureau.GotoAsync("/portal/work/claims?tab=done");
        await Expect(bureau.Locator("table.worklist-table")).ToContainTextAsync(name);
        run.Step("bureau verified");

        // The person: told in the inbox with a link to a page; the home now offers applying, and the application goes in.
        await person.GotoAsync("/inbox");
        var notice = person.Locator("article", new() { HasText = "企业认领已通过审核" });
        await Expect(notice).ToHaveCountAsync(1);
        await notice.GetByRole(AriaRole.Link, new() { Name = "查看认领结果" }).ClickAsync();
        await Expect(person.Locator(".claim-state")).ToHaveTextAsync("已通过");
        await person.GotoAsync("/");
        await Expect(person.GetByRole(AriaRole.Heading, new() { Name = name })).ToBeVisibleAsync();
        var applicationId = await Portal.ApplyAsync(person);
        run.Step($"applied: {applicationId}");
        run.AssertNoSeriousFindings();
    });

    [Fact]
    public Task Person_without_membership_applies_for_an_institution_province_verifies_then_the_institutions_pages_open() => run.RunAsync(nameof(Person_without_membership_applies_for_an_institution_province_verifies_then_the_institutions_pages_open), async () =>
    {
        var suffix = Guid.NewGuid().ToString("N")[..6].ToUpperInvariant();
        var code = "SXBR-" + suffix;
        var name = "山西旅程测试研究院" + suffix;
        var person = await run.NewPageAsync();
        Portal.AcceptDialogs(person);

        // Signed in with no membership: 我的身份 offers the two ways in.
        await person.GotoAsync("/dev/signin");
        await person.Locator("select#role").SelectOptionAsync(Voucher.Workflows.Portal.AuthPages.NoRole);
        await person.Locator("input#name").FillAsync("孙机构");
        await person.Locator("input#person").FillAsync("browser-inst-" + suffix);
        await person.GetByRole(AriaRole.Button, new() { Name = "登录" }).ClickAsync();
        await Expect(person.Locator("main")).ToContainTextAsync("您还没有任何身份");
        await person.GetByRole(AriaRole.Link, new() { Name = "登记或认领服务机构" }).First.ClickAsync();
        await Expect(person.GetByRole(AriaRole.Heading, new() { Name = "登记或认领服务机构", Level = 2 })).ToBeVisibleAsync();
        await person.Locator("#uscc").FillAsync(code);
        await person.Locator("#enterpriseName").FillAsync(name);
        await person.Locator("#cityCode").SelectOptionAsync("taiyuan");
        await run.ScanAsync(person, "institution claim form");
        await ShootAsync(person, "onboarding-institution-claim-form");
        await person.Locator("#licence").SetInputFilesAsync(new FilePayload { Name = "法人证书.png", MimeType = "image/png", Buffer = OnboardingDemo.LicencePng() });
        await person.Locator("#letter").SetInputFilesAsync(new FilePayload { Name = "授权委托书.pdf", MimeType = "application/pdf", Buffer = OnboardingDemo.LetterPdf() });
        await person.GetByRole(AriaRole.Button, new() { Name = "提交认领" }).ClickAsync();
        await person.WaitForURLAsync(url => new Uri(url).AbsolutePath.StartsWith("/portal/claims/c", StringComparison.Ordinal));
        await Expect(person.GetByRole(AriaRole.Status)).ToContainTextAsync("省科技厅将核对");
        await Expect(person.Locator(".claim-state")).ToHaveTextAsync("待审核");
        run.Step("institution claim submitted");

        // Waiting: the home says so; the profile may be filled in (registering the institution); confirming waits.
        await person.GotoAsync("/");
        await Expect(person.Locator("#apply-why")).ToContainTextAsync("省科技厅审核后");
        await run.ScanAsync(person, "pending institution home");
        await ShootAsync(person, "onboarding-institution-pending-home");
        await person.GetByRole(AriaRole.Link, new() { Name = "填写机构信息" }).ClickAsync();
        await person.Locator("#name").FillAsync(name);
        await person.Locator("#type").SelectOptionAsync("research-institute");
        await person.Locator("#cityCode").SelectOptionAsync("taiyuan");
        await person.Locator("#code").FillAsync(code);
        await person.Locator("#sharingPlatformId").FillAsync("SX-OSP-" + suffix);
        await person.Locator("#contactName").FillAsync("孙机构");
        await person.Locator("#contactPhone").FillAsync("13903510123");
        await person.GetByRole(AriaRole.Button, new() { Name = "提交登记" }).ClickAsync();
        await Expect(person.GetByRole(AriaRole.Status)).ToContainTextAsync("已提交登记");
        var demands = await person.GotoAsync("/portal/institution/demands");
        Assert.Equal(403, demands!.Status);
        await Expect(person.Locator("main")).ToContainTextAsync("待审核");
        run.Step("profile filled in while waiting; the institution's acts wait");

        // The province: its claims list from the home, the review page, verify.
        var province = await run.NewPageAsync();
        await Portal.SignInAsync(province, "province", "", "省厅审核员");
        await province.GetByRole(AriaRole.Link, new() { Name = "服务机构认领审核（营业执照、授权委托书）" }).ClickAsync();
        await Expect(province.Locator("table.worklist-table")).ToContainTextAsync(name);
        await run.ScanAsync(province, "institution claims list");
        await ShootAsync(province, "onboarding-institution-claims-list");
        await province.GetByRole(AriaRole.Link, new() { Name = $"审核 {name} 的认领" }).ClickAsync();
        await Expect(province.Locator("dl.facts")).ToContainTextAsync(code);
        await run.ScanAsync(province, "institution claim review");
        await ShootAsync(province, "onboarding-institution-claim-review");
        await province.WaitForLoadStateAsync(LoadState.NetworkIdle);
        await province.GetByRole(AriaRole.Button, new() { Name = "通过认领" }).ClickAsync();
        await Expect(province.GetByRole(AriaRole.Status)).ToContainTextAsync($"已通过“{name}”的认领");
        run.Step("province verified");

        // The person: the institution's pages open, the institution verified with the claim.
        await person.GotoAsync("/portal/institution");
        await Expect(person.Locator("main")).ToContainTextAsync(name);
        await Expect(person.Locator("main")).Not.ToContainTextAsync("待审核");
        await run.ScanAsync(person, "verified institution home");
        await ShootAsync(person, "onboarding-institution-verified");
        var opened = await person.GotoAsync("/portal/institution/demands");
        Assert.Equal(200, opened!.Status);

        // Its administrator's people page, from the institution's home: the person is 服务机构管理员 and may add people.
        await person.GotoAsync("/");
        await person.GetByRole(AriaRole.Link, new() { Name = "本机构人员" }).ClickAsync();
        await Expect(person.Locator("main table")).ToContainTextAsync("服务机构管理员");
        await Expect(person.GetByRole(AriaRole.Button, new() { Name = "添加" })).ToBeVisibleAsync();
        await run.ScanAsync(person, "institution people");
        await ShootAsync(person, "onboarding-institution-members");
        run.AssertNoSeriousFindings();
    });
}
