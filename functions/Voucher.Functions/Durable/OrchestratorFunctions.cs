using Microsoft.Azure.Functions.Worker;
using Microsoft.DurableTask;
using Voucher.Workflows.Applications;
using Voucher.Workflows.Policies;
using Voucher.Workflows.Redemptions;
using Voucher.Workflows.Settlement;

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

    [Function(nameof(SettlementOrchestrator))]
    public static Task<BatchSummary> RunSettlementOrchestrator([OrchestrationTrigger] TaskOrchestrationContext context) =>
        new SettlementOrchestrator().RunAsync(context, context.GetInput<SettlementInput>()!);

    [Function(nameof(SettlementChunkOrchestrator))]
    public static Task<ChunkResult> RunSettlementChunkOrchestrator([OrchestrationTrigger] TaskOrchestrationContext context) =>
        new SettlementChunkOrchestrator().RunAsync(context, context.GetInput<ChunkInput>()!);

    [Function(nameof(CalendarReplanOrchestrator))]
    public static Task<CalendarReplanSummary> RunCalendarReplanOrchestrator([OrchestrationTrigger] TaskOrchestrationContext context) =>
        new CalendarReplanOrchestrator().RunAsync(context, context.GetInput<CalendarReplanInput>()!);
}
