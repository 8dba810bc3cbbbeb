using Voucher.Workflows.Enforcement;
using Voucher.Workflows.Web;
using Voucher.Workflows.Web.Lists;

namespace Voucher.Workflows.Worklists;

/// <summary>One violation in the violations work list, read from its city partition of <c>Violations</c>.</summary>
public sealed record ViolationWorkRow(
    string Id,
    string CityCode,
    string CityName,
    string EnterpriseName,
    string Uscc,
    DateOnly DecidedOn,
    string BarredUntil,
    string Reason,
    string Source,
    long ClawBackFen,
    int EvidenceCount)
{
    public static ViolationWorkRow From(ViolationEntity e) => new(
        e.ViolationId, e.CityCode, Cities.TryGet(e.CityCode, out var c) ? c.NameZh : e.CityCode, e.EnterpriseName, e.Uscc,
        ChinaTime.DateOf(e.DecidedOn.UtcDateTime), e.BarredUntil, e.Reason, e.Source, e.ClawBackFen, e.EvidenceCount);

    /// <summary>来源 as the officer reads it.</summary>
    public string SourceText => Source == "audit" ? "事前兑付审计未通过" : "部门认定";

    /// <summary>The portal page of the violation.</summary>
    public string DetailPath => $"/portal/violations/{Uri.EscapeDataString(CityCode)}/{Uri.EscapeDataString(Id)}";
}

/// <summary>What the filtered violations add up to (every page).</summary>
public sealed record ViolationTotals(int Count, long ClawBackFen);

/// <summary>
/// The violations of the cities the officer supervises as a work list: 限制期内 = the three-year bar still runs (its last
/// day is today or later), 已期满 = it ended; keyword over enterprise, credit code and the facts; filters by city (the
/// province) and source; sortable by decision date, bar end, claw-back amount and enterprise; with the claw-back total
/// of the whole filtered list. Pure: the rows come from the city partitions of the violation table.
/// </summary>
public static class ViolationWorkList
{
    public const string Path = "/portal/work/violations";
    public const string Todo = "open";
    public const string Done = "expired";

    public static readonly string[] Tabs = [Todo, Done];
    public static readonly string[] Sorts = ["decided", "barred", "clawback", "enterprise"];
    public static readonly string[] FilterNames = ["city", "source"];
    public static readonly string[] Sources = ["manual", "audit"];

    public static ListQuery Query(HttpRequest request) => ListQuery.From(request, Tabs, Sorts, "decided", true, FilterNames);

    /// <summary>Whether the bar still runs on <paramref name="today"/> (the stored last day is yyyy-MM-dd, inclusive).</summary>
    public static bool IsOpen(ViolationWorkRow r, DateOnly today) => string.CompareOrdinal(r.BarredUntil, Glossary.Date(today)) >= 0;

    static bool InTab(ViolationWorkRow r, string tab, DateOnly today) => IsOpen(r, today) == (tab == Todo);

    /// <summary>The city and source filters when they name a known city and source; an error message otherwise.</summary>
    public static (string? City, string? Source, string? Error) Filters(ListQuery query)
    {
        string? error = null;
        var city = query.Filter("city");
        if (city is not null && !Cities.TryGet(city, out _))
        {
            (city, error) = (null, "请从列出的地市中选择。");
        }

        var source = query.Filter("source");
        if (source is not null && !Sources.Contains(source, StringComparer.Ordinal))
        {
            (source, error) = (null, error ?? "请从列出的来源中选择。");
        }

        return (city, source, error);
    }

    public static int Count(IEnumerable<ViolationWorkRow> rows, string tab, DateOnly today) => rows.Count(r => InTab(r, tab, today));

    public static IReadOnlyList<ViolationWorkRow> Apply(IEnumerable<ViolationWorkRow> rows, ListQuery query, DateOnly today)
    {
        var (city, source, _) = Filters(query);
        var keyword = query.Keyword;
        var matching = rows.Where(r => InTab(r, query.Tab, today)
            && (city is null || string.Equals(r.CityCode, city, StringComparison.OrdinalIgnoreCase))
            && (source is null || r.Source == source)
            && (keyword.Length == 0
                || r.EnterpriseName.Contains(keyword, StringComparison.OrdinalIgnoreCase)
                || r.Uscc.Contains(keyword, StringComparison.OrdinalIgnoreCase)
                || r.Reason.Contains(keyword, StringComparison.OrdinalIgnoreCase)));

        var ordered = query.Sort switch
        {
            "barred" => Order(matching, r => r.BarredUntil, query.Descending, StringComparer.Ordinal),
            "clawback" => Order(matching, r => r.ClawBackFen, query.Descending),
            "enterprise" => Order(matching, r => r.EnterpriseName, query.Descending, StringComparer.Ordinal),
            _ => Order(matching, r => r.DecidedOn, query.Descending),
        };
        return ordered.ThenBy(r => r.Id, StringComparer.Ordinal).ToList();
    }

    public static ViolationTotals Totals(IReadOnlyList<ViolationWorkRow> rows) => new(rows.Count, rows.Sum(r => r.ClawBackFen));

    static IOrderedEnumerable<ViolationWorkRow> Order<TKey>(IEnumerable<ViolationWorkRow> rows, Func<ViolationWorkRow, TKey> key, bool descending, IComparer<TKey>? comparer = null) =>
        descending ? rows.OrderByDescending(key, comparer) : rows.OrderBy(key, comparer);

    public static readonly ExportColumn<ViolationWorkRow>[] Columns =
    [
        new("地市", r => r.CityName),
        new("企业名称", r => r.EnterpriseName),
        new("统一社会信用代码", r => r.Uscc),
        new("处理决定日期", r => Glossary.Date(r.DecidedOn)),
        new("限制申请至", r => r.BarredUntil),
        new("违规事实", r => r.Reason),
        new("来源", r => r.SourceText),
        new("追回金额（元）", r => r.ClawBackFen / 100m),
        new("证据文件数", r => r.EvidenceCount),
    ];
}
