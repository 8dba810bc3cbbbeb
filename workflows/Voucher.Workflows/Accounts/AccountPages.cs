using Microsoft.Extensions.DependencyInjection;
using Voucher.Workflows.Web;

namespace Voucher.Workflows.Accounts;

/// <summary>One membership as the person's account page lists it.</summary>
public sealed record AccountRow(string Id, Role Role, string PartyName, MembershipState State, bool Administrator, bool Active, DateTimeOffset ChangedAt, string? Reason);

/// <summary>The person's account page: their memberships, the active one marked.</summary>
public sealed record AccountModel(string PersonName, IReadOnlyList<AccountRow> Rows)
{
    /// <summary>Whether the person administers a party whose members they may manage here.</summary>
    public bool ManagesMembers => Rows.Any(r => r.Active && r.Administrator && r.State == MembershipState.Verified);
}

/// <summary>One member of a party as the members page lists it.</summary>
public sealed record MemberRow(string Id, string Name, MembershipState State, bool Administrator, DateTimeOffset ChangedAt, string? Reason, bool Self);

/// <summary>One invitation as the members page lists it, with its link while it is open.</summary>
public sealed record InvitationRow(string Id, string InviteeName, string Contact, InvitationState State, DateTimeOffset CreatedAt, DateTimeOffset ExpiresAt, string? Link, string AcceptedByName, bool Expired);

/// <summary>
/// A party's members and invitations, for its administrator: the members (revocable, with the message of a refused
/// revocation by the member), the invitations with their links, the invitation form (what was typed kept), and for the
/// province the party to manage.
/// </summary>
public sealed record MembersModel(
    Role Role,
    string? Scope,
    string PartyName,
    IReadOnlyList<MemberRow> Members,
    IReadOnlyList<InvitationRow> Invitations,
    IReadOnlyList<Role> InvitableRoles,
    bool ChoosesParty,
    bool ScopeFixed,
    IReadOnlyDictionary<string, string> Form,
    IReadOnlyList<FieldError> Errors,
    string? RevokeErrorId = null,
    string? RevokeError = null)
{
    public string Value(string field) => Form.TryGetValue(field, out var v) ? v : "";

    /// <summary>The members page of this party (the province's own page has no query).</summary>
    public string Path => MembersPath(Role, Scope);

    public static string MembersPath(Role role, string? scope) =>
        $"/account/members?role={RoleNames.ClaimValue(role)}&scope={Uri.EscapeDataString(scope ?? "")}";
}

/// <summary>An invitation as its link shows it to the invitee.</summary>
public sealed record InvitationModel(string Token, Role Role, string PartyName, string InviteeName, string InvitedByName, DateTimeOffset ExpiresAt, bool Accepted)
{
    /// <summary>Where to sign in first (back to this link), when nobody is signed in.</summary>
    public string? SignInHref { get; init; }
}

/// <summary>
/// The person's own pages (their memberships; switching the active one), a party administrator's members page
/// (list, invite, revoke), and the invitation link's page (accept). Thin: the rules are in <see cref="MembershipStore"/>
/// and <see cref="InvitationService"/>.
/// </summary>
public sealed class AccountPages(MembershipStore memberships, MembershipSwitcher switcher, InvitationService invitations, PartyNames names, TimeProvider time)
{
    public const string NotAvailable = "所选身份不可用（可能已被驳回或撤销），请在“我的身份”中重新选择。";

    public const string NotAdministrator = "只有本单位的管理员可以管理成员。";

    public async Task<IResult> MineAsync(RequestContext ctx)
    {
        var signedIn = SignedIn.Of(ctx.Http)!;
        var rows = new List<AccountRow>();
        foreach (var m in await memberships.OfPersonAsync(signedIn.Identity.Subject, ctx.Aborted))
        {
            rows.Add(new AccountRow(m.Id, m.Role, await names.NameAsync(m.Role, m.Scope, ctx.Aborted), m.State, m.Administrator, m.Id == signedIn.Active?.Id, m.ChangedAt, m.Reason));
        }

        return Pages.View<AccountPage>("我的身份", ctx.Principal, new AccountModel(signedIn.Identity.Name, rows));
    }

    /// <summary>POST /account/membership: makes one of the person's acting memberships the active one.</summary>
    public async Task<IResult> SwitchAsync(RequestContext ctx)
    {
        var signedIn = SignedIn.Of(ctx.Http)!;
        var form = await ctx.Request.ReadFormAsync(ctx.Aborted);
        var chosen = await memberships.FindOfPersonAsync(signedIn.Identity.Subject, form["membership"].ToString(), ctx.Aborted);
        if (chosen is not { Acts: true })
        {
            return PageParts.Back("/account", error: NotAvailable);
        }

        MembershipPrincipals.Remember(ctx.Http, chosen.Id);
        return PageParts.Back("/", done: "已切换为：" + await switcher.LabelAsync(chosen, ctx.Aborted));
    }

    public async Task<IResult> MembersAsync(RequestContext ctx)
    {
        var administrator = await invitations.AdministratorAsync(ctx.Principal!, ctx.Aborted);
        if (administrator is null)
        {
            return Pages.Forbidden(ctx.Principal!, NotAdministrator);
        }

        var (role, scope) = (administrator.Role, administrator.Scope);
        if (RoleNames.TryParse(ctx.Request.Query["role"].ToString(), out var asked))
        {
            if (!PartyScopes.TryNormalize(asked, ctx.Request.Query["scope"].ToString(), out var askedScope, out var error))
            {
                return Pages.Error(ctx.Principal, error!, StatusCodes.Status400BadRequest);
            }

            (role, scope) = (asked, askedScope);
        }

        if (!InvitationService.CanManage(administrator, role, scope))
        {
            return Pages.Forbidden(ctx.Principal!, "您不能管理该单位的成员。");
        }

        return Pages.View<MembersPage>("成员与邀请", ctx.Principal, await ModelAsync(ctx, administrator, role, scope, new Dictionary<string, string>(), []));
    }

    /// <summary>POST /account/invitations: an administrator invites a person; back to the party's page with the link.</summary>
    public async Task<IResult> InviteAsync(RequestContext ctx)
    {
        var form = await ctx.Request.ReadFormAsync(ctx.Aborted);
        var typed = new[] { "role", "scope", "inviteeName", "contact" }.ToDictionary(f => f, f => form[f].ToString().Trim());
        var result = await invitations.CreateAsync(ctx.Principal!, typed["role"], typed["scope"], typed["inviteeName"], typed["contact"], ctx.Aborted);
        if (result.Succeeded)
        {
            var created = result.Value;
            return Results.Redirect(MembersModel.MembersPath(created.PartyRole, created.PartyScope) + "&done=" + Uri.EscapeDataString($"已邀请{created.InviteeName}，请将下方的邀请链接发给对方（7 天内有效，仅可使用一次）。"));
        }

        var administrator = await invitations.AdministratorAsync(ctx.Principal!, ctx.Aborted);
        if (result.Failure is Failure.Invalid invalid && administrator is not null)
        {
            var (role, scope) = RoleNames.TryParse(typed["role"], out var r) && PartyScopes.TryNormalize(r, typed["scope"], out var s, out _) && InvitationService.CanManage(administrator, r, s)
                ? (r, s)
                : (administrator.Role, administrator.Scope);
            return Pages.View<MembersPage>("成员与邀请", ctx.Principal, await ModelAsync(ctx, administrator, role, scope, typed, invalid.Errors), StatusCodes.Status400BadRequest);
        }

        return Pages.Forbidden(ctx.Principal!, result.Failure!.Message);
    }

    /// <summary>POST /account/members/{membershipId}/revoke: refused for the last administrator, with the message by the member.</summary>
    public async Task<IResult> RevokeAsync(RequestContext ctx)
    {
        var administrator = await invitations.AdministratorAsync(ctx.Principal!, ctx.Aborted);
        if (administrator is null)
        {
            return Pages.Forbidden(ctx.Principal!, NotAdministrator);
        }

        // Someone else's party answers as a membership that does not exist.
        var target = await memberships.FindAsync(ctx.RouteValue("membershipId"), ctx.Aborted);
        if (target is null || !InvitationService.CanManage(administrator, target.Role, target.Scope))
        {
            return Pages.NotFound(ctx.Principal, "该成员不存在。");
        }

        var form = await ctx.Request.ReadFormAsync(ctx.Aborted);
        var reason = form["reason"].ToString().Trim();
        string? refusal = reason.Length is 0 or > 500 ? "请填写撤销理由（不超过 500 字）。" : null;
        if (refusal is null)
        {
            try
            {
                await memberships.RevokeAsync(target.Id, ctx.Principal!.Actor, reason, ctx.Aborted);
                var who = (await memberships.FindPersonAsync(target.Subject, ctx.Aborted))?.Name ?? "该成员";
                return Results.Redirect(MembersModel.MembersPath(target.Role, target.Scope) + "&done=" + Uri.EscapeDataString($"已撤销{who}的身份，自其下一次操作起生效。"));
            }
            catch (DomainException e)
            {
                refusal = e.Message;
            }
        }

        var model = await ModelAsync(ctx, administrator, target.Role, target.Scope, new Dictionary<string, string>(), []) with { RevokeErrorId = target.Id, RevokeError = refusal };
        return Pages.View<MembersPage>("成员与邀请", ctx.Principal, model, reason.Length == 0 ? StatusCodes.Status400BadRequest : StatusCodes.Status422UnprocessableEntity);
    }

    /// <summary>POST /account/invitations/{invitationId}/withdrawal: an unused invitation withdrawn; back to the party's page.</summary>
    public async Task<IResult> WithdrawAsync(RequestContext ctx)
    {
        var form = await ctx.Request.ReadFormAsync(ctx.Aborted);
        var (roleValue, scopeValue) = (form["role"].ToString(), form["scope"].ToString());
        var result = await invitations.WithdrawAsync(ctx.Principal!, roleValue, scopeValue, ctx.RouteValue("invitationId"), ctx.Aborted);
        return result.Failure switch
        {
            null => Results.Redirect(MembersModel.MembersPath(result.Value.PartyRole, result.Value.PartyScope) + "&done=" + Uri.EscapeDataString($"已撤回对{result.Value.InviteeName}的邀请，该邀请链接不能再使用。")),
            Failure.NotFound missing => Pages.NotFound(ctx.Principal, missing.Message),
            Failure.Forbidden forbidden => Pages.Forbidden(ctx.Principal!, forbidden.Message),
            var failure => Pages.Error(ctx.Principal, failure.Message, StatusCodes.Status409Conflict),
        };
    }

    /// <summary>GET /invite/{token}: the invitation for the signed-in person to accept, or why it cannot be used.</summary>
    public async Task<IResult> InvitationAsync(RequestContext ctx)
    {
        var signedIn = SignedIn.Of(ctx.Http);
        var check = await invitations.CheckAsync(ctx.RouteValue("token"), signedIn?.Identity, ctx.Aborted);
        if (!check.Usable)
        {
            return Refused(ctx, check.Refusal!, check.Status);
        }

        var i = check.Invitation!;
        return Pages.View<InvitationPage>("接受邀请", ctx.Principal, new InvitationModel(ctx.RouteValue("token"), i.PartyRole,
            await names.NameAsync(i.PartyRole, i.PartyScope, ctx.Aborted), i.InviteeName, i.InvitedByName, i.ExpiresAt, i.State == nameof(InvitationState.Accepted))
        {
            SignInHref = signedIn is null ? (ctx.Services.GetService<IPrincipalSource>()?.AllowsDevelopmentSignIn == true ? "/dev/signin?role=none&returnUrl=" : "/signin?returnUrl=") + Uri.EscapeDataString(ctx.Request.Path) : null,
        });
    }

    /// <summary>POST /invite/{token}/accept: the membership granted and made active.</summary>
    public async Task<IResult> AcceptAsync(RequestContext ctx)
    {
        var signedIn = SignedIn.Of(ctx.Http)!;
        var result = await invitations.AcceptAsync(ctx.RouteValue("token"), signedIn.Identity, ctx.Aborted);
        if (!result.Succeeded)
        {
            return Refused(ctx, result.Failure!.Message, result.Failure.Message == InvitationService.Forged ? StatusCodes.Status400BadRequest : StatusCodes.Status410Gone);
        }

        MembershipPrincipals.Remember(ctx.Http, result.Value.Id);
        return PageParts.Back("/account", done: "已加入：" + await switcher.LabelAsync(result.Value, ctx.Aborted));
    }

    static IResult Refused(RequestContext ctx, string message, int status) =>
        Pages.View<MessagePage>("邀请不可用", ctx.Principal, new MessageModel(MessageKind.Refused, message, "/account", "查看我的身份"), status);

    async Task<MembersModel> ModelAsync(RequestContext ctx, Membership administrator, Role role, string? scope, IReadOnlyDictionary<string, string> form, IReadOnlyList<FieldError> errors)
    {
        var members = new List<MemberRow>();
        foreach (var m in await memberships.OfPartyAsync(role, scope, ctx.Aborted))
        {
            var person = await memberships.FindPersonAsync(m.Subject, ctx.Aborted);
            members.Add(new MemberRow(m.Id, person?.Name ?? "（未登记姓名）", m.State, m.Administrator, m.ChangedAt, m.Reason, m.Id == administrator.Id));
        }

        var now = time.GetUtcNow();
        var invited = (await invitations.OfPartyAsync(role, scope, ctx.Aborted)).Select(i =>
        {
            var state = Enum.Parse<InvitationState>(i.State);
            var expired = state == InvitationState.Open && now > i.ExpiresAt;
            return new InvitationRow(i.Id, i.InviteeName, i.Contact, state, i.CreatedAt, i.ExpiresAt, state == InvitationState.Open && !expired ? invitations.LinkOf(i) : null, i.AcceptedByName, expired);
        }).ToList();

        var invitable = InvitationService.InvitableBy(administrator);
        var defaults = new Dictionary<string, string>(form);
        defaults.TryAdd("role", RoleNames.ClaimValue(role));
        defaults.TryAdd("scope", scope ?? "");
        return new MembersModel(role, scope, await names.NameAsync(role, scope, ctx.Aborted), members, invited, invitable,
            ChoosesParty: administrator.Role == Role.Province, ScopeFixed: administrator.Role == Role.CityBureau, defaults, errors);
    }
}
