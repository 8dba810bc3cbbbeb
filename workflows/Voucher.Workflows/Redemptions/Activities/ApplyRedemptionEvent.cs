using Voucher.Workflows.Durable;
using Voucher.Workflows.Ledger;
using Voucher.Workflows.Vouchers;

namespace Voucher.Workflows.Redemptions;

/// <summary>
/// Applies one event to the redemption row. Events that do not fit the current state (late, duplicated, for
/// another round) change nothing. Then takes the loop's next steps itself (<see cref="RedemptionAdvance"/>).
/// </summary>
public sealed class ApplyRedemptionEvent(
    RedemptionSteps steps,
    EvidenceCompletion evidence,
    CapLedger ledger,
    VoucherUsage usage,
    RedemptionNotices notices,
    Supervision.StatsAggregator stats,
    PendingRedemptionEvents pending,
    ReplanBindingRound replan,
    RedemptionAdvance advance,
    Microsoft.Extensions.Logging.ILogger<ApplyRedemptionEvent> log) : IActivity<RedemptionEventInput, RedemptionState>
{
    public async Task<RedemptionState> RunAsync(RedemptionEventInput input, CancellationToken ct = default)
    {
        var applied = await ApplyAsync(input, ct);
        // Handled (applied, or late/duplicated and ignored): the sweep need not raise it again.
        await pending.ClearAsync(input.RedemptionId, input.Event, ct);
        return await advance.AfterAsync(applied.State, applied.Row, input.At, ct, applied.Entry);
    }

    /// <summary>
    /// The state after the event, the row as this step last read or wrote it (null: read it again), and the event's audit
    /// entry when it is left to the steps that follow (<see cref="RedemptionAdvance"/>) to write.
    /// </summary>
    readonly record struct Applied(RedemptionState State, RedemptionEntity? Row, Audit.AuditEntry? Entry = null)
    {
        public static Applied Of(RedemptionEntity r) => new(RedemptionSteps.StateOf(r), r);
    }

    async Task<Applied> ApplyAsync(RedemptionEventInput input, CancellationToken ct)
    {
        var ev = input.Event;
        return ev.Kind switch
        {
            RedemptionEvent.Binding => await BindAsync(input, ct),
            RedemptionEvent.EvidenceComplete => await EvidenceAsync(input, ct),
            RedemptionEvent.Withdraw => await WithdrawAsync(input, ct),
            RedemptionEvent.ExtendBinding => await ExtendAsync(input, ct),
            RedemptionEvent.Settled => await SettledAsync(input, ct),
            RedemptionEvent.Violation => await StopAsync(input, ct),
            RedemptionEvent.Calendar => new Applied(await replan.RunAsync(input, ct), null),
            _ => Unchanged(input, await steps.Store.GetRequiredAsync(input.RedemptionId, ct)),
        };
    }

    /// <summary>The event did not fit the redemption's state (late, duplicated, for another round, not due yet): nothing changed.</summary>
    Applied Unchanged(RedemptionEventInput input, RedemptionEntity r)
    {
        RedemptionLog.EventChangedNothing(log, r.RedemptionId, input.Event.KindName, input.Event.Round, r.State);
        return Applied.Of(r);
    }

    async Task<Applied> BindAsync(RedemptionEventInput input, CancellationToken ct)
    {
        var ev = input.Event;
        string? from = null;
        var r = await steps.Store.UpdateAsync(input.RedemptionId, e =>
        {
            from = null; // an attempt whose write lost the race (412) must not count as the move
            if (e.Bound || e.BindingRound != ev.Round || e.State != RedemptionStatus.AwaitingBinding)
            {
                return false;
            }

            if (ev.Confirmed)
            {
                e.Bound = true;
                e.BoundBy = ev.Actor;
                e.BoundAt = RedemptionSteps.Utc(input.At);
                from = RedemptionSteps.Move(e, RedemptionStatus.AwaitingEvidence);
            }
            else
            {
                e.DisputeReason = ev.Reason;
                from = RedemptionSteps.Move(e, RedemptionStatus.Disputed);
            }

            if (from is not null)
            {
                // The binding's entry (written by the step it is handed to) or the dispute's.
                RedemptionSteps.Announce(e, input.At, from);
            }

            return from is not null;
        }, ct, writeIndex: false);

        // The listing rows, unless the queue step moves the row on in this same run (bound with the evidence complete)
        // and writes them then: one write of the rows instead of two.
        if (from is not null && !RedemptionSteps.StateOf(r).ReadyToQueue)
        {
            await steps.Store.UpsertIndexAsync(r, ct);
        }

        RedemptionStatus? to = null;
        if (from is null && ev.Confirmed && r.Bound && r.BindingRound == ev.Round && r.BoundAt == RedemptionSteps.Utc(input.At) && r.BoundBy == ev.Actor)
        {
            // This same step bound it before a crash cut it short (and may have queued it since): its entry and the
            // enterprise's message again, under the same keys.
            (from, to) = (nameof(RedemptionStatus.AwaitingBinding), RedemptionStatus.AwaitingEvidence);
        }

        if (from is null)
        {
            return Unchanged(input, r);
        }

        if (ev.Confirmed)
        {
            // The entry goes with the state to the steps that follow: when the binding made it ready, the queue step
            // writes it in one call with its own; otherwise it is written alone (RedemptionAdvance).
            var entry = RedemptionSteps.EntryOf(r, ev.Actor, input.At, from, "服务机构确认 (bound)", to);
            // With the evidence complete the queue step follows in this run, and its message (queued, or stopped for the
            // cap) is the one the enterprise needs; otherwise it is asked for the missing documents.
            if (!r.EvidenceComplete)
            {
                await notices.BoundAsync(r, ev.Round, input.At, ct);
            }

            RedemptionLog.Bound(log, r.RedemptionId, ev.Round, ev.Actor);
            return Applied.Of(r) with { Entry = entry };
        }

        await steps.AuditAsync(r, ev.Actor, input.At, from, $"服务机构提出异议：{ev.Reason}", ct, to);
        await notices.DisputedAsync(r, ev.Round, input.At, ct);
        RedemptionLog.Disputed(log, r.RedemptionId, ev.Round, ev.Actor);
        return Applied.Of(r);
    }

    async Task<Applied> EvidenceAsync(RedemptionEventInput input, CancellationToken ct)
    {
        var (r, recorded) = await evidence.RecordIfCompleteAsync(input.RedemptionId, input.At, ct);
        return recorded ? Applied.Of(r) : Unchanged(input, r);
    }

    async Task<Applied> WithdrawAsync(RedemptionEventInput input, CancellationToken ct)
    {
        string? from = null;
        var r = await steps.Store.UpdateAsync(input.RedemptionId, e =>
        {
            // A paid advance is money out: the redemption can no longer be withdrawn (only a violation's claw-back undoes it).
            from = e.AdvancePaidAt is null ? RedemptionSteps.Move(e, RedemptionStatus.Withdrawn) : null;
            if (from is null)
            {
                return false;
            }

            RedemptionSteps.Announce(e, input.At, from);
            e.WithdrawnAt = RedemptionSteps.Utc(input.At);
            e.WithdrawnBy = input.Event.Actor;
            return true;
        }, ct);

        if (r.State == RedemptionStatus.Withdrawn)
        {
            // Idempotent clean-up: the reserved cap goes back, the queue row goes away.
            if (r.CapYear > 0)
            {
                await ledger.ReleaseAsync(r.Uscc, r.CapYear, r.RedemptionId, ct);
            }

            await steps.Store.DequeueAsync(r, ct);
            await stats.CommittedSyncAsync(r, ct);
            if (from is not null)
            {
                await steps.AuditAsync(r, input.Event.Actor, input.At, from, "企业撤回兑付申请，释放预留额度 (withdrawn, reservation released)", ct);
                await notices.WithdrawnAsync(r, input.At, ct);
                RedemptionLog.Withdrawn(log, r.RedemptionId, input.Event.Actor, r.CapYear);
            }

            return Applied.Of(r);
        }

        return Unchanged(input, r);
    }

    /// <summary>A violation stops the redemption before its batch: terminal, the reserved cap goes back, the queue row goes away.</summary>
    async Task<Applied> StopAsync(RedemptionEventInput input, CancellationToken ct)
    {
        string? from = null;
        var r = await steps.Store.UpdateAsync(input.RedemptionId, e =>
        {
            from = RedemptionSteps.Move(e, RedemptionStatus.Stopped);
            if (from is null)
            {
                return false;
            }

            RedemptionSteps.Announce(e, input.At, from);
            e.StoppedByViolation = input.Event.Reason ?? input.Event.Actor;
            e.RejectReason = $"因违规 {e.StoppedByViolation} 终止 (stopped for a violation)";
            e.ReviewedAt = RedemptionSteps.Utc(input.At);
            e.StoppedAt = e.ReviewedAt;
            return true;
        }, ct);

        if (r.State == RedemptionStatus.Stopped)
        {
            if (r.CapYear > 0)
            {
                await ledger.ReleaseAsync(r.Uscc, r.CapYear, r.RedemptionId, ct);
            }

            await steps.Store.DequeueAsync(r, ct);
            await stats.CommittedSyncAsync(r, ct);
            if (from is not null)
            {
                await steps.AuditAsync(r, input.Event.Actor, input.At, from, $"记录违规 {r.StoppedByViolation}，兑付申请终止并释放预留额度 (stopped for a violation, reservation released)", ct);
                RedemptionLog.StoppedForViolation(log, r.RedemptionId, r.StoppedByViolation);
            }

            return Applied.Of(r);
        }

        return Unchanged(input, r);
    }

    async Task<Applied> ExtendAsync(RedemptionEventInput input, CancellationToken ct)
    {
        string? from = null;
        var r = await steps.Store.UpdateAsync(input.RedemptionId, e =>
        {
            from = null; // an attempt whose write lost the race (412) must not count as the move
            if (e.BindingRound != input.Event.Round || e.State is not (RedemptionStatus.BindingOverdue or RedemptionStatus.Disputed))
            {
                return false;
            }

            from = RedemptionSteps.Move(e, RedemptionStatus.AwaitingBinding);
            if (from is not null)
            {
                RedemptionSteps.Announce(e, input.At, from);
            }

            e.DisputeReason = null;
            e.BindingDeadline = null;
            e.BindingReminder = null;
            return from is not null;
        }, ct);

        if (from is not null)
        {
            await steps.AuditAsync(r, input.Event.Actor, input.At, from, "市科技局延长机构确认期限，重新发起确认 (binding re-opened)", ct);
            RedemptionLog.BindingReopened(log, r.RedemptionId, input.Event.Round, input.Event.Actor);
        }

        // Re-opened and not yet given a new deadline (also when this step runs again): the next round opens it.
        var reopened = r.State == RedemptionStatus.AwaitingBinding && !r.Bound && r.BindingDeadline is null && r.BindingRound == input.Event.Round;
        return reopened ? new Applied(RedemptionSteps.StateOf(r) with { BindingRound = r.BindingRound + 1 }, r) : Unchanged(input, r);
    }

    /// <summary>
    /// The money side of a final outcome, once: a rejection gives the reserved cap back; a payment turns the
    /// reservation into a grant and records the face value used on the voucher. Then the SME is told.
    /// </summary>
    async Task<Applied> SettledAsync(RedemptionEventInput input, CancellationToken ct)
    {
        var r = await steps.Store.GetRequiredAsync(input.RedemptionId, ct);
        if (r.SettledAt is not null || r.State is not (RedemptionStatus.Rejected or RedemptionStatus.Paid))
        {
            return Unchanged(input, r);
        }

        VoucherEntity? voucher = null;
        if (r.State == RedemptionStatus.Rejected)
        {
            if (r.CapYear > 0)
            {
                await ledger.ReleaseAsync(r.Uscc, r.CapYear, r.RedemptionId, ct);
            }

            await notices.RejectedAsync(r, input.At, ct);
        }
        else
        {
            await ledger.GrantAsync(r.Uscc, r.CapYear, r.RedemptionId, ct);
            var computation = r.PayoutJson is null ? null : System.Text.Json.JsonSerializer.Deserialize<PayoutComputation>(r.PayoutJson);
            voucher = await usage.RecordAsync(r.VoucherId, r.RedemptionId, computation?.WithinFace.Fen ?? 0, ct);
            await notices.PaidAsync(r, input.At, ct);
        }

        await stats.RedemptionSettledAsync(r, ct, voucher);
        await stats.CommittedSyncAsync(r, ct);
        r = await steps.Store.UpdateAsync(r.RedemptionId, e =>
        {
            if (e.SettledAt is not null)
            {
                return false;
            }

            e.SettledAt = RedemptionSteps.Utc(input.At);
            e.AnnounceNothingElse();
            return true;
        }, ct, known: r);
        RedemptionLog.Settled(log, r.RedemptionId, r.State, r.CapYear);
        return Applied.Of(r);
    }
}
