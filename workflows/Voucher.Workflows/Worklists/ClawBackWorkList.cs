using Voucher.Workflows.Enforcement;
using Voucher.Workflows.Web;
using Voucher.Workflows.Web.Lists;

namespace Voucher.Workflows.Worklists;

/// <summary>One claw-back in the finance bureau's claw-back work list, read from its city partition of <c>ClawBacks</c>.</summary>
public sealed record ClawBackWorkRow(
    string Id,
    string EnterpriseName,
    string Uscc,
    string RedemptionId,
    string Kind,
    long AmountFen,
    ClawBackStatus Status,
    DateOnly CreatedOn,
    DateOnly? ConfirmedOn,
    string? Reference)
{
    public static ClawBackWorkRow From(ClawBackEntity e) => new(
        e.ClawBackId, e.EnterpriseName, e.Uscc, e.RedemptionId, e.Kind, e.AmountFen, e.Status,
        ChinaTime.DateOf(e.CreatedAt.UtcDateTime), e.ConfirmedAt is { } at ? ChinaTime.DateOf(at.UtcDateTime) : null, e.Reference);

    /// <summary>资金类别 as the officer reads it.</summary>
    public string KindText => Kind == "prepaid" ? "事前兑付资金" : "已拨付资金";
}

/// <summary>What the filtered claw-backs add up to (every page).</summary>
public sealed record ClawBackTotals(int Count, long AmountFen);

/// <summary>
/// The finance bureau's claw-backs as a work list: 待确认 = due (the money is still to come back), 已确认 = recovered;
/// keyword over enterprise, credit code, 兑付申请编号 and 追回凭证号; filter by 资金类别 (paid / prepaid); sortable by
/// date, amount and enterprise; with the amount total of the whole filtered list. Pure: the rows come from one city
/// partition of the claw-back table.
/// </summary>
public static class ClawBackWorkList
{
    public const string Path = "/portal/work/clawbacks";
    public const string Todo = "todo";
    public const string Done = "done";

    public static readonly string[] Tabs = [Todo, Done];
    public static readonly string[] Sorts = ["date", "amount", "enterprise"];
    public static readonly string[] FilterNames = ["kind"];
    public static readonly string[] Kinds = ["paid", "prepaid"];

    public static ListQuery Query(HttpRequest request) => ListQuery.From(request, Tabs, Sorts, "date", false, FilterNames);

    static bool InTab(ClawBackWorkRow r, string tab) => (r.Status == ClawBackStatus.Confirmed) == (tab == Done);

    /// <summary>The kind filter when it is one of <see cref="Kinds"/>; an error message otherwise (null when unset).</summary>
    public static (string? Kind, string? Error) KindFilter(ListQuery query) =>
        query.Filter("kind") is not { } value ? (null, null)
        : Kinds.Contains(value, StringComparer.Ordinal) ? (value, null)
        : (null, "请从列出的资金类别中选择。");

    public static int Count(IEnumerable<ClawBackWorkRow> rows, string tab) => rows.Count(r => InTab(r, tab));

    /// <summary>The list as the pages answer it: the rows of the query, its tabs (待确认 / 已确认) with their counts, a refused filter.</summary>
    public static WorkListAnswer<ClawBackWorkRow> Answer(string title, string fileName, IReadOnlyList<ClawBackWorkRow> all, ListQuery query) =>
        new(title, fileName, query, Apply(all, query), Columns, new(Todo, "待确认", Count(all, Todo)), new(Done, "已确认", Count(all, Done)), KindFilter(query).Error);

    /// <summary>
    /// The tab's rows filtered and sorted. By date: 待确认 by registration date, oldest first (the longest outstanding on
    /// top); 已确认 by confirmation date (the order the query's direction says; the default shows oldest first on both).
    /// </summary>
    public static IReadOnlyList<ClawBackWorkRow> Apply(IEnumerable<ClawBackWorkRow> rows, ListQuery query)
    {
        var (kind, _) = KindFilter(query);
        var keyword = query.Keyword;
        var matching = rows.Where(r => InTab(r, query.Tab)
            && (kind is null || r.Kind == kind)
            && (keyword.Length == 0
                || r.EnterpriseName.Contains(keyword, StringComparison.OrdinalIgnoreCase)
                || r.Uscc.Contains(keyword, StringComparison.OrdinalIgnoreCase)
                || r.RedemptionId.Contains(keyword, StringComparison.OrdinalIgnoreCase)
                || (r.Reference ?? "").Contains(keyword, StringComparison.OrdinalIgnoreCase)));

        var done = query.Tab == Done;
        var ordered = query.Sort switch
        {
            "amount" => Order(matching, r => r.AmountFen, query.Descending),
            "enterprise" => Order(matching, r => r.EnterpriseName, query.Descending, StringComparer.Ordinal),
            _ => Order(matching, r => done ? r.ConfirmedOn ?? r.CreatedOn : r.CreatedOn, query.Descending),
        };
        return ordered.ThenBy(r => r.Id, StringComparer.Ordinal).ToList();
    }

    public static ClawBackTotals Totals(IReadOnlyList<ClawBackWorkRow> rows) => new(rows.Count, rows.Sum(r => r.AmountFen));

    static IOrderedEnumerable<ClawBackWorkRow> Order<TKey>(IEnumerable<ClawBackWorkRow> rows, Func<ClawBackWorkRow, TKey> key, bool descending, IComparer<TKey>? comparer = null) =>
        descending ? rows.OrderByDescending(key, comparer) : rows.OrderBy(key, comparer);

    public static readonly ExportColumn<ClawBackWorkRow>[] Columns =
    [
        new("企业名称", r => r.EnterpriseName),
        new("统一社会信用代码", r => r.Uscc),
        new("兑付申请编号", r => r.RedemptionId),
        new("资金类别", r => r.KindText),
        new("状态", r => Glossary.Of(r.Status)),
        new("登记日期", r => Glossary.Date(r.CreatedOn)),
        new("追回金额（元）", r => r.AmountFen / 100m),
        new("追回凭证号", r => r.Reference ?? ""),
        new("确认日期", r => r.ConfirmedOn is { } d ? Glossary.Date(d) : ""),
    ];
}
