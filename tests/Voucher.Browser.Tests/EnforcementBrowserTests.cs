using Voucher.Domain;

namespace Voucher.Browser.Tests;

/// <summary>
/// The supervision pages and the guide in headless Chromium against the local host: the province adds an expert to the
/// pool (an error next to its field, typed values kept), a city bureau records a violation (an error first, then the
/// confirmation naming the enterprise and the bar, then an evidence file on the violation's own page), the
/// enterprise's credit page then shows the three-year bar, the finance bureau's claw-backs and the expert's requests
/// render, and the guide reads as a service guide at desktop and phone width. Each page is scanned with axe: no serious
/// or critical violations; nothing is wider than the phone's 390 px.
/// </summary>
[Collection("browser")]
public sealed class EnforcementBrowserTests(BrowserFixture browser, LocalSiteFixture site, ITestOutputHelper output)
    : IClassFixture<LocalSiteFixture>
{
    readonly BrowserRun run = new(browser, site, output);

    [Fact]
    public Task Supervision_pages_work_and_pass_axe() => run.RunAsync(nameof(Supervision_pages_work_and_pass_axe), async () =>
    {
        // The enterprise registers; its credit page starts empty.
        var enterprise = await run.NewPageAsync();
        var uscc = TestUscc.New();
        await Portal.SignInAsync(enterprise, "enterprise", uscc, "企业经办人");
        await Portal.RegisterEnterpriseAsync(enterprise, "太原违规测试科技有限公司");
        await enterprise.GotoAsync("/portal/credit");
        await Expect(enterprise.GetByRole(AriaRole.Heading, new() { Name = "信用记录", Level = 1 })).ToBeVisibleAsync();
        await run.ScanAsync(enterprise, "credit history (empty)");

        // The province adds an expert: a missing name is shown next to its field, the id typed is kept.
        var province = await run.NewPageAsync();
        await Portal.SignInAsync(province, "province", "", "省中心");
        await province.GotoAsync("/portal/experts");
        await province.Locator("#expertId").FillAsync("exp-browser-1");
        await province.GetByLabel("检验检测").CheckAsync();
        await province.GetByLabel("技术咨询").CheckAsync();
        await province.GetByRole(AriaRole.Button, new() { Name = "保存" }).ClickAsync();
        await Expect(province.Locator("#name-error")).ToBeVisibleAsync();
        await Expect(province.Locator("#expertId")).ToHaveValueAsync("exp-browser-1");
        await Expect(province.GetByLabel("技术咨询")).ToBeCheckedAsync();
        await run.ScanAsync(province, "expert pool (error)");
        await province.Locator("#name").FillAsync("周专家");
        await province.Locator("#affiliation").FillAsync("山西大学");
        await province.Locator("#tiedUsccs").FillAsync(uscc);
        await province.GetByRole(AriaRole.Button, new() { Name = "保存" }).ClickAsync();
        await Expect(province.GetByRole(AriaRole.Status)).ToContainTextAsync("已保存专家 周专家");
        var expertRow = province.Locator("tbody tr", new() { HasText = "exp-browser-1" });
        await Expect(expertRow).ToContainTextAsync("太原违规测试科技有限公司");
        await Expect(expertRow).ToContainTextAsync("检验检测、技术咨询");
        await run.ScanAsync(province, "expert pool");

        // The city bureau records a violation: first without the facts (error, USCC kept), then confirmed.
        var bureau = await run.NewPageAsync();
        await Portal.SignInAsync(bureau, "city-bureau", "taiyuan", "太原市科技局");
        await bureau.GotoAsync("/portal/violations");
        await run.ScanAsync(bureau, "violations");
        await bureau.Locator("#uscc").FillAsync(uscc);
        await bureau.GetByRole(AriaRole.Button, new() { Name = "核对并记录违规" }).ClickAsync();
        await Expect(bureau.Locator("#reason-error")).ToBeVisibleAsync();
        await Expect(bureau.Locator(".error-summary")).ToBeVisibleAsync();
        await Expect(bureau.Locator("#uscc")).ToHaveValueAsync(uscc);
        await run.ScanAsync(bureau, "violations (error)");
        await bureau.Locator("#reason").FillAsync("伪造支付凭证");
        await bureau.GetByRole(AriaRole.Button, new() { Name = "核对并记录违规" }).ClickAsync();
        var barEnd = ViolationRules.BarEnd(ChinaTime.DateOf(DateTime.UtcNow));
        var barInSentence = barEnd.ToString("yyyy年M月d日", System.Globalization.CultureInfo.InvariantCulture);
        await Expect(bureau.GetByRole(AriaRole.Heading, new() { Name = "确认对 太原违规测试科技有限公司 记录违规？" })).ToBeVisibleAsync();
        await Expect(bureau.Locator("dl.facts")).ToContainTextAsync(barInSentence);
        await run.ScanAsync(bureau, "violation confirmation");
        output.WriteLine($"violation confirmation: {await Screenshots.SaveAsync(bureau, "violation-confirm")}");
        await bureau.GetByRole(AriaRole.Button, new() { Name = "确认记录违规" }).ClickAsync();
        await Expect(bureau.Locator("p.ok[role=status]")).ToContainTextAsync(barInSentence);

        // The evidence file goes on the violation's own page, listed by its name.
        await bureau.Locator("#files").SetInputFilesAsync(new FilePayload { Name = "evidence.pdf", MimeType = "application/pdf", Buffer = Encoding.ASCII.GetBytes("%PDF-1.4\n% violation evidence\n%%EOF\n") });
        await bureau.GetByRole(AriaRole.Button, new() { Name = "上传", Exact = true }).ClickAsync();
        await Expect(bureau.Locator("p.ok[role=status]")).ToContainTextAsync("已上传证据文件 1 个");
        await Expect(bureau.GetByRole(AriaRole.Link, new() { Name = "evidence.pdf" })).ToBeVisibleAsync();
        await run.ScanAsync(bureau, "violation page");
        output.WriteLine($"violation page: {await Screenshots.SaveAsync(bureau, "violation-page")}");
        await bureau.GotoAsync("/portal/violations");
        var row = bureau.Locator("tbody tr", new() { HasText = uscc });
        await Expect(row).ToContainTextAsync(barEnd.ToString("yyyy-MM-dd"));
        await Expect(row).ToContainTextAsync("1 个");
        await Expect(row.GetByRole(AriaRole.Link)).ToHaveCountAsync(1);
        await run.ScanAsync(bureau, "violations (recorded)");

        // The enterprise sees the bar in its credit file, and was told.
        await enterprise.GotoAsync("/portal/credit");
        await Expect(enterprise.Locator("dl.facts")).ToContainTextAsync(barInSentence);
        await Expect(enterprise.Locator("tbody")).ToContainTextAsync("违规处理");
        await run.ScanAsync(enterprise, "credit history (barred)");
        await PhoneWidthAsync(enterprise, "credit");

        var finance = await run.NewPageAsync();
        await Portal.SignInAsync(finance, "finance-bureau", "taiyuan", "太原市财政局");
        await finance.GotoAsync("/portal/clawbacks");
        await Expect(finance.GetByRole(AriaRole.Heading, new() { Name = "待追回（0 笔）" })).ToBeVisibleAsync();
        await run.ScanAsync(finance, "claw-backs");

        var expert = await run.NewPageAsync();
        await Portal.SignInAsync(expert, "expert", "exp-browser-1", "周专家");
        await expert.GotoAsync("/portal/expert");
        await Expect(expert.Locator("dl.facts")).ToContainTextAsync("周专家 · 山西大学");
        await run.ScanAsync(expert, "expert home");

        run.AssertNoSeriousFindings();
    });

    [Fact]
    public Task Guide_reads_as_a_service_guide_and_the_self_check_answers() => run.RunAsync(nameof(Guide_reads_as_a_service_guide_and_the_self_check_answers), async () =>
    {
        var page = await run.NewPageAsync();
        await page.GotoAsync("/guide?city=changzhi");
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "科技创新券申领与兑付（长治市）" })).ToBeVisibleAsync();
        foreach (var section in new[] { "受理条件", "申请材料", "办理流程", "办理时限", "收费标准", "政策依据", "补助标准与年度限额" })
        {
            await Expect(page.GetByRole(AriaRole.Heading, new() { Name = section, Level = 2 })).ToBeVisibleAsync();
        }

        await Expect(page.Locator("ol.guide-steps li")).ToHaveCountAsync(7);
        await Expect(page.Locator("#annual-cap-rules")).ToContainTextAsync("20万元");
        await run.ScanAsync(page, "guide");
        output.WriteLine($"guide: {await Screenshots.SaveAsync(page, "guide-desktop")}");
        await PhoneWidthAsync(page, "guide");

        // The self-check answers with the application's own rules, in Chinese.
        await page.SetViewportSizeAsync(1280, 900);
        await page.Locator("#sc-uscc").FillAsync("91110000MA00000000");
        await page.GetByRole(AriaRole.Button, new() { Name = "开始自测" }).ClickAsync();
        await Expect(page.GetByRole(AriaRole.Alert)).ToContainTextAsync("暂不符合申请条件");
        await Expect(page.Locator("main ul")).ToContainTextAsync("科技型中小企业评价");
        await Expect(page.Locator("main")).Not.ToContainTextAsync("(The");
        await run.ScanAsync(page, "self-check result");

        run.AssertNoSeriousFindings();
    });

    /// <summary>At 390 px nothing is wider than the viewport; a screenshot of the page at that width is kept.</summary>
    async Task PhoneWidthAsync(IPage page, string name)
    {
        await page.SetViewportSizeAsync(390, 844);
        var width = await page.EvaluateAsync<int>("() => document.documentElement.scrollWidth");
        output.WriteLine($"{name} at 390 px: {await Screenshots.SaveAsync(page, name + "-phone")}");
        Assert.True(width <= 390, $"{name} is {width} px wide at 390 px");
    }
}
