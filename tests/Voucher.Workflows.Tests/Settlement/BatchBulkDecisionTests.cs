using System.Net;
using System.Text.RegularExpressions;
using Voucher.Workflows.Web;

namespace Voucher.Workflows.Tests.Settlement;

/// <summary>
/// The bureau's bulk decisions and the filtered review over real Azurite (the batch and its rows written directly, no
/// engine): a filtered bulk approve decides exactly the filtered undecided rows, in steps, records the flags seen and
/// audits each row; the same operation again changes nothing; a row changed between the read and the write is reported,
/// not overwritten; the page's filtered totals and paging equal counts from the records, and a save made through
/// another host instance shows at once (the cache is keyed by the batch's ETag); the page's confirm-then-save flow.
/// </summary>
public sealed partial class BatchBulkDecisionTests(SettlementHostFixture fixture) : SettlementHostTests(fixture)
{
    const string City = "jinzhong";

    async Task<(BatchEntity Batch, List<BatchItemEntity> Items)> SeedAsync(string period, int count)
    {
        var store = Get<VoucherStore>();
        var settlements = Get<SettlementStore>();
        var batch = A.Batch(City, period).InStage(BatchStage.Reviewing).WithItems(count).Build();
        await store.UpsertAsync(VoucherStore.Batches, batch);
        batch = (await settlements.GetBatchAsync(batch.BatchId))!;
        var items = Enumerable.Range(0, count).Select(i => A.BatchItem(batch.BatchId, $"V-BULK{period}-{i:D4}-R1")
            .Of($"91140700MA0B{i:D4}X", i % 3 == 0 ? "inst-a" : "inst-b", i % 5 == 0 ? "consulting" : "testing")
            .With(r =>
            {
                r.EnterpriseName = i % 2 == 0 ? $"晋中{i}科技有限公司" : $"太谷{i}材料有限公司";
                r.InstitutionName = i % 3 == 0 ? "晋中甲检测中心" : "晋中乙研究院";
                r.PayoutFen = 1_000_000 + (i * 10_000);
                r.AmountPaidFen = r.PayoutFen + 500_000;
                r.RiskFlags = i % 4 == 0 ? "shared-evidence" : "";
                r.RiskReasons = i % 4 == 0 ? """[{"rule":"shared-evidence","reason":"付款凭证与其他兑付申请相同"}]""" : null;
                if (i % 7 == 0)
                {
                    r.Decide(RowVerdict.Reject, "发票不符", Addresses.CityBureau(City));
                }
                else if (i % 11 == 0)
                {
                    r.Decide(RowVerdict.Approve, null, Addresses.CityBureau(City));
                }
            }).Build()).ToList();
        await settlements.UpsertManyAsync(VoucherStore.BatchItems, items, CancellationToken.None);
        return (batch, await settlements.ItemsAsync(batch.BatchId));
    }

    [Fact]
    public async Task FilteredBulkApprove_DecidesExactlyTheFilteredUndecidedRows_InSteps_RecordsFlagsSeen_AndTheSameOperationAgainChangesNothing()
    {
        var (batch, before) = await SeedAsync("2021M01", 300);
        var bulk = Get<BatchReviewDecisions>();
        var actor = Addresses.CityBureau(City);
        var filter = BatchReviewFilter.None with { Institution = "inst-a", Risk = "any" };

        // Counted from the records, not through the filter code.
        var inSet = before.Where(i => i.InstitutionId == "inst-a" && i.RiskFlags.Length > 0).ToList();
        var toDecide = inSet.Where(i => i.Decision == "").Select(i => i.RowKey).ToHashSet();
        Assert.True(toDecide.Count > 10 && inSet.Count > toDecide.Count);

        // A confirmation that named other figures: nothing decided.
        var stale = await bulk.DecideAsync(batch, new BulkDecision("op-stale", "approve", null, null, filter, inSet.Count + 1, null), actor, default);
        Assert.IsType<Failure.Conflict>(stale.Failure);
        Assert.Equal(before.Select(i => i.ETag), (await Get<SettlementStore>().ItemsAsync(batch.BatchId)).Select(i => i.ETag));

        var command = new BulkDecision("op-filtered-1", "approve", null, null, filter, inSet.Count, inSet.Sum(i => i.PayoutFen), Limit: 7);
        var decided = 0;
        var steps = 0;
        string? after = null;
        do
        {
            var step = (await bulk.DecideAsync(batch, command with { After = after }, actor, default)).Value;
            Assert.False(step.Replayed);
            Assert.Empty(step.Changed);
            decided += step.Decided;
            after = step.Next;
            steps++;
        }
        while (after is not null);

        Assert.Equal(toDecide.Count, decided);
        Assert.Equal((inSet.Count + 6) / 7, steps);
        var saved = (await Get<SettlementStore>().ItemsAsync(batch.BatchId)).ToDictionary(i => i.RowKey);
        foreach (var old in before)
        {
            var now = saved[old.RowKey];
            if (toDecide.Contains(old.RowKey))
            {
                Assert.Equal(("approve", actor, "shared-evidence"), (now.Decision, now.DecidedBy, now.FlagsSeen));
            }
            else
            {
                Assert.Equal(old.ETag, now.ETag);
            }
        }

        var one = toDecide.First();
        var trail = await Get<AuditLog>().ReadRedemptionAsync(one, batch.BatchId);
        var entry = Assert.Single(trail, a => a.ToState == "approve");
        Assert.Contains("批量通过（操作 op-filtered-1）；所见风险提示：材料重复使用", entry.Detail, StringComparison.Ordinal);

        // The operation again (a retried post, from its first step): answered as done, nothing written, no second audit entry.
        var again = (await bulk.DecideAsync(batch, command, actor, default)).Value;
        Assert.True(again.Replayed);
        Assert.Equal(0, again.Decided);
        Assert.Equal(saved.Values.Select(i => i.ETag), (await Get<SettlementStore>().ItemsAsync(batch.BatchId)).Select(i => i.ETag));
        Assert.Single(await Get<AuditLog>().ReadRedemptionAsync(one, batch.BatchId), a => a.ToState == "approve");
    }

    /// <summary>
    /// The set is read a page of 1,000 rows at a time (a 100,000-row batch is never held at once): over 2,300 rows, in
    /// slices of 900 that end inside a page, every undecided row is approved once, the others are left and reported, and
    /// the figures are those of the whole set.
    /// </summary>
    [Fact]
    public async Task ABulkApproveOverSeveralPagesOfRows_InSlicesThatEndInsideAPage_DecidesEachUndecidedRowOnce()
    {
        var (batch, before) = await SeedAsync("2021M06", 2_300);
        var bulk = Get<BatchReviewDecisions>();
        var actor = Addresses.CityBureau(City);
        var command = new BulkDecision("op-pages-1", "approve", null, null, BatchReviewFilter.None, before.Count, before.Sum(i => i.PayoutFen), Limit: 900);
        var steps = new List<BulkDecided>();
        string? after = null;
        do
        {
            var step = (await bulk.DecideAsync(batch, command with { After = after }, actor, default)).Value;
            steps.Add(step);
            after = step.Next;
        }
        while (after is not null);

        Assert.Equal([900, 900, 500], steps.Select(s => s.Processed));
        Assert.All(steps, s => Assert.Equal((2_300, before.Sum(i => i.PayoutFen)), (s.Matched, s.MatchedPayoutFen)));
        Assert.Equal(before.Count(i => i.Decision == ""), steps.Sum(s => s.Decided));
        Assert.Equal(before.Count(i => i.Decision == "approve"), steps.Sum(s => s.AlreadyDone));
        Assert.Equal(before.Where(i => i.Decision == "reject").Select(i => i.RowKey).Order(), steps.SelectMany(s => s.DecidedOtherwise).Order());
        var saved = await Get<SettlementStore>().ItemsAsync(batch.BatchId);
        Assert.Equal(before.Select(i => (i.RowKey, i.Decision == "reject" ? "reject" : "approve")), saved.Select(i => (i.RowKey, i.Decision)));
        var row = before.First(i => i.Decision == "");
        Assert.Single(await Get<AuditLog>().ReadRedemptionAsync(row.RowKey, batch.BatchId), a => a.ToState == "approve");
    }

    /// <summary>
    /// A decided row's entry shows in its redemption's status view, written in the batch's partition: each decided
    /// redemption's row is touched first (so a poll's tag from before the decision no longer answers 304), the others not.
    /// </summary>
    [Fact]
    public async Task ABulkDecision_TouchesTheRowsOfTheRedemptionsItDecides_AndNoOthers()
    {
        var store = Get<VoucherStore>();
        var settlements = Get<SettlementStore>();
        var batch = A.Batch(City, "2021M03").InStage(BatchStage.Reviewing).WithItems(3).Build();
        await store.UpsertAsync(VoucherStore.Batches, batch);
        batch = (await settlements.GetBatchAsync(batch.BatchId))!;
        var rows = Enumerable.Range(1, 3).Select(n =>
        {
            var uscc = TestUscc.New(City);
            return A.Redemption(uscc, $"V-{uscc}-2021-01", City).With(r => r.MoveTo(RedemptionStatus.AwaitingEvidence)).Build();
        }).ToList();
        foreach (var r in rows)
        {
            await store.UpsertAsync(VoucherStore.Redemptions, r);
        }

        await settlements.UpsertManyAsync(VoucherStore.BatchItems, rows.Select(r => A.BatchItem(batch.BatchId, r.RedemptionId).Build()).ToList(), CancellationToken.None);
        var redemptions = Get<RedemptionStore>();
        var before = await Task.WhenAll(rows.Select(r => redemptions.GetRequiredAsync(r.RedemptionId)));
        var clock = new Microsoft.Extensions.Time.Testing.FakeTimeProvider(new DateTimeOffset(2021, 4, 6, 2, 0, 0, TimeSpan.Zero));
        var bulk = ActivatorUtilities.CreateInstance<BatchReviewDecisions>(Fixture.Services, (TimeProvider)clock);

        var outcome = (await bulk.DecideAsync(batch, new BulkDecision("op-touch", "approve", null, [rows[0].RedemptionId, rows[2].RedemptionId], null, 2, null), Addresses.CityBureau(City), default)).Value;

        Assert.Equal(2, outcome.Decided);
        var after = await Task.WhenAll(rows.Select(r => redemptions.GetRequiredAsync(r.RedemptionId)));
        foreach (var i in new[] { 0, 2 })
        {
            Assert.NotEqual(before[i].ETag, after[i].ETag);
            Assert.Equal(RedemptionViewKey.Touched(null, clock.GetUtcNow()), after[i].ViewKey);
        }

        Assert.Equal((before[1].ETag, before[1].ViewKey), (after[1].ETag, after[1].ViewKey));
    }

    [Fact]
    public async Task ARowChangedBetweenTheReadAndTheWrite_IsReportedNotOverwritten_TheOthersAreDecided()
    {
        var (batch, before) = await SeedAsync("2021M02", 40);
        var undecided = before.Where(i => i.Decision == "").Select(i => i.RowKey).Take(20).ToList();
        var changedMeanwhile = undecided[5];
        var clock = new OpinionArrives(Get<VoucherStore>(), batch.BatchId, changedMeanwhile);
        var bulk = ActivatorUtilities.CreateInstance<BatchReviewDecisions>(Fixture.Services, (TimeProvider)clock);

        var outcome = (await bulk.DecideAsync(batch, new BulkDecision("op-concurrent", "reject", "合同金额与发票不符", undecided, null, 20, null), Addresses.CityBureau(City), default)).Value;

        Assert.Equal([changedMeanwhile], outcome.Changed);
        Assert.Equal(19, outcome.Decided);
        var saved = (await Get<SettlementStore>().ItemsAsync(batch.BatchId)).ToDictionary(i => i.RowKey);
        Assert.Equal(("", "opinion arrived", null), (saved[changedMeanwhile].Decision, saved[changedMeanwhile].ExpertOpinion, saved[changedMeanwhile].FlagsSeen));
        Assert.All(undecided.Where(id => id != changedMeanwhile), id => Assert.Equal(("reject", "合同金额与发票不符"), (saved[id].Decision, saved[id].Reason)));
    }

    [Fact]
    public async Task PageTotalsAndPagingEqualCountsFromTheRecords_AndASaveThroughAnotherInstanceShowsAtOnce()
    {
        var (batch, before) = await SeedAsync("2021M03", 120);
        var token = Get<BatchLinks>().ReviewToken(batch);

        // Two host instances: each its own cache of the rows.
        var instanceA = ActivatorUtilities.CreateInstance<BatchReviewPages>(Fixture.Services, new BatchReviewCache(Get<SettlementStore>(), TimeProvider.System));
        async Task<string> PageAsync(string query)
        {
            var request = Seed.Request(null, null, ("token", token));
            request.Request.QueryString = new QueryString(query);
            return WebUtility.HtmlDecode(await PageHtml.RenderAsync(await instanceA.ShowAsync(request), Fixture.Services));
        }

        var expected = before.Where(i => i.InstitutionId == "inst-b" && i.Decision == "" && i.PayoutFen >= 1_500_000).OrderBy(i => i.RowKey, StringComparer.Ordinal).ToList();
        var html = await PageAsync("?inst=inst-b&state=undecided&min=15000&size=20&page=2");
        Assert.Contains($"筛选结果：<strong>{expected.Count}</strong> 笔，核定兑付合计 <strong>{Glossary.Money(expected.Sum(i => i.PayoutFen))}</strong>", html, StringComparison.Ordinal);
        Assert.Equal(expected.Skip(20).Take(20).Select(i => i.RowKey), RowIds().Matches(html).Select(m => m.Groups[1].Value));
        Assert.Contains($"共 <strong>{expected.Count}</strong>", html, StringComparison.Ordinal);

        var bad = await PageAsync("?min=abc&max=5");
        Assert.Contains("最低金额须为不小于 0 的金额", bad, StringComparison.Ordinal);
        Assert.Contains("value=\"abc\"", bad, StringComparison.Ordinal);

        // A save through the other instance (the fixture's services): instance A shows it on its next page.
        var first = expected[0].RowKey;
        Assert.Empty(SettlementSeed.FieldErrors(await Get<SettlementService>().SaveDecisionsAsync(batch, [new RowDecision(first, "approve", null, null, null)], Addresses.CityBureau(City), default)));
        var after = await PageAsync("?inst=inst-b&state=undecided&min=15000");
        Assert.Contains($"筛选结果：<strong>{expected.Count - 1}</strong> 笔", after, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AnExpertsOpinion_ShowsInAnotherInstancesCachedRowsAtOnce()
    {
        var (batch, before) = await SeedAsync("2021M05", 10);
        var settlements = Get<SettlementStore>();
        var rowId = before[0].RowKey;
        var asked = (await settlements.GetItemAsync(batch.BatchId, rowId))!;
        asked.AskExpert("expert-cache", DateTimeOffset.UtcNow);
        Assert.True(await settlements.ReplaceItemAsync(asked, default));

        // Another instance has the rows cached (10 minutes at most) …
        var cache = new BatchReviewCache(settlements, TimeProvider.System);
        Assert.Null((await cache.ItemsAsync((await settlements.GetBatchAsync(batch.BatchId))!, default)).Single(i => i.RowKey == rowId).ExpertOpinion);

        // … and the opinion, recorded through this one, is in its next read: the opinion touched the batch row.
        var item = (await settlements.GetItemAsync(batch.BatchId, rowId))!;
        Assert.True((await Get<SettlementService>().RecordOpinionAsync(item, "报告数据与合同约定一致", default)).Succeeded);
        var rows = await cache.ItemsAsync((await settlements.GetBatchAsync(batch.BatchId))!, default);
        Assert.Equal("报告数据与合同约定一致", rows.Single(i => i.RowKey == rowId).ExpertOpinion);
    }

    [Fact]
    public async Task ThePage_ConfirmsCountAndTotal_ThenSavesAndShowsTheResult_AndASecondPostOfTheSameConfirmationDoesNothing()
    {
        var (batch, before) = await SeedAsync("2021M04", 60);
        var token = Get<BatchLinks>().ReviewToken(batch);
        var pages = Get<BatchReviewPages>();
        var set = before.Where(i => i.ServiceCategory == "consulting").ToList();
        var undecided = set.Count(i => i.Decision == "");

        var ask = Seed.FormRequest(new Dictionary<string, string> { ["action"] = "approve-filtered" }, ("token", token));
        ask.Request.QueryString = new QueryString("?cat=consulting");
        var confirm = WebUtility.HtmlDecode(await PageHtml.RenderAsync(await pages.PostAsync(ask), Fixture.Services));
        Assert.Contains($"确认批量通过 {set.Count} 笔兑付申请？", confirm, StringComparison.Ordinal);
        Assert.Contains(Glossary.Money(set.Sum(i => i.PayoutFen)), confirm, StringComparison.Ordinal);
        Assert.Contains($"action=\"/batches/{token}/bulk?cat=consulting\"", confirm, StringComparison.Ordinal);
        Assert.All(set, i => Assert.Equal(before.Single(b => b.RowKey == i.RowKey).ETag, Get<SettlementStore>().GetItemAsync(batch.BatchId, i.RowKey).Result!.ETag));

        var fields = Hidden().Matches(confirm).ToDictionary(m => m.Groups[1].Value, m => m.Groups[2].Value);
        RequestContext Confirmed()
        {
            var post = Seed.FormRequest(fields, ("token", token));
            post.Request.QueryString = new QueryString("?cat=consulting");
            return post;
        }

        var result = WebUtility.HtmlDecode(await PageHtml.RenderAsync(await pages.BulkAsync(Confirmed()), Fixture.Services));
        Assert.Contains($"本次通过 <strong>{undecided}</strong> 笔", result, StringComparison.Ordinal);
        var saved = await Get<SettlementStore>().ItemsAsync(batch.BatchId);
        Assert.All(saved.Where(i => i.ServiceCategory == "consulting"), i => Assert.NotEqual("", i.Decision));
        Assert.All(saved.Where(i => i.ServiceCategory != "consulting"), i => Assert.Equal(before.Single(b => b.RowKey == i.RowKey).ETag, i.ETag));

        var twice = WebUtility.HtmlDecode(await PageHtml.RenderAsync(await pages.BulkAsync(Confirmed()), Fixture.Services));
        Assert.Contains("这项批量决定此前已经保存，本次没有重复执行", twice, StringComparison.Ordinal);

        // Rejecting a selection without a reason is refused by the field, nothing changed.
        var noReason = Seed.FormRequest(new Dictionary<string, string> { ["action"] = "reject-selected", ["sel"] = set[0].RowKey }, ("token", token));
        var refused = await pages.PostAsync(noReason);
        Assert.Equal(400, SettlementSeed.StatusOf(refused));
        Assert.Contains("驳回须填写理由", WebUtility.HtmlDecode(await PageHtml.RenderAsync(refused, Fixture.Services)), StringComparison.Ordinal);
    }

    [Fact]
    public async Task TheRowDetail_ShowsItsFlagReasons_AndFramesItsPdf_WhichOnlyThisSiteMayFrame()
    {
        var (batch, before) = await SeedAsync("2021M05", 8);
        var item = before.First(i => i.RiskFlags.Length > 0);
        using (var pdf = new MemoryStream(TestFiles.Pdf("report")))
        {
            Assert.Null((await Get<Voucher.Workflows.Evidence.EvidenceStore>().UploadAsync(item.RowKey, EvidenceKind.Report, pdf, pdf.Length, "report.pdf", "enterprise:test", default)).Error);
        }

        var token = Get<BatchLinks>().ReviewToken(batch);
        var html = WebUtility.HtmlDecode(await PageHtml.RenderAsync(await Get<BatchReviewPages>().ItemAsync(Seed.Request(null, null, ("token", token), ("redemptionId", item.RowKey))), Fixture.Services));
        Assert.Contains("材料重复使用</strong> 付款凭证与其他兑付申请相同", html, StringComparison.Ordinal);
        Assert.Contains($"<iframe src=\"/batches/{token}/evidence/{item.RowKey}/report\"", html, StringComparison.Ordinal);
        Assert.Equal(2, Regex.Matches(html, "未上传。").Count);

        var request = Seed.Request(null, null, ("token", token), ("redemptionId", item.RowKey), ("kind", "report"));
        var file = await Get<BatchReviewPages>().EvidenceAsync(request);
        Assert.IsNotType<Microsoft.AspNetCore.Http.HttpResults.ContentHttpResult>(file);
        Assert.Equal(("SAMEORIGIN", "frame-ancestors 'self'"), (request.Http.Response.Headers.XFrameOptions.ToString(), request.Http.Response.Headers.ContentSecurityPolicy.ToString()));
    }

    [GeneratedRegex("<span class=\"muted id\">([^<]+)</span>")]
    private static partial Regex RowIds();

    [GeneratedRegex("<input type=\"hidden\" name=\"([^\"]+)\" value=\"([^\"]*)\" ?/?>")]
    private static partial Regex Hidden();

    sealed class OpinionArrives(VoucherStore store, string batchId, string redemptionId) : TimeProvider
    {
        int calls;

        public override DateTimeOffset GetUtcNow()
        {
            if (calls++ == 0)
            {
                var item = store.GetAsync<BatchItemEntity>(VoucherStore.BatchItems, batchId, redemptionId).GetAwaiter().GetResult()!;
                item.ExpertOpinion = "opinion arrived";
                store.UpsertAsync(VoucherStore.BatchItems, item).GetAwaiter().GetResult();
            }

            return base.GetUtcNow();
        }
    }
}
