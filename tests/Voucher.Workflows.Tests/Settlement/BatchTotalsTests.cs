using System.Net;
using System.Text.RegularExpressions;
using Voucher.Workflows.Tests.Support;
using Voucher.Workflows.Web;
using Voucher.Workflows.Web.Lists;

namespace Voucher.Workflows.Tests.Settlement;

/// <summary>
/// The review's totals kept on the batch row over real Azurite: after the first page counts them, decision saves, a
/// bulk decision in steps, its retry and a save that died half way, the row's totals equal counts from the records; the
/// cold unfiltered first page of a large batch reads the batch row and one page of rows, not every row.
/// </summary>
public sealed partial class BatchTotalsTests(SettlementHostFixture fixture) : SettlementHostTests(fixture)
{
    const string City = "yuncheng";

    static List<BatchItemEntity> Items(string batchId, string period, int count) =>
        [.. Enumerable.Range(0, count).Select(i => A.BatchItem(batchId, $"V-TOTL{period}-{i:D4}-R1")
            .Of($"91140800MA0C{i:D4}X", i % 3 == 0 ? "inst-a" : "inst-b", i % 5 == 0 ? "consulting" : "testing")
            .With(r =>
            {
                r.EnterpriseName = $"运城{i}科技有限公司";
                r.InstitutionName = i % 3 == 0 ? "运城甲检测中心" : "运城乙研究院";
                r.PayoutFen = 1_000_000 + (i * 10_000);
                r.AmountPaidFen = r.PayoutFen + 300_000;
                r.RiskFlags = i % 4 == 0 ? "shared-evidence" : "";
                if (i % 7 == 0)
                {
                    r.Decide(RowVerdict.Reject, "发票不符", Addresses.CityBureau(City));
                }
            }).Build())];

    static async Task<BatchEntity> SeedAsync(VoucherStore store, string period, int count)
    {
        var settlements = new SettlementStore(store);
        var batch = A.Batch(City, period).InStage(BatchStage.Reviewing).WithItems(count).Build();
        await store.UpsertAsync(VoucherStore.Batches, batch);
        await settlements.UpsertManyAsync(VoucherStore.BatchItems, Items(batch.BatchId, period, count), CancellationToken.None);
        return (await settlements.GetBatchAsync(batch.BatchId))!;
    }

    /// <summary>The kept totals equal counts made here from the records (not through <see cref="BatchReviewTotals.Of"/>).</summary>
    static async Task AssertEqualsRecordsAsync(SettlementStore settlements, string batchId)
    {
        var batch = (await settlements.GetBatchAsync(batchId))!;
        var items = await settlements.ItemsAsync(batchId);
        Assert.True(batch.TotalsKept);
        Assert.Null(batch.TotalsPending);
        Assert.Equal(
            (items.Count, items.Sum(i => i.PayoutFen), items.Sum(i => i.AmountPaidFen), items.Count(i => i.Decision == "approve"), items.Count(i => i.Decision == "reject"), items.Count(i => i.RiskFlags != "")),
            (batch.TotalCount, batch.TotalPayoutFen, batch.TotalPaidFen, batch.TotalApproved, batch.TotalRejected, batch.TotalFlagged));
    }

    async Task<string> FirstPageAsync(BatchReviewPages pages, BatchEntity batch, string query = "")
    {
        var request = Seed.Request(null, null, ("token", Get<BatchLinks>().ReviewToken(batch)));
        request.Request.QueryString = new QueryString(query);
        return WebUtility.HtmlDecode(await PageHtml.RenderAsync(await pages.ShowAsync(request), Fixture.Services));
    }

    [Fact]
    public async Task KeptTotals_EqualCountsFromTheRecords_AfterSavesBulkDecisionsARetryAndASaveThatDied()
    {
        var store = Get<VoucherStore>();
        var settlements = Get<SettlementStore>();
        var batch = await SeedAsync(store, "2020M01", 150);
        var actor = Addresses.CityBureau(City);
        Assert.False(batch.TotalsKept);

        // A batch formed before the totals were kept: its first page counts them from the rows.
        var clock = new MovableClock(DateTimeOffset.UtcNow);
        var pages = ActivatorUtilities.CreateInstance<BatchReviewPages>(Fixture.Services, new BatchReviewCache(settlements, clock), (TimeProvider)clock);
        await FirstPageAsync(pages, batch);
        await AssertEqualsRecordsAsync(settlements, batch.BatchId);

        // Row saves: approvals, a rejection turned into an approval, an approval taken back.
        var items = await settlements.ItemsAsync(batch.BatchId);
        var rejected = items.First(i => i.Decision == "reject").RowKey;
        var undecided = items.Where(i => i.Decision == "").Select(i => i.RowKey).Take(4).ToList();
        batch = (await settlements.GetBatchAsync(batch.BatchId))!;
        Assert.Empty(SettlementSeed.FieldErrors(await Get<SettlementService>().SaveDecisionsAsync(batch,
            [new RowDecision(undecided[0], "approve", null, null, null), new RowDecision(undecided[1], "approve", null, null, null), new RowDecision(undecided[2], "reject", "合同不符", null, null), new RowDecision(rejected, "approve", null, null, null)], actor, default)));
        await AssertEqualsRecordsAsync(settlements, batch.BatchId);
        Assert.Empty(SettlementSeed.FieldErrors(await Get<SettlementService>().SaveDecisionsAsync(batch, [new RowDecision(undecided[0], "", null, null, null)], actor, default)));
        await AssertEqualsRecordsAsync(settlements, batch.BatchId);

        // A bulk approve of a filter, in steps, then the same operation again (a retried post): counted once.
        var bulk = Get<BatchReviewDecisions>();
        var command = new BulkDecision("op-totals-1", "approve", null, null, BatchReviewFilter.None with { Institution = "inst-a" }, null, null, Limit: 13);
        string? after = null;
        do
        {
            after = (await bulk.DecideAsync(batch, command with { After = after }, actor, default)).Value.Next;
        }
        while (after is not null);

        await AssertEqualsRecordsAsync(settlements, batch.BatchId);
        Assert.True((await bulk.DecideAsync(batch, command, actor, default)).Value.Replayed);
        await AssertEqualsRecordsAsync(settlements, batch.BatchId);

        // A save that died between writing its rows and adding its change: the totals are not trusted while it is named …
        var dead = await settlements.BeginTotalsChangeAsync(batch.BatchId, clock.GetUtcNow(), default);
        var row = (await settlements.GetItemAsync(batch.BatchId, undecided[3]))!;
        row.Decide(RowVerdict.Reject, "发票重复", actor);
        Assert.True(await settlements.ReplaceItemAsync(row, default));
        var named = (await settlements.GetBatchAsync(batch.BatchId))!;
        Assert.Null(KeptTotals.Kept(named));
        Assert.Contains($"驳回 {(await settlements.ItemsAsync(batch.BatchId)).Count(i => i.Decision == "reject")} 笔", await FirstPageAsync(pages, named), StringComparison.Ordinal);
        Assert.NotNull((await settlements.GetBatchAsync(batch.BatchId))!.TotalsPending);

        // … and once it is taken for dead, the next page counts them from the rows again; its late end adds nothing.
        clock.Advance(KeptTotals.StaleAfter + TimeSpan.FromMinutes(1));
        await FirstPageAsync(pages, (await settlements.GetBatchAsync(batch.BatchId))!);
        await AssertEqualsRecordsAsync(settlements, batch.BatchId);
        await settlements.EndTotalsChangeAsync(batch.BatchId, dead, (0, 1), clock.GetUtcNow(), default);
        await AssertEqualsRecordsAsync(settlements, batch.BatchId);

        // The first page shows the kept totals, which are the records'.
        var records = await settlements.ItemsAsync(batch.BatchId);
        var html = await FirstPageAsync(pages, (await settlements.GetBatchAsync(batch.BatchId))!);
        Assert.Contains($"共 <strong>{records.Count}</strong> 笔，核定兑付合计 <strong>{Glossary.Money(records.Sum(i => i.PayoutFen))}</strong>", html, StringComparison.Ordinal);
        Assert.Contains($"通过 {records.Count(i => i.Decision == "approve")} 笔，驳回 {records.Count(i => i.Decision == "reject")} 笔", html, StringComparison.Ordinal);
    }

    /// <summary>
    /// A batch larger than 50,000 items (the benchmark settles 100,000): every item is read, so the formation dequeues
    /// every frozen row, the review's totals and the "every row decided" check count them all, and the publicity tells
    /// every enterprise. The read used to stop at 50,000.
    /// </summary>
    [Fact]
    public async Task Items_OfABatchOfMoreThanFiftyThousand_AreReadEveryOne()
    {
        const int count = 50_001;
        var store = Get<VoucherStore>();
        var settlements = Get<SettlementStore>();
        var batch = await SeedAsync(store, "2020M11", count);

        var items = await settlements.ItemsAsync(batch.BatchId);

        Assert.Equal(count, items.Count);
        Assert.Equal(count, items.Select(i => i.RowKey).Distinct(StringComparer.Ordinal).Count());
    }

    [Fact]
    public async Task ColdUnfilteredFirstPage_ReadsTheBatchRowAndOnePage_NotEveryRow()
    {
        var (store, metrics) = await StoreFactory.NewCountedAsync(Fixture.Azurite);
        var settlements = new SettlementStore(store);
        var batch = await SeedAsync(store, "2020M02", 2500);

        // The review opens: the totals are counted once, as the activity that opens it does.
        KeptTotals.Count(batch, await settlements.ItemsAsync(batch.BatchId));
        await settlements.ReplaceBatchAsync(batch, default);
        batch = (await settlements.GetBatchAsync(batch.BatchId))!;
        var records = await settlements.ItemsAsync(batch.BatchId);

        // A host whose cache is empty (another instance, or after a save): the first page of the link.
        var pages = ActivatorUtilities.CreateInstance<BatchReviewPages>(Fixture.Services, settlements, new BatchReviewCache(settlements, TimeProvider.System));
        var html = "";
        var calls = await StoreFactory.TableCallsAsync(metrics, async () => html = await FirstPageAsync(pages, batch));

        // The batch row (the link's) and one query of 50 rows; reading the 2,500 rows takes three queries of 1,000 more.
        Assert.Equal(2, calls);
        Assert.Equal(records.OrderBy(i => i.RowKey, StringComparer.Ordinal).Take(ListQuery.DefaultPageSize).Select(i => i.RowKey), RowIds().Matches(html).Select(m => m.Groups[1].Value));
        Assert.Contains($"共 <strong>{records.Count}</strong> 笔，核定兑付合计 <strong>{Glossary.Money(records.Sum(i => i.PayoutFen))}</strong>", html, StringComparison.Ordinal);
        Assert.Contains("<option value=\"inst-a\"", html, StringComparison.Ordinal);

        // A filtered view on a cold cache still reads every row (what the first page did before the totals were kept):
        // the batch row and three queries of 1,000; its totals are the records'.
        var filtered = "";
        Assert.Equal(4, await StoreFactory.TableCallsAsync(metrics, async () => filtered = await FirstPageAsync(pages, batch, "?inst=inst-a")));
        var expected = records.Where(i => i.InstitutionId == "inst-a").ToList();
        Assert.Contains($"筛选结果：<strong>{expected.Count}</strong> 笔，核定兑付合计 <strong>{Glossary.Money(expected.Sum(i => i.PayoutFen))}</strong>", filtered, StringComparison.Ordinal);
    }

    [GeneratedRegex("<span class=\"muted id\">([^<]+)</span>")]
    private static partial Regex RowIds();

    sealed class MovableClock(DateTimeOffset start) : TimeProvider
    {
        DateTimeOffset now = start;

        public void Advance(TimeSpan by) => now += by;

        public override DateTimeOffset GetUtcNow() => now;
    }
}
