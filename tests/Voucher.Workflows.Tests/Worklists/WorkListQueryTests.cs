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

    static ClawBackWorkRow Claw(string id, string name, ClawBackStatus status, long fen, int createdDay, string kind = "paid", int? confirmedDay = null, string? reference = null) =>
        new($"V{id}~R{id}", name, "91140100MA0CLAW00" + id, "R-" + id, kind, fen, status, new DateOnly(2026, 6, createdDay),
            confirmedDay is { } c ? new DateOnly(2026, 7, c) : null, reference);

    static readonly ClawBackWorkRow[] Claws =
    [
        Claw("1", "甲科技", ClawBackStatus.Due, 30_000_00, 10),
        Claw("2", "乙材料", ClawBackStatus.Due, 12_500_00, 3, kind: "prepaid"),
        Claw("3", "丙科技", ClawBackStatus.Due, 8_000_00, 20),
        Claw("4", "丁材料", ClawBackStatus.Confirmed, 5_000_00, 1, confirmedDay: 9, reference: "ZH-2026-009"),
        Claw("5", "戊科技", ClawBackStatus.Confirmed, 7_000_00, 2, confirmedDay: 4, reference: "ZH-2026-004"),
    ];

    [Fact]
    public void Claw_backs_to_confirm_oldest_first_confirmed_apart_with_the_amount_total_of_the_filtered_list()
    {
        var todo = ClawBackWorkList.Apply(Claws, ClawBackWorkList.Query(Request("")));
        Assert.Equal(["乙材料", "甲科技", "丙科技"], todo.Select(r => r.EnterpriseName));
        Assert.Equal(new ClawBackTotals(3, 50_500_00), ClawBackWorkList.Totals(todo));
        Assert.Equal(3, ClawBackWorkList.Count(Claws, ClawBackWorkList.Todo));
        Assert.Equal(2, ClawBackWorkList.Count(Claws, ClawBackWorkList.Done));

        // 已确认 by the confirmation date, not the registration date.
        var done = ClawBackWorkList.Apply(Claws, ClawBackWorkList.Query(Request("?tab=done&sort=date&dir=desc")));
        Assert.Equal(["丁材料", "戊科技"], done.Select(r => r.EnterpriseName));
    }

    [Fact]
    public void Claw_back_keyword_matches_name_code_redemption_or_reference_kind_filters_and_amount_sorts()
    {
        Assert.Equal(["乙材料"], ClawBackWorkList.Apply(Claws, ClawBackWorkList.Query(Request("?q=材料"))).Select(r => r.EnterpriseName));
        Assert.Equal(["丙科技"], ClawBackWorkList.Apply(Claws, ClawBackWorkList.Query(Request("?q=CLAW003"))).Select(r => r.EnterpriseName));
        Assert.Equal(["戊科技"], ClawBackWorkList.Apply(Claws, ClawBackWorkList.Query(Request("?tab=done&q=2026-004"))).Select(r => r.EnterpriseName));
        Assert.Equal(["乙材料"], ClawBackWorkList.Apply(Claws, ClawBackWorkList.Query(Request("?kind=prepaid"))).Select(r => r.EnterpriseName));
        Assert.Equal(["甲科技", "乙材料", "丙科技"], ClawBackWorkList.Apply(Claws, ClawBackWorkList.Query(Request("?sort=amount&dir=desc"))).Select(r => r.EnterpriseName));

        var refused = ClawBackWorkList.Query(Request("?kind=other"));
        Assert.Equal("请从列出的资金类别中选择。", ClawBackWorkList.KindFilter(refused).Error);
        Assert.Equal(3, ClawBackWorkList.Apply(Claws, refused).Count);
    }

    static ViolationWorkRow Viol(string id, string city, string name, int decidedYear, string barredUntil, long fen, string source = "manual", string reason = "虚构服务合同") =>
        new("VIO-" + id, city, city == "taiyuan" ? "太原市" : "大同市", name, "91140100MA0VIOL00" + id, new DateOnly(decidedYear, 5, 1), barredUntil, reason, source, fen, 0);

    static readonly DateOnly ViolationToday = new(2026, 6, 1);

    static readonly ViolationWorkRow[] Viols =
    [
        Viol("1", "taiyuan", "甲科技", 2025, "2028-04-30", 30_000_00),
        Viol("2", "datong", "乙材料", 2024, "2027-04-30", 0, source: "audit", reason: "事前兑付审计未通过"),
        Viol("3", "taiyuan", "丙科技", 2023, "2026-06-01", 5_000_00),
        Viol("4", "datong", "丁材料", 2022, "2025-04-30", 9_000_00),
        Viol("5", "taiyuan", "戊科技", 2020, "2023-04-30", 1_000_00),
    ];

    [Fact]
    public void Violations_open_while_the_bar_runs_through_today_expired_after_latest_decision_first_with_the_claw_back_total()
    {
        var open = ViolationWorkList.Apply(Viols, ViolationWorkList.Query(Request("")), ViolationToday);
        Assert.Equal(["甲科技", "乙材料", "丙科技"], open.Select(r => r.EnterpriseName));
        Assert.Equal(new ViolationTotals(3, 35_000_00), ViolationWorkList.Totals(open));
        Assert.Equal(2, ViolationWorkList.Count(Viols, ViolationWorkList.Done, ViolationToday));
        Assert.Equal(["丁材料", "戊科技"], ViolationWorkList.Apply(Viols, ViolationWorkList.Query(Request("?tab=expired")), ViolationToday).Select(r => r.EnterpriseName));
        Assert.Equal(2, ViolationWorkList.Count(Viols, ViolationWorkList.Todo, ViolationToday.AddDays(1)));
    }

    [Fact]
    public void Violation_keyword_city_and_source_filters_narrow_an_unknown_city_is_refused_and_amount_sorts()
    {
        Assert.Equal(["乙材料"], ViolationWorkList.Apply(Viols, ViolationWorkList.Query(Request("?q=审计")), ViolationToday).Select(r => r.EnterpriseName));
        Assert.Equal(["甲科技", "丙科技"], ViolationWorkList.Apply(Viols, ViolationWorkList.Query(Request("?city=taiyuan")), ViolationToday).Select(r => r.EnterpriseName));
        Assert.Equal(["乙材料"], ViolationWorkList.Apply(Viols, ViolationWorkList.Query(Request("?source=audit")), ViolationToday).Select(r => r.EnterpriseName));
        Assert.Equal(["乙材料", "丙科技", "甲科技"], ViolationWorkList.Apply(Viols, ViolationWorkList.Query(Request("?sort=clawback&dir=asc")), ViolationToday).Select(r => r.EnterpriseName));

        var refused = ViolationWorkList.Query(Request("?city=atlantis"));
        Assert.Equal("请从列出的地市中选择。", ViolationWorkList.Filters(refused).Error);
        Assert.Equal(3, ViolationWorkList.Apply(Viols, refused, ViolationToday).Count);
    }

    static InstitutionWorkRow Inst(string id, string name, string city, InstitutionStatus status, int registeredDay, int? decidedDay = null) =>
        new("inst-" + id, name, city, "platform", "CODE-" + id, "SX-OSP-" + id, status, new DateOnly(2026, 3, registeredDay),
            decidedDay is { } d ? new DateOnly(2026, 4, d) : null, status == InstitutionStatus.Rejected ? "登记编号不符" : "");

    static readonly InstitutionWorkRow[] Insts =
    [
        Inst("a", "甲检测", "taiyuan", InstitutionStatus.Pending, 9),
        Inst("b", "乙设计", "datong", InstitutionStatus.Pending, 2),
        Inst("c", "丙检测", "taiyuan", InstitutionStatus.Verified, 1, decidedDay: 8),
        Inst("d", "丁研究院", "datong", InstitutionStatus.Rejected, 3, decidedDay: 4),
    ];

    [Fact]
    public void Institutions_to_verify_oldest_registration_first_decided_by_decision_date_and_filters_narrow()
    {
        Assert.Equal(["乙设计", "甲检测"], InstitutionWorkList.Apply(Insts, InstitutionWorkList.Query(Request(""))).Select(r => r.Name));
        Assert.Equal(["丁研究院", "丙检测"], InstitutionWorkList.Apply(Insts, InstitutionWorkList.Query(Request("?tab=done"))).Select(r => r.Name));
        Assert.Equal(["丙检测"], InstitutionWorkList.Apply(Insts, InstitutionWorkList.Query(Request("?tab=done&status=Verified"))).Select(r => r.Name));
        Assert.Equal(["甲检测"], InstitutionWorkList.Apply(Insts, InstitutionWorkList.Query(Request("?city=taiyuan"))).Select(r => r.Name));
        Assert.Equal(["乙设计"], InstitutionWorkList.Apply(Insts, InstitutionWorkList.Query(Request("?q=OSP-b"))).Select(r => r.Name));

        // A result filter on 待审核 (or Pending on 已审核) is refused and does not filter.
        var refused = InstitutionWorkList.Query(Request("?tab=done&status=Pending"));
        Assert.Equal("请从列出的审核结果中选择。", InstitutionWorkList.Filters(refused).Error);
        Assert.Equal(2, InstitutionWorkList.Apply(Insts, refused).Count);
    }
}
