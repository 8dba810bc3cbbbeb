using Voucher.Domain;

namespace Voucher.Browser.Tests;

/// <summary>
/// The supervision pages in headless Chromium against the local host: the province adds an expert to the pool
/// (an error next to its field, typed values kept), a city bureau records a violation with an evidence file (an
/// error first), the enterprise's credit page then shows the three-year bar, and the finance bureau's claw-backs
/// and the expert's requests render. Each page is scanned with axe: no serious or critical violations.
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
        await Expect(enterprise.GetByRole(AriaRole.Heading, new() { Name = "信用记录 Credit history", Level = 1 })).ToBeVisibleAsync();
        await run.ScanAsync(enterprise, "credit history (empty)");

        // The province adds an expert: a missing name is shown next to its field, the id typed is kept.
        var province = await run.NewPageAsync();
        await Portal.SignInAsync(province, "province", "", "省中心");
        await province.GotoAsync("/portal/experts");
        await province.Locator("#expertId").FillAsync("exp-browser-1");
        await province.Locator("#fields").FillAsync("testing, consulting");
        await province.Locator("#name").EvaluateAsync("e => e.removeAttribute('required')"); // let the server judge it
        await province.GetByRole(AriaRole.Button, new() { Name = "保存 Save" }).ClickAsync();
        await Expect(province.Locator("#name-error")).ToBeVisibleAsync();
        await Expect(province.Locator("#expertId")).ToHaveValueAsync("exp-browser-1");
        await run.ScanAsync(province, "expert pool (error)");
        await province.Locator("#name").FillAsync("周专家");
        await province.Locator("#affiliationInstitutionId").FillAsync("inst-sxu");
        await province.Locator("#tiedUsccs").FillAsync(uscc);
        await province.GetByRole(AriaRole.Button, new() { Name = "保存 Save" }).ClickAsync();
        await Expect(province.Locator("tbody tr", new() { HasText = "exp-browser-1" })).ToContainTextAsync(uscc);
        await run.ScanAsync(province, "expert pool");

        // The city bureau records a violation: first without the facts (error, USCC kept), then with a PDF.
        var bureau = await run.NewPageAsync();
        await Portal.SignInAsync(bureau, "city-bureau", "taiyuan", "太原市科技局");
        await bureau.GotoAsync("/portal/violations");
        await run.ScanAsync(bureau, "violations");
        await bureau.Locator("#uscc").FillAsync(uscc);
        await bureau.Locator("#reason").EvaluateAsync("e => e.removeAttribute('required')");
        await bureau.GetByRole(AriaRole.Button, new() { Name = "记录违规 Record violation" }).ClickAsync();
        await Expect(bureau.Locator("#reason-error")).ToBeVisibleAsync();
        await Expect(bureau.Locator("#uscc")).ToHaveValueAsync(uscc);
        await run.ScanAsync(bureau, "violations (error)");
        await bureau.Locator("#reason").FillAsync("伪造支付凭证 (forged payment proof)");
        await bureau.Locator("#files").SetInputFilesAsync(new FilePayload { Name = "evidence.pdf", MimeType = "application/pdf", Buffer = Encoding.ASCII.GetBytes("%PDF-1.4\n% violation evidence\n%%EOF\n") });
        await bureau.GetByRole(AriaRole.Button, new() { Name = "记录违规 Record violation" }).ClickAsync();
        var barEnd = ViolationRules.BarEnd(ChinaTime.DateOf(DateTime.UtcNow)).ToString("yyyy-MM-dd");
        await Expect(bureau.Locator("p.ok[role=status]")).ToContainTextAsync(barEnd);
        var row = bureau.Locator("tbody tr", new() { HasText = uscc });
        await Expect(row).ToContainTextAsync(barEnd);
        await Expect(row.GetByRole(AriaRole.Link)).ToHaveCountAsync(1);
        await run.ScanAsync(bureau, "violations (recorded)");

        // The enterprise sees the bar in its credit file.
        await enterprise.GotoAsync("/portal/credit");
        await Expect(enterprise.Locator("dl.facts")).ToContainTextAsync(barEnd);
        await Expect(enterprise.Locator("tbody")).ToContainTextAsync("违规 Violation");
        await run.ScanAsync(enterprise, "credit history (barred)");

        var finance = await run.NewPageAsync();
        await Portal.SignInAsync(finance, "finance-bureau", "taiyuan", "太原市财政局");
        await finance.GotoAsync("/portal/clawbacks");
        await Expect(finance.GetByRole(AriaRole.Heading, new() { Name = "待追回 Due（0）" })).ToBeVisibleAsync();
        await run.ScanAsync(finance, "claw-backs");

        var expert = await run.NewPageAsync();
        await Portal.SignInAsync(expert, "expert", "exp-browser-1", "周专家");
        await expert.GotoAsync("/portal/expert");
        await Expect(expert.Locator("dl.facts")).ToContainTextAsync("周专家");
        await run.ScanAsync(expert, "expert home");

        run.AssertNoSeriousFindings();
    });
}
