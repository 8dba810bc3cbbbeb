using Microsoft.Azure.Functions.Worker;
using Microsoft.Extensions.DependencyInjection;
using Voucher.Workflows.Applications;
using Voucher.Workflows.Policies;
using Voucher.Workflows.Redemptions;
using Voucher.Workflows.Settlement;
using Voucher.Workflows.Settlement.Risk;

namespace Voucher.Functions.Durable;

/// <summary>Activity triggers: thin wrappers over the activities in <c>workflows/</c>, resolved from DI.</summary>
public sealed class ActivityFunctions(IServiceProvider services)
{
    [Function(nameof(CheckApplicationEligibility))]
    public Task<EligibilityOutcome> RunCheckApplicationEligibility([ActivityTrigger] ApplicationStep input) =>
        services.GetRequiredService<CheckApplicationEligibility>().RunAsync(input);

    [Function(nameof(OpenReviewRound))]
    public Task<ReviewRoundPlan> RunOpenReviewRound([ActivityTrigger] ReviewRoundInput input) =>
        services.GetRequiredService<OpenReviewRound>().RunAsync(input);

    [Function(nameof(SendReviewReminder))]
    public Task<bool> RunSendReviewReminder([ActivityTrigger] ReviewRoundInput input) =>
        services.GetRequiredService<SendReviewReminder>().RunAsync(input);

    [Function(nameof(EscalateApplicationReview))]
    public Task<bool> RunEscalateApplicationReview([ActivityTrigger] ReviewRoundInput input) =>
        services.GetRequiredService<EscalateApplicationReview>().RunAsync(input);

    [Function(nameof(RecordApplicationDecision))]
    public Task<ApplicationOutcome> RunRecordApplicationDecision([ActivityTrigger] DecisionInput input) =>
        services.GetRequiredService<RecordApplicationDecision>().RunAsync(input);

    [Function(nameof(OpenBindingRound))]
    public Task<RedemptionState> RunOpenBindingRound([ActivityTrigger] RedemptionRoundInput input) =>
        services.GetRequiredService<OpenBindingRound>().RunAsync(input);

    [Function(nameof(SendBindingReminder))]
    public Task<bool> RunSendBindingReminder([ActivityTrigger] RedemptionRoundInput input) =>
        services.GetRequiredService<SendBindingReminder>().RunAsync(input);

    [Function(nameof(MarkBindingOverdue))]
    public Task<bool> RunMarkBindingOverdue([ActivityTrigger] RedemptionRoundInput input) =>
        services.GetRequiredService<MarkBindingOverdue>().RunAsync(input);

    [Function(nameof(ApplyRedemptionEvent))]
    public Task<RedemptionState> RunApplyRedemptionEvent([ActivityTrigger] RedemptionEventInput input) =>
        services.GetRequiredService<ApplyRedemptionEvent>().RunAsync(input);

    [Function(nameof(QueueForSettlement))]
    public Task<RedemptionState> RunQueueForSettlement([ActivityTrigger] RedemptionStep input) =>
        services.GetRequiredService<QueueForSettlement>().RunAsync(input);

    [Function(nameof(FormSettlementBatch))]
    public Task<BatchSummary> RunFormSettlementBatch([ActivityTrigger] SettlementInput input) =>
        services.GetRequiredService<FormSettlementBatch>().RunAsync(input);

    [Function(nameof(ProcessSettlementChunk))]
    public Task<ChunkResult> RunProcessSettlementChunk([ActivityTrigger] ChunkInput input) =>
        services.GetRequiredService<ProcessSettlementChunk>().RunAsync(input);

    [Function(nameof(OpenBatchReview))]
    public Task<bool> RunOpenBatchReview([ActivityTrigger] BatchStep input) =>
        services.GetRequiredService<OpenBatchReview>().RunAsync(input);

    [Function(nameof(BeginRiskCheck))]
    public Task<int> RunBeginRiskCheck([ActivityTrigger] BatchStep input) =>
        services.GetRequiredService<BeginRiskCheck>().RunAsync(input);

    [Function(nameof(IndexRiskChunk))]
    public Task<int> RunIndexRiskChunk([ActivityTrigger] RiskChunkInput input) =>
        services.GetRequiredService<IndexRiskChunk>().RunAsync(input);

    [Function(nameof(FlagRiskChunk))]
    public Task<int> RunFlagRiskChunk([ActivityTrigger] RiskChunkInput input) =>
        services.GetRequiredService<FlagRiskChunk>().RunAsync(input);

    [Function(nameof(OpenPublicity))]
    public Task<PublicityWindow> RunOpenPublicity([ActivityTrigger] BatchStep input) =>
        services.GetRequiredService<OpenPublicity>().RunAsync(input);

    [Function(nameof(CloseSettlement))]
    public Task<bool> RunCloseSettlement([ActivityTrigger] BatchStep input) =>
        services.GetRequiredService<CloseSettlement>().RunAsync(input);

    [Function(nameof(ReplanReviewRound))]
    public Task<ReviewRoundPlan> RunReplanReviewRound([ActivityTrigger] ReviewReplanInput input) =>
        services.GetRequiredService<ReplanReviewRound>().RunAsync(input);

    [Function(nameof(ReplanPublicity))]
    public Task<PublicityWindow> RunReplanPublicity([ActivityTrigger] BatchStep input) =>
        services.GetRequiredService<ReplanPublicity>().RunAsync(input);

    [Function(nameof(ListCalendarDependents))]
    public Task<CalendarDependents> RunListCalendarDependents([ActivityTrigger] CalendarDependentsQuery input) =>
        services.GetRequiredService<ListCalendarDependents>().RunAsync(input);

    [Function(nameof(RecordCalendarReplan))]
    public Task<bool> RunRecordCalendarReplan([ActivityTrigger] CalendarReplanSummary input) =>
        services.GetRequiredService<RecordCalendarReplan>().RunAsync(input);
}
