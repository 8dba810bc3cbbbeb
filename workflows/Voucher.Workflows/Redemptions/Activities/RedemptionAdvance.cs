namespace Voucher.Workflows.Redemptions;

/// <summary>
/// The steps the orchestrator's loop takes before every wait — open the binding round it is in, queue the redemption for
/// settlement once it is bound and complete — taken inside the activity that applied an event, with that event's time.
/// Each such activity the orchestrator no longer schedules saves a work item and an orchestration episode (about nine
/// storage calls); both steps are the same idempotent activities, so an activity that runs again repeats nothing.
/// </summary>
public sealed class RedemptionAdvance(OpenBindingRound open, QueueForSettlement queue, RedemptionSteps steps)
{
    /// <summary>The state after the steps, marked <see cref="RedemptionState.Advanced"/> so the loop does not repeat them.</summary>
    /// <param name="applied">The state after the event.</param>
    /// <param name="row">The row as the applying step left it, which saves the steps a read; null: they read it.</param>
    /// <param name="at">The event's time.</param>
    /// <param name="ct">Cancellation.</param>
    /// <param name="entry">The applying step's audit entry, left to the queue step to write with its own (<see cref="QueueForSettlement.Follows"/>).</param>
    public async Task<RedemptionState> AfterAsync(RedemptionState applied, RedemptionEntity? row, DateTime at, CancellationToken ct, Audit.AuditEntry? entry = null)
    {
        var (state, r) = await open.OpenAsync(new RedemptionRoundInput(applied.RedemptionId, applied.BindingRound, at), row, ct);
        if (QueueForSettlement.Follows(r, at))
        {
            return await queue.RunAsync(new RedemptionStep(applied.RedemptionId, at), r, ct, entry) with { Advanced = true };
        }

        await steps.AuditAsync(entry, ct);
        return state with { Advanced = true };
    }
}
