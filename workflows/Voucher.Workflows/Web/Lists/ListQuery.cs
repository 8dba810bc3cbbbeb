namespace Voucher.Workflows.Web.Lists;

/// <summary>
/// What an officer asked a work list for, read from the query string: keyword <c>q</c>, tab <c>tab</c> (待办/已办…),
/// sort column <c>sort</c> and direction <c>dir</c>, page <c>page</c> (from 1) and page size <c>size</c>, plus the
/// list's own filters by name. Unknown values fall back to the list's defaults (a stale bookmark still opens the list);
/// filters a list must validate (an amount range) are checked by that list, with the message by the field.
/// </summary>
public sealed record ListQuery(
    string Keyword,
    string Tab,
    string? Sort,
    bool Descending,
    int Page,
    int PageSize,
    IReadOnlyDictionary<string, string> Filters)
{
    public const int DefaultPageSize = 50;

    public static IReadOnlyList<int> PageSizes { get; } = [20, 50, 100, 200];

    const int MaxValueLength = 100;

    /// <param name="tabs">The list's tabs, the default first (empty when the list has none).</param>
    /// <param name="sorts">The sortable column keys; <paramref name="defaultSort"/> when none or an unknown one is asked for.</param>
    /// <param name="filters">The names of the list's filters (other query keys are ignored).</param>
    public static ListQuery From(HttpRequest request, IReadOnlyList<string> tabs, IReadOnlyList<string> sorts, string? defaultSort, bool defaultDescending, IReadOnlyList<string> filters)
    {
        string Value(string key) => Clip(request.Query[key].ToString());

        var tab = Value("tab");
        if (!tabs.Contains(tab, StringComparer.Ordinal))
        {
            tab = tabs.Count > 0 ? tabs[0] : "";
        }

        var sort = Value("sort");
        var known = sorts.Contains(sort, StringComparer.Ordinal);
        var dir = Value("dir");
        var descending = known ? dir == "desc" || (dir != "asc" && defaultDescending && sort == defaultSort) : defaultDescending;

        var page = int.TryParse(Value("page"), NumberStyles.None, CultureInfo.InvariantCulture, out var p) && p >= 1 ? p : 1;
        var size = int.TryParse(Value("size"), NumberStyles.None, CultureInfo.InvariantCulture, out var s) && PageSizes.Contains(s) ? s : DefaultPageSize;

        var values = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var name in filters)
        {
            if (Value(name) is { Length: > 0 } v)
            {
                values[name] = v;
            }
        }

        return new ListQuery(Value("q"), tab, known ? sort : defaultSort, descending, page, size, values);
    }

    /// <summary>A filter's value, or null when not set.</summary>
    public string? Filter(string name) => Filters.TryGetValue(name, out var v) ? v : null;

    /// <summary>True when the keyword or any filter narrows the list (the 更多筛选 box opens when a filter is set).</summary>
    public bool IsFiltered => Keyword.Length > 0 || Filters.Count > 0;

    /// <summary>Index of the first row of the page in the whole list (from 0).</summary>
    public int Skip => (Page - 1) * PageSize;

    /// <summary>
    /// This list's address with some values changed: <paramref name="changes"/> set (a null value removes the key). Changing
    /// anything but the page goes back to page 1.
    /// </summary>
    public string Href(string path, params (string Key, string? Value)[] changes)
    {
        var values = new List<KeyValuePair<string, string?>>();
        void Add(string key, string? value)
        {
            if (!string.IsNullOrEmpty(value))
            {
                values.Add(new(key, value));
            }
        }

        var changed = changes.ToDictionary(c => c.Key, c => c.Value, StringComparer.Ordinal);
        string? Pick(string key, string? current) => changed.TryGetValue(key, out var v) ? v : current;

        Add("q", Pick("q", Keyword));
        Add("tab", Pick("tab", Tab));
        foreach (var (name, value) in Filters.OrderBy(f => f.Key, StringComparer.Ordinal))
        {
            if (!changed.ContainsKey(name))
            {
                Add(name, value);
            }
        }

        foreach (var (key, value) in changes)
        {
            if (key is not ("q" or "tab" or "sort" or "dir" or "page" or "size" or "format"))
            {
                Add(key, value);
            }
        }

        Add("sort", Pick("sort", Sort));
        Add("dir", Pick("dir", Sort is null ? null : Descending ? "desc" : "asc"));
        Add("size", Pick("size", PageSize == DefaultPageSize ? null : PageSize.ToString(CultureInfo.InvariantCulture)));
        var onlyPage = changes.All(c => c.Key is "page" or "format");
        Add("page", Pick("page", onlyPage && Page > 1 ? Page.ToString(CultureInfo.InvariantCulture) : null));
        Add("format", Pick("format", null));
        return values.Count == 0 ? path : path + QueryString.Create(values).ToUriComponent();
    }

    /// <summary>The export of exactly this list (same keyword, tab, filters and order; every page).</summary>
    public string ExportHref(string path, ExportFormat format) =>
        Href(path, ("page", null), ("format", TableExport.Extension(format)));

    /// <summary>The page of <paramref name="rows"/> (already filtered and sorted) this query asks for; a page past the end shows the last one.</summary>
    public ListPage<T> PageOf<T>(IReadOnlyList<T> rows)
    {
        var pages = Math.Max(1, (rows.Count + PageSize - 1) / PageSize);
        var page = Math.Min(Page, pages);
        var items = rows.Skip((page - 1) * PageSize).Take(PageSize).ToList();
        return new ListPage<T>(items, rows.Count, page, PageSize);
    }

    static string Clip(string value)
    {
        var trimmed = value.Trim();
        return trimmed.Length > MaxValueLength ? trimmed[..MaxValueLength] : trimmed;
    }
}

/// <summary>One page of a list and the size of the whole (filtered) list.</summary>
public sealed record ListPage<T>(IReadOnlyList<T> Items, int Total, int Page, int PageSize)
{
    public int PageCount => Math.Max(1, (Total + PageSize - 1) / PageSize);

    /// <summary>The 1-based number of the page's first row in the whole list (0 when the list is empty).</summary>
    public int FirstNumber => Total == 0 ? 0 : ((Page - 1) * PageSize) + 1;

    public int LastNumber => Math.Min(Total, Page * PageSize);
}

/// <summary>A tab of a work list: its key in the query, its label and, when known, how many rows it holds.</summary>
public sealed record ListTab(string Key, string Label, int? Count = null);
