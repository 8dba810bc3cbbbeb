using Microsoft.Azure.Functions.Worker;
using Microsoft.DurableTask;
using Voucher.Workflows.Applications;

namespace Voucher.Functions.Durable;

/// <summary>Orchestration triggers: thin wrappers over the orchestrators in <c>workflows/</c>.</summary>
public static class OrchestratorFunctions
{
    [Function(nameof(ApplicationOrchestrator))]
    public static Task<ApplicationOutcome> RunApplicationOrchestrator([OrchestrationTrigger] TaskOrchestrationContext context) =>
        new ApplicationOrchestrator().RunAsync(context, context.GetInput<ApplicationWorkflowInput>()!);
}
