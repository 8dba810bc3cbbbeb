using Microsoft.DurableTask;

namespace Voucher.Workflows.Applications;

/// <summary>
/// Flow 1: eligibility, notify the city bureau, wait for its decision with a deadline of N working days
/// (reminder before it), escalate to the province on breach and keep waiting in a new round, then issue the
/// voucher or record the rejection. Deterministic: time from the context, calendar work in activities. One
/// decision waiter lives across reminder, deadline and rounds, so no decision is ever dropped between waits. A holiday
/// arrangement published meanwhile (<see cref="CalendarChanged"/>) wakes the wait: the round's deadline is counted
/// again and the wait goes on until the new time; the decision waiter stays.
/// </summary>
public sealed class ApplicationOrchestrator : TaskOrchestrator<ApplicationWorkflowInput, ApplicationOutcome>
{
    /// <summary>Rounds per generation before continue-as-new trims the history (each round is N working days).</summary>
    public const int MaxRoundsPerGeneration = 12;

    /// <summary>Decisions for another round (late or forged) tolerated within one round.</summary>
    public const int MaxStaleDecisionsPerRound = 20;

    /// <summary>Calendar publications counted within one wait (a year is published once and corrected rarely); later ones wait for the next wait.</summary>
    public const int MaxReplansPerWait = 20;

    public override async Task<ApplicationOutcome> RunAsync(TaskOrchestrationContext context, ApplicationWorkflowInput input)
    {
        var id = input.ApplicationId;
        ReviewRoundPlan? opened = null;
        if (input.Round == 1)
        {
            var eligibility = await context.CallActivityAsync<EligibilityOutcome>(
                nameof(CheckApplicationEligibility), new ApplicationStep(id, context.CurrentUtcDateTime));
            if (!eligibility.Eligible)
            {
                return new ApplicationOutcome(id, ApplicationStatus.Ineligible, null);
            }

            // The eligibility step opened round 1 itself; a history recorded before it did so opens it below, as then.
            opened = eligibility.FirstRound;
        }

        var decisionTask = context.WaitForExternalEvent<ReviewDecision>(ReviewDecision.EventName);
        Task<CalendarChanged>? calendarTask = null;
        var round = input.Round;
        ReviewRoundPlan plan;

        // Races the decision against a durable timer (cancelled when the decision wins). A calendar change meanwhile
        // re-plans the round and the race goes on until the new time, which `until` reads from the new plan.
        async Task<bool> DecidedBeforeAsync(Func<ReviewRoundPlan, DateTime> until)
        {
            for (var replans = 0; replans <= MaxReplansPerWait; replans++)
            {
                using var cancel = new CancellationTokenSource();
                var timer = context.CreateTimer(until(plan), cancel.Token);
                if (replans < MaxReplansPerWait)
                {
                    calendarTask ??= context.WaitForExternalEvent<CalendarChanged>(CalendarChanged.EventName);
                }

                var woke = calendarTask is null ? await Task.WhenAny(decisionTask, timer) : await Task.WhenAny(decisionTask, timer, calendarTask);
                if (woke == timer)
                {
                    return false;
                }

                cancel.Cancel();
                if (woke == decisionTask)
                {
                    return true;
                }

                calendarTask = null;
                plan = await context.CallActivityAsync<ReviewRoundPlan>(
                    nameof(ReplanReviewRound), new ReviewReplanInput(id, round, context.CurrentUtcDateTime, plan));
                Report(context, round, plan);
            }

            return false;
        }

        for (; round < input.Round + MaxRoundsPerGeneration; round++)
        {
            plan = opened ?? await context.CallActivityAsync<ReviewRoundPlan>(
                nameof(OpenReviewRound), new ReviewRoundInput(id, round, context.CurrentUtcDateTime));
            opened = null;
            Report(context, round, plan);

            var reminded = plan.RemindAtUtc <= context.CurrentUtcDateTime;
            for (var stale = 0; stale <= MaxStaleDecisionsPerRound; stale++)
            {
                if (!reminded && !await DecidedBeforeAsync(p => p.RemindAtUtc))
                {
                    reminded = true;
                    await context.CallActivityAsync<bool>(nameof(SendReviewReminder), new ReviewRoundInput(id, round, context.CurrentUtcDateTime));
                }

                if (!decisionTask.IsCompleted && !await DecidedBeforeAsync(p => p.DeadlineAtUtc))
                {
                    break;
                }

                var decision = decisionTask.Result;
                if (decision.Round == round)
                {
                    return await context.CallActivityAsync<ApplicationOutcome>(
                        nameof(RecordApplicationDecision), new DecisionInput(id, decision, context.CurrentUtcDateTime));
                }

                // A decision for another round is late or forged: it changes nothing. Wait again in this round.
                decisionTask = context.WaitForExternalEvent<ReviewDecision>(ReviewDecision.EventName);
            }

            await context.CallActivityAsync<bool>(nameof(EscalateApplicationReview), new ReviewRoundInput(id, round, context.CurrentUtcDateTime));
        }

        context.ContinueAsNew(new ApplicationWorkflowInput(id, round), preserveUnprocessedEvents: true);
        return new ApplicationOutcome(id, ApplicationStatus.Escalated, null);
    }

    static void Report(TaskOrchestrationContext context, int round, ReviewRoundPlan plan)
    {
        var stage = round == 1 ? "under-review" : "escalated";
        context.SetCustomStatus(new { stage, round, deadline = plan.DeadlineDate, provisional = plan.Provisional });
        ApplicationLog.Stage(context.CreateReplaySafeLogger<ApplicationOrchestrator>(), context.InstanceId, stage, round, plan.DeadlineDate);
    }
}
