using Microsoft.DurableTask.Client;
using Voucher.Workflows.Audit;
using Voucher.Workflows.Enterprises;
using Voucher.Workflows.Redemptions;
using Voucher.Workflows.Settlement;

namespace Voucher.Workflows.Enforcement;

/// <summary>
/// Pre-payment (事前兑付, §4.3): a trusted enterprise's redemption has the policy's share of its pay-out approved as an
/// advance when it is queued, before the batch review; the advance counts as paid only when the finance bureau confirms
/// paying it (<see cref="AdvancePaidAsync"/>: credit file, cap ledger, statistics). The review is the audit afterwards:
/// approved, the credit file records a passed audit and the finance bureau later pays only what the advance paid did not;
/// rejected, a violation is recorded (three-year bar) and the advance is clawed back if it was paid — an advance never
/// paid is simply not paid. An objection upheld during publicity fails the audit the same way
/// (<see cref="ObjectionUpheldAsync"/>). Every write has a fixed key, so a retried step changes nothing twice.
/// </summary>
public sealed class PrepaymentAudit(EnforcementStore enforcement, ViolationService violations, VoucherStore store, AuditLog audit, Ledger.CapLedger ledger, Supervision.StatsAggregator stats, RedemptionNotices notices)
{
    public const string AuditedBy = "settlement-audit";

    /// <summary>The advance for a redemption being queued, or null when the city disabled it or the enterprise is not trusted.</summary>
    public async Task<PrepaymentSplit?> AdvanceForAsync(RedemptionEntity r, CityPolicy policy, Cny payout, int year, CancellationToken ct)
    {
        if (policy.PrepaymentShare <= 0m || !payout.IsPositive || !await enforcement.IsTrustedAsync(r.Uscc, year, ct))
        {
            return null;
        }

        return Prepayment.Split(payout, policy.PrepaymentShare);
    }

    /// <summary>An advance just approved (the queue step): its audit entry and the finance bureau's notice; nothing is paid yet (idempotent).</summary>
    public async Task RecordAdvanceAsync(RedemptionEntity r, DateTime at, CancellationToken ct)
    {
        if (r.PrepaidFen <= 0)
        {
            return;
        }

        var amount = Cny.FromFen(r.PrepaidFen);
        await audit.AppendAsync(AuditSubjects.Redemption(r.RedemptionId), "system", RedemptionSteps.Utc(at).AddTicks(1), r.Status.ToString(), r.Status.ToString(), r.PolicyVersion,
            $"核定事前兑付 {amount}（核定兑付 {Cny.FromFen(r.PayoutFen)}），待财政局确认拨付 (advance approved; paid when the finance bureau confirms)", ct);
        await notices.AdvanceDueAsync(r, at, ct);
    }

    /// <summary>
    /// The finance bureau confirmed paying the advance (<see cref="RedemptionEntity.AdvancePaidAt"/> is set): from now it
    /// counts as paid — the credit file, the cap ledger (that part granted), the statistics and the enterprise's message.
    /// Fixed keys throughout, so a retry (or a confirmation asked again) changes nothing twice.
    /// </summary>
    public async Task AdvancePaidAsync(RedemptionEntity r, CancellationToken ct)
    {
        if (r.AdvancePaidAt is not { } paidAt || r.PrepaidFen <= 0)
        {
            return;
        }

        var amount = Cny.FromFen(r.PrepaidFen);
        await enforcement.AddCreditAsync(r.Uscc, "prepaid", r.RedemptionId, paidAt, r.PrepaidFen,
            $"守信企业事前兑付 {amount} 已由财政局拨付（核定 {Cny.FromFen(r.PayoutFen)}，凭证号 {r.AdvanceReference}，{r.AdvancePaidOn}），待批次审核（事后审计）(advance paid; audited in the batch review)", ct);
        await audit.AppendAsync(AuditSubjects.Redemption(r.RedemptionId), r.AdvancePaidBy ?? "finance", paidAt, r.Status.ToString(), r.Status.ToString(), r.PolicyVersion,
            $"财政局确认事前兑付 {amount}：凭证号 {r.AdvanceReference}，{r.AdvancePaidOn}；余额 {Cny.FromFen(r.PayoutFen - r.PrepaidFen)} 审核、公示后拨付 (advance paid)", ct);
        if (r.CapYear > 0)
        {
            await ledger.GrantAdvanceAsync(r.Uscc, r.CapYear, r.RedemptionId, amount, ct);
        }

        await stats.AdvancePaidAsync(r, ct);
        await notices.AdvancePaidAsync(r, ct);
    }

    /// <summary>
    /// After the batch decision on a pre-paid redemption: passed ⇒ credit entry; failed ⇒ claw-back of the advance and a
    /// violation. Returns the enterprise's redemptions still before a batch, which the violation stops.
    /// </summary>
    public async Task<IReadOnlyList<string>> AuditedAsync(RedemptionEntity r, BatchItemEntity item, DateTimeOffset at, CancellationToken ct)
    {
        if (r.PrepaidFen <= 0)
        {
            return [];
        }

        if (r.State == RedemptionStatus.Rejected)
        {
            return (await FailedAsync(r, item.Reason, item.DecidedBy ?? AuditedBy, at, durable: null, ct)).Stopped;
        }

        if (r.State is RedemptionStatus.Published or RedemptionStatus.Approved)
        {
            await enforcement.AddCreditAsync(r.Uscc, "audit-passed", r.RedemptionId, at, r.PrepaidFen,
                $"事前兑付事后审核通过（批次 {r.BatchId}；事前兑付{(r.AdvancePaidAt is null ? "尚未拨付" : "已拨付")}），公示后拨付其余 (audit passed)", ct);
        }

        return [];
    }

    /// <summary>
    /// An objection upheld during publicity on a pre-paid redemption (approved in the batch review, so its audit had
    /// passed): the objection is the audit's finding, so the audit fails after all — the same claw-back of the advance and
    /// violation as a rejection in the review, under the same fixed id (a second resolution or a retry adds nothing).
    /// The enterprise's redemptions still before a batch are stopped through <paramref name="durable"/>. Nothing for a
    /// redemption without an advance, or one not rejected.
    /// </summary>
    public async Task<ViolationRecorded?> ObjectionUpheldAsync(RedemptionEntity r, string reason, string actor, DateTimeOffset at, DurableTaskClient durable, CancellationToken ct)
    {
        if (r.PrepaidFen <= 0 || r.State != RedemptionStatus.Rejected)
        {
            return null;
        }

        return await FailedAsync(r, $"公示异议成立 (objection upheld)：{reason}", actor, at, durable, ct);
    }

    async Task<ViolationRecorded> FailedAsync(RedemptionEntity r, string? reason, string actor, DateTimeOffset at, DurableTaskClient? durable, CancellationToken ct)
    {
        // Only money that moved comes back: an advance the finance bureau never paid is not paid now (the redemption is rejected).
        var paid = r.AdvancePaidAt is not null;
        await enforcement.AddCreditAsync(r.Uscc, "audit-failed", r.RedemptionId, at, r.AdvancePaidFen,
            paid
                ? $"事前兑付事后审核未通过：{reason}；追回已拨付的事前兑付 {Cny.FromFen(r.PrepaidFen)} (audit failed; advance clawed back)"
                : $"事前兑付事后审核未通过：{reason}；事前兑付 {Cny.FromFen(r.PrepaidFen)} 尚未拨付，不再拨付 (audit failed; the advance was never paid)", ct);
        var enterprise = await store.GetAsync<EnterpriseEntity>(VoucherStore.Enterprises, r.Uscc, EnterpriseEntity.ProfileRow, ct)
            ?? new EnterpriseEntity { PartitionKey = r.Uscc, Name = r.EnterpriseName, CityCode = r.CityCode };
        var plan = new ViolationPlan(enterprise, ChinaTime.DateOf(at.UtcDateTime), $"事前兑付事后审核未通过 (pre-payment audit failed)：{reason}",
            paid ? [(r, Cny.FromFen(r.PrepaidFen), "prepaid")] : []);
        return await violations.RecordAsync(ViolationIdFor(r.RedemptionId), plan, actor, "audit", durable, ct);
    }

    /// <summary>One violation per failed audit, whatever the number of retries.</summary>
    public static string ViolationIdFor(string redemptionId) => $"audit-{redemptionId}";
}
