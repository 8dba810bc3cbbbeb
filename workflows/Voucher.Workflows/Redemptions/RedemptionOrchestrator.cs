using Microsoft.DurableTask;

namespace Voucher.Workflows.Redemptions;

/// <summary>
/// Flow 2 up to the settlement's final word: the institution binds within N working days (reminder before,
/// "binding overdue" after, when the bureau may extend or the SME withdraw; seal mode needs no link); the SME
/// completes the evidence; then the pay-out is computed, the annual cap reserved and the redemption queued for
/// its city's next settlement batch, where it waits for the settlement's outcome. The table row is the source
/// of truth and every step is idempotent. One event waiter lives across the loop, so an event that arrives
/// while another is being applied is kept, never dropped.
/// </summary>
public sealed class RedemptionOrchestrator : TaskOrchestrator<RedemptionWorkflowInput, string>
{
    /// <summary>Steps per generation before continue-as-new trims the history (a redemption normally needs fewer than ten).</summary>
    public const int MaxStepsPerGeneration = 100;

    public override async Task<string> RunAsync(TaskOrchestrationContext context, RedemptionWorkflowInput input)
    {
        var id = input.RedemptionId;
        var round = input.BindingRound;
        var reminderSent = input.ReminderSent;
        var log = context.CreateReplaySafeLogger<RedemptionOrchestrator>();
        (Voucher.Domain.RedemptionStatus Status, int Round)? stage = null;
        Task<RedemptionEvent>? next = null;
        // The request opened round 1 (Opened), or after an event the step that applied it opened the round and queued (Advanced).
        RedemptionState? advanced = input.Opened;
        for (var step = 0; step < MaxStepsPerGeneration; step++)
        {
            var state = advanced ?? await context.CallActivityAsync<RedemptionState>(
                nameof(OpenBindingRound), new RedemptionRoundInput(id, round, context.CurrentUtcDateTime));
            advanced = null;
            if (state.ReadyToQueue)
            {
                state = await context.CallActivityAsync<RedemptionState>(nameof(QueueForSettlement), new RedemptionStep(id, context.CurrentUtcDateTime));
            }

            context.SetCustomStatus(new { stage = state.Status, bindingRound = state.BindingRound });
            if (stage != (state.Status, state.BindingRound))
            {
                stage = (state.Status, state.BindingRound);
                RedemptionLog.Stage(log, context.InstanceId, state.Status, state.BindingRound);
            }
            if (state.Final)
            {
                return state.Status.ToString();
            }

            next ??= context.WaitForExternalEvent<RedemptionEvent>(RedemptionEvent.EventName);
            var reminderDue = state.WaitsForBinding && !reminderSent && state.RemindAtUtc > context.CurrentUtcDateTime;
            var wakeAt = !state.WaitsForBinding ? (DateTime?)null : reminderDue ? state.RemindAtUtc : state.DeadlineAtUtc;
            if (wakeAt is not null)
            {
                using var cancel = new CancellationTokenSource();
                var timer = context.CreateTimer(wakeAt.Value, cancel.Token);
                if (await Task.WhenAny(next, timer) == timer)
                {
                    // The waiter stays: an event raised meanwhile is still delivered to it.
                    await context.CallActivityAsync<bool>(
                        reminderDue ? nameof(SendBindingReminder) : nameof(MarkBindingOverdue),
                        new RedemptionRoundInput(id, state.BindingRound, context.CurrentUtcDateTime));
                    reminderSent = true;
                    continue;
                }

                cancel.Cancel();
            }

            var ev = await next;
            next = null;
            var after = await context.CallActivityAsync<RedemptionState>(
                nameof(ApplyRedemptionEvent), new RedemptionEventInput(id, ev, context.CurrentUtcDateTime));
            if (after.BindingRound != round)
            {
                round = after.BindingRound;
                reminderSent = false;
            }

            if (after.Advanced)
            {
                advanced = after;
            }
        }

        context.ContinueAsNew(new RedemptionWorkflowInput(id, round, reminderSent), preserveUnprocessedEvents: true);
        return "continued";
    }
}
