using Microsoft.Azure.Functions.Worker;
using Microsoft.DurableTask;
using Voucher.Workflows.Applications;
using Voucher.Workflows.Redemptions;

namespace Voucher.Functions.Durable;

/// <summary>Orchestration triggers: thin wrappers over the orchestrators in <c>workflows/</c>.</summary>
public static class OrchestratorFunctions
{
    [Function(nameof(ApplicationOrchestrator))]
    public static Task<ApplicationOutcome> RunApplicationOrchestrator([OrchestrationTrigger] TaskOrchestrationContext context) =>
        new ApplicationOrchestrator().RunAsync(context, context.GetInput<ApplicationWorkflowInput>()!);

    [Function(nameof(RedemptionOrchestrator))]
    public static Task<string> RunRedemptionOrchestrator([OrchestrationTrigger] TaskOrchestrationContext context) =>
        new RedemptionOrchestrator().RunAsync(context, context.GetInput<RedemptionWorkflowInput>()!);
}
