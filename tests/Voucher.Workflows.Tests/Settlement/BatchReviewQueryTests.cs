using Voucher.Workflows.Web.Lists;

namespace Voucher.Workflows.Tests.Settlement;

/// <summary>
/// The batch review's rules without storage: the filter read from the query (amount range checked, by the field), which
/// rows each filter keeps, the order and the totals; which rows a bulk decision writes and which it leaves; the bulk
/// command's own checks.
/// </summary>
public sealed class BatchReviewQueryTests
{
    const string Batch = "taiyuan-2026M11";

    static ListQuery Query(string keyword = "", params (string Key, string Value)[] filters) =>
        new(keyword, "", "id", false, 1, 50, filters.ToDictionary(f => f.Key, f => f.Value));

    static BatchItemEntity Item(string id, string inst, long payoutFen, string flags = "", string category = "testing", RowVerdict verdict = RowVerdict.Undecided, string name = "企业") =>
        new BatchItemBuilder(Batch, id).Of($"91140100MA0L{id}", inst, category).With(i =>
        {
            i.EnterpriseName = name;
            i.InstitutionName = inst == "inst-a" ? "甲检测中心" : "乙研究院";
            i.PayoutFen = payoutFen;
            i.AmountPaidFen = payoutFen + 100;
            i.RiskFlags = flags;
        }).Decided(verdict, "city-bureau:taiyuan", verdict == RowVerdict.Reject ? "不符" : null).Build();

    static readonly BatchItemEntity[] Rows =
    [
        Item("R01", "inst-a", 500_000, "shared-evidence", name: "太原甲科技"),
        Item("R02", "inst-a", 6_500_000, "", verdict: RowVerdict.Approve, name: "太原乙科技"),
        Item("R03", "inst-b", 2_000_000, "related-party,recent-violation", "consulting", name: "太原丙材料"),
        Item("R04", "inst-b", 6_500_000, "", verdict: RowVerdict.Reject, name: "晋中丁科技"),
        Item("R05", "inst-a", 1_000_000, "related-party", name: "太原戊科技"),
    ];

    [Fact]
    public void Amounts_are_yuan_with_at_most_two_decimals_and_a_range_in_order_else_named_by_the_field()
    {
        Assert.Equal(["min"], BatchReviewFilter.From(Query("", ("min", "abc"))).Errors.Select(e => e.Field));
        Assert.Equal(["min"], BatchReviewFilter.From(Query("", ("min", "-5"))).Errors.Select(e => e.Field));
        Assert.Equal(["max"], BatchReviewFilter.From(Query("", ("max", "1.234"))).Errors.Select(e => e.Field));
        Assert.Equal(["max"], BatchReviewFilter.From(Query("", ("min", "200"), ("max", "100"))).Errors.Select(e => e.Field));
        Assert.Equal(["risk"], BatchReviewFilter.From(Query("", ("risk", "made-up"))).Errors.Select(e => e.Field));
        Assert.Equal(["state"], BatchReviewFilter.From(Query("", ("state", "maybe"))).Errors.Select(e => e.Field));
        Assert.Contains("最高金额不能小于最低金额", BatchReviewFilter.From(Query("", ("min", "200"), ("max", "100"))).Errors[0].Message, StringComparison.Ordinal);

        var (filter, errors) = BatchReviewFilter.From(Query("太原", ("min", "100.5"), ("max", "65000"), ("risk", "any"), ("state", "undecided"), ("inst", "inst-a"), ("cat", "testing")));
        Assert.Empty(errors);
        Assert.Equal(new BatchReviewFilter("inst-a", "太原", "testing", 10_050, 6_500_000, "any", ReviewState.Undecided), filter);
        Assert.True(BatchReviewFilter.From(Query()).Filter.IsEmpty);
    }

    [Theory]
    [InlineData("", new string[0], "R01,R02,R03,R04,R05")]
    [InlineData("", new[] { "inst", "inst-b" }, "R03,R04")]
    [InlineData("太原", new string[0], "R01,R02,R03,R05")]
    [InlineData("", new[] { "cat", "consulting" }, "R03")]
    [InlineData("", new[] { "min", "10000", "max", "20000" }, "R03,R05")]
    [InlineData("", new[] { "risk", "related-party" }, "R03,R05")]
    [InlineData("", new[] { "risk", "any" }, "R01,R03,R05")]
    [InlineData("", new[] { "risk", "none" }, "R02,R04")]
    [InlineData("", new[] { "state", "undecided" }, "R01,R03,R05")]
    [InlineData("", new[] { "state", "approved" }, "R02")]
    [InlineData("", new[] { "state", "rejected" }, "R04")]
    [InlineData("太原", new[] { "inst", "inst-a", "risk", "any", "state", "undecided" }, "R01,R05")]
    public void Each_filter_keeps_exactly_its_rows(string keyword, string[] pairs, string expected)
    {
        var filters = pairs.Chunk(2).Select(p => (p[0], p[1])).ToArray();
        var (filter, errors) = BatchReviewFilter.From(Query(keyword, filters));
        Assert.Empty(errors);

        var kept = BatchReview.Select(Rows, filter, "id", false);

        Assert.Equal(expected, string.Join(",", kept.Select(i => i.RedemptionId)));
    }

    [Fact]
    public void Sorting_by_payout_and_by_flags_with_ties_by_id_and_totals_of_the_filtered_set()
    {
        Assert.Equal("R02,R04,R03,R05,R01", string.Join(",", BatchReview.Select(Rows, BatchReviewFilter.None, "payout", true).Select(i => i.RedemptionId)));
        Assert.Equal("R03,R01,R05,R02,R04", string.Join(",", BatchReview.Select(Rows, BatchReviewFilter.None, "risk", true).Select(i => i.RedemptionId)));

        var totals = BatchReviewTotals.Of(BatchReview.Select(Rows, BatchReviewFilter.None with { Institution = "inst-a" }, "id", false));
        Assert.Equal((3, 8_000_000L, 8_000_300L, 1, 0, 2, 2), (totals.Count, totals.PayoutFen, totals.PaidFen, totals.Approved, totals.Rejected, totals.Flagged, totals.Undecided));
    }

    [Fact]
    public async Task Totals_kept_from_pages_equal_those_counted_from_the_whole_batch()
    {
        var whole = new BatchEntity();
        KeptTotals.Count(whole, Rows);
        var paged = new BatchEntity();
        await KeptTotals.CountAsync(paged, Pages(Rows[..2], Rows[2..3], Rows[3..]));

        Assert.Equal((5, 16_500_000L, 16_500_500L, 1, 1, 3), (paged.TotalCount, paged.TotalPayoutFen, paged.TotalPaidFen, paged.TotalApproved, paged.TotalRejected, paged.TotalFlagged));
        Assert.Equal(
            (whole.TotalCount, whole.TotalPayoutFen, whole.TotalPaidFen, whole.TotalApproved, whole.TotalRejected, whole.TotalFlagged, whole.ReviewInstitutions, whole.ReviewCategories),
            (paged.TotalCount, paged.TotalPayoutFen, paged.TotalPaidFen, paged.TotalApproved, paged.TotalRejected, paged.TotalFlagged, paged.ReviewInstitutions, paged.ReviewCategories));
        Assert.Equal([("inst-b", "乙研究院"), ("inst-a", "甲检测中心")], KeptTotals.KeptInstitutions(paged));
        Assert.Equal(["consulting", "testing"], KeptTotals.KeptCategories(paged));
        Assert.True(paged.TotalsKept);
    }

    static async IAsyncEnumerable<IReadOnlyList<BatchItemEntity>> Pages(params BatchItemEntity[][] pages)
    {
        foreach (var page in pages)
        {
            await Task.Yield();
            yield return page;
        }
    }

    [Fact]
    public void Reasons_come_with_their_flags_in_Chinese_and_a_malformed_record_still_names_the_flags()
    {
        var item = Item("R09", "inst-a", 1, "related-party,shared-evidence");
        item.RiskReasons = """[{"rule":"related-party","reason":"联系电话相同：0351-1234567"}]""";
        Assert.Equal([("材料重复使用", ""), ("企业与机构疑似关联", "联系电话相同：0351-1234567")], BatchReview.Reasons(item));

        item.RiskReasons = "not json";
        Assert.Equal(["材料重复使用", "企业与机构疑似关联"], BatchReview.Reasons(item).Select(r => r.Rule));
    }

    [Fact]
    public void A_bulk_decision_writes_only_undecided_rows_and_leaves_decided_and_waiting_ones()
    {
        var waiting = Item("R06", "inst-a", 1);
        waiting.AskExpert("expert-1", DateTimeOffset.UtcNow);
        var answered = Item("R07", "inst-a", 1);
        answered.AskExpert("expert-1", DateTimeOffset.UtcNow);
        answered.ExpertOpinion = "同意";

        var plan = BulkPlan.Of([.. Rows, waiting, answered], RowVerdict.Approve);

        Assert.Equal(["R01", "R03", "R05", "R07"], plan.Write.Select(i => i.RedemptionId));
        Assert.Equal(1, plan.AlreadyDone);
        Assert.Equal(["R04"], plan.DecidedOtherwise);
        Assert.Equal(["R06"], plan.WaitingForExpert);

        var reject = BulkPlan.Of(Rows, RowVerdict.Reject);
        Assert.Equal((1, 3), (reject.AlreadyDone, reject.Write.Count));
        Assert.Equal(["R02"], reject.DecidedOtherwise);
    }

    [Fact]
    public void A_bulk_command_needs_an_operation_a_decision_a_reason_to_reject_and_either_rows_or_a_filter()
    {
        static IEnumerable<string> Fields(BulkDecision c) => BatchReviewDecisions.Check(c) is Failure.Invalid invalid ? invalid.Errors.Select(e => e.Field) : [];

        Assert.Empty(Fields(new BulkDecision("op-1", "approve", null, ["R01"], null, null, null)));
        Assert.Empty(Fields(new BulkDecision("op-1", "approve", null, null, BatchReviewFilter.None, null, null)));
        Assert.Equal(["operationId"], Fields(new BulkDecision("op 1", "approve", null, ["R01"], null, null, null)));
        Assert.Equal(["operationId"], Fields(new BulkDecision(null, "approve", null, ["R01"], null, null, null)));
        Assert.Equal(["decision"], Fields(new BulkDecision("op-1", "", null, ["R01"], null, null, null)));
        Assert.Equal(["reason"], Fields(new BulkDecision("op-1", "reject", " ", ["R01"], null, null, null)));
        Assert.Equal(["reason"], Fields(new BulkDecision("op-1", "approve", new string('长', 501), ["R01"], null, null, null)));
        Assert.Equal(["redemptionIds"], Fields(new BulkDecision("op-1", "approve", null, null, null, null, null)));
        Assert.Equal(["redemptionIds"], Fields(new BulkDecision("op-1", "approve", null, ["R01"], BatchReviewFilter.None, null, null)));
        Assert.Equal(["redemptionIds"], Fields(new BulkDecision("op-1", "approve", null, [], null, null, null)));
    }
}
