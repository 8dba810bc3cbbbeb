namespace Voucher.Workflows.Marketplace;

/// <summary>
/// The catalogue's JSON API (<c>/api/services</c>): search, one service with its versions and similar services, and the
/// institution's acts on its services. JSON in, <see cref="CatalogueService"/> or <see cref="CatalogueSearch"/>,
/// ProblemDetails or JSON out.
/// </summary>
public sealed class CatalogueApi(CatalogueService services, CatalogueSearch search)
{
    public async Task<IResult> SearchAsync(RequestContext ctx)
    {
        var (query, errors) = SearchParameters.Parse(ctx.Request.Query);
        if (errors.Count > 0)
        {
            return Problems.Validation(errors);
        }

        var result = await search.SearchAsync(query, ctx.Aborted);
        return Results.Json(new
        {
            total = result.Total,
            page = query.Page,
            pageSize = query.PageSize,
            relaxed = result.Relaxed,
            facets = new { categories = result.Categories, cities = result.Cities, institutionTypes = result.InstitutionTypes },
            items = result.Hits.Select(h => CatalogueViews.Doc(h.Doc, h.VoucherEligible)),
        }, JsonBody.Response);
    }

    public async Task<IResult> PublishAsync(RequestContext ctx)
    {
        var (body, error) = await JsonBody.ReadAsync<ServiceContent>(ctx.Request, ctx.Aborted);
        if (error is not null)
        {
            return error;
        }

        var outcome = await services.PublishAsync(ctx.Principal!, body!, ctx.Aborted);
        if (outcome.Failure is { } failure)
        {
            return Problems.For(failure);
        }

        ctx.Http.Response.Headers.Location = $"/api/services/{outcome.Value.InstitutionId}/{outcome.Value.ServiceId}";
        return await ServiceAsync(outcome.Value, ctx, StatusCodes.Status201Created);
    }

    public async Task<IResult> GetAsync(RequestContext ctx)
    {
        var outcome = await services.ReadAsync(ctx.Principal, ctx.RouteValue("institutionId"), ctx.RouteValue("serviceId"), ctx.Aborted);
        return outcome.Failure is { } failure ? Problems.For(failure) : await ServiceAsync(outcome.Value, ctx);
    }

    public async Task<IResult> EditAsync(RequestContext ctx)
    {
        var (body, error) = await JsonBody.ReadAsync<ServiceContent>(ctx.Request, ctx.Aborted);
        if (error is not null)
        {
            return error;
        }

        var outcome = await services.EditAsync(ctx.Principal!, new EditService(ctx.RouteValue("institutionId"), ctx.RouteValue("serviceId"), body!), ctx.Aborted);
        return outcome.Failure is { } failure ? Problems.For(failure) : await ServiceAsync(outcome.Value, ctx);
    }

    public async Task<IResult> ChangeStatusAsync(RequestContext ctx)
    {
        var (body, error) = await JsonBody.ReadAsync<ServiceStatusRequest>(ctx.Request, ctx.Aborted);
        if (error is not null)
        {
            return error;
        }

        var command = new ChangeServiceStatus(ctx.RouteValue("institutionId"), ctx.RouteValue("serviceId"), body!.Status?.Trim());
        var outcome = await services.ChangeStatusAsync(ctx.Principal!, command, ctx.Aborted);
        return outcome.Failure is { } failure ? Problems.For(failure) : await ServiceAsync(outcome.Value, ctx);
    }

    public async Task<IResult> VersionsAsync(RequestContext ctx)
    {
        var outcome = await services.DetailAsync(ctx.Principal, ctx.RouteValue("institutionId"), ctx.RouteValue("serviceId"), ctx.Aborted);
        return outcome.Failure is { } failure ? Problems.For(failure) : Results.Json(outcome.Value.Versions.Select(CatalogueViews.Version), JsonBody.Response);
    }

    public async Task<IResult> SimilarAsync(RequestContext ctx)
    {
        var similar = await search.SimilarAsync(ctx.RouteValue("institutionId"), ctx.RouteValue("serviceId"), ctx.Aborted);
        var eligible = await search.EligibleCategoriesAsync(ctx.Aborted);
        return Results.Json(similar.Select(d => CatalogueViews.Doc(d, eligible.Contains(d.Category))), JsonBody.Response);
    }

    async Task<IResult> ServiceAsync(ServiceEntity s, RequestContext ctx, int status = StatusCodes.Status200OK) =>
        Results.Json(CatalogueViews.Service(s, await search.EligibleCategoriesAsync(ctx.Aborted)), JsonBody.Response, statusCode: status);
}

/// <summary>The JSON body of a status change: "published" (resume), "paused" or "retired".</summary>
public sealed record ServiceStatusRequest(string? Status);
