using Microsoft.DurableTask.Client;
using Voucher.Workflows.Durable;

namespace Voucher.Workflows.Redemptions;

/// <summary>A redemption's one orchestration, started under its business id (by the request, or by <see cref="PendingStarts"/>).</summary>
public sealed class RedemptionStarts(RedemptionStore redemptions) : IStartedWorkflow
{
    public const string KindName = "redemption";

    public string Kind => KindName;

    public async Task<bool> IsOpenAsync(string businessId, CancellationToken ct) =>
        await redemptions.GetAsync(businessId, ct) is { } r && !RedemptionTransitions.IsFinal(r.State);

    public string InstanceId(string businessId) => RedemptionStore.InstanceId(businessId);

    public Task<bool> StartOnceAsync(DurableTaskClient durable, string businessId, CancellationToken ct) =>
        Orchestrations.StartOnceAsync(durable, nameof(RedemptionOrchestrator), new RedemptionWorkflowInput(businessId), InstanceId(businessId), ct);

    /// <summary>Starts it unless an instance exists (a repeated request for a row left without its orchestration).</summary>
    public Task EnsureStartedAsync(DurableTaskClient durable, string businessId, CancellationToken ct) =>
        Orchestrations.EnsureStartedAsync(durable, nameof(RedemptionOrchestrator), new RedemptionWorkflowInput(businessId), InstanceId(businessId), ct);
}
