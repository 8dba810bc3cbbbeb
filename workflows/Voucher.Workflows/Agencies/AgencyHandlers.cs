using System.Globalization;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Http;
using Voucher.Domain;
using Voucher.Workflows.Http;
using Voucher.Workflows.Security;

namespace Voucher.Workflows.Agencies;

public sealed record RegisterAgencyRequest(string? AgencyId, string? Name, string? CityCode, string? ContactName, string? ContactPhone);

public sealed record CreateDelegationRequest(string? AgencyId, IReadOnlyList<string>? Actions, string? ValidUntil);

public sealed record AgencyView(string AgencyId, string Name, string CityCode);

public sealed record DelegationView(
    string DelegationId, string AgencyId, string AgencyName, string PartyKind, string PartyId, IReadOnlyList<string> Actions, string ValidUntil,
    DelegationState State, DateTimeOffset CreatedAt, DateTimeOffset? RevokedAt);

/// <summary>The agency and delegation API: agencies register; enterprises and institutions delegate, list and revoke; agencies list their parties.</summary>
public sealed partial class AgencyHandlers(DelegationStore delegations, PublicRateLimiter limiter, TimeProvider time)
{
    /// <summary>The longest a delegation may run: a party renews rather than signs away years at once.</summary>
    public const int MaxValidityDays = 3 * 366;

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

        var p = ctx.Principal!;
        var errors = new List<FieldError>();
        var agencyId = (body!.AgencyId ?? (p.Role == Role.Agency ? p.Scope : null))?.Trim() ?? "";
        if (!DelegationStore.IsWellFormedAgencyId(agencyId))
        {
            errors.Add(new FieldError("agencyId", "3–40 位小写字母、数字或连字符 (3–40 lowercase letters, digits or hyphens)"));
        }

        var name = JsonBody.Required(body.Name, "name", 100, errors);
        if (string.IsNullOrWhiteSpace(body.CityCode) || !Cities.TryGet(body.CityCode, out _))
        {
            errors.Add(new FieldError("cityCode", "须为山西省 11 个地市之一 (Must be one of the 11 Shanxi cities)"));
        }

        var contact = JsonBody.Required(body.ContactName, "contactName", 50, errors);
        var phone = JsonBody.Required(body.ContactPhone, "contactPhone", 20, errors);
        if (phone is not null && !PhonePattern().IsMatch(phone))
        {
            errors.Add(new FieldError("contactPhone", "须为 11 位手机号或带区号的固定电话 (A mobile number or a landline with area code)"));
        }

        if (errors.Count > 0)
        {
            return Problems.Validation(errors);
        }

        if (p.Role == Role.Agency && agencyId != p.Scope)
        {
            return Problems.Forbidden("代理机构只能登记本机构 (An agency registers only itself)");
        }

        var entity = new AgencyEntity
        {
            RowKey = agencyId, Name = name!, CityCode = Cities.Get(body.CityCode!).Code, ContactName = contact!, ContactPhone = phone!, RegisteredAt = time.GetUtcNow(),
        };
        if (!await delegations.TryRegisterAgencyAsync(entity, ctx.Aborted))
        {
            return Problems.Conflict($"代理机构 {agencyId} 已登记 (This agency is already registered)");
        }

        return Results.Json(new AgencyView(entity.AgencyId, entity.Name, entity.CityCode), JsonBody.Response, statusCode: StatusCodes.Status201Created);
    }

    public async Task<IResult> ListAgenciesAsync(RequestContext ctx) =>
        Results.Json((await delegations.AgenciesAsync(ctx.Aborted)).Select(a => new AgencyView(a.AgencyId, a.Name, a.CityCode)), JsonBody.Response);

    public async Task<IResult> CreateAsync(RequestContext ctx)
    {
        var (body, error) = await JsonBody.ReadAsync<CreateDelegationRequest>(ctx.Request, ctx.Aborted);
        if (error is not null)
        {
            return error;
        }

        var (created, errors) = await CreateForAsync(ctx.Principal!, body!, ctx.Aborted);
        return errors.Count > 0
            ? Problems.Validation(errors)
            : Results.Json(View(created!, delegations.Today), JsonBody.Response, statusCode: StatusCodes.Status201Created);
    }

    /// <summary>Validates and records a delegation from the signed-in party (the API and the portal form share this).</summary>
    public async Task<(DelegationEntity? Created, List<FieldError> Errors)> CreateForAsync(VoucherPrincipal party, CreateDelegationRequest body, CancellationToken ct)
    {
        var (actions, validUntil, errors) = Validate(party.Role, body, delegations.Today);
        AgencyEntity? agency = null;
        if (!DelegationStore.IsWellFormedAgencyId(body.AgencyId?.Trim()))
        {
            errors.Insert(0, new FieldError("agencyId", "请选择已登记的代理机构 (Choose a registered agency)"));
        }
        else if ((agency = await delegations.GetAgencyAsync(body.AgencyId!.Trim(), ct)) is null)
        {
            errors.Insert(0, new FieldError("agencyId", $"代理机构 {body.AgencyId.Trim()} 未登记 (No agency with this id is registered)"));
        }

        if (errors.Count > 0)
        {
            return (null, errors);
        }

        return (await delegations.CreateAsync(party, agency!, actions, validUntil, ct), errors);
    }

    /// <summary>Pure checks of a delegation request: known groups for the party's role, a date from today to at most three years on.</summary>
    public static (IReadOnlyList<string> Actions, DateOnly ValidUntil, List<FieldError> Errors) Validate(Role partyRole, CreateDelegationRequest body, DateOnly today)
    {
        var errors = new List<FieldError>();
        var actions = (body.Actions ?? []).Select(a => a?.Trim() ?? "").Where(a => a.Length > 0).Distinct().ToList();
        var allowed = DelegationActions.For(partyRole).Select(g => g.Name).ToList();
        if (actions.Count == 0)
        {
            errors.Add(new FieldError("actions", "至少选择一项委托事项 (Choose at least one action group)"));
        }
        else if (actions.FirstOrDefault(a => !allowed.Contains(a)) is { } unknown)
        {
            errors.Add(new FieldError("actions", $"“{(unknown.Length > 40 ? unknown[..40] : unknown)}”不是可委托事项，可选：{string.Join(", ", allowed)} (Unknown action group)"));
        }

        var until = default(DateOnly);
        if (string.IsNullOrWhiteSpace(body.ValidUntil) || !DateOnly.TryParseExact(body.ValidUntil.Trim(), DelegationStore.DateFormat, CultureInfo.InvariantCulture, DateTimeStyles.None, out until))
        {
            errors.Add(new FieldError("validUntil", "请填写截止日期，格式 yyyy-MM-dd (A date: yyyy-MM-dd)"));
        }
        else if (until < today)
        {
            errors.Add(new FieldError("validUntil", "截止日期不能早于今天 (Cannot end before today)"));
        }
        else if (until > today.AddDays(MaxValidityDays))
        {
            errors.Add(new FieldError("validUntil", "委托最长三年 (At most three years)"));
        }

        return (actions, until, errors);
    }

    public async Task<IResult> ListAsync(RequestContext ctx)
    {
        var p = ctx.Principal!;
        var today = delegations.Today;
        var rows = await delegations.ForPartyAsync(p.Role, p.Scope ?? "", ctx.Aborted);
        return Results.Json(rows.OrderByDescending(r => r.CreatedAt).Select(r => View(r, today)), JsonBody.Response);
    }

    public async Task<IResult> RevokeAsync(RequestContext ctx)
    {
        var (outcome, row) = await delegations.RevokeAsync(ctx.Principal!, ctx.RouteValue("id"), ctx.Aborted);
        return outcome switch
        {
            DelegationStore.RevokeOutcome.Revoked => Results.Json(View(row!, delegations.Today), JsonBody.Response),
            DelegationStore.RevokeOutcome.AlreadyRevoked => Problems.Conflict("该委托已撤销 (This delegation is already revoked)"),
            _ => Problems.NotFound($"本单位没有编号为 {ctx.RouteValue("id")} 的委托 (No such delegation of yours)"),
        };
    }

    public async Task<IResult> PartiesAsync(RequestContext ctx)
    {
        var today = delegations.Today;
        var rows = await delegations.ForAgencyAsync(ctx.Principal!.Scope ?? "", ctx.Aborted);
        return Results.Json(rows.Select(r => View(r, today)), JsonBody.Response);
    }

    public static DelegationView View(DelegationEntity d, DateOnly today)
    {
        var grant = d.ToGrant();
        return new DelegationView(d.DelegationId, d.AgencyId, d.AgencyName, d.PartyKind, d.PartyId, grant.Actions, d.ValidUntil, grant.StateOn(today), d.CreatedAt, d.RevokedAt);
    }

    [GeneratedRegex(@"^(1[3-9][0-9]{9}|0[0-9]{2,3}-?[0-9]{7,8})$")]
    private static partial Regex PhonePattern();
}
