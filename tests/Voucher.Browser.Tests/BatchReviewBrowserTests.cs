using Voucher.Domain;
using Voucher.Testing.Builders;
using Voucher.Workflows.Links;
using Voucher.Workflows.Security;
using Voucher.Workflows.Settlement;
using Voucher.Workflows.Storage;

namespace Voucher.Browser.Tests;

/// <summary>
/// The bureau's review of a larger batch in a real browser (the batch and its 60 rows written into the tables, the link
/// signed with the site's key): filter by risk flag and decision state (totals of the filter shown), a wrong amount
/// refused by its field with what was typed kept, approve the whole filtered set after a confirmation naming count and
/// amount, the result, the approved filter, and a row's detail with its risk reasons. Desktop and 390 px screenshots.
/// </summary>
[Collection("browser")]
public sealed class BatchReviewBrowserTests(BrowserFixture browser, LocalSiteFixture site, ITestOutputHelper output)
    : IClassFixture<LocalSiteFixture>
{
    readonly BrowserRun run = new(browser, site, output);

    [Fact]
    public Task Bureau_filters_by_risk_flag_approves_the_filtered_set_after_confirming_count_and_amount() => run.RunAsync(nameof(Bureau_filters_by_risk_flag_approves_the_filtered_set_after_confirming_count_and_amount), async () =>
    {
        const string city = "yangquan";
        var batch = new BatchBuilder(city, "2019M05").InStage(BatchStage.Reviewing).WithItems(60).Build();
        await site.Store.UpsertAsync(VoucherStore.Batches, batch);
        var items = Enumerable.Range(0, 60).Select(i => new BatchItemBuilder(batch.BatchId, $"V-BR-{i:D3}-R1").Of($"91140300MA0BR{i:D3}X", i % 2 == 0 ? "inst-yq-a" : "inst-yq-b").With(r =>
        {
            r.EnterpriseName = $"阳泉{i:D2}号科技有限公司";
            r.InstitutionName = i % 2 == 0 ? "阳泉市检验检测中心" : "阳泉新材料研究院";
            r.ServiceTitle = "材料成分检测";
            r.AmountPaidFen = 3_000_000 + (i * 10_000);
            r.PayoutFen = 2_000_000 + (i * 10_000);
            r.BindingMode = "system";
            r.RiskFlags = i % 5 == 0 ? "shared-evidence" : "";
            r.RiskReasons = i % 5 == 0 ? $$"""[{"rule":"shared-evidence","reason":"付款凭证与兑付申请 V-BR-{{(i + 1) % 60:D3}}-R1 的文件相同"}]""" : null;
            r.RiskCheckedAt = DateTimeOffset.UtcNow;
        }).Build()).ToList();
        await new SettlementStore(site.Store).UpsertManyAsync(VoucherStore.BatchItems, items, CancellationToken.None);
        var flagged = items.Where(i => i.RiskFlags.Length > 0).ToList();
        var flaggedTotal = Cny.FromFen(flagged.Sum(i => i.PayoutFen)).ToString();
        var signer = new LinkSigner(new LinkKey(site.LinkKeyBytes), TimeProvider.System);
        var link = $"{site.BaseUrl}/batches/{signer.Sign(new LinkClaims(SettlementIds.InstanceId(batch.BatchId), BatchLinks.ReviewAction, $"city-bureau:{city}", 1, DateTimeOffset.UtcNow.AddDays(1).ToUnixTimeSeconds()))}";

        var page = await run.NewPageAsync();
        await page.GotoAsync(link);
        await Expect(page.Locator("p.batch-totals")).ToContainTextAsync("共 60 笔");
        await Expect(page.Locator("p.filtered-totals")).ToContainTextAsync("全部：60 笔");
        await Expect(page.Locator("tbody tr")).ToHaveCountAsync(50);
        await Expect(page.Locator("nav.pager")).ToContainTextAsync("共 60 条");
        run.Step("review open: 60 rows, 50 on the first page");

        // Filter: risk flag 材料重复使用, undecided; then a bad amount, refused by its field.
        await page.Locator("details.list-filters summary").ClickAsync();
        await page.Locator("#f-risk").SelectOptionAsync("shared-evidence");
        await page.Locator("#f-state").SelectOptionAsync("undecided");
        await page.Locator("#f-min").FillAsync("abc");
        await page.GetByRole(AriaRole.Button, new() { Name = "筛选", Exact = true }).ClickAsync();
        await Expect(page.Locator(".error-summary")).ToContainTextAsync("最低金额须为不小于 0 的金额");
        await Expect(page.Locator("#f-min")).ToHaveValueAsync("abc");
        await Expect(page.Locator("#f-min")).ToHaveAttributeAsync("aria-invalid", "true");
        output.WriteLine($"bad amount: {await Screenshots.SaveAsync(page, "batch-review-bad-amount")}");
        await page.Locator("#f-min").FillAsync("");
        await page.GetByRole(AriaRole.Button, new() { Name = "筛选", Exact = true }).ClickAsync();
        await Expect(page.Locator("p.filtered-totals")).ToContainTextAsync($"筛选结果：{flagged.Count} 笔，核定兑付合计 {flaggedTotal}");
        await Expect(page.Locator("tbody tr")).ToHaveCountAsync(flagged.Count);
        await Expect(page.Locator("tbody tr").First).ToContainTextAsync("付款凭证与兑付申请");
        output.WriteLine($"filtered by risk flag: {await Screenshots.SaveAsync(page, "batch-review-filtered")}");
        await run.ScanAsync(page, "batch review (filtered)");
        await page.SetViewportSizeAsync(390, 844);
        var overflow = await page.EvaluateAsync<int>("() => document.documentElement.scrollWidth - window.innerWidth");
        output.WriteLine($"filtered at 390 px: {await Screenshots.SaveAsync(page, "batch-review-filtered-phone")}");
        Assert.True(overflow <= 0, $"the batch review is {overflow}px wider than a 390px phone");
        await page.SetViewportSizeAsync(1280, 900);
        run.Step($"filtered: {flagged.Count} flagged rows, {flaggedTotal}");

        // Approve the whole filtered set: the confirmation names the count and the amount.
        await page.GetByRole(AriaRole.Button, new() { Name = $"通过全部筛选结果（{flagged.Count} 笔）" }).ClickAsync();
        var confirm = page.Locator("section.confirm");
        await Expect(confirm).ToContainTextAsync($"确认批量通过 {flagged.Count} 笔兑付申请？");
        await Expect(confirm).ToContainTextAsync(flaggedTotal);
        output.WriteLine($"bulk confirmation: {await Screenshots.SaveAsync(page, "batch-review-bulk-confirm")}");
        await confirm.GetByRole(AriaRole.Button, new() { Name = "确认批量通过" }).ClickAsync();
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "批量通过已保存" })).ToBeVisibleAsync();
        await Expect(page.GetByRole(AriaRole.Status)).ToContainTextAsync($"本次通过 {flagged.Count} 笔");
        output.WriteLine($"bulk result: {await Screenshots.SaveAsync(page, "batch-review-bulk-done")}");
        run.Step("filtered set approved");

        // Back to the list (the filter kept): nothing undecided is left in it; the approved filter holds them.
        await page.GetByRole(AriaRole.Link, new() { Name = "返回批次审核" }).ClickAsync();
        await Expect(page.Locator("p.filtered-totals")).ToContainTextAsync("筛选结果：0 笔");
        await page.GotoAsync($"{link}?risk=shared-evidence&state=approved");
        await Expect(page.Locator("p.filtered-totals")).ToContainTextAsync($"筛选结果：{flagged.Count} 笔，核定兑付合计 {flaggedTotal}；未决定 0 笔，通过 {flagged.Count} 笔");
        await Expect(page.Locator("p.batch-totals")).ToContainTextAsync($"已决定 {flagged.Count} / 60 笔");

        // A row's detail: its risk reason, the eligibility checks, the three files' places.
        await page.GetByRole(AriaRole.Link, new() { Name = $"查看详情 {flagged[0].EnterpriseName}" }).ClickAsync();
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = flagged[0].EnterpriseName })).ToBeVisibleAsync();
        await Expect(page.Locator("ul.risk-reasons")).ToContainTextAsync("材料重复使用");
        await Expect(page.Locator("ul.risk-reasons")).ToContainTextAsync("付款凭证与兑付申请 V-BR-001-R1 的文件相同");
        await Expect(page.Locator("figure.evidence-preview")).ToHaveCountAsync(3);
        output.WriteLine($"row detail: {await Screenshots.SaveAsync(page, "batch-review-item")}");
        await page.SetViewportSizeAsync(390, 844);
        output.WriteLine($"row detail at 390 px: {await Screenshots.SaveAsync(page, "batch-review-item-phone")}");
        await run.ScanAsync(page, "batch review row detail");
        run.AssertNoSeriousFindings();
    });
}
