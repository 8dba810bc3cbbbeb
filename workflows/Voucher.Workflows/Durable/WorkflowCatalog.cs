using Microsoft.DurableTask;
using Microsoft.Extensions.DependencyInjection;
using Voucher.Workflows.Applications;
using Voucher.Workflows.Policies;
using Voucher.Workflows.Redemptions;
using Voucher.Workflows.Settlement;

namespace Voucher.Workflows.Durable;

public sealed record ActivityRegistration(string Name, Type ActivityType, Type InputType, Type OutputType);

public sealed record OrchestratorRegistration(string Name, Type OrchestratorType);

/// <summary>
/// Every orchestrator and activity, once. The local host registers from this list; the Functions app has one
/// thin trigger function per entry, and a test fails when the two differ.
/// </summary>
public static class WorkflowCatalog
{
    public static IReadOnlyList<OrchestratorRegistration> Orchestrators { get; } =
    [
        new(nameof(ApplicationOrchestrator), typeof(ApplicationOrchestrator)),
        new(nameof(RedemptionOrchestrator), typeof(RedemptionOrchestrator)),
        new(nameof(SettlementOrchestrator), typeof(SettlementOrchestrator)),
        new(nameof(SettlementChunkOrchestrator), typeof(SettlementChunkOrchestrator)),
        new(nameof(CalendarReplanOrchestrator), typeof(CalendarReplanOrchestrator)),
    ];

    public static IReadOnlyList<ActivityRegistration> Activities { get; } =
    [
        Activity<CheckApplicationEligibility, ApplicationStep, EligibilityOutcome>(),
        Activity<OpenReviewRound, ReviewRoundInput, ReviewRoundPlan>(),
        Activity<ReplanReviewRound, ReviewReplanInput, ReviewRoundPlan>(),
        Activity<SendReviewReminder, ReviewRoundInput, bool>(),
        Activity<EscalateApplicationReview, ReviewRoundInput, bool>(),
        Activity<RecordApplicationDecision, DecisionInput, ApplicationOutcome>(),
        Activity<OpenBindingRound, RedemptionRoundInput, RedemptionState>(),
        Activity<SendBindingReminder, RedemptionRoundInput, bool>(),
        Activity<MarkBindingOverdue, RedemptionRoundInput, bool>(),
        Activity<ApplyRedemptionEvent, RedemptionEventInput, RedemptionState>(),
        Activity<QueueForSettlement, RedemptionStep, RedemptionState>(),
        Activity<FormSettlementBatch, SettlementInput, BatchSummary>(),
        Activity<ProcessSettlementChunk, ChunkInput, ChunkResult>(),
        Activity<OpenBatchReview, BatchStep, bool>(),
        Activity<Settlement.Risk.BeginRiskCheck, BatchStep, int>(),
        Activity<Settlement.Risk.IndexRiskChunk, Settlement.Risk.RiskChunkInput, int>(),
        Activity<Settlement.Risk.FlagRiskChunk, Settlement.Risk.RiskChunkInput, int>(),
        Activity<OpenPublicity, BatchStep, PublicityWindow>(),
        Activity<ReplanPublicity, BatchStep, PublicityWindow>(),
        Activity<CloseSettlement, BatchStep, bool>(),
        Activity<ListCalendarDependents, CalendarDependentsQuery, CalendarDependents>(),
        Activity<RecordCalendarReplan, CalendarReplanSummary, bool>(),
    ];

    public static IServiceCollection AddActivities(this IServiceCollection services)
    {
        foreach (var activity in Activities)
        {
            services.AddTransient(activity.ActivityType);
        }

        return services;
    }

    /// <summary>Registers everything with a Durable Task worker (local host, workflow tests).</summary>
    public static void AddTo(DurableTaskRegistry registry)
    {
        foreach (var orchestrator in Orchestrators)
        {
            registry.AddOrchestrator(orchestrator.Name, orchestrator.OrchestratorType);
        }

        foreach (var activity in Activities)
        {
            var adapter = typeof(ActivityAdapter<,,>).MakeGenericType(activity.ActivityType, activity.InputType, activity.OutputType);
            registry.AddActivity(activity.Name, sp => (ITaskActivity)Activator.CreateInstance(adapter, sp.GetRequiredService(activity.ActivityType))!);
        }
    }

    static ActivityRegistration Activity<TActivity, TInput, TOutput>()
        where TActivity : IActivity<TInput, TOutput> =>
        new(typeof(TActivity).Name, typeof(TActivity), typeof(TInput), typeof(TOutput));

    sealed class ActivityAdapter<TActivity, TInput, TOutput>(TActivity activity) : TaskActivity<TInput, TOutput>
        where TActivity : IActivity<TInput, TOutput>
    {
        public override async Task<TOutput> RunAsync(TaskActivityContext context, TInput input)
        {
            using var origin = Storage.StorageMetrics.Attribute("activity:" + typeof(TActivity).Name);
            return await activity.RunAsync(input);
        }
    }
}
