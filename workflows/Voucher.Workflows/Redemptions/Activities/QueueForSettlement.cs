using System.Text.Json;
using Voucher.Domain;
using Voucher.Workflows.Durable;
using Voucher.Workflows.Ledger;
using Voucher.Workflows.Vouchers;

namespace Voucher.Workflows.Redemptions;

/// <summary>
/// Bound and complete: computes the pay-out (face value, excess at the city's ratio, the annual cap), reserves it
/// in the enterprise's ledger, records every step with the policy version, and queues the redemption for its
/// city's next settlement batch.
/// </summary>
public sealed class QueueForSettlement(RedemptionSteps steps, VoucherRepository vouchers, CapLedger ledger, RedemptionNotices notices, Enforcement.PrepaymentAudit prepayment) : IActivity<RedemptionStep, RedemptionState>
{
    public async Task<RedemptionState> RunAsync(RedemptionStep input, CancellationToken ct = default)
    {
        var r = await steps.Store.GetRequiredAsync(input.RedemptionId, ct);
        if (r.State == RedemptionStatus.Queued && r.QueuedAt == RedemptionSteps.Utc(input.At))
        {
            // This same step queued it before a crash: finish the idempotent tail (queue row, audit, notice).
            await steps.Store.EnqueueAsync(r, ct);
            await steps.AuditAsync(r, "system", input.At, nameof(RedemptionStatus.AwaitingEvidence), $"核定兑付 {Cny.FromFen(r.PayoutFen)}", ct);
            await notices.QueuedAsync(r, input.At, ct);
            return RedemptionSteps.StateOf(r);
        }

        if (!RedemptionSteps.StateOf(r).ReadyToQueue)
        {
            return RedemptionSteps.StateOf(r);
        }

        var policy = await steps.PolicyOfAsync(r, ct);
        var voucher = await vouchers.GetAsync(r.VoucherId, ct) ?? throw new DomainException($"创新券 {r.VoucherId} 不存在");
        var face = Cny.FromFen(voucher.FaceValueFen - voucher.UsedFen);
        var paid = Cny.FromFen(r.AmountPaidFen);
        var year = ChinaTime.DateOf(input.At).Year;
        PayoutComputation? computation = null;
        var reservation = await ledger.ReserveAsync(r.Uscc, year, r.RedemptionId, policy.AnnualCap, remaining =>
        {
            computation = PayoutRules.Compute(paid, face, policy.ExcessRatio, remaining);
            return computation.Payout;
        }, ct);
        computation ??= PayoutRules.Compute(paid, face, policy.ExcessRatio, reservation.CapRemainingBefore);
        var advance = await prepayment.AdvanceForAsync(r, policy, reservation.Reserved, year, ct);

        string? from = null;
        r = await steps.Store.UpdateAsync(r.RedemptionId, e =>
        {
            from = RedemptionSteps.Move(e, RedemptionStatus.Queued);
            if (from is null)
            {
                return false;
            }

            e.CapYear = year;
            e.PayoutFen = reservation.Reserved.Fen;
            e.PayoutJson = JsonSerializer.Serialize(computation);
            e.QueuedAt = RedemptionSteps.Utc(input.At);
            if (advance is { Prepaid.IsPositive: true })
            {
                e.PrepaidFen = advance.Prepaid.Fen;
                e.PrepaidAt = e.QueuedAt;
            }

            return true;
        }, ct);

        if (r.State == RedemptionStatus.Queued)
        {
            await steps.Store.EnqueueAsync(r, ct);
            if (from is not null)
            {
                await steps.AuditAsync(r, "system", input.At, from,
                    $"核定兑付 {Cny.FromFen(r.PayoutFen)}（实付 {paid}，面额余额 {face}，超出部分比例 {policy.ExcessRatio}，年度额度剩余 {reservation.CapRemainingBefore}）", ct);
                await notices.QueuedAsync(r, input.At, ct);
            }

            await prepayment.RecordAdvanceAsync(r, input.At, ct);
        }

        return RedemptionSteps.StateOf(r);
    }
}
