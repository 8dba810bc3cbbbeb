using Voucher.Domain;
using Voucher.Workflows.Audit;
using Voucher.Workflows.Enterprises;
using Voucher.Workflows.Redemptions;
using Voucher.Workflows.Storage;

namespace Voucher.Workflows.Enforcement;

/// <summary>What a violation claws back: its own claw-backs (money no one claimed before) and the earlier ones it points to.</summary>
public sealed record ClawBackClaimed(IReadOnlyList<ClawBackEntity> New, IReadOnlyList<ClawBackEntity> Existing);

/// <summary>
/// Money is clawed back once. The money paid on a redemption comes in parts — the advance the finance bureau confirmed and
/// the final payment — and each part is claimed by the first claw-back that names it (<see cref="ClawBackClaimEntity"/>,
/// insert-if-absent). A later violation naming the same redemption claws back only parts no one claimed (none, usually)
/// and points to the claw-back that holds the rest. A claw-back row is built from its claims, so whoever finds a claim
/// whose claw-back row is missing (its violation stopped after claiming) writes that row: the same row, whoever writes it.
/// </summary>
public sealed class ClawBackClaims(EnforcementStore enforcement, VoucherStore store, AuditLog audit)
{
    /// <summary>The parts of a redemption's money a claw-back of <paramref name="kind"/> recovers (paid: advance and final; prepaid: the advance).</summary>
    public static IReadOnlyList<(string Part, long Fen)> PartsOf(RedemptionEntity r, string kind) =>
        kind == "prepaid"
            ? [(ClawBackClaimEntity.Advance, r.AdvancePaidFen)]
            : [(ClawBackClaimEntity.Advance, r.AdvancePaidFen), (ClawBackClaimEntity.Final, r.PayoutFen - r.AdvancePaidFen)];

    public async Task<ClawBackClaimed> ClaimAsync(string violationId, ViolationPlan plan, string actor, DateTimeOffset now, CancellationToken ct)
    {
        var mine = new List<ClawBackEntity>();
        var existing = new List<ClawBackEntity>();
        foreach (var (r, _, kind) in plan.ClawBacks)
        {
            var clawBackId = ClawBackEntity.IdFor(violationId, r.RedemptionId);
            var claims = await enforcement.ClaimAsync(r.RedemptionId, clawBackId, violationId, PartsOf(r, kind), now, ct);
            foreach (var held in claims.GroupBy(c => c.ClawBackId, StringComparer.Ordinal))
            {
                var row = await EnsureRowAsync(plan.Enterprise, r, held.Key, held.ToList(), held.Key == clawBackId ? actor : "system", ct);
                (held.Key == clawBackId ? mine : existing).Add(row);
            }
        }

        return new ClawBackClaimed(mine, existing.DistinctBy(c => c.ClawBackId).ToList());
    }

    /// <summary>The claw-back row of <paramref name="clawBackId"/>, written from its claims if it is not there yet (once: fixed key).</summary>
    async Task<ClawBackEntity> EnsureRowAsync(EnterpriseEntity enterprise, RedemptionEntity r, string clawBackId, IReadOnlyList<ClawBackClaimEntity> claims, string actor, CancellationToken ct)
    {
        var amount = Cny.FromFen(claims.Sum(c => c.AmountFen));
        var kind = claims.Any(c => c.RowKey == ClawBackClaimEntity.Final) ? "paid" : "prepaid";
        var claw = new ClawBackEntity
        {
            PartitionKey = enterprise.CityCode,
            RowKey = clawBackId,
            ViolationId = claims[0].ViolationId,
            RedemptionId = r.RedemptionId,
            Uscc = enterprise.Uscc,
            EnterpriseName = enterprise.Name,
            AmountFen = amount.Fen,
            Kind = kind,
            CreatedAt = claims.Min(c => c.ClaimedAt),
        };
        if (await store.TryAddAsync(VoucherStore.ClawBacks, claw, ct))
        {
            await audit.AppendAsync(AuditSubjects.Redemption(r.RedemptionId), actor, claw.CreatedAt, r.Status, r.Status, r.PolicyVersion,
                $"违规 {claw.ViolationId}：追回{(kind == "prepaid" ? "事前兑付" : "已拨付")}资金 {amount} (claw-back of {amount})", ct);
        }

        return (await enforcement.GetClawBackAsync(enterprise.CityCode, clawBackId, ct))!;
    }
}
