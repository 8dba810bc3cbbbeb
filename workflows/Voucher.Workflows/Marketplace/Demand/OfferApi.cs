namespace Voucher.Workflows.Marketplace;

/// <summary>The JSON body of an acceptance.</summary>
public sealed record AcceptOfferRequest(string? ContractNumber);

/// <summary>
/// Offers' JSON API (<c>/api/demands/{demandId}/offers</c>) and orders' (<c>/api/orders</c>): JSON in,
/// <see cref="OfferService"/> or <see cref="OrderService"/>, ProblemDetails or JSON out.
/// </summary>
public sealed class OfferApi(OfferService offers, OrderService orders)
{
    public async Task<IResult> MakeAsync(RequestContext ctx)
    {
        var (body, error) = await JsonBody.ReadAsync<OfferTerms>(ctx.Request, ctx.Aborted);
        if (error is not null)
        {
            return error;
        }

        var outcome = await offers.MakeAsync(ctx.Principal!, new MakeOffer(ctx.RouteValue("demandId"), body!), ctx.Aborted);
        return outcome.Failure is { } failure ? Problems.For(failure) : Results.Json(DemandViews.Offer(outcome.Value), JsonBody.Response, statusCode: StatusCodes.Status201Created);
    }

    public async Task<IResult> WithdrawAsync(RequestContext ctx)
    {
        var outcome = await offers.WithdrawAsync(ctx.Principal!, new WithdrawOffer(ctx.RouteValue("demandId"), ctx.RouteValue("institutionId")), ctx.Aborted);
        return outcome.Failure is { } failure ? Problems.For(failure) : Results.Json(DemandViews.Offer(outcome.Value), JsonBody.Response);
    }

    /// <summary>201 with the new order; the same acceptance again 200 with the same order.</summary>
    public async Task<IResult> AcceptAsync(RequestContext ctx)
    {
        var (body, error) = await JsonBody.ReadAsync<AcceptOfferRequest>(ctx.Request, ctx.Aborted);
        if (error is not null)
        {
            return error;
        }

        var outcome = await offers.AcceptAsync(ctx.Principal!, new AcceptOffer(ctx.RouteValue("demandId"), ctx.RouteValue("institutionId"), body!.ContractNumber), ctx.Aborted);
        return outcome.Failure is { } failure
            ? Problems.For(failure)
            : Results.Json(DemandViews.Order(outcome.Value.Order), JsonBody.Response, statusCode: outcome.Value.Existing ? StatusCodes.Status200OK : StatusCodes.Status201Created);
    }

    public async Task<IResult> GetOrderAsync(RequestContext ctx)
    {
        var outcome = await orders.ViewAsync(ctx.Principal!, ctx.RouteValue("orderId"), ctx.Aborted);
        return outcome.Failure is { } failure ? Problems.For(failure) : Results.Json(DemandViews.Order(outcome.Value), JsonBody.Response);
    }
}
