namespace Voucher.Workflows.Agencies;

public sealed record AgencyView(string AgencyId, string Name, string CityCode);

public sealed record DelegationView(
    string DelegationId, string AgencyId, string AgencyName, string PartyKind, string PartyId, IReadOnlyList<string> Actions, string ValidUntil,
    DelegationState State, DateTimeOffset CreatedAt, DateTimeOffset? RevokedAt);

/// <summary>
/// The agency and delegation API: agencies register; enterprises and institutions delegate, list and revoke; agencies list
/// their parties. JSON in, <see cref="AgencyService"/>, ProblemDetails or JSON out.
/// </summary>
public sealed class AgencyApi(AgencyService agencies, PublicRateLimiter limiter)
{
    public async Task<IResult> RegisterAgencyAsync(RequestContext ctx)
    {
        if (!limiter.TryAcquire(ctx.Request, "register"))
        {
            return PublicRateLimiter.TooMany();
        }

        var (body, error) = await JsonBody.ReadAsync<RegisterAgencyRequest>(ctx.Request, ctx.Aborted);
        if (error is not null)
        {
            return error;
        }

        var outcome = await agencies.RegisterAgencyAsync(ctx.Principal!, body!, ctx.Aborted);
        return outcome.Failure is { } failure
            ? Problems.For(failure)
            : Results.Json(new AgencyView(outcome.Value.AgencyId, outcome.Value.Name, outcome.Value.CityCode), JsonBody.Response, statusCode: StatusCodes.Status201Created);
    }

    public async Task<IResult> ListAgenciesAsync(RequestContext ctx) =>
        Results.Json((await agencies.AgenciesAsync(ctx.Aborted)).Select(a => new AgencyView(a.AgencyId, a.Name, a.CityCode)), JsonBody.Response);

    public async Task<IResult> CreateAsync(RequestContext ctx)
    {
        var (body, error) = await JsonBody.ReadAsync<CreateDelegationRequest>(ctx.Request, ctx.Aborted);
        if (error is not null)
        {
            return error;
        }

        var outcome = await agencies.GrantDelegationAsync(ctx.Principal!, body!, ctx.Aborted);
        return outcome.Failure is { } failure
            ? Problems.For(failure)
            : Results.Json(View(outcome.Value, agencies.Today), JsonBody.Response, statusCode: StatusCodes.Status201Created);
    }

    public async Task<IResult> ListAsync(RequestContext ctx)
    {
        var today = agencies.Today;
        return Results.Json((await agencies.DelegationsOfAsync(ctx.Principal!, ctx.Aborted)).Select(r => View(r, today)), JsonBody.Response);
    }

    public async Task<IResult> RevokeAsync(RequestContext ctx)
    {
        var outcome = await agencies.RevokeDelegationAsync(ctx.Principal!, ctx.RouteValue("id"), ctx.Aborted);
        return outcome.Failure is { } failure ? Problems.For(failure) : Results.Json(View(outcome.Value, agencies.Today), JsonBody.Response);
    }

    public async Task<IResult> PartiesAsync(RequestContext ctx)
    {
        var today = agencies.Today;
        return Results.Json((await agencies.DeskAsync(ctx.Principal!, ctx.Aborted)).Delegations.Select(r => View(r, today)), JsonBody.Response);
    }

    public static DelegationView View(DelegationEntity d, DateOnly today)
    {
        var grant = d.ToGrant();
        return new DelegationView(d.DelegationId, d.AgencyId, d.AgencyName, d.PartyKind, d.PartyId, grant.Actions, d.ValidUntil, grant.StateOn(today), d.CreatedAt, d.RevokedAt);
    }
}
