namespace Voucher.Domain;

/// <summary>
/// A deadline of N working days (review, binding, publicity): when it was opened, the day it ends, the day its reminder
/// goes out, and the calendar it was counted with.
/// </summary>
public sealed record DeadlinePlan(DateOnly Start, DateOnly Deadline, DateOnly? Reminder, CalendarBasis Basis)
{
    public DateTime EndsAtUtc => WorkingDeadline.EndsAtUtc(Deadline);

    public DateTime? RemindAtUtc => Reminder is { } r ? WorkingDeadline.RemindAtUtc(r) : null;

    /// <summary>Whether a count again came out as this one: same deadline, reminder and calendar basis (the start is the caller's).</summary>
    public bool SameCountAs(DeadlinePlan other) =>
        Deadline == other.Deadline && Reminder == other.Reminder && Basis.ToString() == other.Basis.ToString();
}

/// <summary>The counting rule of every working-day deadline, stated once.</summary>
public static class WorkingDeadline
{
    /// <summary>The rule as the guide and the API documentation state it.</summary>
    public const string RuleZh =
        "期限从通知（或提出）之日的次日起算，当日不计入；只计工作日，第 N 个工作日的北京时间 23:59:59 届满。" +
        "工作日按省科技厅发布的当年节假日安排计算（放假日不计，调休上班的周六、周日计入）；" +
        "某一年的安排尚未发布时，该年暂按周一至周五推定，期限标注“推定”，安排发布后自动重新计算。" +
        "提醒在期限前第 K 个工作日的北京时间 09:00 发出。";

    public const string RuleEn =
        "Counting starts on the day after the notification (or request); that day itself does not count. Only working days " +
        "count, and the N-th working day ends at 23:59:59 China time (UTC+8). Working days follow the holiday arrangement " +
        "the province publishes for each year (holidays do not count, make-up Saturdays and Sundays do); while a year's " +
        "arrangement is not published, that year counts Monday to Friday, the deadline is marked provisional, and it is " +
        "counted again when the arrangement is published. Reminders go out at 09:00 China time, K working days before.";

    /// <summary>The end of the deadline's last day: 23:59:59 China time, as UTC.</summary>
    public static DateTime EndsAtUtc(DateOnly deadline) => ChinaTime.EndOfDayUtc(deadline);

    /// <summary>When a reminder dated <paramref name="day"/> goes out: 09:00 China time, as UTC.</summary>
    public static DateTime RemindAtUtc(DateOnly day) => ChinaTime.StartOfDayUtc(day).AddHours(9);
}
