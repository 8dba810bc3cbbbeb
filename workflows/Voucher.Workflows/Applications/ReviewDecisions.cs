using Microsoft.DurableTask.Client;
using Voucher.Workflows.Links;

namespace Voucher.Workflows.Applications;

public enum DecisionOutcome
{
    Accepted,
    AlreadyDecided,
    NotAwaiting,
}

/// <summary>
/// One decision per application and round, whether it comes from the signed link or from the signed-in bureau. An
/// accepted decision is kept (<see cref="PendingReviewDecisions"/>) until the orchestration has applied it.
/// </summary>
public sealed class ReviewDecisions(OneTimeActions oneTime, PendingReviewDecisions pending)
{
    public async Task<DecisionOutcome> DecideAsync(ApplicationEntity app, ReviewDecision decision, DurableTaskClient durable, CancellationToken ct)
    {
        if (ApplicationTransitions.IsFinal(app.State))
        {
            return DecisionOutcome.AlreadyDecided;
        }

        if (app.Round != decision.Round || app.State is not (ApplicationStatus.UnderReview or ApplicationStatus.Escalated))
        {
            return DecisionOutcome.NotAwaiting;
        }

        var instanceId = ApplicationStore.InstanceId(app.ApplicationId);
        if (!await oneTime.TryClaimAsync(instanceId, ReviewLinks.Action, decision.Round, decision.DecidedBy, ct))
        {
            return DecisionOutcome.AlreadyDecided;
        }

        try
        {
            await pending.RecordAsync(app.ApplicationId, decision, ct);
            await durable.RaiseEventAsync(instanceId, ReviewDecision.EventName, decision, ct);
        }
        catch
        {
            // Not raised: neither kept nor claimed, so the bureau can decide again.
            await pending.ClearAsync(app.ApplicationId, decision, CancellationToken.None);
            await oneTime.ReleaseAsync(instanceId, ReviewLinks.Action, decision.Round);
            throw;
        }

        return DecisionOutcome.Accepted;
    }

    public Task<bool> IsUsedAsync(LinkClaims claims, CancellationToken ct) =>
        oneTime.IsClaimedAsync(claims.InstanceId, claims.Action, claims.Round, ct);
}
