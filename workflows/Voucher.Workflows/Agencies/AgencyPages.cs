using Voucher.Workflows.Enterprises;
using Voucher.Workflows.Marketplace;
using Voucher.Workflows.Web;

namespace Voucher.Workflows.Agencies;

/// <summary>
/// Portal pages of delegation: an enterprise or institution grants, lists and revokes its delegations
/// (<c>/portal/delegations</c>; revoking goes through the shared confirmation); an agency registers, sees the parties it
/// acts for by name and picks one (<c>/portal/agency</c>), after which the party's own pages and forms work for it (the
/// dispatcher checks the delegation on every request).
/// </summary>
public sealed class AgencyPages(AgencyService agencies, VoucherStore store)
{
    const string DelegationsPath = "/portal/delegations";
    const string AgencyPath = "/portal/agency";

    // ---- The delegating party ---------------------------------------------------------------------------------

    public Task<IResult> DelegationsPageAsync(RequestContext ctx) => RenderDelegationsAsync(ctx, null, [], StatusCodes.Status200OK);

    public async Task<IResult> CreateFormAsync(RequestContext ctx)
    {
        var form = await JsonBody.FormOrEmptyAsync(ctx.Request, ctx.Aborted);
        var request = new CreateDelegationRequest(form["agencyId"].ToString(), form["actions"].Select(a => a ?? "").ToList(), form["validUntil"].ToString());
        var outcome = await agencies.GrantDelegationAsync(ctx.Principal!, request, ctx.Aborted);
        return outcome.Failure switch
        {
            null => PageParts.Back(DelegationsPath, done: $"已委托 {outcome.Value.AgencyName} 代为办理，至 {UntilText(outcome.Value.ValidUntil)}（含）有效。"),
            Failure.Invalid invalid => await RenderDelegationsAsync(ctx, request, invalid.Errors, StatusCodes.Status400BadRequest),
            var failure => Pages.Forbidden(ctx.Principal!, failure.Message),
        };
    }

    public async Task<IResult> RevokeFormAsync(RequestContext ctx)
    {
        var p = ctx.Principal!;
        var id = ctx.RouteValue("id");
        var delegation = (await agencies.DelegationsOfAsync(p, ctx.Aborted)).FirstOrDefault(d => d.DelegationId == id);
        if (delegation is null)
        {
            return PageParts.Back(DelegationsPath, error: "没有这项委托。");
        }

        if (delegation.ToGrant().StateOn(agencies.Today) != DelegationState.Active)
        {
            return PageParts.Back(DelegationsPath, error: $"对 {delegation.AgencyName} 的委托已{StateText(delegation.ToGrant().StateOn(agencies.Today))}，无需撤销。");
        }

        var form = await JsonBody.FormOrEmptyAsync(ctx.Request, ctx.Aborted);
        if (!ConfirmModel.IsConfirmed(form))
        {
            return Pages.View<ConfirmPage>("确认撤销委托", p, new ConfirmModel(
                $"确认撤销对 {delegation.AgencyName} 的委托？",
                [
                    ("代理机构", delegation.AgencyName),
                    ("委托事项", string.Join("、", ActionLabels(p.Role, delegation))),
                    ("原有效期至", UntilText(delegation.ValidUntil)),
                    ("撤销后", "立即生效：该代理机构不能再以本单位名义办理任何事项；已办理的事项不受影响。如需恢复，须重新授予委托。"),
                ],
                $"{DelegationsPath}/{Uri.EscapeDataString(id)}/revoke", ConfirmModel.Carry(form), "确认撤销", DelegationsPath, Danger: true));
        }

        var outcome = await agencies.RevokeDelegationAsync(p, id, ctx.Aborted);
        return outcome.Failure switch
        {
            null => PageParts.Back(DelegationsPath, done: $"已撤销对 {outcome.Value.AgencyName} 的委托，立即生效。"),
            Failure.Conflict => PageParts.Back(DelegationsPath, error: "该委托已撤销。"),
            _ => PageParts.Back(DelegationsPath, error: "没有这项委托。"),
        };
    }

    async Task<IResult> RenderDelegationsAsync(RequestContext ctx, CreateDelegationRequest? typed, IReadOnlyList<FieldError> errors, int status)
    {
        var p = ctx.Principal!;
        var today = agencies.Today;
        var rows = (await agencies.DelegationsOfAsync(p, ctx.Aborted))
            .Select(d => new DelegationRow(d, d.ToGrant().StateOn(today), ActionLabels(p.Role, d)))
            .ToList();
        var registered = (await agencies.AgenciesAsync(ctx.Aborted)).OrderBy(a => a.Name, StringComparer.Ordinal).ToList();
        var until = typed?.ValidUntil ?? today.AddMonths(6).ToString(DelegationStore.DateFormat, CultureInfo.InvariantCulture);
        var groups = DelegationActions.For(p.Role).Select(g => (g.Name, g.Label)).ToList();
        return Pages.View<DelegationsPage>("代理委托", p, new DelegationsModel(rows, registered, groups, typed?.AgencyId, typed?.Actions ?? [], until, errors), status);
    }

    // ---- The agency -------------------------------------------------------------------------------------------

    public Task<IResult> AgencyHomeAsync(RequestContext ctx) => RenderAgencyHomeAsync(ctx, null, [], StatusCodes.Status200OK);

    public async Task<IResult> RegisterFormAsync(RequestContext ctx)
    {
        var p = ctx.Principal!;
        var form = await JsonBody.FormOrEmptyAsync(ctx.Request, ctx.Aborted);
        var typed = new RegisterAgencyRequest(p.Scope, form["name"], form["cityCode"], form["contactName"], form["contactPhone"]);
        var outcome = await agencies.RegisterAgencyAsync(p, typed, ctx.Aborted);
        return outcome.Failure switch
        {
            null => PageParts.Back(AgencyPath, done: $"{outcome.Value.Name} 已登记，企业和服务机构现在可以委托本机构。"),
            Failure.Invalid invalid => await RenderAgencyHomeAsync(ctx, typed, invalid.Errors, StatusCodes.Status400BadRequest),
            Failure.Conflict => PageParts.Back(AgencyPath, error: "本机构已登记。"),
            var failure => Pages.Forbidden(p, failure.Message),
        };
    }

    async Task<IResult> RenderAgencyHomeAsync(RequestContext ctx, RegisterAgencyRequest? typed, IReadOnlyList<FieldError> errors, int status)
    {
        var p = ctx.Principal!;
        var today = agencies.Today;
        var (agency, held) = await agencies.DeskAsync(p, ctx.Aborted);
        var current = ActingFor.Read(ctx.Request);
        var rows = new List<PartyRow>();
        foreach (var d in held)
        {
            rows.Add(new PartyRow(d, await PartyNameAsync(d, ctx.Aborted), d.ToGrant().StateOn(today), ActionLabels(d.PartyRole, d), current == d.PartyId));
        }

        var currentName = rows.FirstOrDefault(r => r.Current)?.PartyName;
        return Pages.View<AgencyHomePage>("代理机构工作台", p, new AgencyHomeModel(agency, rows, current, currentName, typed, errors), status);
    }

    public async Task<IResult> ActForAsync(RequestContext ctx)
    {
        var form = await JsonBody.FormOrEmptyAsync(ctx.Request, ctx.Aborted);
        var partyId = form["partyId"].ToString().Trim();
        if (partyId.Length == 0)
        {
            ctx.Http.Response.Cookies.Delete(ActingFor.CookieName);
            return PageParts.Back(AgencyPath, done: "已停止代办，现在以本机构身份办理。");
        }

        var outcome = await agencies.ActForAsync(ctx.Principal!, partyId, ctx.Aborted);
        if (outcome.Failure is not null)
        {
            return PageParts.Back(AgencyPath, error: "该单位没有给本机构有效的委托，不能代为办理。");
        }

        ctx.Http.Response.Cookies.Append(ActingFor.CookieName, outcome.Value, new CookieOptions { HttpOnly = true, SameSite = SameSiteMode.Lax, Path = "/" });
        return Results.Redirect("/");
    }

    async Task<string> PartyNameAsync(DelegationEntity d, CancellationToken ct) =>
        d.PartyRole == Role.Institution
            ? (await store.GetAsync<InstitutionEntity>(VoucherStore.Institutions, d.PartyId, InstitutionEntity.ProfileRow, ct))?.Name ?? "未登记的服务机构"
            : (await store.GetAsync<EnterpriseEntity>(VoucherStore.Enterprises, d.PartyId, EnterpriseEntity.ProfileRow, ct))?.Name ?? "未登记的企业";

    static IReadOnlyList<string> ActionLabels(Role partyRole, DelegationEntity d) => [.. d.ToGrant().Actions.Select(a => DelegationActions.LabelOf(partyRole, a))];

    /// <summary>A delegation's state in Chinese.</summary>
    public static string StateText(DelegationState state) => state switch
    {
        DelegationState.Active => Glossary.Of(DelegationStatus.Active),
        DelegationState.Expired => "已到期",
        _ => Glossary.Of(DelegationStatus.Revoked),
    };

    /// <summary>A stored yyyy-MM-dd date as a date in a sentence.</summary>
    public static string UntilText(string stored) =>
        DateOnly.TryParseExact(stored, DelegationStore.DateFormat, CultureInfo.InvariantCulture, DateTimeStyles.None, out var d) ? Glossary.DateInSentence(d) : stored;
}

/// <summary>One delegation the party granted, its state today and what it covers.</summary>
public sealed record DelegationRow(DelegationEntity Delegation, DelegationState State, IReadOnlyList<string> Actions);

/// <summary>The party's delegations page: the delegations, the registered agencies, the action groups, and the grant form as typed.</summary>
public sealed record DelegationsModel(
    IReadOnlyList<DelegationRow> Rows, IReadOnlyList<AgencyEntity> Agencies, IReadOnlyList<(string Name, string Label)> Groups,
    string? AgencyId, IReadOnlyList<string> Actions, string ValidUntil, IReadOnlyList<FieldError> Errors);

/// <summary>A party the agency acts for, by name; <paramref name="Current"/> when the agency is acting for it now.</summary>
public sealed record PartyRow(DelegationEntity Delegation, string PartyName, DelegationState State, IReadOnlyList<string> Actions, bool Current);

/// <summary>The agency's desk: its registration (null: not yet, with the form as typed), the parties, who it acts for now.</summary>
public sealed record AgencyHomeModel(AgencyEntity? Agency, IReadOnlyList<PartyRow> Parties, string? Current, string? CurrentName, RegisterAgencyRequest? Typed, IReadOnlyList<FieldError> Errors);
