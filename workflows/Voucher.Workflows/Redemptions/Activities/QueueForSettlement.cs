using System.Text.Json;
using Voucher.Workflows.Durable;
using Voucher.Workflows.Ledger;
using Voucher.Workflows.Vouchers;

namespace Voucher.Workflows.Redemptions;

/// <summary>
/// Bound and complete: computes the pay-out (face value, excess at the city's ratio, the annual cap), reserves it
/// in the enterprise's ledger for the cap year (<see cref="AnnualCap.YearOf"/>: the China-date year of this step),
/// records every step with the policy version, and queues the redemption for its city's next settlement batch (with the
/// fact its batch's risk check reads: <see cref="Settlement.Risk.RiskFactWriter"/>).
/// If by now the cap is used up (other redemptions took it since the request was accepted), the pay-out would be 0.00:
/// the redemption is not queued as a zero item but stopped (AwaitingEvidence → Stopped, the one legal end before the
/// queue; Rejected is the bureau's review outcome) with the reason, and the enterprise is told.
/// </summary>
public sealed class QueueForSettlement(
    RedemptionSteps steps,
    VoucherRepository vouchers,
    CapLedger ledger,
    RedemptionNotices notices,
    Enforcement.PrepaymentAudit prepayment,
    Supervision.StatsAggregator stats,
    Settlement.Risk.RiskFactWriter riskFacts,
    Microsoft.Extensions.Logging.ILogger<QueueForSettlement> log) : IActivity<RedemptionStep, RedemptionState>
{
    public Task<RedemptionState> RunAsync(RedemptionStep input, CancellationToken ct = default) => RunAsync(input, null, ct);

    /// <summary>
    /// Whether this step, run at <paramref name="at"/>, has something to do with the row: it is ready to be queued, or this
    /// same step queued it or stopped it for the cap before a crash cut its tail short (the tail is finished then).
    /// </summary>
    public static bool Follows(RedemptionEntity r, DateTime at) =>
        RedemptionSteps.StateOf(r).ReadyToQueue
        || r.QueuedAt == RedemptionSteps.Utc(at)
        || (r.State == RedemptionStatus.Stopped && r.StoppedByViolation is null && r.StoppedAt == RedemptionSteps.Utc(at));

    /// <summary>As <see cref="RunAsync(RedemptionStep, CancellationToken)"/>, with the row the caller has just read or written (saves a read).</summary>
    /// <param name="input">The step.</param>
    /// <param name="known">The row the caller has just read or written; null: read it.</param>
    /// <param name="ct">Cancellation.</param>
    /// <param name="before">The calling step's own entry (the binding that made it ready), written in one call with this step's.</param>
    public async Task<RedemptionState> RunAsync(RedemptionStep input, RedemptionEntity? known, CancellationToken ct, Audit.AuditEntry? before = null)
    {
        var handed = new HandedEntry(before);
        var state = await QueueAsync(input, known, handed, ct);
        // The calling step's entry alone, when no entry of this step took it along.
        await steps.AuditAsync(handed.Take(), ct);
        return state;
    }

    /// <summary>An entry handed on by the calling step: the first audit write of this step takes it along, once.</summary>
    sealed class HandedEntry(Audit.AuditEntry? entry)
    {
        public Audit.AuditEntry? Take()
        {
            var taken = entry;
            entry = null;
            return taken;
        }
    }

    async Task<RedemptionState> QueueAsync(RedemptionStep input, RedemptionEntity? known, HandedEntry handed, CancellationToken ct)
    {
        var r = known ?? await steps.Store.GetRequiredAsync(input.RedemptionId, ct);
        if (r.QueuedAt == RedemptionSteps.Utc(input.At) && r.State is RedemptionStatus.Queued or RedemptionStatus.InBatch)
        {
            // This same step queued it before a crash: finish the idempotent tail. Once a batch has taken it, the queue
            // row, risk fact, advance and statistics belong to the batch; the entry and the message are written again.
            var waiting = r.State == RedemptionStatus.Queued;
            if (waiting)
            {
                await steps.Store.EnqueueAsync(r, ct);
                await riskFacts.RecordAsync(r, indexFiles: false, ct);
            }

            await steps.AuditAsync(r, "system", input.At, nameof(RedemptionStatus.AwaitingEvidence), $"核定兑付 {Cny.FromFen(r.PayoutFen)}", ct, RedemptionStatus.Queued, handed.Take());
            await notices.QueuedAsync(r, input.At, ct);
            if (waiting)
            {
                await prepayment.RecordAdvanceAsync(r, input.At, ct);
                await stats.CommittedEnteredAsync([r], MoneyStage.Queued, ct);
                RedemptionLog.Queued(log, r.RedemptionId, Cny.FromFen(r.PayoutFen).ToString(), r.CapYear, r.CappedFromFen > 0);
            }

            return RedemptionSteps.StateOf(r);
        }

        if (r.State == RedemptionStatus.Stopped && r.StoppedByViolation is null && r.StoppedAt == RedemptionSteps.Utc(input.At))
        {
            // This same step stopped it for the cap before a crash: the audit entry and the message again (same keys).
            return await StoppedTailAsync(r, input, nameof(RedemptionStatus.AwaitingEvidence), ct, handed);
        }

        if (!RedemptionSteps.StateOf(r).ReadyToQueue)
        {
            RedemptionLog.NotReadyToQueue(log, r.RedemptionId, r.State);
            return RedemptionSteps.StateOf(r);
        }

        var policy = await steps.PolicyOfAsync(r, ct);
        var voucher = await vouchers.GetAsync(r.VoucherId, ct) ?? throw new DomainException($"创新券 {r.VoucherId} 不存在");
        var face = Cny.FromFen(voucher.FaceValueFen - voucher.UsedFen);
        var paid = Cny.FromFen(r.AmountPaidFen);
        var year = AnnualCap.YearOf(input.At);
        PayoutComputation? computation = null;
        var reservation = await ledger.ReserveAsync(r.Uscc, year, r.RedemptionId, policy.AnnualCap, remaining =>
        {
            computation = PayoutRules.Compute(paid, face, policy.ExcessRatio, remaining);
            return computation.Payout;
        }, ct);
        var computed = computation ?? PayoutRules.Compute(paid, face, policy.ExcessRatio, reservation.CapRemainingBefore);
        if (!reservation.Reserved.IsPositive)
        {
            return await StopForCapAsync(r, input, year, policy, computed, ct, handed);
        }

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
            e.CappedFromFen = computed.CappedByAnnualLimit ? computed.BeforeCap.Fen : 0;
            e.PayoutJson = JsonSerializer.Serialize(computed);
            e.QueuedAt = RedemptionSteps.Utc(input.At);
            if (advance is { Prepaid.IsPositive: true })
            {
                e.PrepaidFen = advance.Prepaid.Fen;
                e.PrepaidAt = e.QueuedAt;
                // The advance's entry is written last (PrepaymentAudit.RecordAdvanceAsync, a tick later, same state).
                RedemptionSteps.Announce(e, input.At.AddTicks(1), nameof(RedemptionStatus.Queued));
            }
            else
            {
                RedemptionSteps.Announce(e, input.At, from);
            }

            return true;
        }, ct, known: r);

        if (r.State == RedemptionStatus.Queued)
        {
            await steps.Store.EnqueueAsync(r, ct);
            // What the batch's risk check needs of it (voucher, evidence files, contact prints), ready before any batch forms.
            await riskFacts.RecordAsync(r, indexFiles: false, ct, voucher);
            if (from is not null)
            {
                var capped = AnnualCap.CappedNote(computed, year) is { } note ? $"；{note}" : "";
                await steps.AuditAsync(r, "system", input.At, from,
                    $"核定兑付 {Cny.FromFen(r.PayoutFen)}（实付 {paid}，面额余额 {face}，超出部分比例 {policy.ExcessRatio}，{year} 年度额度剩余 {reservation.CapRemainingBefore}）{capped}", ct, before: handed.Take());
                await notices.QueuedAsync(r, input.At, ct);
            }

            await prepayment.RecordAdvanceAsync(r, input.At, ct);
            await stats.CommittedEnteredAsync([r], MoneyStage.Queued, ct);
            RedemptionLog.Queued(log, r.RedemptionId, Cny.FromFen(r.PayoutFen).ToString(), r.CapYear, r.CappedFromFen > 0);
        }
        else
        {
            RedemptionLog.NotReadyToQueue(log, r.RedemptionId, r.State);
        }

        return RedemptionSteps.StateOf(r);
    }

    /// <summary>The cap left nothing: stopped with the reason (nothing reserved, nothing queued), audited, the enterprise told.</summary>
    async Task<RedemptionState> StopForCapAsync(RedemptionEntity r, RedemptionStep input, int year, CityPolicy policy, PayoutComputation computation, CancellationToken ct, HandedEntry handed)
    {
        var standing = await ledger.GetAsync(r.Uscc, year, policy.AnnualCap, ct);
        var reason = AnnualCap.StopText(year, standing.Cap, standing.Granted, standing.Reserved);
        string? from = null;
        r = await steps.Store.UpdateAsync(r.RedemptionId, e =>
        {
            from = RedemptionSteps.Move(e, RedemptionStatus.Stopped);
            if (from is null)
            {
                return false;
            }

            e.CapYear = year;
            e.PayoutFen = 0;
            e.PayoutJson = JsonSerializer.Serialize(computation);
            e.RejectReason = reason;
            e.StoppedAt = RedemptionSteps.Utc(input.At);
            RedemptionSteps.Announce(e, input.At, from);
            return true;
        }, ct, known: r);

        return from is null ? RedemptionSteps.StateOf(r) : await StoppedTailAsync(r, input, from, ct, handed);
    }

    async Task<RedemptionState> StoppedTailAsync(RedemptionEntity r, RedemptionStep input, string from, CancellationToken ct, HandedEntry handed)
    {
        // A zero reservation is never recorded; an older one would be given back here.
        await ledger.ReleaseAsync(r.Uscc, r.CapYear, r.RedemptionId, ct);
        await steps.AuditAsync(r, "system", input.At, from, $"年度限额已用完，兑付终止 (annual cap used up, stopped)：{r.RejectReason}", ct, before: handed.Take());
        await notices.CapUsedUpAsync(r, input.At, ct);
        RedemptionLog.StoppedForCap(log, r.RedemptionId, r.CapYear);
        return RedemptionSteps.StateOf(r);
    }
}
