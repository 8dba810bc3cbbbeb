using Microsoft.Extensions.DependencyInjection;
using Voucher.Domain.Catalogue;
using Voucher.Workflows.Web;

namespace Voucher.Workflows.Marketplace;

/// <summary>The public service catalogue: search with filters, facets, sorting and pages; one service with its history and similar services.</summary>
public sealed class CataloguePages(CatalogueSearch search, CatalogueService services)
{
    const string Title = "服务目录";

    /// <summary>The query parameters of the search form (the keyword box, then the filters under 更多筛选).</summary>
    static readonly string[] SearchFields = ["q", "category", "city", "type", "priceMin", "priceMax", "sort"];

    /// <summary>The filters; any of them set opens 更多筛选.</summary>
    static readonly string[] FilterFields = ["category", "city", "type", "priceMin", "priceMax", "sort", "eligible"];

    public async Task<IResult> SearchPageAsync(RequestContext ctx)
    {
        var q = ctx.Request.Query;
        var (query, parsed) = SearchParameters.Parse(q);
        var errors = parsed.Select(e => e.Field switch
        {
            "sort" => e with { Message = "请从列表中选择排序方式。" },
            "eligible" => e with { Message = "请勾选或不勾选“仅显示可用创新券的服务”。" },
            "page" or "pageSize" => e with { Message = "页码无效，请从第 1 页重新查看。" },
            _ => e,
        }).ToList();
        var form = new FormState(SearchFields.ToDictionary(k => k, k => (string?)q[k].ToString()), errors);
        var eligibleOnly = q["eligible"].ToString() is "true" or "on" or "1";
        var filtersOpen = errors.Count > 0 || FilterFields.Any(f => q[f].ToString().Length > 0);
        var eligibleCategories = await search.EligibleCategoriesAsync(ctx.Aborted);
        if (errors.Count > 0)
        {
            return Pages.View<CataloguePage>(Title, ctx.Principal, new CatalogueModel(form, eligibleOnly, filtersOpen, eligibleCategories, null), StatusCodes.Status400BadRequest);
        }

        var result = await search.SearchAsync(query, ctx.Aborted);
        var pages = Math.Max(1, (int)Math.Ceiling(result.Total / (double)query.PageSize));
        var results = new CatalogueResults(
            result.Total,
            result.Relaxed,
            [.. result.Hits.Select(h => ServiceSummary.Of(h.Doc, h.VoucherEligible))],
            [
                Facet(q, "category", "服务类别", result.Categories, ServiceCategories.NameOf),
                Facet(q, "city", "地市", result.Cities, MarketPages.CityName),
                Facet(q, "type", "机构类型", result.InstitutionTypes, InstitutionTypes.NameOf),
            ],
            query.Page,
            pages,
            query.Page > 1 ? With(q, "page", (query.Page - 1).ToString(CultureInfo.InvariantCulture), resetPage: false) : null,
            query.Page < pages ? With(q, "page", (query.Page + 1).ToString(CultureInfo.InvariantCulture), resetPage: false) : null);
        return Pages.View<CataloguePage>(Title, ctx.Principal, new CatalogueModel(form, eligibleOnly, filtersOpen, eligibleCategories, results));
    }

    /// <summary>The catalogue's address with <paramref name="key"/> set to <paramref name="value"/> (or removed), the other parameters kept.</summary>
    static string With(IQueryCollection q, string key, string? value, bool resetPage = true)
    {
        var pairs = q.Where(kv => kv.Key != key && !(resetPage && kv.Key == "page") && kv.Key is not ("done" or "error") && kv.Value.ToString().Length > 0)
            .Select(kv => (kv.Key, kv.Value.ToString())).ToList();
        if (value is not null)
        {
            pairs.Add((key, value));
        }

        return "/catalogue" + (pairs.Count == 0 ? "" : "?" + string.Join("&", pairs.Select(p => Uri.EscapeDataString(p.Item1) + "=" + Uri.EscapeDataString(p.Item2))));
    }

    static FacetGroup Facet(IQueryCollection q, string key, string title, IReadOnlyDictionary<string, int> counts, Func<string, string> name)
    {
        var current = q[key].ToString();
        return new FacetGroup(title, [.. counts.OrderByDescending(kv => kv.Value).ThenBy(kv => kv.Key, StringComparer.Ordinal).Select(kv =>
            kv.Key == current
                ? new FacetItem(name(kv.Key), kv.Value, With(q, key, null), Current: true)
                : new FacetItem(name(kv.Key), kv.Value, With(q, key, kv.Key), Current: false))]);
    }

    public async Task<IResult> ServicePageAsync(RequestContext ctx)
    {
        var (institutionId, serviceId) = (ctx.RouteValue("institutionId"), ctx.RouteValue("serviceId"));
        var detail = await services.DetailAsync(ctx.Principal, institutionId, serviceId, ctx.Aborted);
        if (detail.Failure is not null)
        {
            return Pages.NotFound(ctx.Principal, "没有找到这项服务，它可能已下架或机构尚未通过认证。");
        }

        var (s, institution, history) = detail.Value;
        var eligible = await search.EligibleCategoriesAsync(ctx.Aborted);
        var similar = await search.SimilarAsync(institutionId, serviceId, ctx.Aborted);
        var voucherEligible = eligible.Contains(s.Category);
        var action = ServiceAction.For(ctx.Principal, s, voucherEligible, SignInHref(ctx));
        var model = new ServicePageModel(
            s,
            s.InstitutionName is { Length: > 0 } n ? n : institution?.Name ?? "",
            InstitutionTypes.NameOf(institution?.Type ?? s.InstitutionType),
            MarketPages.CityName(institution?.CityCode ?? s.CityCode),
            voucherEligible,
            action,
            ctx.Principal is { Role: Role.Enterprise },
            [.. similar.Select(d => ServiceSummary.Of(d, eligible.Contains(d.Category)))],
            [.. history.Select(v => new VersionRow(
                "第 " + v.Version.ToString(CultureInfo.InvariantCulture) + " 版", MarketPages.ChangeName(v.Change), Glossary.Time(v.ChangedAt), v.Title,
                MarketPages.Price(v.PriceFromFen, v.PriceToFen), Glossary.Of(v.Status)))]);
        return Pages.View<ServicePage>(s.Title, ctx.Principal, model);
    }

    /// <summary>Where a signed-out visitor signs in and comes back to this page.</summary>
    static string SignInHref(RequestContext ctx)
    {
        var back = ctx.Request.Path + ctx.Request.QueryString;
        return ctx.Services?.GetService<IPrincipalSource>()?.AllowsDevelopmentSignIn == true
            ? "/dev/signin?returnUrl=" + Uri.EscapeDataString(back)
            : "/.auth/login/aad?post_login_redirect_uri=" + Uri.EscapeDataString(back);
    }
}

/// <summary>The catalogue page: the search form as typed, whether 更多筛选 is open, and the results (none when the form was refused).</summary>
public sealed record CatalogueModel(FormState Form, bool EligibleOnly, bool FiltersOpen, IReadOnlySet<string> EligibleCategories, CatalogueResults? Results);

/// <summary>One page of results with the facet counts over the whole matching set and the pager's links.</summary>
public sealed record CatalogueResults(
    int Total, bool Relaxed, IReadOnlyList<ServiceSummary> Hits, IReadOnlyList<FacetGroup> Facets, int Page, int Pages, string? PreviousHref, string? NextHref);

public sealed record FacetGroup(string Title, IReadOnlyList<FacetItem> Items);

/// <summary>A facet value with its count; the current one links to the search without it.</summary>
public sealed record FacetItem(string Text, int Count, string Href, bool Current);

/// <summary>A service as a result card: what a buyer compares (institution, category, price, turnaround, voucher use).</summary>
public sealed record ServiceSummary(
    string Href, string Title, string InstitutionName, string City, string Category, string Price, int TurnaroundDays, int UsedCount, string Summary, bool VoucherEligible)
{
    public static ServiceSummary Of(CatalogueDoc d, bool voucherEligible) => new(
        $"/catalogue/{Uri.EscapeDataString(d.InstitutionId)}/{Uri.EscapeDataString(d.ServiceId)}", d.Title, d.InstitutionName, MarketPages.CityName(d.CityCode),
        ServiceCategories.NameOf(d.Category), MarketPages.Price(d.PriceFromFen, d.PriceToFen), d.TurnaroundDays, d.UsedCount, MarketPages.Summary(d.Description), voucherEligible);
}

/// <summary>One service: its facts, what the visitor may do with a voucher here, similar services and its versions.</summary>
public sealed record ServicePageModel(
    ServiceEntity Service, string InstitutionName, string InstitutionType, string City, bool VoucherEligible, ServiceAction Action, bool OffersDemand,
    IReadOnlyList<ServiceSummary> Similar, IReadOnlyList<VersionRow> Versions);

public sealed record VersionRow(string Version, string Change, string When, string Title, string Price, string Status);

/// <summary>
/// What a service page offers about paying with a voucher: a signed-in enterprise redeems (the redemption request opens
/// with this institution and service filled in), a signed-out visitor signs in first, other roles see nothing. Only a
/// published service of a category the province policy lets vouchers pay for; otherwise the reason, for those who
/// would have been offered it.
/// </summary>
public sealed record ServiceAction(ServiceActionKind Kind, string? Href, string? Reason)
{
    public static ServiceAction None { get; } = new(ServiceActionKind.None, null, null);

    public static ServiceAction For(VoucherPrincipal? visitor, ServiceEntity s, bool voucherEligible, string signInHref)
    {
        if (visitor is not null && visitor.Role != Role.Enterprise)
        {
            return None;
        }

        var reason = s.Status switch
        {
            ServiceStatus.Paused => "该服务已暂停接单，暂不能用创新券兑付。",
            ServiceStatus.Retired => "该服务已下架，不能用创新券兑付。",
            _ when !voucherEligible => "该服务类别不在创新券支持范围内，不能用创新券兑付。",
            _ => null,
        };
        if (reason is not null)
        {
            return new(ServiceActionKind.Unavailable, null, reason);
        }

        return visitor is null
            ? new(ServiceActionKind.SignIn, signInHref, null)
            : new(ServiceActionKind.Redeem, RedeemHref(s.InstitutionId, s.ServiceId), null);
    }

    /// <summary>The redemption request, prefilled with the institution and the service.</summary>
    public static string RedeemHref(string institutionId, string serviceId) =>
        $"/portal/redemptions/new?institutionId={Uri.EscapeDataString(institutionId)}&serviceId={Uri.EscapeDataString(serviceId)}";
}

public enum ServiceActionKind
{
    None,
    Redeem,
    SignIn,
    Unavailable,
}
