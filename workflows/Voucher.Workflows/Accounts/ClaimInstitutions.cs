namespace Voucher.Workflows.Accounts;

/// <summary>
/// An institution's people are verified by the province the same way as the institution itself: when the province centre
/// verifies or rejects a registered institution (<see cref="Marketplace.InstitutionService.DecideAsync"/>, its work list in
/// <c>Worklists/</c>), every membership still waiting for that institution is verified (the first one becomes the
/// institution's administrator) or rejected with the same reason. Run again with the same decision, it changes nothing.
/// </summary>
public sealed class ClaimInstitutions(IMemberships memberships)
{
    public async Task<int> DecidedAsync(string institutionId, bool verified, string? reason, string decidedBy, CancellationToken ct)
    {
        var moved = 0;
        foreach (var m in await memberships.OfPartyAsync(Role.Institution, institutionId, ct))
        {
            if (m.State != MembershipState.Pending)
            {
                continue;
            }

            _ = verified
                ? await memberships.VerifyAsync(m.Id, decidedBy, ct)
                : await memberships.RejectAsync(m.Id, decidedBy, reason is { Length: > 0 } r ? r : "服务机构未通过省中心认证", ct);
            moved++;
        }

        return moved;
    }
}
