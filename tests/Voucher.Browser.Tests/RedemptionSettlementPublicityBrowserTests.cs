using System.Net;
using System.Text.Json;
using Voucher.Domain;

namespace Voucher.Browser.Tests;

/// <summary>
/// Flow 2 in a real (headless Chromium) browser against the local host over Azurite, in order: the institution
/// answers its binding link (a dispute without a reason is refused, then it confirms); the city bureau reviews the
/// settlement batch through its link (a rejection without a reason is refused, then it approves and submits); an
/// anonymous visitor filters the notices by city, opens the notice (no personal data), downloads its Excel file,
/// prints it, files an objection, gets a receipt number and looks it up; the archive lists the notice. The pages are scanned
/// with axe on the way and the last test asserts the scans. The tests share one redemption (a settlement batch is
/// one per city and period), so they run in the order of <see cref="SettlementStepAttribute"/>; the one-minute
/// publicity window starts at the end of step 2, so step 3 must follow at once.
/// </summary>
[Collection("browser")]
[TestCaseOrderer(SettlementFlowOrderer.TypeName, SettlementFlowOrderer.AssemblyName)]
public sealed class RedemptionSettlementPublicityBrowserTests(BrowserFixture browser, SettlementSiteFixture site, ITestOutputHelper output)
    : IClassFixture<SettlementSiteFixture>
{
    private readonly BrowserRun run = new(browser, site, output);
    private static readonly TimeSpan FlowTimeout = TimeSpan.FromSeconds(45);


    private SettlementScenario Scenario => site.Scenario;

    [Fact]
    [SettlementStep(1)]
    public Task Institution_binding_page_refuses_a_dispute_without_reason_then_confirms_and_the_redemption_is_queued() => run.RunAsync(nameof(Institution_binding_page_refuses_a_dispute_without_reason_then_confirms_and_the_redemption_is_queued), async () =>
    {
        // Arrange through the API: an enterprise with a voucher, a redemption at inst-sxu, the three evidence files.
        var (enterprise, voucherId) = await NewEnterpriseWithVoucherAsync();
        run.Step($"voucher {voucherId} issued to {Scenario.Uscc}");

        var (created, createdBody) = await enterprise.PostJsonAsync("api/redemptions", new
        {
            voucherId,
            institutionId = SettlementScenario.InstitutionId,
            serviceId = SettlementScenario.ServiceId,
            contractNumber = "SXU-ICP-2026-0417",
            amountPaid = SettlementScenario.AmountPaid,
        });
        Assert.True(created == HttpStatusCode.Accepted, $"POST /api/redemptions answered {(int)created}: {createdBody}");
        var redemptionId = SiteClient.Json(createdBody).GetProperty("redemptionId").GetString()!;
        Scenario.RedemptionId = redemptionId;
        var statusUrl = RedemptionUrl(redemptionId);
        foreach (var kind in new[] { "report", "contract", "payment" })
        {
            var (uploaded, uploadBody) = await enterprise.PostFileAsync($"{statusUrl}/evidence/{kind}", TestFiles.Pdf(kind), $"{kind}.pdf", "application/pdf");
            Assert.True(uploaded == HttpStatusCode.Created, $"upload of {kind} answered {(int)uploaded}: {uploadBody}");
        }

        // The orchestration records "evidence complete" from the event the third upload raises.
        var before = await Eventually.UntilAsync(
            () => enterprise.GetJsonAsync(statusUrl),
            view => view.GetProperty("evidenceComplete").GetBoolean(),
            FlowTimeout,
            $"{redemptionId} records its evidence as complete");
        Assert.Equal("AwaitingBinding", before.GetProperty("status").GetString());
        Assert.All(before.GetProperty("evidence").EnumerateArray(), e => Assert.True(e.GetProperty("present").GetBoolean(), e.ToString()));
        run.Step($"redemption {redemptionId} requested, evidence uploaded, awaiting binding");

        // The institution follows the link from its mail (no sign-in).
        var institution = await run.NewPageAsync();
        var dialogs = BrowserRun.RecordAndAcceptDialogs(institution);
        var bindingLink = await MailboxLinkAsync(institution, $"binding-{redemptionId}-r1", $"institution:{SettlementScenario.InstitutionId}", "确认或不予确认");
        Assert.StartsWith(site.BaseUrl + "/binding/", bindingLink, StringComparison.Ordinal);
        await institution.GotoAsync(bindingLink);
        await Expect(institution.GetByRole(AriaRole.Heading, new() { Name = "服务机构确认", Exact = true })).ToBeVisibleAsync();
        var facts = institution.Locator("dl.facts");
        await Expect(facts).ToContainTextAsync(redemptionId);
        await Expect(facts).ToContainTextAsync(SettlementScenario.EnterpriseName);
        await Expect(facts).ToContainTextAsync("¥80,000.00");
        await Expect(facts).ToContainTextAsync("ICP-MS");
        run.Step("binding page open");
        await ScanAsync(institution, "binding page");

        // Dispute without a reason: refused next to the reason field; nothing recorded.
        var submit = institution.GetByRole(AriaRole.Button, new() { Name = "提交", Exact = true });
        await institution.Locator("input[name=decision][value=dispute]").CheckAsync();
        await institution.Locator("textarea#reason").FillAsync("");
        await submit.ClickAsync();
        var reasonError = institution.Locator("#reason-error");
        await Expect(reasonError).ToBeVisibleAsync();
        await Expect(reasonError).ToContainTextAsync("不予确认须填写理由");
        Assert.Equal("reason", await reasonError.EvaluateAsync<string>("e => e.nextElementSibling ? e.nextElementSibling.id : ''"));
        Assert.Equal("reason", await reasonError.EvaluateAsync<string>("e => e.previousElementSibling ? e.previousElementSibling.getAttribute('for') || '' : ''"));
        await Expect(institution.Locator("textarea#reason")).ToHaveValueAsync("");
        Assert.Contains(dialogs, d => d.Contains("不可撤销", StringComparison.Ordinal));
        output.WriteLine($"binding page with the error: {await Screenshots.SaveAsync(institution, "binding-dispute-reason-required")}");
        await ScanAsync(institution, "binding page (reason required error)");
        var afterRefusal = await enterprise.GetJsonAsync(statusUrl);
        Assert.Equal("AwaitingBinding", afterRefusal.GetProperty("status").GetString());
        Assert.False(afterRefusal.GetProperty("binding").GetProperty("bound").GetBoolean(), afterRefusal.ToString());
        run.Step("dispute without reason refused; still AwaitingBinding");

        // Confirm (the confirm() dialog is accepted).
        await institution.Locator("input[name=decision][value=confirm]").CheckAsync();
        await submit.ClickAsync();
        await Expect(institution.GetByRole(AriaRole.Status)).ToContainTextAsync("已确认");
        await Expect(institution.Locator("main")).ToContainTextAsync(redemptionId);
        output.WriteLine($"binding confirmed: {await Screenshots.SaveAsync(institution, "binding-confirmed")}");

        var queued = await enterprise.WaitForStatusAsync(statusUrl, "Queued", FlowTimeout);
        Assert.True(queued.GetProperty("binding").GetProperty("bound").GetBoolean(), queued.ToString());
        var payout = queued.GetProperty("payout").GetProperty("payout").ToString();
        Assert.Contains("65000", payout.Replace(",", "", StringComparison.Ordinal), StringComparison.Ordinal);
        Scenario.Queued = true;
        run.Step($"redemption Queued with pay-out {payout}");

        // The link is single-use.
        await institution.GotoAsync(bindingLink);
        await Expect(institution.GetByRole(AriaRole.Heading, new() { Name = "链接已使用" })).ToBeVisibleAsync();
    });

    [Fact]
    [SettlementStep(2)]
    public Task Batch_review_page_refuses_a_rejection_without_reason_then_approves_and_submits_and_the_redemption_is_published() => run.RunAsync(nameof(Batch_review_page_refuses_a_rejection_without_reason_then_approves_and_submits_and_the_redemption_is_published), async () =>
    {
        Assert.True(Scenario.Queued, "needs the queued redemption of step 1 (run the whole class)");
        var redemptionId = Scenario.RedemptionId!;
        var bureau = Scenario.Bureau!;

        // Start the current period's settlement by hand (Taiyuan is monthly with the demo policies, quarterly otherwise).
        var today = ChinaTime.DateOf(DateTime.UtcNow);
        string? batchId = null;
        var answers = new List<string>();
        foreach (var cadence in new[] { SettlementCadence.Monthly, SettlementCadence.Quarterly })
        {
            var periodId = SettlementPeriod.Containing(cadence, today).Id;
            var (status, body) = await bureau.PostJsonAsync("api/settlements", new { cityCode = "taiyuan", periodId });
            answers.Add($"{periodId}: {(int)status} {body}");
            if (status is HttpStatusCode.Accepted or HttpStatusCode.OK)
            {
                batchId = SiteClient.Json(body).GetProperty("batchId").GetString();
                break;
            }

            Assert.True(status is HttpStatusCode.BadRequest or HttpStatusCode.UnprocessableEntity, $"POST /api/settlements answered {string.Join("; ", answers)}");
        }

        Assert.True(batchId is not null, $"no period accepted: {string.Join("; ", answers)}");
        Scenario.BatchId = batchId;
        run.Step($"settlement {batchId} started ({answers[^1]})");

        // The bureau follows the batch link from its mail.
        var reviewer = await run.NewPageAsync();
        var dialogs = BrowserRun.RecordAndAcceptDialogs(reviewer);
        var batchLink = await MailboxLinkAsync(reviewer, $"batch-review-{batchId}", "city-bureau:taiyuan", "审核结算批次");
        Assert.StartsWith(site.BaseUrl + "/batches/", batchLink, StringComparison.Ordinal);
        await reviewer.GotoAsync(batchLink);
        await Expect(reviewer.Locator("dl.facts")).ToContainTextAsync(batchId!);
        var row = reviewer.Locator("tbody tr", new() { Has = reviewer.Locator($"input[type=hidden][value=\"{redemptionId}\"]") });
        await Expect(row).ToHaveCountAsync(1);
        await Expect(row).ToContainTextAsync(SettlementScenario.EnterpriseName);
        await Expect(row).ToContainTextAsync("¥80,000.00");
        await Expect(row).ToContainTextAsync(SettlementScenario.ExpectedPayout);
        var index = (await row.Locator("input[type=hidden]").GetAttributeAsync("name"))!["id_".Length..];
        var decision = reviewer.Locator($"select#decision_{index}");
        var reason = reviewer.Locator($"input#reason_{index}");
        await Expect(reviewer.Locator("dl.facts")).ToContainTextAsync("0 / 1");
        run.Step($"batch review page open, redemption in row {index}");
        await AssertFitsPhoneAsync(batchLink, "batch-review-phone");
        await ScanAsync(reviewer, "batch review page");

        // Reject without a reason and save: the row shows the error, the choice is kept, nothing is saved.
        await decision.SelectOptionAsync("reject");
        await reason.FillAsync("");
        await reviewer.GetByRole(AriaRole.Button, new() { Name = "保存", Exact = true }).ClickAsync();
        var rowError = row.Locator("p.error");
        await Expect(rowError).ToContainTextAsync("驳回须填写理由");
        await Expect(reviewer.Locator("section.card p.error[role=status]")).ToContainTextAsync("出错的行未保存");
        await Expect(decision).ToHaveValueAsync("reject");
        await Expect(reviewer.Locator("dl.facts")).ToContainTextAsync("0 / 1");
        output.WriteLine($"batch with the row error: {await Screenshots.SaveAsync(reviewer, "batch-reject-reason-required")}");
        await ScanAsync(reviewer, "batch review page (row error)");
        run.Step("rejection without reason refused");

        // Approve and submit the batch: the confirmation page names the counts and the amount first (no script needed).
        await decision.SelectOptionAsync("approve");
        await reviewer.GetByRole(AriaRole.Button, new() { Name = "提交批次", Exact = true }).ClickAsync();
        var confirm = reviewer.Locator("section.confirm");
        await Expect(confirm).ToContainTextAsync("1 笔，核定兑付合计 " + SettlementScenario.ExpectedPayout);
        await Expect(confirm).ToContainTextAsync("不能撤销");
        output.WriteLine($"batch submit confirmation: {await Screenshots.SaveAsync(reviewer, "batch-submit-confirm")}");
        await confirm.GetByRole(AriaRole.Button, new() { Name = "确认提交批次" }).ClickAsync();
        await Expect(reviewer.GetByRole(AriaRole.Heading, new() { Name = "批次已提交" })).ToBeVisibleAsync();
        await Expect(reviewer.GetByRole(AriaRole.Status)).ToContainTextAsync($"（{batchId}）已提交");
        Assert.DoesNotContain(dialogs, d => d.Length > 0);
        output.WriteLine($"batch submitted: {await Screenshots.SaveAsync(reviewer, "batch-submitted")}");
        run.Step("batch submitted");

        await Scenario.Enterprise!.WaitForStatusAsync(RedemptionUrl(redemptionId), "Published", FlowTimeout);

        // The decision fan-out marks the rows Published a moment before the next step opens the batch's window.
        await Eventually.UntilAsync(
            () => Scenario.Bureau!.GetJsonAsync($"api/settlements/{Scenario.BatchId}"),
            b => b.TryGetProperty("publicityStart", out var start) && start.ValueKind == JsonValueKind.String,
            FlowTimeout,
            $"batch {Scenario.BatchId} opens its publicity window");
        Scenario.Published = true;
        run.Step("redemption Published");
    });

    [Fact]
    [SettlementStep(3)]
    public Task Publicity_page_lists_the_payout_without_contact_data_and_takes_an_objection() => run.RunAsync(nameof(Publicity_page_lists_the_payout_without_contact_data_and_takes_an_objection), async () =>
    {
        Assert.True(Scenario.Published, "needs the published redemption of step 2 (run the whole class)");
        var redemptionId = Scenario.RedemptionId!;
        var batch = await Scenario.Bureau!.GetJsonAsync($"api/settlements/{Scenario.BatchId}");
        var start = batch.GetProperty("publicityStart").GetString()!;
        var end = batch.GetProperty("publicityEnd").GetString()!;

        // An anonymous visitor in a fresh context: the current notices, filtered by city.
        var visitor = await run.NewPageAsync();
        var dialogs = BrowserRun.RecordAndAcceptDialogs(visitor);
        await visitor.GotoAsync("/publicity");
        var noticeLink = visitor.Locator($"li[data-batch=\"{Scenario.BatchId}\"] a");
        await visitor.Locator("#city").SelectOptionAsync("datong");
        await visitor.Locator("form.notice-filter").GetByRole(AriaRole.Button, new() { Name = "筛选" }).ClickAsync();
        await Expect(visitor.Locator("section.notice-list")).ToContainTextAsync("大同市当前没有公示中的科技创新券兑付。");
        await Expect(noticeLink).ToHaveCountAsync(0);
        await visitor.Locator("#city").SelectOptionAsync("taiyuan");
        await visitor.Locator("form.notice-filter").GetByRole(AriaRole.Button, new() { Name = "筛选" }).ClickAsync();
        await Expect(noticeLink).ToContainTextAsync("太原市");
        await Expect(noticeLink).ToContainTextAsync("科技创新券兑付结果公示");
        output.WriteLine($"publicity list: {await Screenshots.SaveAsync(visitor, "publicity-list")}");
        await AssertFitsPhoneAsync("/publicity?city=taiyuan", "publicity-list-phone");

        // The notice: header, window, where objections go, the numbered row and the total.
        await noticeLink.ClickAsync();
        var noticeUrl = $"/publicity/notices/{Scenario.BatchId}";
        Assert.EndsWith(noticeUrl, new Uri(visitor.Url).AbsolutePath, StringComparison.Ordinal);
        var row = visitor.Locator($"tr[data-redemption=\"{redemptionId}\"]");
        await Expect(row).ToHaveCountAsync(1);
        var notice = visitor.Locator("article.notice");
        await Expect(notice.Locator("h2")).ToContainTextAsync("太原市");
        await Expect(notice.Locator("h2")).ToContainTextAsync("科技创新券兑付结果公示");
        await Expect(notice.Locator("dl.facts")).ToContainTextAsync($"{InSentence(start)}至{InSentence(end)}");
        await Expect(notice.Locator("dl.facts")).ToContainTextAsync("太原市科技局");
        await Expect(notice.Locator("dl.facts")).ToContainTextAsync("0351-12345");
        await Expect(row.Locator("td").First).ToHaveTextAsync("1");
        await Expect(row).ToContainTextAsync(SettlementScenario.EnterpriseName);
        await Expect(row).ToContainTextAsync(SettlementScenario.ExpectedPayout);
        await Expect(row).ToContainTextAsync("山西大学分析测试中心");
        await Expect(notice.Locator("tfoot")).ToContainTextAsync("合计");
        var html = await visitor.ContentAsync();
        var text = await visitor.Locator("body").InnerTextAsync();
        foreach (var personal in new[] { SettlementScenario.ContactPhone, SettlementScenario.ContactName })
        {
            Assert.DoesNotContain(personal, html, StringComparison.Ordinal);
        }

        var (_, apiList) = await Scenario.Enterprise!.GetAsync("api/publicity");
        Assert.Contains(redemptionId, apiList, StringComparison.Ordinal);
        Assert.DoesNotContain(SettlementScenario.ContactPhone, apiList, StringComparison.Ordinal);
        Assert.DoesNotContain(SettlementScenario.ContactName, apiList, StringComparison.Ordinal);
        output.WriteLine($"USCC shown on the notice page: {text.Contains(Scenario.Uscc!, StringComparison.Ordinal)}");
        output.WriteLine($"notice page: {await Screenshots.SaveAsync(visitor, "publicity-notice")}");
        run.Step($"notice lists {redemptionId} ({start} 至 {end}) without contact data");
        await AssertFitsPhoneAsync(noticeUrl, "publicity-notice-phone");
        await ScanAsync(visitor, "publicity page");

        // Open the row's objection form (a link, so it works without a script), submit it empty: refused.
        await row.GetByRole(AriaRole.Link, new() { Name = "提出异议" }).ClickAsync();
        var form = visitor.Locator("section#objection");
        var contact = visitor.Locator("#contact");
        var grounds = visitor.Locator("#grounds");
        await Expect(form).ToContainTextAsync(SettlementScenario.EnterpriseName);
        await Expect(contact).ToBeVisibleAsync();
        await form.GetByRole(AriaRole.Button, new() { Name = "提交异议" }).ClickAsync();
        var message = visitor.Locator("p[role=status]");
        await Expect(message).ToHaveClassAsync("error");
        await Expect(message).Not.ToBeEmptyAsync();
        Assert.Contains(dialogs, d => d.Contains("确认提交异议", StringComparison.Ordinal));

        // Each message sits next to its field and is tied to it.
        foreach (var field in new[] { contact, grounds })
        {
            var id = await field.GetAttributeAsync("id");
            await Expect(visitor.Locator($"[id=\"{id}-error\"]")).ToContainTextAsync("必填");
            Assert.Contains($"{id}-error", (await field.GetAttributeAsync("aria-describedby"))!.Split(' '));
        }

        output.WriteLine($"empty objection answered: {await message.InnerTextAsync()}");
        await Expect(visitor.Locator("section#objection")).ToBeVisibleAsync();
        Assert.Equal("Published", (await Scenario.Enterprise.GetJsonAsync(RedemptionUrl(redemptionId))).GetProperty("status").GetString());
        output.WriteLine($"objection refused: {await Screenshots.SaveAsync(visitor, "publicity-objection-required")}");
        await ScanAsync(visitor, "publicity page (objection error)");
        run.Step("empty objection refused");

        // File it: the answer names the receipt number (受理编号).
        await contact.FillAsync("李明 13800138000");
        await grounds.FillAsync("该企业与服务机构存在关联关系，检测服务并未实际发生。");
        await visitor.Locator("section#objection").GetByRole(AriaRole.Button, new() { Name = "提交异议" }).ClickAsync();
        var filed = visitor.Locator("section.result");
        await Expect(filed).ToContainTextAsync("异议已提交");
        var receiptNo = (await filed.Locator(".receipt-no").InnerTextAsync()).Trim();
        Assert.Matches("^[2-9A-HJ-NP-Z]{4}-[2-9A-HJ-NP-Z]{4}-[2-9A-HJ-NP-Z]{4}$", receiptNo);
        await Expect(visitor.Locator(".receipt-status")).ToHaveTextAsync("待处理");
        Assert.DoesNotContain("13800138000", await visitor.ContentAsync(), StringComparison.Ordinal);
        output.WriteLine($"objection filed: {await Screenshots.SaveAsync(visitor, "publicity-objection-filed")}");
        run.Step($"objection filed, receipt {receiptNo}");

        // Looked up by its number later; a forged number finds nothing.
        await visitor.GotoAsync("/publicity/receipts");
        await visitor.Locator("#no").FillAsync(receiptNo.ToLowerInvariant());
        await visitor.Locator("section.receipt-lookup").GetByRole(AriaRole.Button, new() { Name = "查询" }).ClickAsync();
        await Expect(visitor.Locator(".receipt-status")).ToHaveTextAsync("待处理");
        await Expect(visitor.Locator("section.receipt-result")).ToContainTextAsync(SettlementScenario.EnterpriseName);
        output.WriteLine($"receipt lookup: {await Screenshots.SaveAsync(visitor, "publicity-receipt")}");
        await AssertFitsPhoneAsync($"/publicity/receipts?no={receiptNo}", "publicity-receipt-phone");
        await visitor.GotoAsync($"/publicity/receipts?no={(receiptNo[0] == 'A' ? 'B' : 'A')}{receiptNo[1..]}");
        await Expect(visitor.Locator("#no-error")).ToContainTextAsync("未找到该受理编号");
        await Expect(visitor.Locator("section.receipt-result")).ToHaveCountAsync(0);

        // The notice read afresh marks the entry.
        await visitor.GotoAsync(noticeUrl);
        await Expect(visitor.Locator($"tr[data-redemption=\"{redemptionId}\"]")).ToContainTextAsync("已收到异议，核查中");
        output.WriteLine($"notice after the objection: {await Screenshots.SaveAsync(visitor, "publicity-objected")}");

        // The Excel download: title rows, the header row, the numbered row.
        var download = await visitor.RunAndWaitForDownloadAsync(() => visitor.Locator("article.notice").GetByRole(AriaRole.Link, new() { Name = "下载 Excel" }).ClickAsync());
        Assert.EndsWith("科技创新券兑付结果公示.xlsx", download.SuggestedFilename, StringComparison.Ordinal);
        using (var file = await download.CreateReadStreamAsync())
        {
            var copy = new MemoryStream();
            await file.CopyToAsync(copy);
            copy.Position = 0;
            var sheet = MiniExcelLibs.MiniExcel.Query(copy, useHeaderRow: false).Cast<IDictionary<string, object?>>().ToList();
            Assert.Contains("科技创新券兑付结果公示", sheet[0]["A"]?.ToString(), StringComparison.Ordinal);
            Assert.Equal("序号", sheet[4]["A"]?.ToString());
            Assert.Contains(sheet.Skip(5), r => r["B"]?.ToString() == SettlementScenario.EnterpriseName);
            Assert.Equal("合计", sheet[^1]["A"]?.ToString());
        }

        run.Step($"downloaded {download.SuggestedFilename}");

        // The printable version: opened by its link, printed as A4 without the site's navigation.
        await visitor.Locator("article.notice").GetByRole(AriaRole.Link, new() { Name = "打印" }).ClickAsync();
        Assert.EndsWith($"{noticeUrl}/print", new Uri(visitor.Url).AbsolutePath, StringComparison.Ordinal);
        await Expect(visitor.Locator($"tr[data-redemption=\"{redemptionId}\"]")).ToHaveCountAsync(1);
        await Expect(visitor.GetByRole(AriaRole.Link, new() { Name = "提出异议" })).ToHaveCountAsync(0);
        await visitor.EmulateMediaAsync(new() { Media = Media.Print });
        await Expect(visitor.Locator("header.site")).ToBeHiddenAsync();
        await Expect(visitor.Locator("p.notice-actions")).ToBeHiddenAsync();
        await Expect(visitor.Locator("h2.notice-title")).ToBeVisibleAsync();
        output.WriteLine($"printable notice (print media): {await Screenshots.SaveAsync(visitor, "publicity-notice-print")}");
        await visitor.EmulateMediaAsync(new() { Media = Media.Screen });

        // The archive lists the notice by city.
        await visitor.GotoAsync("/publicity/archive?city=taiyuan");
        await Expect(visitor.Locator($"tr[data-batch=\"{Scenario.BatchId}\"]")).ToContainTextAsync("公示中");
        output.WriteLine($"archive: {await Screenshots.SaveAsync(visitor, "publicity-archive")}");
        await AssertFitsPhoneAsync("/publicity/archive?city=taiyuan", "publicity-archive-phone");

        var objected = await Scenario.Enterprise.GetJsonAsync(RedemptionUrl(redemptionId));
        Assert.Equal("Objected", objected.GetProperty("status").GetString());
        var listed = SiteClient.Json((await Scenario.Enterprise.GetAsync("api/publicity")).Body).EnumerateArray().Single(e => e.GetProperty("redemptionId").GetString() == redemptionId);
        Assert.True(listed.GetProperty("objected").GetBoolean(), listed.ToString());
        run.Step("objection filed; redemption Objected");
    });

    [Fact]
    [SettlementStep(4)]
    public Task Binding_batch_review_and_publicity_pages_have_no_serious_or_critical_axe_violations() => run.RunAsync(nameof(Binding_batch_review_and_publicity_pages_have_no_serious_or_critical_axe_violations), () =>
    {
        var expected = new[]
        {
            "binding page", "binding page (reason required error)", "batch review page", "batch review page (row error)",
            "publicity page", "publicity page (objection error)",
        };
        foreach (var scan in site.AxeScans)
        {
            output.WriteLine($"axe {scan.Name} ({scan.Path}): {scan.Violations} violation(s), {scan.Blocking.Count} serious/critical; to review manually: [{string.Join(", ", scan.Incomplete)}]");
            foreach (var line in scan.Blocking.Concat(scan.Other))
            {
                output.WriteLine("  " + line);
            }
        }

        var missing = expected.Except(site.AxeScans.Select(s => s.Name)).ToList();
        Assert.True(missing.Count == 0, $"not scanned (the step that reaches the page failed): {string.Join(", ", missing)}");
        var findings = new StringBuilder();
        foreach (var scan in site.AxeScans.Where(s => s.Blocking.Count > 0))
        {
            findings.AppendLine($"{scan.Name} ({scan.Path}):");
            foreach (var line in scan.Blocking)
            {
                findings.AppendLine("  " + line);
            }
        }

        Assert.True(findings.Length == 0, "Serious or critical axe violations:" + Environment.NewLine + findings);
        return Task.CompletedTask;
    });

    private static string RedemptionUrl(string redemptionId) => $"/api/redemptions/{redemptionId}";

    /// <summary>The page at 390 px: saved as a screenshot, and nothing wider than the phone (tables stack into cards).</summary>
    private async Task AssertFitsPhoneAsync(string url, string screenshot)
    {
        var phone = await run.NewPageAsync(new BrowserNewContextOptions
        {
            ViewportSize = new ViewportSize { Width = 390, Height = 844 }, DeviceScaleFactor = 2, IsMobile = true, HasTouch = true,
        });
        await phone.GotoAsync(url);
        var overflow = await phone.EvaluateAsync<int>("() => document.documentElement.scrollWidth - window.innerWidth");
        output.WriteLine($"{screenshot}: {await Screenshots.SaveAsync(phone, screenshot)}");
        Assert.True(overflow <= 1, $"{url} is {overflow}px wider than a 390px phone");
        await run.ClosePageAsync(phone);
    }

    /// <summary>2026-12-01 as the notice writes it in a sentence: 2026年12月1日.</summary>
    private static string InSentence(string iso) => DateOnly.ParseExact(iso, "yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture).ToString("yyyy年M月d日", System.Globalization.CultureInfo.InvariantCulture);

    /// <summary>A new Taiyuan enterprise (registered, applied, approved through the review link) and its voucher id.</summary>
    private async Task<(SiteClient Enterprise, string VoucherId)> NewEnterpriseWithVoucherAsync()
    {
        var (uscc, applicationId, enterprise) = await Arrange.ApplicationAsync(
            site, SettlementScenario.EnterpriseName, SettlementScenario.ContactName, SettlementScenario.ContactPhone, "2026140100A00417");
        Scenario.Enterprise = enterprise;
        Scenario.Uscc = uscc;
        Scenario.Bureau = await site.SignInAsync("city-bureau", "taiyuan", "太原市科技局审核员");
        Scenario.VoucherId = await Arrange.VoucherAsync(Scenario.Bureau, enterprise, applicationId);
        return (enterprise, Scenario.VoucherId);
    }

    /// <summary>Opens /dev/mailbox (reloading until delivered) and returns the href of the named link of one notification.</summary>
    private static async Task<string> MailboxLinkAsync(IPage page, string notificationId, string recipient, string linkName)
    {
        var message = page.Locator($"article[data-notification=\"{notificationId}\"]");
        await Eventually.UntilAsync(
            async () =>
            {
                await page.GotoAsync("/dev/mailbox");
                return await message.CountAsync() == 1;
            },
            FlowTimeout,
            $"notification {notificationId} reaches /dev/mailbox");
        await Expect(message).ToHaveAttributeAsync("data-recipient", recipient);
        var link = message.GetByRole(AriaRole.Link, new() { Name = linkName });
        return await link.GetAttributeAsync("href") ?? throw new InvalidOperationException($"{notificationId}: link without href");
    }

    private async Task ScanAsync(IPage page, string name)
    {
        var watch = Stopwatch.StartNew();
        var result = await page.RunAxe();
        var path = new Uri(page.Url).AbsolutePath;
        var scan = SettlementAxeScan.From(name, path.Length > 40 ? path[..40] + "…" : path, result);
        lock (site.AxeScans)
        {
            site.AxeScans.RemoveAll(s => s.Name == name);
            site.AxeScans.Add(scan);
        }

        run.Step($"axe {name}: {scan.Violations} violation(s), {scan.Blocking.Count} serious/critical ({watch.Elapsed.TotalSeconds:0.0} s)");
    }
}
