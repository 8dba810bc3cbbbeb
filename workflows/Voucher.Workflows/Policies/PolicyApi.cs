namespace Voucher.Workflows.Policies;

/// <summary>
/// The policy API (<c>/api/policies/{city}</c>, <c>/api/province-policy</c>): JSON in, <see cref="PolicyService"/>,
/// ProblemDetails or JSON out. A read answers the current version and the history, newest first.
/// </summary>
public sealed class PolicyApi(PolicyService policies)
{
    public async Task<IResult> GetCityAsync(RequestContext ctx)
    {
        var outcome = await policies.CityHistoryAsync(ctx.Principal!, ctx.RouteValue("city"), ctx.Aborted);
        if (outcome.Failure is { } failure)
        {
            return Problems.For(failure);
        }

        var h = outcome.Value;
        return Results.Json(new { city = h.City.Code, current = h.Versions[0], history = h.Versions }, JsonBody.Response);
    }

    public async Task<IResult> PublishCityAsync(RequestContext ctx)
    {
        var (body, error) = await JsonBody.ReadAsync<CityPolicyChange>(ctx.Request, ctx.Aborted);
        if (error is not null)
        {
            return error;
        }

        var outcome = await policies.PublishCityPolicyAsync(ctx.Principal!, ctx.RouteValue("city"), body!, ctx.Aborted);
        return outcome.Failure is { } failure ? Problems.For(failure) : Results.Json(outcome.Value, JsonBody.Response, statusCode: StatusCodes.Status201Created);
    }

    public async Task<IResult> GetProvinceAsync(RequestContext ctx)
    {
        var outcome = await policies.ProvinceHistoryAsync(ctx.Principal!, ctx.Aborted);
        return outcome.Failure is { } failure
            ? Problems.For(failure)
            : Results.Json(new { current = outcome.Value.Versions[0], history = outcome.Value.Versions }, JsonBody.Response);
    }

    public async Task<IResult> PublishProvinceAsync(RequestContext ctx)
    {
        var (body, error) = await JsonBody.ReadAsync<ProvincePolicyChange>(ctx.Request, ctx.Aborted);
        if (error is not null)
        {
            return error;
        }

        var outcome = await policies.PublishProvincePolicyAsync(ctx.Principal!, body!, ctx.Aborted);
        return outcome.Failure is { } failure ? Problems.For(failure) : Results.Json(outcome.Value, JsonBody.Response, statusCode: StatusCodes.Status201Created);
    }
}
