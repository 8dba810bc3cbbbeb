namespace Voucher.Workflows.Redemptions;

/// <summary>
/// The steps the orchestrator's loop takes before every wait — open the binding round it is in, queue the redemption for
/// settlement once it is bound and complete — taken inside the activity that applied an event, with that event's time.
/// Each such activity the orchestrator no longer schedules saves a work item and an orchestration episode (about nine
/// storage calls); both steps are the same idempotent activities, so an activity that runs again repeats nothing.
/// </summary>
public sealed class RedemptionAdvance(OpenBindingRound open, QueueForSettlement queue)
{
    /// <summary>The state after the steps, marked <see cref="RedemptionState.Advanced"/> so the loop does not repeat them.</summary>
    /// <param name="row">The row as the applying step left it, which saves the steps a read; null: they read it.</param>
    public async Task<RedemptionState> AfterAsync(RedemptionState applied, RedemptionEntity? row, DateTime at, CancellationToken ct)
    {
        var (state, r) = await open.OpenAsync(new RedemptionRoundInput(applied.RedemptionId, applied.BindingRound, at), row, ct);
        // Also when this same step queued it before a crash cut its tail short: the queue step finishes the tail.
        if (state.ReadyToQueue || r.QueuedAt == RedemptionSteps.Utc(at))
        {
            state = await queue.RunAsync(new RedemptionStep(applied.RedemptionId, at), r, ct);
        }

        return state with { Advanced = true };
    }
}
