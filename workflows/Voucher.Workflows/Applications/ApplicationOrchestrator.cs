using Microsoft.DurableTask;

namespace Voucher.Workflows.Applications;

/// <summary>
/// Flow 1: eligibility, notify the city bureau, wait for its decision with a deadline of N working days
/// (reminder before it), escalate to the province on breach and keep waiting in a new round, then issue the
/// voucher or record the rejection. Each round is one generation of the orchestration (continue-as-new), so
/// history stays small however long a bureau takes. Deterministic: time from the context, calendar work in activities.
/// </summary>
public sealed class ApplicationOrchestrator : TaskOrchestrator<ApplicationWorkflowInput, ApplicationOutcome>
{
    public override async Task<ApplicationOutcome> RunAsync(TaskOrchestrationContext context, ApplicationWorkflowInput input)
    {
        var id = input.ApplicationId;
        var round = input.Round;
        if (round == 1)
        {
            var eligibility = await context.CallActivityAsync<EligibilityOutcome>(
                nameof(CheckApplicationEligibility), new ApplicationStep(id, context.CurrentUtcDateTime));
            if (!eligibility.Eligible)
            {
                return new ApplicationOutcome(id, "Ineligible", null);
            }
        }

        var plan = await context.CallActivityAsync<ReviewRoundPlan>(
            nameof(OpenReviewRound), new ReviewRoundInput(id, round, context.CurrentUtcDateTime));
        context.SetCustomStatus(new { stage = round == 1 ? "under-review" : "escalated", round, deadline = plan.DeadlineDate });

        var decisionTask = context.WaitForExternalEvent<ReviewDecision>(ReviewDecision.EventName);
        if (plan.RemindAtUtc > context.CurrentUtcDateTime
            && !await DecidedBeforeAsync(context, decisionTask, plan.RemindAtUtc))
        {
            await context.CallActivityAsync<bool>(nameof(SendReviewReminder), new ReviewRoundInput(id, round, context.CurrentUtcDateTime));
        }

        if (decisionTask.IsCompleted || await DecidedBeforeAsync(context, decisionTask, plan.DeadlineAtUtc))
        {
            var decision = decisionTask.Result;
            if (decision.Round == round)
            {
                return await context.CallActivityAsync<ApplicationOutcome>(
                    nameof(RecordApplicationDecision), new DecisionInput(id, decision, context.CurrentUtcDateTime));
            }

            // A decision for another round is late or forged: it changes nothing. Wait again in this round.
            context.ContinueAsNew(new ApplicationWorkflowInput(id, round), preserveUnprocessedEvents: true);
            return new ApplicationOutcome(id, "Waiting", null);
        }

        await context.CallActivityAsync<bool>(nameof(EscalateApplicationReview), new ReviewRoundInput(id, round, context.CurrentUtcDateTime));
        context.ContinueAsNew(new ApplicationWorkflowInput(id, round + 1), preserveUnprocessedEvents: true);
        return new ApplicationOutcome(id, "Escalated", null);
    }

    /// <summary>Races the decision against a durable timer; cancels the timer when the decision wins.</summary>
    static async Task<bool> DecidedBeforeAsync(TaskOrchestrationContext context, Task<ReviewDecision> decisionTask, DateTime until)
    {
        using var cancel = new CancellationTokenSource();
        var timer = context.CreateTimer(until, cancel.Token);
        if (await Task.WhenAny(decisionTask, timer) == decisionTask)
        {
            cancel.Cancel();
            return true;
        }

        return false;
    }
}
