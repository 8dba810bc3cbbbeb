using Voucher.Workflows.Audit;
using Voucher.Workflows.Durable;
using Voucher.Workflows.Policies;

namespace Voucher.Workflows.Applications;

/// <summary>
/// Starts a review round: the deadline is N working days after the notification (China calendar), the
/// reminder a few working days before it; the bureau is notified with a signed link (and, in round 1, the enterprise
/// that its application was accepted for review). Running it again for
/// the same round returns the plan already recorded.
/// </summary>
public sealed class OpenReviewRound(
    ApplicationStore applications,
    PolicyStore policies,
    CalendarStore calendars,
    AuditLog audit,
    ApplicationNotices notices,
    Microsoft.Extensions.Logging.ILogger<OpenReviewRound> log) : IActivity<ReviewRoundInput, ReviewRoundPlan>
{
    /// <summary>The state an application waits in during a review round: under review in the first, escalated after.</summary>
    public static ApplicationStatus StatusOfRound(int round) => round == 1 ? ApplicationStatus.UnderReview : ApplicationStatus.Escalated;

    public Task<ReviewRoundPlan> RunAsync(ReviewRoundInput input, CancellationToken ct = default) => RunAsync(input, null, ct);

    /// <summary>As <see cref="RunAsync(ReviewRoundInput, CancellationToken)"/>, with the row the caller has just read (saves a read).</summary>
    public async Task<ReviewRoundPlan> RunAsync(ReviewRoundInput input, ApplicationEntity? known, CancellationToken ct)
    {
        var current = known ?? await applications.GetRequiredAsync(input.ApplicationId, ct);
        var policy = await policies.GetCurrentAsync(current.CityCode, ct);
        var calendar = await calendars.CurrentAsync(ct);
        var plan = calendar.Plan(ChinaTime.DateOf(input.At), policy.ReviewWorkingDays, policy.ReminderLeadWorkingDays);
        var target = StatusOfRound(input.Round);
        string? from = null;

        var app = await applications.UpdateAsync(input.ApplicationId, a =>
        {
            from = null; // an attempt whose write lost the race (412) must not count as the move
            if (a.Round >= input.Round || ApplicationTransitions.IsFinal(a.State))
            {
                return false;
            }

            from = a.Status.ToString();
            a.MoveTo(target);
            a.HistoryKey = AuditLog.KeyOf(Utc(input.At), from, target.ToString());
            a.Round = input.Round;
            a.NotifiedAt = Utc(input.At);
            a.DeadlineDate = Iso(plan.Deadline);
            a.ReminderDate = plan.Reminder is { } reminder ? Iso(reminder) : null;
            a.DeadlineBasis = plan.Basis.ToString();
            a.PolicyVersion = policy.Version;
            if (input.Round > 1)
            {
                a.EscalatedAt ??= Utc(input.At);
            }

            return true;
        }, ct, current);

        // Recorded values win, so a retried step and the orchestrator agree on one deadline.
        var recorded = ReviewDeadline.Of(app) ?? plan;
        // Written again when this same step already moved the row before a crash (fixed row key: time and transition —
        // the transition this step made, not the row's state now, which a decision may have moved on meanwhile).
        if (from is null && app.Round == input.Round && app.NotifiedAt == Utc(input.At))
        {
            from = input.Round == 1 ? nameof(ApplicationStatus.Submitted) : nameof(ApplicationStatus.Escalated);
        }

        if (from is not null)
        {
            ApplicationLog.RoundOpened(log, app.ApplicationId, input.Round, Iso(recorded.Deadline), recorded.Basis.ToString());
            var opened = AuditLog.Entry(AuditSubjects.Application(app.ApplicationId), "system", Utc(input.At), from, target.ToString(), app.PolicyVersion,
                $"第 {input.Round} 轮审核，期限 {Iso(recorded.Deadline)}（{policy.ReviewWorkingDays} 个工作日；{recorded.Basis.Describe()}）");
            // Leaving Submitted: the "Submitted" row goes in the same transaction (see SubmittedAudit).
            await audit.AppendManyAsync(
                from == nameof(ApplicationStatus.Submitted) && SubmittedAudit.EntryFor(app) is { } submitted ? [submitted, opened] : [opened],
                ct);
        }

        if (!ApplicationTransitions.IsFinal(app.State))
        {
            await notices.ReviewRequestedAsync(app, input.Round, recorded.Deadline, input.At, ct);
            if (input.Round == 1)
            {
                await notices.AcceptedAsync(app, recorded.Deadline, input.At, ct);
            }
        }

        return ReviewDeadline.PlanOf(input.Round, recorded);
    }

    static string Iso(DateOnly day) => day.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture);

    static DateTimeOffset Utc(DateTime at) => new(DateTime.SpecifyKind(at, DateTimeKind.Utc));
}
