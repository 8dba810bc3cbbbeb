using Voucher.Workflows.Audit;
using Voucher.Workflows.Configuration;
using Voucher.Workflows.Links;

namespace Voucher.Workflows.Accounts;

public enum InvitationState
{
    Open,
    Accepted,

    /// <summary>Withdrawn by an administrator before anyone used it: its link answers as a used one.</summary>
    Withdrawn,
}

/// <summary>An invitation to join a party (PartitionKey = the party's partition, as the membership index; RowKey = the id).</summary>
public sealed class InvitationEntity : TableRow
{
    public string Id => RowKey;

    public string Role { get; set; } = "";

    public string Scope { get; set; } = "";

    public string InviteeName { get; set; } = "";

    public string Contact { get; set; } = "";

    /// <summary>The inviting administrator's actor (e.g. <c>province</c>) and name.</summary>
    public string InvitedBy { get; set; } = "";

    public string InvitedByName { get; set; } = "";

    public DateTimeOffset CreatedAt { get; set; }

    public DateTimeOffset ExpiresAt { get; set; }

    public string State { get; set; } = nameof(InvitationState.Open);

    public string AcceptedBy { get; set; } = "";

    public string AcceptedByName { get; set; } = "";

    public DateTimeOffset? AcceptedAt { get; set; }

    public string MembershipId { get; set; } = "";

    public Role PartyRole => Enum.Parse<Role>(Role);

    public string? PartyScope => Scope.Length > 0 ? Scope : null;
}

/// <summary>What an invitation link finds: the invitation, or why it cannot be used.</summary>
public sealed record InvitationCheck(InvitationEntity? Invitation, string? Refusal, int Status)
{
    public bool Usable => Refusal is null;
}

/// <summary>
/// Invitations of bureau, finance and province staff and experts: an administrator (the province's for all of them; a
/// city bureau's for its own city's bureau and finance staff) invites a person by name; the invitation is a signed
/// single-use link (<see cref="LinkSigner"/>, valid <see cref="Validity"/>); the invitee signs in and accepts, and holds a
/// verified membership (administrator when the party has none). An administrator may withdraw an unused invitation. A
/// forged, expired, already used or withdrawn link is refused with a page that says so (a withdrawn one as a used one).
/// </summary>
public sealed class InvitationService(VoucherStore store, LinkSigner links, MembershipStore memberships, AuditLog audit, VoucherSettings settings, TimeProvider time)
{
    public static readonly TimeSpan Validity = TimeSpan.FromDays(7);

    public const string Action = "accept-invitation";

    /// <summary>The roles whose people are invited (enterprises and institutions claim their party instead).</summary>
    public static IReadOnlyList<Role> InvitedRoles { get; } = [Role.CityBureau, Role.FinanceBureau, Role.Province, Role.Expert];

    public const string Forged = "邀请链接无效：链接不完整或已被改动。请向邀请您的管理员索取新的邀请链接。";

    public const string Expired = "邀请链接已过期（有效期 7 天）。请向邀请您的管理员索取新的邀请链接。";

    public const string Used = "该邀请已被使用，不能再次使用。如需加入，请向管理员索取新的邀请链接。";

    /// <summary>The roles and parties an administrator may manage (list, invite, revoke): see <see cref="CanManage"/>.</summary>
    public static bool CanManage(Membership administrator, Role role, string? scope) =>
        administrator is { State: MembershipState.Verified, Administrator: true } && (administrator.Role switch
        {
            Role.Province => InvitedRoles.Contains(role),
            Role.CityBureau => role is Role.CityBureau or Role.FinanceBureau && string.Equals(scope, administrator.Scope, StringComparison.Ordinal),
            _ => role == administrator.Role && string.Equals(scope, administrator.Scope, StringComparison.Ordinal),
        });

    /// <summary>The roles <paramref name="administrator"/> may invite people to.</summary>
    public static IReadOnlyList<Role> InvitableBy(Membership administrator) =>
        administrator is not { State: MembershipState.Verified, Administrator: true } ? []
        : administrator.Role switch
        {
            Role.Province => InvitedRoles,
            Role.CityBureau => [Role.CityBureau, Role.FinanceBureau],
            _ => [],
        };

    /// <summary>The acting administrator's membership (null when the principal is not a verified administrator).</summary>
    public async Task<Membership?> AdministratorAsync(VoucherPrincipal principal, CancellationToken ct) =>
        principal is { MembershipId: { } id, Agency: null } && await memberships.FindOfPersonAsync(principal.UserId, id, ct) is { State: MembershipState.Verified, Administrator: true } m
            ? m
            : null;

    public async Task<Outcome<InvitationEntity>> CreateAsync(VoucherPrincipal inviter, string? roleValue, string? scopeValue, string? inviteeName, string? contact, CancellationToken ct)
    {
        var administrator = await AdministratorAsync(inviter, ct);
        if (administrator is null || InvitableBy(administrator).Count == 0)
        {
            return new Failure.Forbidden("只有省科技厅或市科技局的管理员可以邀请工作人员和专家。");
        }

        var errors = new List<FieldError>();
        if (!RoleNames.TryParse(roleValue, out var role) || !InvitableBy(administrator).Contains(role))
        {
            errors.Add(new FieldError("role", "请选择可邀请的身份。"));
        }

        // A city bureau invites to its own city only: the scope is its own, whatever was typed.
        var scopeText = administrator.Role == Role.CityBureau ? administrator.Scope : scopeValue;
        string? scope = null;
        if (errors.Count == 0 && !PartyScopes.TryNormalize(role, scopeText, out scope, out var scopeError))
        {
            errors.Add(new FieldError("scope", scopeError!));
        }

        var name = inviteeName?.Trim() ?? "";
        if (name.Length is 0 or > 50)
        {
            errors.Add(new FieldError("inviteeName", "请填写被邀请人的姓名（不超过 50 个字）。"));
        }

        var reach = contact?.Trim() ?? "";
        if (reach.Length > 100)
        {
            errors.Add(new FieldError("contact", "联系方式不超过 100 个字符。"));
        }

        if (errors.Count > 0)
        {
            return new Failure.Invalid(errors);
        }

        if (!CanManage(administrator, role, scope))
        {
            return new Failure.Forbidden("您只能邀请本单位管理范围内的工作人员。");
        }

        var now = time.GetUtcNow();
        var invitation = new InvitationEntity
        {
            PartitionKey = MembershipKeys.PartyPartition(role, scope),
            RowKey = Guid.NewGuid().ToString("N"),
            Role = role.ToString(),
            Scope = scope ?? "",
            InviteeName = name,
            Contact = reach,
            InvitedBy = inviter.Actor,
            InvitedByName = inviter.DisplayName,
            CreatedAt = now,
            ExpiresAt = now + Validity,
        };
        await store.UpsertAsync(VoucherStore.Invitations, invitation, ct);
        await audit.AppendAsync(AuditSubject(invitation.Id), inviter.Actor, now, "", nameof(InvitationState.Open), 0, $"{Addresses.For(role, scope)} invitee {name}", ct);
        return invitation;
    }

    /// <summary>The party's invitations, newest first (one partition).</summary>
    public async Task<IReadOnlyList<InvitationEntity>> OfPartyAsync(Role role, string? scope, CancellationToken ct) =>
        (await store.PartitionAsync<InvitationEntity>(VoucherStore.Invitations, MembershipKeys.PartyPartition(role, scope), 500, ct))
            .OrderByDescending(i => i.CreatedAt).ToList();

    /// <summary>The invitation's link (signed; the same link each time it is shown).</summary>
    public string LinkOf(InvitationEntity invitation) =>
        $"{settings.PublicBaseUrl}/invite/{Token(invitation)}";

    public string Token(InvitationEntity invitation) =>
        links.Sign(new LinkClaims(invitation.Id, Action, invitation.PartitionKey, 1, invitation.ExpiresAt.ToUnixTimeSeconds()));

    /// <summary>What the link finds: forged, expired, used (by someone else), or usable.</summary>
    public async Task<InvitationCheck> CheckAsync(string? token, SignedInIdentity? person, CancellationToken ct)
    {
        var check = links.Verify(token, out var claims);
        if (check is LinkCheck.Malformed or LinkCheck.BadSignature || claims is null || claims.Action != Action)
        {
            return new InvitationCheck(null, Forged, StatusCodes.Status400BadRequest);
        }

        var invitation = await store.GetAsync<InvitationEntity>(VoucherStore.Invitations, claims.Party, claims.InstanceId, ct);
        if (invitation is null)
        {
            return new InvitationCheck(null, Forged, StatusCodes.Status400BadRequest);
        }

        if (invitation.State == nameof(InvitationState.Withdrawn)
            || (invitation.State == nameof(InvitationState.Accepted) && invitation.AcceptedBy != person?.Subject))
        {
            return new InvitationCheck(invitation, Used, StatusCodes.Status410Gone);
        }

        if (check == LinkCheck.Expired || time.GetUtcNow() > invitation.ExpiresAt)
        {
            return invitation.State == nameof(InvitationState.Accepted)
                ? new InvitationCheck(invitation, null, StatusCodes.Status200OK)
                : new InvitationCheck(invitation, Expired, StatusCodes.Status410Gone);
        }

        return new InvitationCheck(invitation, null, StatusCodes.Status200OK);
    }

    /// <summary>
    /// Accepts the invitation for <paramref name="person"/>: the invitation is marked used (a conditional update: of two
    /// people accepting at once only one wins) and the membership granted. The same person accepting again (a retry)
    /// gets the same membership; anyone else is refused.
    /// </summary>
    public async Task<Outcome<Membership>> AcceptAsync(string? token, SignedInIdentity person, CancellationToken ct)
    {
        var check = await CheckAsync(token, person, ct);
        if (!check.Usable)
        {
            return new Failure.Refused(check.Refusal!);
        }

        var invitation = check.Invitation!;
        if (invitation.State != nameof(InvitationState.Accepted))
        {
            invitation.State = nameof(InvitationState.Accepted);
            invitation.AcceptedBy = person.Subject;
            invitation.AcceptedByName = person.Name;
            invitation.AcceptedAt = time.GetUtcNow();
            invitation.MembershipId = MembershipKeys.IdOf(person.Subject, invitation.PartyRole, invitation.PartyScope);
            try
            {
                await store.Table(VoucherStore.Invitations).UpdateEntityAsync(invitation, invitation.ETag, Azure.Data.Tables.TableUpdateMode.Replace, ct);
            }
            catch (Azure.RequestFailedException e) when (e.Status == StatusCodes.Status412PreconditionFailed)
            {
                return new Failure.Refused(Used);
            }

            await audit.AppendAsync(AuditSubject(invitation.Id), person.Subject, invitation.AcceptedAt.Value, nameof(InvitationState.Open), nameof(InvitationState.Accepted), 0, $"membership {invitation.MembershipId}", ct);
        }

        await memberships.EnsurePersonAsync(person.Subject, person.Name, person.Phone, ct);
        var party = await memberships.OfPartyAsync(invitation.PartyRole, invitation.PartyScope, ct);
        var administrator = !party.Any(m => m.State == MembershipState.Verified && m.Administrator);
        return await memberships.GrantAsync(person.Subject, invitation.PartyRole, invitation.PartyScope, administrator, invitation.InvitedBy, ct);
    }

    /// <summary>
    /// An administrator withdraws an unused invitation of a party it manages (a conditional update: against an
    /// acceptance at the same moment, one wins). Withdrawn again, nothing changes; a used one is refused (409); another
    /// party's, or one that does not exist, answers as a missing one.
    /// </summary>
    public async Task<Outcome<InvitationEntity>> WithdrawAsync(VoucherPrincipal caller, string? roleValue, string? scopeValue, string invitationId, CancellationToken ct)
    {
        var administrator = await AdministratorAsync(caller, ct);
        if (administrator is null)
        {
            return new Failure.Forbidden("只有本单位的管理员可以撤回邀请。");
        }

        var missing = new Failure.NotFound("该邀请不存在。");
        if (!RoleNames.TryParse(roleValue, out var role) || !PartyScopes.TryNormalize(role, scopeValue, out var scope, out _) || !CanManage(administrator, role, scope)
            || invitationId.Length is 0 or > 64
            || await store.GetAsync<InvitationEntity>(VoucherStore.Invitations, MembershipKeys.PartyPartition(role, scope), invitationId, ct) is not { } invitation)
        {
            return missing;
        }

        if (invitation.State == nameof(InvitationState.Withdrawn))
        {
            return invitation;
        }

        if (invitation.State == nameof(InvitationState.Accepted))
        {
            return new Failure.Conflict($"该邀请已由{invitation.AcceptedByName}接受，不能撤回；如需取消其身份，请撤销该成员。");
        }

        var now = time.GetUtcNow();
        invitation.State = nameof(InvitationState.Withdrawn);
        try
        {
            await store.Table(VoucherStore.Invitations).UpdateEntityAsync(invitation, invitation.ETag, Azure.Data.Tables.TableUpdateMode.Replace, ct);
        }
        catch (Azure.RequestFailedException e) when (e.Status == StatusCodes.Status412PreconditionFailed)
        {
            return new Failure.Conflict("该邀请刚被接受或撤回，请刷新页面查看。");
        }

        await audit.AppendAsync(AuditSubject(invitation.Id), caller.Actor, now, nameof(InvitationState.Open), nameof(InvitationState.Withdrawn), 0, $"{Addresses.For(role, scope)} invitee {invitation.InviteeName} withdrawn", ct);
        return invitation;
    }

    public static string AuditSubject(string invitationId) => "invitation:" + invitationId;
}
