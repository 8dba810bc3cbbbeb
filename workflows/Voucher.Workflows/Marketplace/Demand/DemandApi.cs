namespace Voucher.Workflows.Marketplace;

/// <summary>SME demand's JSON API (<c>/api/demands</c>): JSON in, <see cref="DemandService"/>, ProblemDetails or JSON out.</summary>
public sealed class DemandApi(DemandService demands)
{
    public async Task<IResult> PostAsync(RequestContext ctx)
    {
        var (body, error) = await JsonBody.ReadAsync<DemandDetails>(ctx.Request, ctx.Aborted);
        if (error is not null)
        {
            return error;
        }

        var outcome = await demands.PostAsync(ctx.Principal!, body!, ctx.Aborted);
        return outcome.Failure is { } failure ? Problems.For(failure) : Results.Json(DemandViews.Demand(outcome.Value, null), JsonBody.Response, statusCode: StatusCodes.Status201Created);
    }

    /// <summary>An enterprise's own demands (with offers); an institution's matching demand (with its own offer).</summary>
    public async Task<IResult> ListAsync(RequestContext ctx) =>
        Results.Json((await demands.ForCallerAsync(ctx.Principal!, ctx.Aborted)).Select(d => DemandViews.Demand(d.Demand, d.Offers)), JsonBody.Response);

    public async Task<IResult> GetAsync(RequestContext ctx)
    {
        var outcome = await demands.ViewAsync(ctx.Principal!, ctx.RouteValue("demandId"), ctx.Aborted);
        return outcome.Failure is { } failure ? Problems.For(failure) : Results.Json(DemandViews.Demand(outcome.Value.Demand, outcome.Value.Offers), JsonBody.Response);
    }

    public async Task<IResult> CloseAsync(RequestContext ctx)
    {
        var outcome = await demands.CloseAsync(ctx.Principal!, new CloseDemand(ctx.RouteValue("demandId")), ctx.Aborted);
        return outcome.Failure is { } failure ? Problems.For(failure) : Results.Json(DemandViews.Demand(outcome.Value, null), JsonBody.Response);
    }
}
