namespace Voucher.Workflows.Agencies;

/// <summary>
/// The one place an agency's request becomes the party's: for an agency naming a party (<see cref="ActingFor"/>) on
/// a delegable route, reads that party's delegations to the agency (no cache beyond the request, so a revocation
/// holds from the next request) and answers the party's principal with the agency recorded, or a refusal naming the
/// missing delegation.
/// </summary>
public sealed class DelegationGuard(DelegationStore delegations)
{
    public sealed record Outcome(VoucherPrincipal? Principal, ActingContext? Acting, string? Refusal);

    public async Task<Outcome> ApplyAsync(RouteDef route, HttpRequest request, VoucherPrincipal? principal, CancellationToken ct)
    {
        if (principal is not { Role: Role.Agency } || ActingFor.Read(request) is not { } partyId)
        {
            return new Outcome(principal, null, null);
        }

        if (!DelegationActions.IsDelegable(route.Name))
        {
            // The agency's own pages (its home, inbox, sign-out) and public pages stay the agency's.
            return route.Access.Anonymous || route.Access.Roles.Contains(Role.Agency)
                ? new Outcome(principal, null, null)
                : new Outcome(principal, null, $"此功能不能委托代理机构办理 (Route {route.Name} cannot be delegated to an agency)");
        }

        var agencyId = principal.Scope ?? "";
        var rows = await delegations.BetweenAsync(agencyId, partyId, ct);
        var decision = DelegationRule.Decide(agencyId, partyId, rows.Select(r => r.ToGrant()), route.Name, delegations.Today);
        if (!decision.Allowed)
        {
            return new Outcome(principal, null, decision.Refusal);
        }

        var grant = decision.Grant!;
        var acting = principal with
        {
            Role = grant.PartyRole,
            Scope = grant.PartyId,
            DisplayName = $"{principal.DisplayName}（代理 acting for {grant.PartyId}）",
            Agency = agencyId,
        };
        return new Outcome(acting, new ActingContext(agencyId, acting.Address, grant.DelegationId), null);
    }
}
