using Voucher.Workflows.Audit;
using Voucher.Workflows.Configuration;
using Voucher.Workflows.Enterprises;
using Voucher.Workflows.Notifications;
using Voucher.Workflows.Redemptions;

namespace Voucher.Workflows.Enforcement;

/// <summary>What a violation claws back: its own claw-backs (money no one claimed before) and the earlier ones it points to.</summary>
public sealed record ClawBackClaimed(IReadOnlyList<ClawBackEntity> New, IReadOnlyList<ClawBackEntity> Existing);

/// <summary>
/// Money is clawed back once. The money paid on a redemption comes in parts — the advance the finance bureau confirmed and
/// the final payment — and each part is claimed by the first claw-back that names it (<see cref="ClawBackClaimEntity"/>,
/// insert-if-absent). A later violation naming the same redemption claws back only parts no one claimed (none, usually)
/// and points to the claw-back that holds the rest. A claw-back row is built from its claims, so whoever finds a claim
/// whose claw-back row is missing (its violation stopped after claiming) writes that row: the same row, whoever writes it.
/// The finance bureau (to recover it) and the enterprise (to repay it) are told of a claw-back under fixed message ids
/// (<c>clawback-{id}</c>, <c>clawback-{id}-ent</c>) each time its own violation is recorded or retried, so a retry that
/// repairs a claw-back also sends what was owed, and each message lands once.
/// </summary>
public sealed class ClawBackClaims(EnforcementStore enforcement, VoucherStore store, AuditLog audit, Outbox outbox, VoucherSettings settings, TimeProvider time)
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
                var ours = held.Key == clawBackId;
                var row = await EnsureRowAsync(plan.Enterprise, r, held.Key, held.ToList(), ours ? actor : "system", ours, ct);
                (ours ? mine : existing).Add(row);
            }
        }

        return new ClawBackClaimed(mine, existing.DistinctBy(c => c.ClawBackId).ToList());
    }

    /// <summary>
    /// The claw-back row of <paramref name="clawBackId"/>, written from its claims if it is not there yet (once: fixed key);
    /// its messages go out when this wrote it or it is <paramref name="ours"/> (a retry of its own violation).
    /// </summary>
    async Task<ClawBackEntity> EnsureRowAsync(EnterpriseEntity enterprise, RedemptionEntity r, string clawBackId, IReadOnlyList<ClawBackClaimEntity> claims, string actor, bool ours, CancellationToken ct)
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
        var added = await store.TryAddAsync(VoucherStore.ClawBacks, claw, ct);
        if (added)
        {
            await RedemptionViewKey.TouchAsync(store, r.RedemptionId, time.GetUtcNow(), ct);
            await audit.AppendAsync(AuditSubjects.Redemption(r.RedemptionId), actor, claw.CreatedAt, r.Status.ToString(), r.Status.ToString(), r.PolicyVersion,
                $"违规 {claw.ViolationId}：追回{(kind == "prepaid" ? "事前兑付" : "已拨付")}资金 {amount} (claw-back of {amount})", ct);
        }

        var row = (await enforcement.GetClawBackAsync(enterprise.CityCode, clawBackId, ct))!;
        if (added || ours)
        {
            await NotifyAsync(row, ct);
        }

        return row;
    }

    /// <summary>The claw-back's two messages (fixed ids and times: sent again, each is still one message).</summary>
    async Task NotifyAsync(ClawBackEntity c, CancellationToken ct)
    {
        var amount = Web.Glossary.MoneyInProse(c.AmountFen);
        var what = c.Kind == "prepaid" ? "事前兑付资金" : "已拨付资金";
        await outbox.EnqueueAndTryDeliverAsync(new Notification(
            $"clawback-{c.ClawBackId}", Addresses.For(Role.FinanceBureau, c.PartitionKey),
            $"待追回：{c.EnterpriseName} {amount}",
            $"因违规处理（编号 {c.ViolationId}），须向 {c.EnterpriseName} 追回兑付申请 {c.RedemptionId} 的{what} {amount}。资金退回后，请在“资金追回”页面填写追回凭证号并确认。",
            [new NotificationLink("资金追回", $"{settings.PublicBaseUrl}/portal/clawbacks")], c.CreatedAt, c.RedemptionId), ct);
        await outbox.EnqueueAndTryDeliverAsync(new Notification(
            $"clawback-{c.ClawBackId}-ent", Addresses.Enterprise(c.Uscc),
            $"资金追回通知：{amount}",
            $"因违规处理（编号 {c.ViolationId}），兑付申请 {c.RedemptionId} 的{what} {amount} 须退回市财政局。请与市财政局联系办理退回；退回确认后将记入本企业信用记录。",
            [new NotificationLink("查看信用记录", $"{settings.PublicBaseUrl}/portal/credit")], c.CreatedAt, c.RedemptionId), ct);
    }
}
