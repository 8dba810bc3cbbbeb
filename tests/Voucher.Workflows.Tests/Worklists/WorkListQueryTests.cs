using System.Globalization;
using Voucher.Workflows.Web.Lists;
using Voucher.Workflows.Worklists;

namespace Voucher.Workflows.Tests.Worklists;

/// <summary>The officers' work lists' query logic (pure): tabs, keyword, filters, order, totals.</summary>
public sealed class WorkListQueryTests
{
    static HttpRequest Request(string query)
    {
        var context = new DefaultHttpContext();
        context.Request.QueryString = new QueryString(query);
        return context.Request;
    }

    static ApplicationWorkRow App(string id, string name, ApplicationStatus status, int submittedDay, int? deadlineDay = null, int? decidedDay = null) =>
        new($"91140100MA0TEST00{id}-2026-01", "91140100MA0TEST00" + id, name, status, new DateOnly(2026, 3, submittedDay),
            deadlineDay is { } d ? new DateOnly(2026, 4, d) : null, false, 1, decidedDay is { } x ? new DateOnly(2026, 5, x) : null);

    static readonly ApplicationWorkRow[] Apps =
    [
        App("1", "甲科技", ApplicationStatus.UnderReview, 1, deadlineDay: 20),
        App("2", "乙科技", ApplicationStatus.Escalated, 2, deadlineDay: 5),
        App("3", "丙材料", ApplicationStatus.UnderReview, 3, deadlineDay: 12),
        App("4", "丁材料", ApplicationStatus.Approved, 4, decidedDay: 9),
        App("5", "戊科技", ApplicationStatus.Rejected, 5, decidedDay: 2),
        App("6", "己科技", ApplicationStatus.Submitted, 6),
        App("7", "庚科技", ApplicationStatus.Withdrawn, 7),
    ];

    [Fact]
    public void Todo_holds_the_reviews_under_way_nearest_deadline_first_and_done_the_decisions_latest_first()
    {
        var todo = ApplicationWorkList.Apply(Apps, ApplicationWorkList.Query(Request("")));
        Assert.Equal(["乙科技", "丙材料", "甲科技"], todo.Select(r => r.EnterpriseName));

        var done = ApplicationWorkList.Apply(Apps, ApplicationWorkList.Query(Request("?tab=done")));
        Assert.Equal(["丁材料", "戊科技"], done.Select(r => r.EnterpriseName));

        Assert.Equal(3, ApplicationWorkList.Count(Apps, ApplicationWorkList.Todo));
        Assert.Equal(2, ApplicationWorkList.Count(Apps, ApplicationWorkList.Done));
    }

    [Fact]
    public void Keyword_matches_name_or_number_status_filter_narrows_and_a_column_sorts_both_ways()
    {
        Assert.Equal(["丙材料"], ApplicationWorkList.Apply(Apps, ApplicationWorkList.Query(Request("?q=材料"))).Select(r => r.EnterpriseName));
        Assert.Equal(["乙科技"], ApplicationWorkList.Apply(Apps, ApplicationWorkList.Query(Request("?q=TEST002"))).Select(r => r.EnterpriseName));
        Assert.Equal(["乙科技"], ApplicationWorkList.Apply(Apps, ApplicationWorkList.Query(Request("?status=Escalated"))).Select(r => r.EnterpriseName));
        Assert.Equal(["甲科技", "乙科技", "丙材料"], ApplicationWorkList.Apply(Apps, ApplicationWorkList.Query(Request("?sort=submitted&dir=asc"))).Select(r => r.EnterpriseName));
        Assert.Equal(["丙材料", "乙科技", "甲科技"], ApplicationWorkList.Apply(Apps, ApplicationWorkList.Query(Request("?sort=submitted&dir=desc"))).Select(r => r.EnterpriseName));
    }

    [Fact]
    public void A_status_of_the_other_tab_is_refused_with_a_message_and_does_not_filter()
    {
        var query = ApplicationWorkList.Query(Request("?status=Approved"));

        Assert.Equal("请从列出的状态中选择。", ApplicationWorkList.StatusFilter(query).Error);
        Assert.Equal(3, ApplicationWorkList.Apply(Apps, query).Count);
        Assert.Null(ApplicationWorkList.StatusFilter(ApplicationWorkList.Query(Request("?tab=done&status=Approved"))).Error);
    }

    static RedemptionWorkRow Red(string n, string enterprise, string institution, RedemptionStatus status, long fen, long payout, int day) =>
        new($"V-91140100MA0TEST0001-2026-01-R{n}", enterprise, institution, "检测服务", status, fen, payout, new DateOnly(2026, 6, day), null);

    static readonly RedemptionWorkRow[] Reds =
    [
        Red("1", "甲科技", "太原理工检测中心", RedemptionStatus.Queued, 100_000_00, 50_000_00, 1),
        Red("2", "乙科技", "中北大学", RedemptionStatus.InBatch, 30_000_00, 15_000_00, 2),
        Red("3", "丙材料", "太原理工检测中心", RedemptionStatus.AwaitingBinding, 8_000_00, 0, 3),
        Red("4", "丁材料", "中北大学", RedemptionStatus.Paid, 60_000_00, 30_000_00, 4),
        Red("5", "戊科技", "中北大学", RedemptionStatus.Withdrawn, 1_000_00, 0, 5),
    ];

    [Fact]
    public void Redemptions_split_open_and_final_filter_by_institution_and_status_and_total_every_page()
    {
        var open = RedemptionWorkList.Apply(Reds, RedemptionWorkList.Query(Request("")));
        Assert.Equal(["R3", "R2", "R1"], open.Select(r => r.Id[^2..]));
        Assert.Equal(new RedemptionTotals(3, 138_000_00, 65_000_00), RedemptionWorkList.Totals(open));

        var byInstitution = RedemptionWorkList.Apply(Reds, RedemptionWorkList.Query(Request("?institution=理工&sort=amount&dir=desc")));
        Assert.Equal(["R1", "R3"], byInstitution.Select(r => r.Id[^2..]));

        var queued = RedemptionWorkList.Apply(Reds, RedemptionWorkList.Query(Request("?status=Queued")));
        Assert.Equal(["R1"], queued.Select(r => r.Id[^2..]));

        var done = RedemptionWorkList.Apply(Reds, RedemptionWorkList.Query(Request("?tab=done&sort=payout&dir=desc")));
        Assert.Equal(["R4", "R5"], done.Select(r => r.Id[^2..]));
        Assert.Equal(2, RedemptionWorkList.Count(Reds, RedemptionWorkList.Done));

        // The totals are the filtered list's, not the page's: a page of one still totals all three.
        var query = RedemptionWorkList.Query(Request("?size=20&page=9"));
        Assert.Equal(3, query.PageOf(open).Total);
        Assert.Equal("请从列出的状态中选择。", RedemptionWorkList.StatusFilter(RedemptionWorkList.Query(Request("?status=Paid"))).Error);
    }

    [Fact]
    public void The_export_columns_write_money_as_yuan()
    {
        var bytes = TableExport.Xlsx("在办", RedemptionWorkList.Columns, Reds.Take(1).ToList());
        using var stream = new MemoryStream(bytes);
        var row = Assert.Single(MiniExcelLibs.MiniExcel.Query(stream, useHeaderRow: true).Cast<IDictionary<string, object>>().ToList());
        Assert.Equal(100_000m, Convert.ToDecimal(row["合同金额（元）"], CultureInfo.InvariantCulture));
        Assert.Equal(50_000m, Convert.ToDecimal(row["核定兑付（元）"], CultureInfo.InvariantCulture));
        Assert.Equal("待结算", row["状态"]);
    }

    [Fact]
    public void Batches_count_and_total_their_redemptions_from_the_index_rows_naming_them()
    {
        var now = DateTimeOffset.UtcNow;
        BatchEntity Batch(string period, BatchStage stage, int items) => new() { PartitionKey = "taiyuan", RowKey = period, Stage = stage, ItemCount = items, FormedAt = now };
        var batches = new[] { Batch("2026M03", BatchStage.Closed, 3), Batch("2026M04", BatchStage.Reviewing, 2), Batch("2026M05", BatchStage.Forming, 0), Batch("2025M12", BatchStage.Publicity, 7) };
        var reds = new[]
        {
            Reds[0] with { BatchId = "taiyuan-2026M04", Status = RedemptionStatus.InBatch },
            Reds[1] with { BatchId = "taiyuan-2026M04", Status = RedemptionStatus.InBatch },
            Reds[2] with { BatchId = "taiyuan-2026M03", Status = RedemptionStatus.Paid, PayoutFen = 4_000_00 },
            Reds[3] with { BatchId = "taiyuan-2026M03", Status = RedemptionStatus.Rejected },
            Reds[4] with { BatchId = "taiyuan-2026M03", Status = RedemptionStatus.Payable, PayoutFen = 500_00 },
        };
        var rows = BatchWorkRow.Of(batches, reds);

        var todo = BatchWorkList.Apply(rows, BatchWorkList.Query(Request("")));
        Assert.Equal(["2026M05", "2026M04"], todo.Select(r => r.PeriodId));
        var april = todo[1];
        Assert.Equal((2, 65_000_00L, 0, 0L), (april.ItemCount, april.PayoutFen, april.ApprovedCount, april.ApprovedPayoutFen));
        Assert.Equal("2026年4月", april.PeriodName);

        var done = BatchWorkList.Apply(rows, BatchWorkList.Query(Request("?tab=done&sort=payout&dir=desc")));
        Assert.Equal(["2026M03", "2025M12"], done.Select(r => r.PeriodId));
        Assert.Equal((3, 34_500_00L, 2, 4_500_00L), (done[0].ItemCount, done[0].PayoutFen, done[0].ApprovedCount, done[0].ApprovedPayoutFen));
        // A batch no index row names (written before the batch was indexed): the record's count, amounts unknown.
        Assert.False(done[1].Counted);
        Assert.Equal(7, done[1].ItemCount);
        Assert.Equal(new BatchTotals(2, 10, 34_500_00, 4_500_00), BatchWorkList.Totals(done));

        Assert.Equal(["2025M12"], BatchWorkList.Apply(rows, BatchWorkList.Query(Request("?tab=done&q=2025"))).Select(r => r.PeriodId));
        Assert.Equal(["2026M04"], BatchWorkList.Apply(rows, BatchWorkList.Query(Request("?stage=Reviewing"))).Select(r => r.PeriodId));
        Assert.NotNull(BatchWorkList.StageFilter(BatchWorkList.Query(Request("?stage=Closed"))).Error);
    }
}
