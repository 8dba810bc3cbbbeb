using Microsoft.Azure.Functions.Worker;
using Microsoft.Extensions.DependencyInjection;
using Voucher.Workflows.Applications;

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
}
