namespace Voucher.Workflows.Redemptions;

/// <summary>
/// A holiday arrangement was published or corrected while the institution's binding is awaited (the event
/// <see cref="RedemptionEvent.Calendar"/>): counts the round's deadline again from the day it was opened with the calendar
/// now in force (read fresh) and the redemption's policy version. A reminder already due stays as it was; an overdue
/// round (acted on) is not touched. Nothing changes when the count comes out the same; the same wake-up run again
/// writes the same audit entry, and a run with another wake-up that finds the round already counted again writes none.
/// </summary>
public sealed class ReplanBindingRound(RedemptionSteps steps, Policies.CalendarStore calendars, RedemptionNotices notices, Microsoft.Extensions.Logging.ILogger<ReplanBindingRound> log)
{
    public Task<RedemptionState> RunAsync(RedemptionEventInput input, CancellationToken ct) => RunAsync(input, null, ct);

    /// <summary>As <see cref="RunAsync(RedemptionEventInput, CancellationToken)"/>, starting from a row already read (which may be stale).</summary>
    public async Task<RedemptionState> RunAsync(RedemptionEventInput input, RedemptionEntity? known, CancellationToken ct)
    {
        var at = RedemptionSteps.Utc(input.At);
        var r = known ?? await steps.Store.GetRequiredAsync(input.RedemptionId, ct);
        if (r.BindingReplannedAt != at)
        {
            if (!RedemptionSteps.StateOf(r).WaitsForBinding || BindingDeadlines.Of(r) is not { } old || BindingDeadlines.OpenedOn(r) is not { } openedOn)
            {
                RedemptionLog.BindingReplanUnchanged(log, r.RedemptionId, input.Event.Reason, r.State);
                return RedemptionSteps.StateOf(r);
            }

            var policy = await steps.PolicyOfAsync(r, ct);
            var counted = BindingDeadlines.Count(await calendars.FreshAsync(ct), openedOn, policy);
            var reminderDue = old.RemindAtUtc is { } remindAt && remindAt <= input.At;
            var next = reminderDue ? counted with { Reminder = old.Reminder } : counted;
            if (next.SameCountAs(old))
            {
                RedemptionLog.BindingReplanUnchanged(log, r.RedemptionId, input.Event.Reason, r.State);
                return RedemptionSteps.StateOf(r);
            }

            var note = $"节假日安排发布后重新计算机构确认期限：{BindingDeadlines.Iso(old.Deadline)} → {BindingDeadlines.Iso(next.Deadline)}（{next.Basis.Describe()}；此前{old.Basis.Describe()}）"
                + (reminderDue && old.Reminder is { } sent ? $"；提醒已于 {BindingDeadlines.Iso(sent)} 到期发出，保持不变" : "");
            var round = r.BindingRound;
            r = await steps.Store.UpdateAsync(r.RedemptionId, e =>
            {
                // Another run (a redelivered step with another wake-up, after a kill) counted the round meanwhile: the row
                // no longer shows the count this one started from, and this run changes and records nothing.
                if (e.BindingRound != round || !RedemptionSteps.StateOf(e).WaitsForBinding || e.BindingReplannedAt == at
                    || BindingDeadlines.Of(e) is not { } now || !now.SameCountAs(old))
                {
                    return false;
                }

                BindingDeadlines.Apply(e, next);
                e.BindingReplannedAt = at;
                e.BindingReplanNote = note;
                RedemptionSteps.Announce(e, input.At, nameof(RedemptionStatus.AwaitingBinding), RedemptionStatus.AwaitingBinding);
                return true;
            }, ct, known: r);
        }

        if (r.BindingReplannedAt == at)
        {
            // Written now, or again when this same wake-up changed the row before a crash: keyed by the state the round
            // waited in (fixed row key, also when the institution has bound since; then no notice).
            await steps.AuditAsync(r, "system", input.At, nameof(RedemptionStatus.AwaitingBinding), r.BindingReplanNote ?? "", ct, RedemptionStatus.AwaitingBinding);
            if (r.Binding == BindingMode.System && RedemptionSteps.StateOf(r).WaitsForBinding && BindingDeadlines.Of(r) is { } plan)
            {
                await notices.BindingDeadlineRecountedAsync(r, r.BindingRound, plan.Deadline, input.At, ct);
            }

            RedemptionLog.BindingReplanned(log, r.RedemptionId, r.BindingDeadline, r.BindingBasis, r.BindingReplanNote);
        }
        else
        {
            // Another writer (a newer wake-up) counted the round meanwhile, or it stopped waiting: this one changed nothing.
            RedemptionLog.BindingReplanUnchanged(log, r.RedemptionId, input.Event.Reason, r.State);
        }

        return RedemptionSteps.StateOf(r);
    }
}
