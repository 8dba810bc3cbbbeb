using Microsoft.DurableTask;

namespace Voucher.Workflows.Redemptions;

/// <summary>
/// Flow 2 up to the settlement queue: the institution binds within N working days (reminder before, "binding
/// overdue" after, when the bureau may extend or the SME withdraw; seal mode needs no link); the SME completes
/// the evidence; then the pay-out is computed, the annual cap reserved and the redemption queued for its city's
/// next settlement batch. Each event is one generation (continue-as-new), so history stays small; the table row
/// is the source of truth and every step is idempotent.
/// </summary>
public sealed class RedemptionOrchestrator : TaskOrchestrator<RedemptionWorkflowInput, string>
{
    public override async Task<string> RunAsync(TaskOrchestrationContext context, RedemptionWorkflowInput input)
    {
        var id = input.RedemptionId;
        var state = await context.CallActivityAsync<RedemptionState>(
            nameof(OpenBindingRound), new RedemptionRoundInput(id, input.BindingRound, context.CurrentUtcDateTime));
        if (state.ReadyToQueue)
        {
            state = await context.CallActivityAsync<RedemptionState>(nameof(QueueForSettlement), new RedemptionStep(id, context.CurrentUtcDateTime));
        }

        context.SetCustomStatus(new { stage = state.Status, bindingRound = state.BindingRound });
        if (state.Final)
        {
            return state.Status;
        }

        var next = context.WaitForExternalEvent<RedemptionEvent>(RedemptionEvent.EventName);
        var reminderDue = state.WaitsForBinding && !input.ReminderSent && state.RemindAtUtc > context.CurrentUtcDateTime;
        var wakeAt = !state.WaitsForBinding ? (DateTime?)null : reminderDue ? state.RemindAtUtc : state.DeadlineAtUtc;
        if (wakeAt is not null)
        {
            using var cancel = new CancellationTokenSource();
            var timer = context.CreateTimer(wakeAt.Value, cancel.Token);
            if (await Task.WhenAny(next, timer) == timer)
            {
                if (reminderDue)
                {
                    await context.CallActivityAsync<bool>(nameof(SendBindingReminder), new RedemptionRoundInput(id, state.BindingRound, context.CurrentUtcDateTime));
                }
                else
                {
                    await context.CallActivityAsync<bool>(nameof(MarkBindingOverdue), new RedemptionRoundInput(id, state.BindingRound, context.CurrentUtcDateTime));
                }

                context.ContinueAsNew(new RedemptionWorkflowInput(id, state.BindingRound, ReminderSent: true), preserveUnprocessedEvents: true);
                return state.Status;
            }

            cancel.Cancel();
        }

        var after = await context.CallActivityAsync<RedemptionState>(
            nameof(ApplyRedemptionEvent), new RedemptionEventInput(id, await next, context.CurrentUtcDateTime));
        var sameRound = after.BindingRound == state.BindingRound;
        context.ContinueAsNew(new RedemptionWorkflowInput(id, after.BindingRound, sameRound && input.ReminderSent), preserveUnprocessedEvents: true);
        return after.Status;
    }
}
