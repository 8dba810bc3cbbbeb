using Voucher.Domain;
using Voucher.Workflows.Audit;
using Voucher.Workflows.Durable;
using Voucher.Workflows.Policies;

namespace Voucher.Workflows.Applications;

/// <summary>
/// Starts a review round: the deadline is N working days after the notification (China calendar), the
/// reminder a few working days before it; the bureau is notified with a signed link. Running it again for
/// the same round returns the plan already recorded.
/// </summary>
public sealed class OpenReviewRound(
    ApplicationStore applications,
    PolicyStore policies,
    WorkingCalendar calendar,
    AuditLog audit,
    ApplicationNotices notices) : IActivity<ReviewRoundInput, ReviewRoundPlan>
{
    public Task<ReviewRoundPlan> RunAsync(ReviewRoundInput input, CancellationToken ct = default) => RunAsync(input, null, ct);

    /// <summary>As <see cref="RunAsync(ReviewRoundInput, CancellationToken)"/>, with the row the caller has just read (saves a read).</summary>
    public async Task<ReviewRoundPlan> RunAsync(ReviewRoundInput input, ApplicationEntity? known, CancellationToken ct)
    {
        var current = known ?? await applications.GetRequiredAsync(input.ApplicationId, ct);
        var policy = await policies.GetCurrentAsync(current.CityCode, ct);
        var notifiedOn = ChinaTime.DateOf(input.At);
        var deadline = calendar.AddWorkingDays(notifiedOn, policy.ReviewWorkingDays);
        var reminder = calendar.AddWorkingDays(deadline, -policy.ReminderLeadWorkingDays);
        var target = input.Round == 1 ? ApplicationStatus.UnderReview : ApplicationStatus.Escalated;
        string? from = null;

        var app = await applications.UpdateAsync(input.ApplicationId, a =>
        {
            if (a.Round >= input.Round || ApplicationTransitions.IsFinal(a.State))
            {
                return false;
            }

            ApplicationTransitions.Ensure(a.State, target);
            from = a.Status;
            a.Status = target.ToString();
            a.Round = input.Round;
            a.NotifiedAt = Utc(input.At);
            a.DeadlineDate = deadline.ToString("yyyy-MM-dd");
            a.ReminderDate = reminder.ToString("yyyy-MM-dd");
            a.PolicyVersion = policy.Version;
            if (input.Round > 1)
            {
                a.EscalatedAt ??= Utc(input.At);
            }

            return true;
        }, ct, current);

        // Recorded values win, so a retried step and the orchestrator agree on one deadline.
        var recordedDeadline = DateOnly.Parse(app.DeadlineDate ?? deadline.ToString("yyyy-MM-dd"));
        var recordedReminder = DateOnly.Parse(app.ReminderDate ?? reminder.ToString("yyyy-MM-dd"));
        // Written again when this same step already moved the row before a crash (fixed row key: time and transition).
        if (from is null && app.Round == input.Round && app.NotifiedAt == Utc(input.At))
        {
            from = input.Round == 1 ? nameof(ApplicationStatus.Submitted) : nameof(ApplicationStatus.Escalated);
        }

        if (from is not null)
        {
            var opened = AuditLog.Entry(AuditSubjects.Application(app.ApplicationId), "system", Utc(input.At), from, app.Status, app.PolicyVersion,
                $"第 {input.Round} 轮审核，期限 {recordedDeadline:yyyy-MM-dd}（{policy.ReviewWorkingDays} 个工作日）");
            // Leaving Submitted: the "Submitted" row goes in the same transaction (see SubmittedAudit).
            await audit.AppendManyAsync(
                from == nameof(ApplicationStatus.Submitted) && SubmittedAudit.EntryFor(app) is { } submitted ? [submitted, opened] : [opened],
                ct);
        }

        if (!ApplicationTransitions.IsFinal(app.State))
        {
            await notices.ReviewRequestedAsync(app, input.Round, recordedDeadline, input.At, ct);
        }

        return new ReviewRoundPlan(
            input.Round,
            ChinaTime.StartOfDayUtc(recordedReminder).AddHours(9),
            ChinaTime.EndOfDayUtc(recordedDeadline),
            recordedDeadline.ToString("yyyy-MM-dd"));
    }

    static DateTimeOffset Utc(DateTime at) => new(DateTime.SpecifyKind(at, DateTimeKind.Utc));
}
