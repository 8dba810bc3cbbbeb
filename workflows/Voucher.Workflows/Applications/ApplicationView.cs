using Voucher.Workflows.Audit;

namespace Voucher.Workflows.Applications;

/// <summary>
/// A deadline as the API shows it. <paramref name="Provisional"/>: counted across a year whose holiday arrangement is not
/// published (that year Monday to Friday); <paramref name="Calendar"/> names the versions it rests on (e.g. <c>2026:1,2027:-</c>).
/// </summary>
public sealed record DeadlineView(string Date, int RemainingWorkingDays, bool Overdue, bool Provisional = false, string? Calendar = null)
{
    public static DeadlineView Of(DeadlinePlan plan, WorkingCalendar calendar, DateOnly today) =>
        new(plan.Deadline.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture),
            calendar.WorkingDaysBetween(today, plan.Deadline), today > plan.Deadline, plan.Basis.Provisional, plan.Basis.ToString());
}

public sealed record DecisionView(bool Approved, string? Reason, string? DecidedBy, DateTimeOffset? DecidedAt);

public sealed record HistoryView(DateTimeOffset At, string Actor, string From, string To, int PolicyVersion, string Detail);

public sealed record ApplicationView(
    string Id,
    string Uscc,
    string EnterpriseName,
    string CityCode,
    ApplicationStatus Status,
    string StatusText,
    string WaitingOn,
    int Round,
    DateTimeOffset SubmittedAt,
    DateTimeOffset? NotifiedAt,
    DeadlineView? Deadline,
    string? ReminderDate,
    IReadOnlyList<string>? IneligibleReasons,
    DecisionView? Decision,
    string? VoucherId,
    int PolicyVersion,
    IReadOnlyList<HistoryView> History)
{
    public static string StatusTextOf(ApplicationStatus s) => s switch
    {
        ApplicationStatus.Submitted => "已提交，资格核验中 (Submitted)",
        ApplicationStatus.Ineligible => "不符合申请条件 (Not eligible)",
        ApplicationStatus.UnderReview => "市科技局审核中 (Under review)",
        ApplicationStatus.Escalated => "逾期未审，省中心督办中 (Overdue, escalated)",
        ApplicationStatus.Approved => "已通过，创新券已发放 (Approved, voucher issued)",
        ApplicationStatus.Rejected => "未通过 (Rejected)",
        ApplicationStatus.Withdrawn => "已撤回 (Withdrawn)",
        _ => s.ToString(),
    };

    public static string WaitingOnOf(ApplicationStatus s) => s switch
    {
        ApplicationStatus.Submitted => "系统 (the system)",
        ApplicationStatus.UnderReview or ApplicationStatus.Escalated => "市科技局 (the city bureau)",
        _ => "无 (nobody: finished)",
    };

    public static ApplicationView From(ApplicationEntity a, IReadOnlyList<AuditEntry> history, WorkingCalendar calendar, DateOnly today)
    {
        var deadline = !ApplicationTransitions.IsFinal(a.State) && ReviewDeadline.Of(a) is { } plan ? DeadlineView.Of(plan, calendar, today) : null;

        return new ApplicationView(
            a.ApplicationId,
            a.Uscc,
            a.EnterpriseName,
            a.CityCode,
            a.Status,
            StatusTextOf(a.State),
            WaitingOnOf(a.State),
            a.Round,
            a.SubmittedAt,
            a.NotifiedAt,
            deadline,
            ApplicationTransitions.IsFinal(a.State) ? null : a.ReminderDate,
            a.IneligibleReasons?.Split('\n'),
            a.Approved is null ? null : new DecisionView(a.Approved.Value, a.DecisionReason, a.DecidedBy, a.DecidedAt),
            a.VoucherId,
            a.PolicyVersion,
            WithSubmission(a, history).OrderBy(h => h.At).Select(h => new HistoryView(h.At, h.Actor, h.FromState, h.ToState, h.PolicyVersion, h.Detail)).ToList());
    }

    /// <summary>
    /// Until the eligibility step has written the "Submitted" audit row (<see cref="SubmittedAudit"/>), the timeline shows
    /// the submission from the application row itself, as that row will record it.
    /// </summary>
    static IEnumerable<AuditEntry> WithSubmission(ApplicationEntity a, IReadOnlyList<AuditEntry> history) =>
        SubmittedAudit.EntryFor(a) is { } submitted && !history.Any(h => h.RowKey == submitted.RowKey)
            ? history.Append(submitted)
            : history;
}
