using Voucher.Workflows.Redemptions;
using Voucher.Workflows.Web;
using Voucher.Workflows.Web.Lists;

namespace Voucher.Workflows.Worklists;

/// <summary>One redemption in the city bureau's redemption work list, read from its city index row.</summary>
public sealed record RedemptionWorkRow(
    string Id,
    string EnterpriseName,
    string InstitutionName,
    string ServiceTitle,
    RedemptionStatus Status,
    long AmountPaidFen,
    long PayoutFen,
    DateOnly SubmittedOn,
    string? PaidOn,
    string? BatchId = null)
{
    public static RedemptionWorkRow From(RedemptionIndexEntity e) => new(
        e.RowKey, e.EnterpriseName, e.InstitutionName, e.ServiceTitle, e.Status, e.AmountPaidFen, e.PayoutFen,
        ChinaTime.DateOf(e.SubmittedAt.UtcDateTime), e.PaidOn, e.BatchId);
}

/// <summary>What the filtered list adds up to (every page): the totals row and the export's last line.</summary>
public sealed record RedemptionTotals(int Count, long AmountPaidFen, long PayoutFen);

/// <summary>
/// The city bureau's redemptions as a work list: 在办 = not yet final, 已办 = paid, rejected, withdrawn or stopped;
/// keyword over 办件编号, enterprise, institution and service; filters by status and institution; sortable by date,
/// amounts, enterprise and institution; with the totals of the contract amount and the pay-out. Pure: the rows come from
/// one city partition of the redemption index.
/// </summary>
public static class RedemptionWorkList
{
    public const string Path = "/portal/work/redemptions";
    public const string Todo = "todo";
    public const string Done = "done";

    public static readonly string[] Tabs = [Todo, Done];
    public static readonly string[] Sorts = ["submitted", "amount", "payout", "enterprise", "institution"];
    public static readonly string[] FilterNames = ["status", "institution"];

    public static IReadOnlyList<RedemptionStatus> StatusesOf(string tab) =>
        Enum.GetValues<RedemptionStatus>().Where(s => RedemptionTransitions.IsFinal(s) == (tab == Done)).ToList();

    public static ListQuery Query(HttpRequest request) => ListQuery.From(request, Tabs, Sorts, "submitted", true, FilterNames);

    /// <summary>The status filter's value when it names one of the tab's statuses; an error message otherwise (null when unset).</summary>
    public static (RedemptionStatus? Status, string? Error) StatusFilter(ListQuery query)
    {
        if (query.Filter("status") is not { } value)
        {
            return (null, null);
        }

        return Enum.TryParse<RedemptionStatus>(value, ignoreCase: false, out var s) && StatusesOf(query.Tab).Contains(s)
            ? (s, null)
            : (null, "请从列出的状态中选择。");
    }

    public static int Count(IEnumerable<RedemptionWorkRow> rows, string tab) => rows.Count(r => RedemptionTransitions.IsFinal(r.Status) == (tab == Done));

    /// <summary>The list as the pages answer it: the rows of the query, its tabs (在办 / 已办结) with their counts, a refused filter.</summary>
    public static WorkListAnswer<RedemptionWorkRow> Answer(string title, string fileName, IReadOnlyList<RedemptionWorkRow> all, ListQuery query) =>
        new(title, fileName, query, Apply(all, query), Columns, new(Todo, "在办", Count(all, Todo)), new(Done, "已办结", Count(all, Done)), StatusFilter(query).Error);

    public static IReadOnlyList<RedemptionWorkRow> Apply(IEnumerable<RedemptionWorkRow> rows, ListQuery query)
    {
        var done = query.Tab == Done;
        var (status, _) = StatusFilter(query);
        var institution = query.Filter("institution");
        var keyword = query.Keyword;
        var matching = rows.Where(r => RedemptionTransitions.IsFinal(r.Status) == done
            && (status is null || r.Status == status)
            && (institution is null || r.InstitutionName.Contains(institution, StringComparison.OrdinalIgnoreCase))
            && (keyword.Length == 0
                || r.Id.Contains(keyword, StringComparison.OrdinalIgnoreCase)
                || r.EnterpriseName.Contains(keyword, StringComparison.OrdinalIgnoreCase)
                || r.InstitutionName.Contains(keyword, StringComparison.OrdinalIgnoreCase)
                || r.ServiceTitle.Contains(keyword, StringComparison.OrdinalIgnoreCase)));

        var ordered = query.Sort switch
        {
            "amount" => Order(matching, r => r.AmountPaidFen, query.Descending),
            "payout" => Order(matching, r => r.PayoutFen, query.Descending),
            "enterprise" => Order(matching, r => r.EnterpriseName, query.Descending, StringComparer.Ordinal),
            "institution" => Order(matching, r => r.InstitutionName, query.Descending, StringComparer.Ordinal),
            _ => Order(matching, r => r.SubmittedOn, query.Descending),
        };
        return ordered.ThenBy(r => r.Id, StringComparer.Ordinal).ToList();
    }

    public static RedemptionTotals Totals(IReadOnlyList<RedemptionWorkRow> rows) =>
        new(rows.Count, rows.Sum(r => r.AmountPaidFen), rows.Sum(r => r.PayoutFen));

    static IOrderedEnumerable<RedemptionWorkRow> Order<TKey>(IEnumerable<RedemptionWorkRow> rows, Func<RedemptionWorkRow, TKey> key, bool descending, IComparer<TKey>? comparer = null) =>
        descending ? rows.OrderByDescending(key, comparer) : rows.OrderBy(key, comparer);

    public static readonly ExportColumn<RedemptionWorkRow>[] Columns =
    [
        new("办件编号", r => r.Id),
        new("企业名称", r => r.EnterpriseName),
        new("服务机构", r => r.InstitutionName),
        new("服务内容", r => r.ServiceTitle),
        new("状态", r => Glossary.Of(r.Status)),
        new("提交日期", r => Glossary.Date(r.SubmittedOn)),
        new("合同金额（元）", r => r.AmountPaidFen / 100m),
        new("核定兑付（元）", r => r.PayoutFen / 100m),
        new("拨付日期", r => r.PaidOn ?? ""),
    ];
}
