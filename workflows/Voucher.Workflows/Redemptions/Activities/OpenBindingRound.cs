using Voucher.Workflows.Durable;

namespace Voucher.Workflows.Redemptions;

/// <summary>
/// Opens a binding round (<see cref="BindingRounds"/>): in system mode the deadline is N working days away and the
/// institution gets a signed link; in seal mode the institution's seal on the contract binds it (the bureau checks it in
/// review) and no link is sent. Round 1 is normally opened by the request itself; this step opens the later ones, and
/// round 1 of a redemption requested before the request did so. Already opened: returns the state as recorded — by this
/// same step before a crash: its entry and notice again. Each step first records evidence already complete in storage
/// (<see cref="EvidenceCompletion"/>).
/// </summary>
public sealed class OpenBindingRound(RedemptionSteps steps, EvidenceCompletion evidence, Policies.CalendarStore calendars, BindingRounds rounds)
    : IActivity<RedemptionRoundInput, RedemptionState>
{
    public async Task<RedemptionState> RunAsync(RedemptionRoundInput input, CancellationToken ct = default) => (await OpenAsync(input, null, ct)).State;

    /// <summary>As <see cref="RunAsync"/>, starting from the row the caller has just read or written, and handing back the row as this step left it.</summary>
    public async Task<(RedemptionState State, RedemptionEntity Row)> OpenAsync(RedemptionRoundInput input, RedemptionEntity? known, CancellationToken ct)
    {
        var r = known ?? await steps.Store.GetRequiredAsync(input.RedemptionId, ct);
        if (!r.EvidenceComplete && RedemptionTransitions.TakesEvidence(r.State))
        {
            // The files in storage count even when the evidence-complete event was lost (raised before the engine
            // had committed this orchestration's start, the framework drops it); recorded once either way.
            r = (await evidence.RecordIfCompleteAsync(r.RedemptionId, input.At, ct, known: r)).Redemption;
        }

        if (r.BindingRound == input.Round && r.BindingRoundOpenedAt == RedemptionSteps.Utc(input.At))
        {
            // This same step opened the round before a crash cut it short (nothing else moves the row while the
            // orchestration waits for this step): its entry and the institution's notice again, under the same keys.
            await rounds.RecordAsync(r, await steps.PolicyOfAsync(r, ct), ct);
            return (RedemptionSteps.StateOf(r), r);
        }

        if (RedemptionTransitions.IsFinal(r.State) || r.BindingRound >= input.Round || r.State != RedemptionStatus.AwaitingBinding)
        {
            return (RedemptionSteps.StateOf(r), r);
        }

        var policy = await steps.PolicyOfAsync(r, ct);
        var plan = BindingDeadlines.Count(await calendars.CurrentAsync(ct), ChinaTime.DateOf(input.At), policy);
        var opened = false;
        r = await steps.Store.UpdateAsync(r.RedemptionId, e =>
        {
            opened = false; // an attempt whose write lost the race (412) must not count as the opening
            if (e.BindingRound >= input.Round || e.State != RedemptionStatus.AwaitingBinding)
            {
                return false;
            }

            BindingRounds.Open(e, input.Round, input.At, plan);
            return opened = true;
        }, ct, known: r);

        if (opened)
        {
            await rounds.RecordAsync(r, policy, ct);
        }

        return (RedemptionSteps.StateOf(r), r);
    }
}
