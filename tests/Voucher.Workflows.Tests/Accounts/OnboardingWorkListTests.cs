using System.Globalization;
using Voucher.Workflows.Accounts;
using Voucher.Workflows.Web.Lists;

namespace Voucher.Workflows.Tests.Accounts;

/// <summary>The city bureau's claims list rules: 待审核/已审核 tabs, keyword over name, USCC and claimant, order, and the .xlsx opened and read.</summary>
public sealed class OnboardingWorkListTests
{
    static HttpRequest Request(string query)
    {
        var context = new DefaultHttpContext();
        context.Request.QueryString = new QueryString(query);
        return context.Request;
    }

    static readonly DateTimeOffset Day = new(2026, 12, 1, 2, 0, 0, TimeSpan.Zero);

    static ClaimWorkRow Row(string id, string name, string claimant, ClaimStatus status, int day, string reason = "") =>
        ClaimWorkRow.From(new ClaimIndexEntity
        {
            PartitionKey = ClaimIndexEntity.CityPartition("taiyuan"), RowKey = id, EnterpriseName = name, Uscc = "91140100MA0TEST" + id[^3..], ClaimantName = claimant,
            StatusName = status.ToString(), SubmittedAt = Day.AddDays(day), DecidedAt = status == ClaimStatus.Pending ? null : Day.AddDays(day + 1), DecidedBy = "王芳 · 太原市科技局", Reason = reason,
        });

    static readonly ClaimWorkRow[] Rows =
    [
        Row("c001", "乙光电", "周敏", ClaimStatus.Pending, 2),
        Row("c002", "甲材料", "张伟", ClaimStatus.Pending, 1),
        Row("c003", "丙医药", "赵敏", ClaimStatus.Rejected, 0, "授权委托书未盖章"),
        Row("c004", "丁农业", "钱进", ClaimStatus.Verified, 3),
    ];

    [Fact]
    public void Tabs_split_waiting_from_decided_oldest_waiting_first_and_the_keyword_searches_name_uscc_and_claimant()
    {
        Assert.Equal(["甲材料", "乙光电"], ClaimWorkList.Apply(Rows, ClaimWorkList.Query(Request(""))).Select(r => r.EnterpriseName));
        Assert.Equal(["丙医药", "丁农业"], ClaimWorkList.Apply(Rows, ClaimWorkList.Query(Request("?tab=done"))).Select(r => r.EnterpriseName));
        Assert.Equal((2, 2), (ClaimWorkList.Count(Rows, ClaimWorkList.Todo), ClaimWorkList.Count(Rows, ClaimWorkList.Done)));
        Assert.Equal(["乙光电"], ClaimWorkList.Apply(Rows, ClaimWorkList.Query(Request("?q=周敏"))).Select(r => r.EnterpriseName));
        Assert.Equal(["甲材料"], ClaimWorkList.Apply(Rows, ClaimWorkList.Query(Request("?q=TEST002"))).Select(r => r.EnterpriseName));
        Assert.Equal(["乙光电", "甲材料"], ClaimWorkList.Apply(Rows, ClaimWorkList.Query(Request("?sort=date&dir=desc"))).Select(r => r.EnterpriseName));
    }

    [Fact]
    public void The_export_opens_with_the_rows_in_chinese()
    {
        var rows = ClaimWorkList.Apply(Rows, ClaimWorkList.Query(Request("?tab=done")));
        using var stream = new MemoryStream(TableExport.Xlsx("已审核", ClaimWorkList.ColumnsFor(PartyKind.Enterprise), rows));
        var read = MiniExcelLibs.MiniExcel.Query(stream, useHeaderRow: true).Cast<IDictionary<string, object>>().ToList();
        Assert.Equal(2, read.Count);
        Assert.Equal(("丙医药", "未通过", "授权委托书未盖章", "2026-12-01", "2026-12-02"),
            ((string)read[0]["企业名称"], (string)read[0]["状态"], (string)read[0]["驳回理由"], (string)read[0]["提交日期"], (string)read[0]["审核日期"]));
        Assert.Equal("已通过", read[1]["状态"]);
        Assert.Equal("钱进", Convert.ToString(read[1]["认领人"], CultureInfo.InvariantCulture));
    }
}
