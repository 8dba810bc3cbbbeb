using Microsoft.DurableTask.Client;
using Voucher.Workflows.Durable;

namespace Voucher.Workflows.Redemptions;

/// <summary>
/// A redemption's one orchestration, started under its business id: by the request with the round it opened (the loop's
/// first turn waits on it), or by <see cref="PendingStarts"/> and a repeated request for a row left without its
/// orchestration (a crash after the row was written). Those two first write the opened round's entry and message again
/// (same keys), which the crash may have cut off, and start without it: the first step then records evidence that
/// reached storage meanwhile (<see cref="OpenBindingRound"/>).
/// </summary>
public sealed class RedemptionStarts(RedemptionStore redemptions, RedemptionSteps steps, BindingRounds rounds) : IStartedWorkflow
{
    public const string KindName = "redemption";

    public string Kind => KindName;

    public async Task<bool> IsOpenAsync(string businessId, CancellationToken ct) =>
        await redemptions.GetAsync(businessId, ct) is { } r && !RedemptionTransitions.IsFinal(r.State);

    public string InstanceId(string businessId) => RedemptionStore.InstanceId(businessId);

    /// <summary>The request's start: the row it has just written, with round 1 open.</summary>
    public Task<bool> StartOpenedAsync(DurableTaskClient durable, RedemptionEntity requested, CancellationToken ct) =>
        Orchestrations.StartOnceAsync(durable, nameof(RedemptionOrchestrator),
            new RedemptionWorkflowInput(requested.RedemptionId, Opened: RedemptionSteps.StateOf(requested)), InstanceId(requested.RedemptionId), ct);

    public async Task<bool> StartOnceAsync(DurableTaskClient durable, string businessId, CancellationToken ct)
    {
        await RecordOpeningAsync(await redemptions.GetRequiredAsync(businessId, ct), ct);
        return await Orchestrations.StartOnceAsync(durable, nameof(RedemptionOrchestrator), new RedemptionWorkflowInput(businessId), InstanceId(businessId), ct);
    }

    /// <summary>Starts it unless an instance exists (a repeated request for a row left without its orchestration).</summary>
    public async Task EnsureStartedAsync(DurableTaskClient durable, RedemptionEntity r, CancellationToken ct)
    {
        await RecordOpeningAsync(r, ct);
        await Orchestrations.EnsureStartedAsync(durable, nameof(RedemptionOrchestrator), new RedemptionWorkflowInput(r.RedemptionId), InstanceId(r.RedemptionId), ct);
    }

    async Task RecordOpeningAsync(RedemptionEntity r, CancellationToken ct)
    {
        if (BindingRounds.OpenedByRequest(r) && !RedemptionTransitions.IsFinal(r.State))
        {
            await rounds.RecordAsync(r, await steps.PolicyOfAsync(r, ct), ct);
        }
    }
}
