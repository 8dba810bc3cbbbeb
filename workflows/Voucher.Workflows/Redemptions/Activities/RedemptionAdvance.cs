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
    public async Task<RedemptionState> AfterAsync(RedemptionState applied, DateTime at, CancellationToken ct)
    {
        var state = await open.RunAsync(new RedemptionRoundInput(applied.RedemptionId, applied.BindingRound, at), ct);
        if (state.ReadyToQueue)
        {
            state = await queue.RunAsync(new RedemptionStep(applied.RedemptionId, at), ct);
        }

        return state with { Advanced = true };
    }
}
