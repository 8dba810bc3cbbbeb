using Microsoft.DurableTask.Client;
using Voucher.Workflows.Links;

namespace Voucher.Workflows.Redemptions;

public enum BindingOutcome
{
    Accepted,
    AlreadyDone,
    NotAwaiting,
}

/// <summary>Raises events on redemption orchestrations; one-time actions (binding, extension) are claimed first.</summary>
public sealed class RedemptionEvents(OneTimeActions oneTime, PendingRedemptionEvents pending)
{
    /// <summary>Remembers the event until it is applied (a lost message is raised again by the sweep), then raises it.</summary>
    public async Task RaiseAsync(string redemptionId, RedemptionEvent ev, DurableTaskClient durable, CancellationToken ct)
    {
        await pending.RecordAsync(redemptionId, ev, ct);
        await durable.RaiseEventAsync(RedemptionStore.InstanceId(redemptionId), RedemptionEvent.EventName, ev, ct);
    }

    public Task<bool> ClaimAsync(string redemptionId, string action, int round, string by, CancellationToken ct) =>
        oneTime.TryClaimAsync(RedemptionStore.InstanceId(redemptionId), action, round, by, ct);

    public Task<bool> IsBindingAnsweredAsync(string redemptionId, int round, CancellationToken ct) =>
        oneTime.IsClaimedAsync(RedemptionStore.InstanceId(redemptionId), BindingLinks.Action, round, ct);

    public async Task<BindingOutcome> BindAsync(RedemptionEntity r, int round, bool confirm, string? reason, string actor, DurableTaskClient durable, CancellationToken ct)
    {
        if (r.State != RedemptionStatus.AwaitingBinding || r.Bound || r.BindingRound != round)
        {
            return r.Bound ? BindingOutcome.AlreadyDone : BindingOutcome.NotAwaiting;
        }

        var instanceId = RedemptionStore.InstanceId(r.RedemptionId);
        if (!await oneTime.TryClaimAsync(instanceId, BindingLinks.Action, round, actor, ct))
        {
            return BindingOutcome.AlreadyDone;
        }

        try
        {
            await RaiseAsync(r.RedemptionId, new RedemptionEvent(RedemptionEvent.Binding, round, confirm, reason, actor), durable, ct);
        }
        catch
        {
            await oneTime.ReleaseAsync(instanceId, BindingLinks.Action, round);
            throw;
        }

        return BindingOutcome.Accepted;
    }
}
