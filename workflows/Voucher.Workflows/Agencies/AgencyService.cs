using System.Text.RegularExpressions;

namespace Voucher.Workflows.Agencies;

/// <summary>A third-party agency registers itself (or the province registers it).</summary>
public sealed record RegisterAgencyRequest(string? AgencyId, string? Name, string? CityCode, string? ContactName, string? ContactPhone);

/// <summary>An enterprise or institution delegates action groups to a registered agency until a date (inclusive).</summary>
public sealed record CreateDelegationRequest(string? AgencyId, IReadOnlyList<string>? Actions, string? ValidUntil);

/// <summary>An agency's desk: its registration (null: not registered yet) and the delegations it holds, newest first.</summary>
public sealed record AgencyDesk(AgencyEntity? Agency, IReadOnlyList<DelegationEntity> Delegations);

/// <summary>
/// Agencies and delegations: agencies register; an enterprise or institution grants a delegation (named action groups,
/// until a date, to a registered agency), lists and revokes its own (<see cref="DelegationEntity.Revoke"/>: Active →
/// Revoked, once); an agency lists the parties it acts for and picks one to act for. Whether a request of an agency is
/// covered is <see cref="DelegationGuard"/>'s, on every request. The API and the pages call these.
/// </summary>
public sealed partial class AgencyService(DelegationStore delegations, TimeProvider time, ILogger<AgencyService> log)
{
    /// <summary>The longest a delegation may run: a party renews rather than signs away years at once.</summary>
    public const int MaxValidityDays = 3 * 366;

    const int RevokeAttempts = 3;

    public DateOnly Today => delegations.Today;

    public async Task<Outcome<AgencyEntity>> RegisterAgencyAsync(VoucherPrincipal caller, RegisterAgencyRequest command, CancellationToken ct)
    {
        var errors = new List<FieldError>();
        var agencyId = (command.AgencyId ?? (caller.Role == Role.Agency ? caller.Scope : null))?.Trim() ?? "";
        if (!DelegationStore.IsWellFormedAgencyId(agencyId))
        {
            errors.Add(new FieldError("agencyId", "3–40 位小写字母、数字或连字符 (3–40 lowercase letters, digits or hyphens)"));
        }

        var name = Http.JsonBody.Required(command.Name, "name", 100, errors);
        if (string.IsNullOrWhiteSpace(command.CityCode) || !Cities.TryGet(command.CityCode, out _))
        {
            errors.Add(new FieldError("cityCode", "须为山西省 11 个地市之一 (Must be one of the 11 Shanxi cities)"));
        }

        var contact = Http.JsonBody.Required(command.ContactName, "contactName", 50, errors);
        var phone = Http.JsonBody.Required(command.ContactPhone, "contactPhone", 20, errors);
        if (phone is not null && !PhonePattern().IsMatch(phone))
        {
            errors.Add(new FieldError("contactPhone", "须为 11 位手机号或带区号的固定电话 (A mobile number or a landline with area code)"));
        }

        if (errors.Count > 0)
        {
            return new Failure.Invalid(errors);
        }

        if (caller.Role is not (Role.Agency or Role.Province) || (caller.Role == Role.Agency && agencyId != caller.Scope))
        {
            return new Failure.Forbidden("代理机构只能登记本机构 (An agency registers only itself)");
        }

        var entity = new AgencyEntity
        {
            RowKey = agencyId, Name = name!, CityCode = Cities.Get(command.CityCode!).Code, ContactName = contact!, ContactPhone = phone!, RegisteredAt = time.GetUtcNow(),
        };
        if (!await delegations.TryRegisterAgencyAsync(entity, ct))
        {
            return new Failure.Conflict($"代理机构 {agencyId} 已登记 (This agency is already registered)");
        }

        AgencyLog.AgencyRegistered(log, entity.AgencyId, entity.CityCode, caller.Actor);
        return entity;
    }

    public Task<List<AgencyEntity>> AgenciesAsync(CancellationToken ct) => delegations.AgenciesAsync(ct);

    /// <summary>The signed-in enterprise or institution delegates to a registered agency.</summary>
    public async Task<Outcome<DelegationEntity>> GrantDelegationAsync(VoucherPrincipal party, CreateDelegationRequest command, CancellationToken ct)
    {
        if (party.Role is not (Role.Enterprise or Role.Institution) || string.IsNullOrEmpty(party.Scope))
        {
            return new Failure.Forbidden("只有企业和服务机构可以委托代理机构 (Only an enterprise or an institution delegates)");
        }

        var (actions, validUntil, errors) = Validate(party.Role, command, Today);
        AgencyEntity? agency = null;
        if (!DelegationStore.IsWellFormedAgencyId(command.AgencyId?.Trim()))
        {
            errors.Insert(0, new FieldError("agencyId", "请选择已登记的代理机构 (Choose a registered agency)"));
        }
        else if ((agency = await delegations.GetAgencyAsync(command.AgencyId!.Trim(), ct)) is null)
        {
            errors.Insert(0, new FieldError("agencyId", $"代理机构 {command.AgencyId.Trim()} 未登记 (No agency with this id is registered)"));
        }

        if (errors.Count > 0)
        {
            return new Failure.Invalid(errors);
        }

        var created = await delegations.CreateAsync(party, agency!, actions, validUntil, ct);
        AgencyLog.DelegationGranted(log, created.DelegationId, created.PartyKind, created.PartyId, created.AgencyId, created.Actions, created.ValidUntil);
        return created;
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

    /// <summary>The party revokes one of its own delegations; from the next request on it opens nothing.</summary>
    public async Task<Outcome<DelegationEntity>> RevokeDelegationAsync(VoucherPrincipal party, string delegationId, CancellationToken ct)
    {
        for (var attempt = 0; attempt < RevokeAttempts; attempt++)
        {
            var entity = await delegations.GetAsync(party.Role, party.Scope ?? "", delegationId, ct);
            if (entity is null)
            {
                return new Failure.NotFound($"本单位没有编号为 {delegationId} 的委托 (No such delegation of yours)");
            }

            if (!DelegationTransitions.IsAllowed(entity.Status, DelegationStatus.Revoked))
            {
                return new Failure.Conflict("该委托已撤销 (This delegation is already revoked)");
            }

            entity.Revoke(party.Actor, time.GetUtcNow());
            if (await delegations.TrySaveRevocationAsync(entity, ct))
            {
                AgencyLog.DelegationRevoked(log, entity.DelegationId, entity.PartyKind, entity.PartyId, entity.AgencyId);
                return entity;
            }
        }

        throw new DomainException("撤销冲突，请重试 (Concurrent change; please retry)");
    }

    /// <summary>The signed-in party's delegations, newest first.</summary>
    public async Task<IReadOnlyList<DelegationEntity>> DelegationsOfAsync(VoucherPrincipal party, CancellationToken ct) =>
        (await delegations.ForPartyAsync(party.Role, party.Scope ?? "", ct)).OrderByDescending(d => d.CreatedAt).ToList();

    /// <summary>The signed-in agency's registration and the delegations it holds.</summary>
    public async Task<AgencyDesk> DeskAsync(VoucherPrincipal agency, CancellationToken ct) =>
        new(await delegations.GetAgencyAsync(agency.Scope ?? "", ct), await delegations.ForAgencyAsync(agency.Scope ?? "", ct));

    /// <summary>The agency picks a party to act for: allowed when the party holds a delegation to it in force today.</summary>
    public async Task<Outcome<string>> ActForAsync(VoucherPrincipal agency, string partyId, CancellationToken ct)
    {
        if (Uscc.TryValidate(partyId.ToUpperInvariant(), out var uscc, out _))
        {
            partyId = uscc;
        }

        var held = await delegations.BetweenAsync(agency.Scope ?? "", partyId, ct);
        return held.Any(d => d.ToGrant().StateOn(Today) == DelegationState.Active)
            ? partyId
            : new Failure.Refused($"{partyId} 没有给本机构有效的委托 (No valid delegation from this party)");
    }

    [GeneratedRegex(@"^(1[3-9][0-9]{9}|0[0-9]{2,3}-?[0-9]{7,8})$")]
    private static partial Regex PhonePattern();
}
