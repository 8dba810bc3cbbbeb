using Microsoft.DurableTask.Client;
using Voucher.Workflows.Durable;

namespace Voucher.Workflows.Applications;

/// <summary>An application's one orchestration, started under its business id (by the submission, or by <see cref="PendingStarts"/>).</summary>
public sealed class ApplicationStarts(ApplicationStore applications) : IStartedWorkflow
{
    public const string KindName = "application";

    public string Kind => KindName;

    public async Task<bool> IsOpenAsync(string businessId, CancellationToken ct) =>
        await applications.GetAsync(businessId, ct) is { } a && !ApplicationTransitions.IsFinal(a.State);

    public string InstanceId(string businessId) => ApplicationStore.InstanceId(businessId);

    public Task<bool> StartOnceAsync(DurableTaskClient durable, string businessId, CancellationToken ct) =>
        Orchestrations.StartOnceAsync(durable, nameof(ApplicationOrchestrator), new ApplicationWorkflowInput(businessId), InstanceId(businessId), ct);

    /// <summary>Starts it unless an instance exists (a repeated request for a row left without its orchestration).</summary>
    public Task EnsureStartedAsync(DurableTaskClient durable, string businessId, CancellationToken ct) =>
        Orchestrations.EnsureStartedAsync(durable, nameof(ApplicationOrchestrator), new ApplicationWorkflowInput(businessId), InstanceId(businessId), ct);
}
