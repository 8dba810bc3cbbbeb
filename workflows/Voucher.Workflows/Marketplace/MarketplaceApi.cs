using System.Globalization;
using Microsoft.AspNetCore.Http;
using Voucher.Domain;
using Voucher.Domain.Catalogue;
using Voucher.Workflows.Catalogue;
using Voucher.Workflows.Http;
using Voucher.Workflows.Security;

namespace Voucher.Workflows.Marketplace;

/// <summary>The marketplace's JSON API: thin mapping of HTTP to <see cref="MarketService"/>.</summary>
public sealed class MarketplaceApi(MarketService market, CatalogueStore catalogue, FacultyRecords faculty)
{
    static IResult Answer<T>(Outcome<T> outcome, Func<T, object> view)
        where T : class =>
        outcome.Ok ? Results.Json(view(outcome.Value!), JsonBody.Response, statusCode: outcome.Status) : outcome.Problem();

    // ---- Institutions ----

    public async Task<IResult> RegisterInstitutionAsync(RequestContext ctx)
    {
        var (body, error) = await JsonBody.ReadAsync<InstitutionRequest>(ctx.Request, ctx.Aborted);
        return error ?? Answer(await market.RegisterInstitutionAsync(ctx.Principal!, body!, ctx.Aborted), InstitutionView);
    }

    public async Task<IResult> GetInstitutionAsync(RequestContext ctx)
    {
        var id = ctx.RouteValue("institutionId");
        var i = await catalogue.GetInstitutionAsync(id, ctx.Aborted);
        var p = ctx.Principal;
        var mayReadAny = p is { Role: Role.Province } || (p is { Role: Role.Institution } && p.Scope == id);
        if (i is null || (!i.Verified && !mayReadAny))
        {
            return Problems.NotFound($"服务机构 {id} 不存在或未通过核验 (No such verified institution)");
        }

        var eligible = await market.EligibleCategoriesAsync(ctx.Aborted);
        var services = (await catalogue.ServicesOfAsync(id, ctx.Aborted)).Where(s => mayReadAny || s.EffectiveStatus == "published").Select(s => ServiceView(s, eligible));
        return Results.Json(new { institution = InstitutionView(i, mayReadAny), services }, JsonBody.Response);
    }

    public async Task<IResult> UpdateInstitutionAsync(RequestContext ctx)
    {
        var (body, error) = await JsonBody.ReadAsync<InstitutionRequest>(ctx.Request, ctx.Aborted);
        return error ?? Answer(await market.UpdateInstitutionAsync(ctx.Principal!, ctx.RouteValue("institutionId"), body!, ctx.Aborted), InstitutionView);
    }

    public async Task<IResult> VerifyInstitutionAsync(RequestContext ctx)
    {
        var (body, error) = await JsonBody.ReadAsync<VerificationRequest>(ctx.Request, ctx.Aborted);
        return error ?? Answer(await market.DecideInstitutionAsync(ctx.Principal!, ctx.RouteValue("institutionId"), body!, ctx.Aborted), InstitutionView);
    }

    public async Task<IResult> PendingInstitutionsAsync(RequestContext ctx) =>
        Results.Json((await market.PendingInstitutionsAsync(ctx.Aborted)).Select(InstitutionView), JsonBody.Response);

    static object InstitutionView(InstitutionEntity i) => InstitutionView(i, true);

    static object InstitutionView(InstitutionEntity i, bool withContact) => new
    {
        institutionId = i.InstitutionId,
        name = i.Name,
        type = i.Type,
        cityCode = i.CityCode,
        code = i.Code,
        sharingPlatformId = i.SharingPlatformId,
        status = i.EffectiveStatus,
        verified = i.Verified,
        decisionReason = withContact ? i.DecisionReason : null,
        contactName = withContact ? i.ContactName : null,
        contactPhone = withContact ? i.ContactPhone : null,
        introduction = i.Introduction,
    };

    // ---- Services ----

    public async Task<IResult> PublishServiceAsync(RequestContext ctx)
    {
        var (body, error) = await JsonBody.ReadAsync<ServiceRequest>(ctx.Request, ctx.Aborted);
        if (error is not null)
        {
            return error;
        }

        var outcome = await market.PublishServiceAsync(ctx.Principal!, body!, ctx.Aborted);
        if (outcome.Ok)
        {
            ctx.Http.Response.Headers.Location = $"/api/services/{outcome.Value!.InstitutionId}/{outcome.Value.ServiceId}";
        }

        var eligible = await market.EligibleCategoriesAsync(ctx.Aborted);
        return Answer(outcome, s => ServiceView(s, eligible));
    }

    public async Task<IResult> GetServiceAsync(RequestContext ctx)
    {
        var s = await market.ReadableServiceAsync(ctx.Principal, ctx.RouteValue("institutionId"), ctx.RouteValue("serviceId"), ctx.Aborted);
        return s is null ? Problems.NotFound("服务不存在 (No such service)") : Results.Json(ServiceView(s, await market.EligibleCategoriesAsync(ctx.Aborted)), JsonBody.Response);
    }

    public async Task<IResult> UpdateServiceAsync(RequestContext ctx)
    {
        var (body, error) = await JsonBody.ReadAsync<ServiceRequest>(ctx.Request, ctx.Aborted);
        if (error is not null)
        {
            return error;
        }

        var outcome = await market.UpdateServiceAsync(ctx.Principal!, ctx.RouteValue("institutionId"), ctx.RouteValue("serviceId"), body!, ctx.Aborted);
        var eligible = await market.EligibleCategoriesAsync(ctx.Aborted);
        return Answer(outcome, s => ServiceView(s, eligible));
    }

    public async Task<IResult> SetServiceStatusAsync(RequestContext ctx)
    {
        var (body, error) = await JsonBody.ReadAsync<ServiceStatusRequest>(ctx.Request, ctx.Aborted);
        if (error is not null)
        {
            return error;
        }

        var outcome = await market.SetServiceStatusAsync(ctx.Principal!, ctx.RouteValue("institutionId"), ctx.RouteValue("serviceId"), body!.Status?.Trim(), ctx.Aborted);
        var eligible = await market.EligibleCategoriesAsync(ctx.Aborted);
        return Answer(outcome, s => ServiceView(s, eligible));
    }

    public async Task<IResult> VersionsAsync(RequestContext ctx)
    {
        var (i, s) = (ctx.RouteValue("institutionId"), ctx.RouteValue("serviceId"));
        if (await market.ReadableServiceAsync(ctx.Principal, i, s, ctx.Aborted) is null)
        {
            return Problems.NotFound("服务不存在 (No such service)");
        }

        var versions = await catalogue.VersionsAsync(i, s, ctx.Aborted);
        return Results.Json(versions.OrderByDescending(v => v.Version).Select(v => new
        {
            version = v.Version, change = v.Change, changedBy = v.ChangedBy, changedAt = v.ChangedAt, title = v.Title, category = v.Category, description = v.Description,
            specifications = v.Specifications, equipment = v.Equipment, priceFrom = Cny.FromFen(v.PriceFromFen), priceTo = v.PriceToFen > 0 ? Cny.FromFen(v.PriceToFen) : (Cny?)null,
            turnaroundDays = v.TurnaroundDays, staff = v.Staff, status = v.Status,
        }), JsonBody.Response);
    }

    public async Task<IResult> SimilarAsync(RequestContext ctx)
    {
        var (i, s) = (ctx.RouteValue("institutionId"), ctx.RouteValue("serviceId"));
        var similar = await market.SimilarAsync(i, s, ctx.Aborted);
        var eligible = await market.EligibleCategoriesAsync(ctx.Aborted);
        return Results.Json(similar.Select(d => DocView(d, eligible.Contains(d.Category))), JsonBody.Response);
    }

    public async Task<IResult> SearchAsync(RequestContext ctx)
    {
        var (query, errors) = SearchParameters.Parse(ctx.Request.Query);
        if (errors.Count > 0)
        {
            return Problems.Validation(errors);
        }

        var result = await market.SearchAsync(query, ctx.Aborted);
        return Results.Json(new
        {
            total = result.Total,
            page = query.Page,
            pageSize = query.PageSize,
            relaxed = result.Relaxed,
            facets = new { categories = result.Categories, cities = result.Cities, institutionTypes = result.InstitutionTypes },
            items = result.Hits.Select(h => DocView(h.Doc, h.VoucherEligible)),
        }, JsonBody.Response);
    }

    /// <summary>A search hit; <paramref name="voucherEligible"/> is judged by the current province policy.</summary>
    public static object DocView(CatalogueDoc d, bool voucherEligible) => new
    {
        institutionId = d.InstitutionId,
        serviceId = d.ServiceId,
        title = d.Title,
        category = d.Category,
        categoryName = ServiceCategories.NameOf(d.Category),
        voucherEligible,
        cityCode = d.CityCode,
        institutionName = d.InstitutionName,
        institutionType = d.InstitutionType,
        priceFrom = Cny.FromFen(d.PriceFromFen),
        priceTo = d.PriceToFen > 0 ? Cny.FromFen(d.PriceToFen) : (Cny?)null,
        turnaroundDays = d.TurnaroundDays,
        usedCount = d.UsedCount,
        description = d.Description,
    };

    /// <summary>A service; <paramref name="eligible"/> is the current province policy's eligible categories.</summary>
    public static object ServiceView(ServiceEntity s, IReadOnlySet<string> eligible) => new
    {
        institutionId = s.InstitutionId,
        serviceId = s.ServiceId,
        title = s.Title,
        category = s.Category,
        categoryName = ServiceCategories.NameOf(s.Category),
        voucherEligible = eligible.Contains(s.Category),
        description = s.Description,
        specifications = s.Specifications,
        equipment = s.Equipment,
        priceFrom = Cny.FromFen(s.PriceFromFen),
        priceTo = s.PriceToFen > 0 ? Cny.FromFen(s.PriceToFen) : (Cny?)null,
        turnaroundDays = s.TurnaroundDays,
        contact = s.Contact,
        staff = FacultyRecords.Split(s.Staff),
        cityCode = s.CityCode,
        institutionName = s.InstitutionName,
        status = s.EffectiveStatus,
        version = s.Version,
        usedCount = s.UsedCount,
    };

    // ---- Demand ----

    public async Task<IResult> PostDemandAsync(RequestContext ctx)
    {
        var (body, error) = await JsonBody.ReadAsync<DemandRequest>(ctx.Request, ctx.Aborted);
        return error ?? Answer(await market.PostDemandAsync(ctx.Principal!, body!, ctx.Aborted), d => DemandView(d, null));
    }

    /// <summary>An enterprise's own demands (with offers); an institution's matching demand (with its own offer).</summary>
    public async Task<IResult> ListDemandsAsync(RequestContext ctx)
    {
        var p = ctx.Principal!;
        if (p.Role == Role.Enterprise)
        {
            var mine = new List<object>();
            foreach (var d in await market.DemandsOfEnterpriseAsync(p.Scope ?? "", ctx.Aborted))
            {
                mine.Add(DemandView(d, await market.OffersAsync(d.DemandId, ctx.Aborted)));
            }

            return Results.Json(mine, JsonBody.Response);
        }

        var matching = await market.MatchingDemandAsync(p.Scope ?? "", ctx.Aborted);
        return Results.Json(matching.Select(m => DemandView(m.Demand, m.MyOffer is null ? [] : [m.MyOffer])), JsonBody.Response);
    }

    public async Task<IResult> GetDemandAsync(RequestContext ctx)
    {
        var p = ctx.Principal!;
        var d = await market.GetDemandAsync(ctx.RouteValue("demandId"), ctx.Aborted);
        if (d is null || (p.Role == Role.Enterprise && !p.IsEnterprise(d.Uscc)))
        {
            return Problems.NotFound("需求不存在或不属于本企业 (Not found or not yours)");
        }

        var offers = await market.OffersAsync(d.DemandId, ctx.Aborted);
        return Results.Json(DemandView(d, p.Role == Role.Institution ? offers.Where(o => o.InstitutionId == p.Scope).ToList() : offers), JsonBody.Response);
    }

    public async Task<IResult> MakeOfferAsync(RequestContext ctx)
    {
        var (body, error) = await JsonBody.ReadAsync<OfferRequest>(ctx.Request, ctx.Aborted);
        return error ?? Answer(await market.MakeOfferAsync(ctx.Principal!, ctx.RouteValue("demandId"), body!, ctx.Aborted), OfferView);
    }

    public async Task<IResult> AcceptOfferAsync(RequestContext ctx)
    {
        var (body, error) = await JsonBody.ReadAsync<AcceptOfferRequest>(ctx.Request, ctx.Aborted);
        return error ?? Answer(await market.AcceptOfferAsync(ctx.Principal!, ctx.RouteValue("demandId"), ctx.RouteValue("institutionId"), body!.ContractNumber, ctx.Aborted), OrderView);
    }

    public async Task<IResult> GetOrderAsync(RequestContext ctx)
    {
        var o = await market.GetOrderAsync(ctx.RouteValue("orderId"), ctx.Aborted);
        return o is null || !MarketService.CanRead(ctx.Principal!, o) ? Problems.NotFound("订单不存在或无权查看 (Not found or not yours)") : Results.Json(OrderView(o), JsonBody.Response);
    }

    public async Task<IResult> FacultyRecordAsync(RequestContext ctx)
    {
        var p = ctx.Principal!;
        var id = ctx.RouteValue("institutionId");
        if (p.Role != Role.Province && !(p.Role == Role.Institution && p.Scope == id))
        {
            return Problems.Forbidden("只能查看本机构人员的服务记录 (Only your own institution's staff)");
        }

        var entries = await faculty.ForInstitutionAsync(id, ctx.Request.Query["staff"].ToString(), ctx.Aborted);
        return ctx.Request.Query["format"] == "csv"
            ? Results.File(FacultyRecords.Csv(entries), "text/csv; charset=utf-8", $"faculty-record-{id}.csv")
            : Results.Json(entries.Select(e => new { staff = e.Staff, kind = e.Kind, date = e.Date, enterprise = e.Enterprise, service = e.Service, amount = e.Amount, reference = e.Reference }), JsonBody.Response);
    }

    static object DemandView(DemandEntity d, IReadOnlyList<OfferEntity>? offers) => new
    {
        demandId = d.DemandId, category = d.Category, categoryName = ServiceCategories.NameOf(d.Category), description = d.Description, budget = Cny.FromFen(d.BudgetFen),
        cityCode = d.CityCode, deadline = d.Deadline, status = d.Status, enterpriseName = d.EnterpriseName, orderId = d.OrderId,
        offers = offers?.Select(OfferView),
    };

    static object OfferView(OfferEntity o) => new
    {
        demandId = o.DemandId, institutionId = o.InstitutionId, institutionName = o.InstitutionName, serviceId = o.ServiceId, serviceTitle = o.ServiceTitle,
        price = Cny.FromFen(o.PriceFen), turnaroundDays = o.TurnaroundDays, message = o.Message, status = o.Status,
    };

    public static object OrderView(OrderEntity o) => new
    {
        orderId = o.OrderId, demandId = o.DemandId, uscc = o.Uscc, enterpriseName = o.EnterpriseName, institutionId = o.InstitutionId, institutionName = o.InstitutionName,
        serviceId = o.ServiceId, serviceTitle = o.ServiceTitle, category = o.Category, agreedPrice = Cny.FromFen(o.AgreedPriceFen), contractNumber = o.ContractNumber,
        staff = FacultyRecords.Split(o.Staff), createdAt = o.CreatedAt,
    };
}

/// <summary>Search parameters from a query string (API and page alike); a bad value is an error naming the parameter.</summary>
public static class SearchParameters
{
    public static (SearchQuery Query, List<FieldError> Errors) Parse(IQueryCollection q)
    {
        var errors = new List<FieldError>();
        string? Text(string name, int max)
        {
            var v = q[name].ToString().Trim();
            if (v.Length > max)
            {
                errors.Add(new FieldError(name, $"不能超过 {max} 个字符 (At most {max} characters)"));
                return null;
            }

            return v.Length == 0 ? null : v;
        }

        long? Yuan(string name)
        {
            var v = q[name].ToString().Trim();
            if (v.Length == 0)
            {
                return null;
            }

            if (!decimal.TryParse(v, NumberStyles.Number, CultureInfo.InvariantCulture, out var yuan) || yuan < 0 || yuan > Cny.MaxInputYuan || decimal.Round(yuan, 2) != yuan)
            {
                errors.Add(new FieldError(name, "请填写以元为单位的金额，如 5000 (An amount in yuan)"));
                return null;
            }

            return (long)(yuan * 100);
        }

        int Int(string name, int fallback, int min, int max)
        {
            var v = q[name].ToString().Trim();
            if (v.Length == 0)
            {
                return fallback;
            }

            if (!int.TryParse(v, NumberStyles.None, CultureInfo.InvariantCulture, out var n) || n < min || n > max)
            {
                errors.Add(new FieldError(name, $"须为 {min}–{max} 的整数 (A whole number from {min} to {max})"));
                return fallback;
            }

            return n;
        }

        var keywords = Text("q", 100);
        var category = Text("category", 40);
        if (category is not null && !ServiceCategories.TryGet(category, out _))
        {
            errors.Add(new FieldError("category", "未知的服务类别 (Unknown category)"));
        }

        var city = Text("city", 20)?.ToLowerInvariant();
        if (city is not null && !Cities.TryGet(city, out _))
        {
            errors.Add(new FieldError("city", "未知的地市 (Unknown city)"));
        }

        var type = Text("type", 40);
        if (type is not null && !InstitutionTypes.IsKnown(type))
        {
            errors.Add(new FieldError("type", "未知的机构类型 (Unknown institution type)"));
        }

        var min = Yuan("priceMin");
        var max = Yuan("priceMax");
        if (min is not null && max is not null && max < min)
        {
            errors.Add(new FieldError("priceMax", "最高价不能低于最低价 (priceMax below priceMin)"));
        }

        bool? eligible = q["eligible"].ToString() switch
        {
            "" => null,
            "true" or "1" or "on" => true,
            "false" or "0" => false,
            _ => Fail(errors, "eligible", "只能是 true 或 false"),
        };
        var sort = q["sort"].ToString() switch
        {
            "" or "relevance" => SearchSort.Relevance,
            "price" => SearchSort.Price,
            "turnaround" => SearchSort.Turnaround,
            "used" => SearchSort.MostUsed,
            _ => FailSort(errors),
        };
        var page = Int("page", 1, 1, 10_000);
        var size = Int("pageSize", 20, 1, SearchQuery.MaxPageSize);
        return (new SearchQuery(keywords, category, city, type, min, max, eligible, sort, page, size), errors);
    }

    static bool? Fail(List<FieldError> errors, string field, string message)
    {
        errors.Add(new FieldError(field, message));
        return null;
    }

    static SearchSort FailSort(List<FieldError> errors)
    {
        errors.Add(new FieldError("sort", "排序只能是 relevance、price、turnaround 或 used"));
        return SearchSort.Relevance;
    }
}
