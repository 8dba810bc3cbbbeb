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
public sealed class RedemptionEvents(OneTimeActions oneTime, PendingRedemptionEvents pending, TimeProvider time)
{
    /// <summary>A redemption requested this recently may not have its orchestration started yet.</summary>
    public static readonly TimeSpan StartWindow = TimeSpan.FromSeconds(30);

    /// <summary>The longest an event waits for that start before it is raised anyway (the pending row's sweep is the fallback).</summary>
    static readonly TimeSpan StartWait = TimeSpan.FromSeconds(10);

    /// <summary>Remembers the event until it is applied (a lost message is raised again by the sweep), then raises it.</summary>
    public Task RaiseAsync(string redemptionId, RedemptionEvent ev, DurableTaskClient durable, CancellationToken ct) =>
        RaiseAsync(redemptionId, requestedAt: null, ev, durable, ct);

    /// <summary>
    /// As <see cref="RaiseAsync(string, RedemptionEvent, DurableTaskClient, CancellationToken)"/>; for a redemption requested
    /// moments ago it first waits (at most 10 s) until the engine has started its orchestration. Round 1 opens with the
    /// request, so an institution may bind at once, and the Azure Storage provider discards an event that reaches an
    /// instance whose start is not committed yet once its few out-of-order retries are spent; the sweep would raise it
    /// again only a minute later.
    /// </summary>
    public Task RaiseAsync(RedemptionEntity r, RedemptionEvent ev, DurableTaskClient durable, CancellationToken ct) =>
        RaiseAsync(r.RedemptionId, r.SubmittedAt, ev, durable, ct);

    async Task RaiseAsync(string redemptionId, DateTimeOffset? requestedAt, RedemptionEvent ev, DurableTaskClient durable, CancellationToken ct)
    {
        await pending.RecordAsync(redemptionId, ev, ct);
        var instanceId = RedemptionStore.InstanceId(redemptionId);
        if (requestedAt is { } since && time.GetUtcNow() - since < StartWindow)
        {
            using var wait = CancellationTokenSource.CreateLinkedTokenSource(ct);
            wait.CancelAfter(StartWait);
            try
            {
                await durable.WaitForInstanceStartAsync(instanceId, wait.Token);
            }
            catch (Exception) when (!ct.IsCancellationRequested)
            {
                // Not started within the wait (or the engine could not say): raised anyway, the pending row covers it.
            }
        }

        await durable.RaiseEventAsync(instanceId, RedemptionEvent.EventName, ev, ct);
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
            await RaiseAsync(r, new RedemptionEvent(RedemptionEvent.Binding, round, confirm, reason, actor), durable, ct);
        }
        catch
        {
            await oneTime.ReleaseAsync(instanceId, BindingLinks.Action, round);
            throw;
        }

        return BindingOutcome.Accepted;
    }
}
