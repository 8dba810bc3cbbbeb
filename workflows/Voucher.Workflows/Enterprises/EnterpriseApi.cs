namespace Voucher.Workflows.Enterprises;

public sealed record EnterpriseView(string Uscc, string Name, string CityCode, string CityName, string SizeClass, string TechSmeNumber, string ContactName, string ContactPhone, DateTimeOffset RegisteredAt, string Address = "");

/// <summary>The enterprise API (<c>/api/enterprises</c>: register, read, edit the profile) over <see cref="EnterpriseService"/>.</summary>
public sealed class EnterpriseApi(EnterpriseService enterprises, PublicRateLimiter limiter)
{
    public async Task<IResult> RegisterAsync(RequestContext ctx)
    {
        if (!limiter.TryAcquire(ctx.Request, "register"))
        {
            return PublicRateLimiter.TooMany();
        }

        var (body, error) = await JsonBody.ReadAsync<RegisterEnterpriseRequest>(ctx.Request, ctx.Aborted);
        if (error is not null)
        {
            return error;
        }

        var outcome = await enterprises.RegisterAsync(ctx.Principal!, body!, ctx.Aborted);
        return outcome.Failure is { } failure
            ? Problems.For(failure)
            : Results.Json(ToView(outcome.Value, ctx.Principal!), JsonBody.Response, statusCode: StatusCodes.Status201Created);
    }

    public async Task<IResult> GetAsync(RequestContext ctx)
    {
        var outcome = await enterprises.ViewAsync(ctx.Principal!, ctx.RouteValue("uscc"), ctx.Aborted);
        return outcome.Failure is { } failure ? Problems.For(failure) : Results.Json(ToView(outcome.Value, ctx.Principal!), JsonBody.Response);
    }

    public async Task<IResult> UpdateProfileAsync(RequestContext ctx)
    {
        var (body, error) = await JsonBody.ReadAsync<UpdateEnterpriseProfileRequest>(ctx.Request, ctx.Aborted);
        if (error is not null)
        {
            return error;
        }

        var outcome = await enterprises.EditProfileAsync(ctx.Principal!, ctx.RouteValue("uscc"), body!, ctx.Aborted);
        return outcome.Failure is { } failure ? Problems.For(failure) : Results.Json(ToView(outcome.Value.Enterprise, ctx.Principal!), JsonBody.Response);
    }

    /// <summary>The bank account: whole for the enterprise itself and its city's finance bureau, masked for its city's S&amp;T bureau and the province.</summary>
    public async Task<IResult> BankAccountAsync(RequestContext ctx)
    {
        var outcome = await enterprises.BankAccountAsync(ctx.Principal!, ctx.RouteValue("uscc"), ctx.Aborted);
        return outcome.Failure is { } failure ? Problems.For(failure) : Results.Json(outcome.Value, JsonBody.Response);
    }

    /// <summary>The enterprise enters its bank account: the first in force at once (200), a change pending its confirmation (202).</summary>
    public async Task<IResult> SaveBankAccountAsync(RequestContext ctx)
    {
        var (body, error) = await JsonBody.ReadAsync<BankAccountRequest>(ctx.Request, ctx.Aborted);
        if (error is not null)
        {
            return error;
        }

        var p = ctx.Principal!;
        var outcome = await enterprises.SaveBankAccountAsync(p, ctx.RouteValue("uscc"), body!, ctx.Aborted);
        if (outcome.Failure is { } failure)
        {
            return Problems.For(failure);
        }

        var view = await enterprises.BankAccountAsync(p, ctx.RouteValue("uscc"), ctx.Aborted);
        return Results.Json(view.Value, JsonBody.Response, statusCode: outcome.Value.Pending is null ? StatusCodes.Status200OK : StatusCodes.Status202Accepted);
    }

    /// <summary>The enterprise confirms its pending change by typing the new number again.</summary>
    public async Task<IResult> ConfirmBankAccountAsync(RequestContext ctx)
    {
        var (body, error) = await JsonBody.ReadAsync<ConfirmBankAccountRequest>(ctx.Request, ctx.Aborted);
        if (error is not null)
        {
            return error;
        }

        var p = ctx.Principal!;
        var outcome = await enterprises.ConfirmBankAccountChangeAsync(p, ctx.RouteValue("uscc"), body!, ctx.Aborted);
        if (outcome.Failure is { } failure)
        {
            return Problems.For(failure);
        }

        var view = await enterprises.BankAccountAsync(p, ctx.RouteValue("uscc"), ctx.Aborted);
        return Results.Json(view.Value, JsonBody.Response);
    }

    /// <summary>Phone numbers are personal data: shown whole only to the enterprise itself.</summary>
    public static EnterpriseView ToView(EnterpriseEntity e, VoucherPrincipal viewer) => new(
        e.Uscc,
        e.Name,
        e.CityCode,
        Cities.TryGet(e.CityCode, out var c) ? c.NameZh : e.CityCode,
        e.SizeClass,
        e.TechSmeNumber,
        e.ContactName,
        viewer.IsEnterprise(e.Uscc) ? e.ContactPhone : Mask(e.ContactPhone),
        e.RegisteredAt,
        e.Address);

    public static string Mask(string phone) => phone.Length <= 4 ? "****" : new string('*', phone.Length - 4) + phone[^4..];
}
