namespace Voucher.Workflows.Redemptions;

/// <summary>The institution's binding deadline: how it is counted, and what a redemption row records of it.</summary>
public static class BindingDeadlines
{
    /// <summary>The reminder goes out this many working days before the deadline: the policy's lead, within the binding period.</summary>
    public static int ReminderLead(CityPolicy policy) =>
        Math.Clamp(policy.ReminderLeadWorkingDays, 1, Math.Max(1, policy.BindingWorkingDays - 1));

    public static DeadlinePlan Count(WorkingCalendar calendar, DateOnly openedOn, CityPolicy policy) =>
        calendar.Plan(openedOn, policy.BindingWorkingDays, ReminderLead(policy));

    public static void Apply(RedemptionEntity r, DeadlinePlan plan)
    {
        r.BindingOpenedOn = Iso(plan.Start);
        r.BindingDeadline = Iso(plan.Deadline);
        r.BindingReminder = plan.Reminder is { } reminder ? Iso(reminder) : null;
        r.BindingBasis = plan.Basis.ToString();
    }

    /// <summary>The recorded deadline of the current round; null when none is open (seal mode, re-opened, bound before a round).</summary>
    public static DeadlinePlan? Of(RedemptionEntity r)
    {
        if (r.BindingDeadline is null)
        {
            return null;
        }

        var deadline = Date(r.BindingDeadline);
        var start = OpenedOn(r) ?? deadline;
        // Rows written before bases were recorded were counted with the shipped calendar (version 1 of 2024–2026).
        var basis = CalendarBasis.Parse(r.BindingBasis) ?? WorkingCalendar.Embedded.Basis(start, deadline);
        return new DeadlinePlan(start, deadline, r.BindingReminder is null ? null : Date(r.BindingReminder), basis);
    }

    /// <summary>
    /// The day the current round was opened: recorded since bases are; for an older row, its request day when it is in
    /// round 1 (which opened with the request), else unknown.
    /// </summary>
    public static DateOnly? OpenedOn(RedemptionEntity r) =>
        r.BindingOpenedOn is not null ? Date(r.BindingOpenedOn) : r.BindingRound == 1 ? ChinaTime.DateOf(r.SubmittedAt) : null;

    public static string Iso(DateOnly day) => day.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

    static DateOnly Date(string iso) => DateOnly.ParseExact(iso, "yyyy-MM-dd", CultureInfo.InvariantCulture);
}
