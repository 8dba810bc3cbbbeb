using Voucher.Workflows.Audit;
using Voucher.Workflows.Durable;
using Voucher.Workflows.Policies;

namespace Voucher.Workflows.Applications;

/// <summary>
/// A holiday arrangement was published or corrected while the bureau's review waits: counts the round's deadline again
/// from its notification with the calendar now in force (read fresh) and the policy version the round was opened with.
/// A reminder already due stays as it was, as do the deadlines of earlier rounds (reached and escalated); the audit says
/// so. Nothing changes when the count comes out the same. Running it again for the same wake-up writes the same entry; a
/// run with another wake-up that finds the round already counted again (after a kill, the engine may run both) writes none.
/// </summary>
public sealed class ReplanReviewRound(ApplicationStore applications, PolicyStore policies, CalendarStore calendars, AuditLog audit, ApplicationNotices notices, Microsoft.Extensions.Logging.ILogger<ReplanReviewRound> log)
    : IActivity<ReviewReplanInput, ReviewRoundPlan>
{
    public Task<ReviewRoundPlan> RunAsync(ReviewReplanInput input, CancellationToken ct = default) => RunAsync(input, null, ct);

    /// <summary>As <see cref="RunAsync(ReviewReplanInput, CancellationToken)"/>, starting from a row already read (which may be stale).</summary>
    public async Task<ReviewRoundPlan> RunAsync(ReviewReplanInput input, ApplicationEntity? known, CancellationToken ct)
    {
        var app = known ?? await applications.GetRequiredAsync(input.ApplicationId, ct);
        var at = new DateTimeOffset(DateTime.SpecifyKind(input.At, DateTimeKind.Utc));
        if (app.DeadlineReplannedAt == at)
        {
            // This same wake-up changed the row before a crash: write its entry again (same row key).
            await AppendAsync(app, input.Round, at, ct);
            return PlanOf(app, input);
        }

        if (ReviewDeadline.Of(app) is not { } old || app.Round != input.Round || ApplicationTransitions.IsFinal(app.State))
        {
            return PlanOf(app, input);
        }

        var policy = await policies.GetVersionAsync(app.CityCode, app.PolicyVersion, ct) ?? await policies.GetCurrentAsync(app.CityCode, ct);
        var calendar = await calendars.FreshAsync(ct);
        var counted = calendar.Plan(old.Start, policy.ReviewWorkingDays, policy.ReminderLeadWorkingDays);
        var reminderDue = old.RemindAtUtc is { } remindAt && remindAt <= input.At;
        var next = reminderDue ? counted with { Reminder = old.Reminder } : counted;
        if (next.SameCountAs(old))
        {
            return PlanOf(app, input);
        }

        var note = Note(old, next, reminderDue, app.Round);
        app = await applications.UpdateAsync(app.ApplicationId, a =>
        {
            // Another run (a redelivered step with another wake-up, after a kill) counted the round meanwhile: the row no
            // longer shows the count this one started from, and this run changes and records nothing.
            if (a.Round != input.Round || ApplicationTransitions.IsFinal(a.State) || a.DeadlineReplannedAt == at
                || ReviewDeadline.Of(a) is not { } now || !now.SameCountAs(old))
            {
                return false;
            }

            a.DeadlineDate = ReviewDeadline.Iso(next.Deadline);
            a.ReminderDate = next.Reminder is { } r ? ReviewDeadline.Iso(r) : null;
            a.DeadlineBasis = next.Basis.ToString();
            a.DeadlineReplannedAt = at;
            a.DeadlineReplanNote = note;
            a.HistoryKey = AuditLog.KeyOf(at, a.Status.ToString(), a.Status.ToString());
            return true;
        }, ct, app);

        if (app.DeadlineReplannedAt == at)
        {
            ApplicationLog.Replanned(log, app.ApplicationId, ReviewDeadline.Iso(old.Deadline), ReviewDeadline.Iso(next.Deadline), next.Basis.ToString());
            await AppendAsync(app, input.Round, at, ct);
        }

        return PlanOf(app, input);
    }

    /// <summary>What the audit entry says: old → new deadline (and reminder), the calendar versions, and what stayed.</summary>
    public static string Note(DeadlinePlan old, DeadlinePlan next, bool reminderDue, int round)
    {
        var parts = new List<string>
        {
            $"节假日安排发布后重新计算审核期限：{ReviewDeadline.Iso(old.Deadline)} → {ReviewDeadline.Iso(next.Deadline)}（{next.Basis.Describe()}；此前{old.Basis.Describe()}）",
        };
        if (reminderDue && old.Reminder is { } sent)
        {
            parts.Add($"提醒已于 {ReviewDeadline.Iso(sent)} 到期发出，保持不变");
        }
        else if (old.Reminder != next.Reminder && next.Reminder is { } reminder)
        {
            parts.Add($"提醒 {(old.Reminder is { } o ? ReviewDeadline.Iso(o) : "无")} → {ReviewDeadline.Iso(reminder)}");
        }

        if (round > 1)
        {
            parts.Add($"此前 {round - 1} 轮的期限已届满并已督办，保持不变");
        }

        return string.Join("；", parts);
    }

    /// <summary>
    /// The audit entry and the bureau's notice (with a link valid until the new deadline) of this step's change; idempotent.
    /// The entry is keyed by the state the round waited in, not the row's state now: a run again after the bureau decided
    /// (the kill cut it before its entry) writes the same row, and no notice.
    /// </summary>
    async Task AppendAsync(ApplicationEntity app, int round, DateTimeOffset at, CancellationToken ct)
    {
        var waiting = OpenReviewRound.StatusOfRound(round).ToString();
        await audit.AppendAsync(AuditSubjects.Application(app.ApplicationId), "system", at, waiting, waiting, app.PolicyVersion, app.DeadlineReplanNote ?? "", ct);
        if (!ApplicationTransitions.IsFinal(app.State) && ReviewDeadline.Of(app) is { } plan)
        {
            await notices.DeadlineRecountedAsync(app, app.Round, plan.Deadline, at.UtcDateTime, ct);
        }
    }

    /// <summary>The row's plan for the round the orchestration waits in; the orchestration's own plan when the row has moved on.</summary>
    static ReviewRoundPlan PlanOf(ApplicationEntity app, ReviewReplanInput input) =>
        app.Round == input.Round && ReviewDeadline.Of(app) is { } plan ? ReviewDeadline.PlanOf(input.Round, plan) : input.Current;
}
