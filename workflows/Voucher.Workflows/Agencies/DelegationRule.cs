namespace Voucher.Workflows.Agencies;

public enum DelegationState
{
    Active,
    Expired,
    Revoked,
}

/// <summary>What a delegation grants: which agency acts for which party, in which action groups, until which (China) date inclusive.</summary>
public sealed record DelegationGrant(string DelegationId, string AgencyId, Role PartyRole, string PartyId, IReadOnlyList<string> Actions, DateOnly ValidUntil, DateTimeOffset? RevokedAt)
{
    public DelegationState StateOn(DateOnly today) =>
        RevokedAt is not null ? DelegationState.Revoked : today > ValidUntil ? DelegationState.Expired : DelegationState.Active;

    /// <summary>Active on the day and one of its groups opens the route (the landing page opens with any group).</summary>
    public bool Covers(string routeName, DateOnly today) =>
        StateOn(today) == DelegationState.Active
        && (routeName == DelegationActions.HomeRoute || DelegationActions.GroupsOpening(PartyRole, routeName).Any(Actions.Contains));
}

/// <summary>The outcome of checking an agency's request: the grant it acts under, or why it is refused.</summary>
public sealed record DelegationDecision(DelegationGrant? Grant, string? Refusal)
{
    public bool Allowed => Grant is not null;
}

/// <summary>Pure: picks the delegation that lets an agency call a route for a party today, or says which one is missing.</summary>
public static class DelegationRule
{
    public static DelegationDecision Decide(string agencyId, string partyId, IEnumerable<DelegationGrant> grants, string routeName, DateOnly today)
    {
        var mine = grants.Where(g => g.AgencyId == agencyId && g.PartyId == partyId).ToList();
        var grant = mine.FirstOrDefault(g => g.Covers(routeName, today));
        if (grant is not null)
        {
            return new DelegationDecision(grant, null);
        }

        var roles = mine.Count > 0 ? mine.Select(g => g.PartyRole).Distinct() : [Role.Enterprise, Role.Institution];
        var needed = roles.SelectMany(r => routeName == DelegationActions.HomeRoute ? DelegationActions.For(r).Select(g => g.Name) : DelegationActions.GroupsOpening(r, routeName))
            .Distinct().ToList();
        if (needed.Count == 0)
        {
            return new DelegationDecision(null,
                $"{partyId} 的委托事项不包括此功能，无法调用 {routeName} (Missing delegation: no action group party {partyId} can delegate to agency {agencyId} opens route {routeName})");
        }

        var neededText = routeName == DelegationActions.HomeRoute ? "任一操作 any action group" : string.Join(" / ", needed);
        var found = mine.Count == 0
            ? "未找到任何委托 (no delegation found)"
            : string.Join("；", mine.Select(g => g.StateOn(today) switch
            {
                DelegationState.Revoked => $"{g.DelegationId} 已于 {g.RevokedAt!.Value.ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture)} UTC 撤销 (revoked)",
                DelegationState.Expired => $"{g.DelegationId} 已于 {g.ValidUntil.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)} 到期 (expired)",
                _ => $"{g.DelegationId} 仅授权 {string.Join(", ", g.Actions)} (covers only these groups)",
            }));
        return new DelegationDecision(null,
            $"缺少委托：{partyId} 未授予代理机构 {agencyId} 有效的“{neededText}”委托，无法调用 {routeName}。{found} " +
            $"(Missing delegation: party {partyId} → agency {agencyId} for '{neededText}', needed by route {routeName})");
    }
}
