using Voucher.Domain.Catalogue;
using Voucher.Workflows.Marketplace;
using Voucher.Workflows.Web;
using Voucher.Workflows.Web.Lists;

namespace Voucher.Workflows.Worklists;

/// <summary>One institution in the province centre's verification work list.</summary>
public sealed record InstitutionWorkRow(
    string Id,
    string Name,
    string CityCode,
    string Type,
    string Code,
    string SharingPlatformId,
    InstitutionStatus Status,
    DateOnly? RegisteredOn,
    DateOnly? DecidedOn,
    string Reason)
{
    public static InstitutionWorkRow From(InstitutionEntity i) => new(
        i.InstitutionId, i.Name, i.CityCode, i.Type, i.Code, i.SharingPlatformId, i.Status, DateOf(i.RegisteredAt), null, "");

    public static InstitutionWorkRow From(InstitutionDecisionEntity d) => new(
        d.RowKey, d.Name, d.CityCode, d.Type, d.Code, d.SharingPlatformId,
        Enum.TryParse<InstitutionStatus>(d.Status, out var s) ? s : InstitutionStatus.Verified, DateOf(d.RegisteredAt), DateOf(d.DecidedAt), d.Reason);

    static DateOnly? DateOf(DateTimeOffset? at) => at is { } a && a > DateTimeOffset.MinValue ? ChinaTime.DateOf(a.UtcDateTime) : null;

    public string CityName => MarketPages.CityName(CityCode);

    public string TypeName => InstitutionTypes.NameOf(Type);
}

/// <summary>
/// The province centre's institutions to verify as a work list: 待审核 (registered or changed, from the pending
/// pointers) and 已审核 (verified or rejected, from the decided list rows); keyword over name, code and sharing-platform
/// id; filter by city (and, on 已审核, by result); sortable by date and name. Pure.
/// </summary>
public static class InstitutionWorkList
{
    public const string Path = "/portal/work/institutions";
    public const string Todo = "todo";
    public const string Done = "done";

    public static readonly string[] Tabs = [Todo, Done];
    public static readonly string[] Sorts = ["date", "name"];
    public static readonly string[] FilterNames = ["city", "status"];

    public static ListQuery Query(HttpRequest request) => ListQuery.From(request, Tabs, Sorts, "date", false, FilterNames);

    /// <summary>The city and result filters when they name a known city and a decided result; an error message otherwise.</summary>
    public static (string? City, InstitutionStatus? Status, string? Error) Filters(ListQuery query)
    {
        string? error = null;
        var city = query.Filter("city");
        if (city is not null && !Cities.TryGet(city, out _))
        {
            (city, error) = (null, "请从列出的地市中选择。");
        }

        InstitutionStatus? status = null;
        if (query.Filter("status") is { } value)
        {
            if (query.Tab == Done && Enum.TryParse<InstitutionStatus>(value, ignoreCase: false, out var s) && s != InstitutionStatus.Pending)
            {
                status = s;
            }
            else
            {
                error ??= "请从列出的审核结果中选择。";
            }
        }

        return (city, status, error);
    }

    /// <summary>The tab's rows (the caller passes the tab's source) filtered and sorted: by date = registration (待审核, oldest first) or decision (已审核).</summary>
    public static IReadOnlyList<InstitutionWorkRow> Apply(IEnumerable<InstitutionWorkRow> rows, ListQuery query)
    {
        var (city, status, _) = Filters(query);
        var keyword = query.Keyword;
        var done = query.Tab == Done;
        var matching = rows.Where(r => (r.Status != InstitutionStatus.Pending) == done
            && (city is null || string.Equals(r.CityCode, city, StringComparison.OrdinalIgnoreCase))
            && (status is null || r.Status == status)
            && (keyword.Length == 0
                || r.Name.Contains(keyword, StringComparison.OrdinalIgnoreCase)
                || r.Code.Contains(keyword, StringComparison.OrdinalIgnoreCase)
                || r.SharingPlatformId.Contains(keyword, StringComparison.OrdinalIgnoreCase)));
        var ordered = query.Sort == "name"
            ? (query.Descending ? matching.OrderByDescending(r => r.Name, StringComparer.Ordinal) : matching.OrderBy(r => r.Name, StringComparer.Ordinal))
            : (query.Descending ? matching.OrderByDescending(r => done ? r.DecidedOn : r.RegisteredOn) : matching.OrderBy(r => done ? r.DecidedOn : r.RegisteredOn));
        return ordered.ThenBy(r => r.Id, StringComparer.Ordinal).ToList();
    }

    public static readonly ExportColumn<InstitutionWorkRow>[] Columns =
    [
        new("机构名称", r => r.Name),
        new("机构类型", r => r.TypeName),
        new("所在地市", r => r.CityName),
        new("机构代码", r => r.Code),
        new("共享平台登记编号", r => r.SharingPlatformId),
        new("状态", r => Glossary.Of(r.Status)),
        new("登记日期", r => r.RegisteredOn is { } d ? Glossary.Date(d) : ""),
        new("审核日期", r => r.DecidedOn is { } d ? Glossary.Date(d) : ""),
        new("不通过理由", r => r.Reason),
    ];
}
