namespace Voucher.Workflows.Accounts;

/// <summary>One person of an enterprise or institution as its members page shows them.</summary>
public sealed record OnboardingMemberRow(Membership Membership, string Name, bool IsCaller);

/// <summary>A party's people (an enterprise by USCC, an institution by id) and whether the caller may add and remove them.</summary>
public sealed record OnboardingMemberList(PartyKind Kind, string Scope, bool CallerIsAdministrator, IReadOnlyList<OnboardingMemberRow> Members)
{
    /// <summary>企业 / 服务机构.</summary>
    public string Noun => ClaimParties.Noun(Kind);
}

/// <summary>
/// An enterprise's or institution's people: a verified administrator adds a person who has signed in at least once, by
/// the 账号编号 the person reads on their own page (<see cref="IMemberships.GrantAsync"/>, verified at once). Removing a
/// member is done in one place for every party, the members page of <see cref="AccountPages"/> (a reason, the last
/// administrator kept).
/// </summary>
public sealed class OnboardingMembers(IMemberships memberships, ClaimService claims)
{
    public async Task<Outcome<OnboardingMemberList>> ListAsync(VoucherPrincipal caller, CancellationToken ct)
    {
        if (caller.Role is not (Role.Enterprise or Role.Institution) || caller.Scope is not { Length: > 0 } scope)
        {
            return new Failure.Forbidden("只有企业或服务机构人员可以查看本单位人员 (Enterprise or institution members only)");
        }

        var kind = ClaimParties.KindOf(caller.Role);
        var all = (await memberships.OfPartyAsync(caller.Role, scope, ct)).Where(m => m.Acts).ToList();
        var rows = new List<OnboardingMemberRow>();
        foreach (var m in all.OrderByDescending(m => m.Administrator).ThenBy(m => m.State).ThenBy(m => m.ChangedAt))
        {
            var person = await memberships.FindPersonAsync(m.Subject, ct);
            rows.Add(new OnboardingMemberRow(m, person?.Name ?? "（未登记姓名）", m.Subject == caller.UserId));
        }

        return new OnboardingMemberList(kind, scope, IsAdministrator(caller, all), rows);
    }

    /// <summary>Adds the person behind a 账号编号 as a verified member of the caller's enterprise or institution.</summary>
    public async Task<Outcome<Membership>> AddAsync(VoucherPrincipal caller, string? accountNumber, CancellationToken ct)
    {
        var list = await ListAsync(caller, ct);
        if (list.Failure is { } failure)
        {
            return failure;
        }

        if (!list.Value.CallerIsAdministrator)
        {
            return new Failure.Forbidden($"只有本{list.Value.Noun}的管理员可以添加人员 (Only the party's administrator adds people)");
        }

        if (ClaimIds.ParseAccountNumber(accountNumber) is not { } number)
        {
            return new Failure.Invalid("accountNumber", "账号编号为 10 位数字，请向对方索取（对方登录后在“我的认领”页面可以看到） (Ten digits)");
        }

        var subject = await claims.SubjectOfAsync(number, ct);
        var person = subject is null ? null : await memberships.FindPersonAsync(subject, ct);
        if (person is null)
        {
            return new Failure.Invalid("accountNumber", "没有找到该账号编号。请对方先登录本平台，打开“我的认领”页面，再把页面上的账号编号告诉您 (No person with this number)");
        }

        if (list.Value.Members.Any(r => r.Membership.Subject == person.Subject && r.Membership.State == MembershipState.Verified))
        {
            return new Failure.Conflict($"{person.Name} 已是本{list.Value.Noun}人员 (Already a member)");
        }

        var granted = await memberships.GrantAsync(person.Subject, caller.Role, list.Value.Scope, false, caller.Actor, ct);
        await claims.SettleByAdministratorAsync(person.Subject, list.Value.Kind, list.Value.Scope, caller.DisplayName, ct);
        return granted;
    }

    static bool IsAdministrator(VoucherPrincipal caller, IReadOnlyList<Membership> members) =>
        caller.Verified && members.Any(m => m.Subject == caller.UserId && m.State == MembershipState.Verified && m.Administrator
            && (caller.MembershipId is null || caller.MembershipId == m.Id));
}
