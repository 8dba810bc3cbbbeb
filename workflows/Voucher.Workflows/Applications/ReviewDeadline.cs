namespace Voucher.Workflows.Applications;

/// <summary>The review deadline an application row records, and the plan the orchestrator waits by.</summary>
public static class ReviewDeadline
{
    /// <summary>The recorded deadline of the current round; null before a round was opened.</summary>
    public static DeadlinePlan? Of(ApplicationEntity a)
    {
        if (a.DeadlineDate is null || a.NotifiedAt is not { } notified)
        {
            return null;
        }

        var start = ChinaTime.DateOf(notified);
        var deadline = Date(a.DeadlineDate);
        // Rows written before bases were recorded were counted with the shipped calendar (version 1 of 2024–2026).
        var basis = CalendarBasis.Parse(a.DeadlineBasis) ?? WorkingCalendar.Embedded.Basis(start, deadline);
        return new DeadlinePlan(start, deadline, a.ReminderDate is null ? null : Date(a.ReminderDate), basis);
    }

    public static ReviewRoundPlan PlanOf(int round, DeadlinePlan plan) =>
        new(round, plan.RemindAtUtc ?? plan.EndsAtUtc, plan.EndsAtUtc, Iso(plan.Deadline), plan.Basis.Provisional);

    public static string Iso(DateOnly day) => day.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

    static DateOnly Date(string iso) => DateOnly.ParseExact(iso, "yyyy-MM-dd", CultureInfo.InvariantCulture);
}
