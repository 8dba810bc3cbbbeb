using Voucher.Workflows.Applications;
using Voucher.Workflows.Web;
using Voucher.Workflows.Web.Lists;

namespace Voucher.Workflows.Worklists;

/// <summary>One application in the city bureau's review work list, read from its city index row.</summary>
public sealed record ApplicationWorkRow(
    string Id,
    string Uscc,
    string EnterpriseName,
    ApplicationStatus Status,
    DateOnly SubmittedOn,
    DateOnly? Deadline,
    bool DeadlineProvisional,
    int Round,
    DateOnly? DecidedOn)
{
    public static ApplicationWorkRow From(ApplicationIndexEntity e) => new(
        e.RowKey,
        e.RowKey.Length >= 18 ? e.RowKey[..18] : "",
        e.EnterpriseName,
        e.Status,
        ChinaTime.DateOf(e.SubmittedAt.UtcDateTime),
        DateOnly.TryParse(e.DeadlineDate, CultureInfo.InvariantCulture, out var d) ? d : null,
        e.DeadlineProvisional,
        e.Round,
        e.DecidedAt is { } at ? ChinaTime.DateOf(at.UtcDateTime) : null);
}

/// <summary>
/// The city bureau's application reviews as a work list: 待办 = under review or escalated (nearest deadline first),
/// 已办 = approved or rejected (latest decision first); keyword over enterprise name, USCC and 办件编号; a status filter;
/// sortable by deadline, submission date, decision date and enterprise. Pure: the rows come from one city partition.
/// </summary>
public static class ApplicationWorkList
{
    public const string Path = "/portal/work/applications";
    public const string Todo = "todo";
    public const string Done = "done";

    public static readonly string[] Tabs = [Todo, Done];
    public static readonly string[] Sorts = ["deadline", "submitted", "decided", "enterprise"];
    public static readonly string[] FilterNames = ["status"];

    public static IReadOnlyList<ApplicationStatus> StatusesOf(string tab) => tab == Done
        ? [ApplicationStatus.Approved, ApplicationStatus.Rejected]
        : [ApplicationStatus.UnderReview, ApplicationStatus.Escalated];

    /// <summary>Reads the query: the default order depends on the tab (待办 by deadline, 已办 by decision, latest first).</summary>
    public static ListQuery Query(HttpRequest request)
    {
        var tab = ListQuery.From(request, Tabs, Sorts, null, false, FilterNames).Tab;
        return tab == Done
            ? ListQuery.From(request, Tabs, Sorts, "decided", true, FilterNames)
            : ListQuery.From(request, Tabs, Sorts, "deadline", false, FilterNames);
    }

    /// <summary>The status filter's value when it names one of the tab's statuses; an error message otherwise (null when unset).</summary>
    public static (ApplicationStatus? Status, string? Error) StatusFilter(ListQuery query)
    {
        if (query.Filter("status") is not { } value)
        {
            return (null, null);
        }

        return Enum.TryParse<ApplicationStatus>(value, ignoreCase: false, out var s) && StatusesOf(query.Tab).Contains(s)
            ? (s, null)
            : (null, "请从列出的状态中选择。");
    }

    public static int Count(IEnumerable<ApplicationWorkRow> rows, string tab) => rows.Count(r => StatusesOf(tab).Contains(r.Status));

    /// <summary>The list as the pages answer it: the rows of the query, its tabs (待办 / 已办) with their counts, a refused filter.</summary>
    public static WorkListAnswer<ApplicationWorkRow> Answer(string title, string fileName, IReadOnlyList<ApplicationWorkRow> all, ListQuery query) =>
        new(title, fileName, query, Apply(all, query), Columns, new(Todo, "待办", Count(all, Todo)), new(Done, "已办", Count(all, Done)), StatusFilter(query).Error);

    /// <summary>The rows of the query's tab that match its keyword and filters, in its order (every page).</summary>
    public static IReadOnlyList<ApplicationWorkRow> Apply(IEnumerable<ApplicationWorkRow> rows, ListQuery query)
    {
        var statuses = StatusesOf(query.Tab);
        var (status, _) = StatusFilter(query);
        var keyword = query.Keyword;
        var matching = rows.Where(r => statuses.Contains(r.Status)
            && (status is null || r.Status == status)
            && (keyword.Length == 0
                || r.EnterpriseName.Contains(keyword, StringComparison.OrdinalIgnoreCase)
                || r.Id.Contains(keyword, StringComparison.OrdinalIgnoreCase)));

        // Ties broken by id so that pages never overlap.
        var ordered = query.Sort switch
        {
            "submitted" => Order(matching, r => r.SubmittedOn, query.Descending),
            "decided" => Order(matching, r => r.DecidedOn ?? DateOnly.MinValue, query.Descending),
            "enterprise" => Order(matching, r => r.EnterpriseName, query.Descending, StringComparer.Ordinal),
            _ => Order(matching, r => r.Deadline ?? DateOnly.MaxValue, query.Descending),
        };
        return ordered.ThenBy(r => r.Id, StringComparer.Ordinal).ToList();
    }

    static IOrderedEnumerable<ApplicationWorkRow> Order<TKey>(IEnumerable<ApplicationWorkRow> rows, Func<ApplicationWorkRow, TKey> key, bool descending, IComparer<TKey>? comparer = null) =>
        descending ? rows.OrderByDescending(key, comparer) : rows.OrderBy(key, comparer);

    /// <summary>The export's columns (the same as the table's).</summary>
    public static readonly ExportColumn<ApplicationWorkRow>[] Columns =
    [
        new("办件编号", r => r.Id),
        new("企业名称", r => r.EnterpriseName),
        new("统一社会信用代码", r => r.Uscc),
        new("状态", r => Glossary.Of(r.Status)),
        new("提交日期", r => Glossary.Date(r.SubmittedOn)),
        new("审核期限", r => r.Deadline is { } d ? Glossary.Date(d) : ""),
        new("办结日期", r => r.DecidedOn is { } d ? Glossary.Date(d) : ""),
    ];
}
