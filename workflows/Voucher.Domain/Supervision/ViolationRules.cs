namespace Voucher.Domain;

/// <summary>
/// Fraud (弄虚作假, 套取财政资金): the enterprise is barred from applying for three years from the decision date.
/// The end follows the Civil Code's period rules (民法典 第二百零一条, 第二百零三条): the day of the decision is not
/// counted, the last day is the corresponding day three years later, and where that day does not exist (29 February
/// in a common year) the last day of that month. <see cref="DateOnly.AddYears"/> does exactly that.
/// </summary>
public static class ViolationRules
{
    public const int BarYears = 3;

    /// <summary>The last day the enterprise is barred (inclusive); it may apply again the day after.</summary>
    public static DateOnly BarEnd(DateOnly decidedOn) => decidedOn.AddYears(BarYears);

    /// <summary>Whether a bar decided on <paramref name="decidedOn"/> still holds on <paramref name="today"/>: it lifts by itself.</summary>
    public static bool IsBarred(DateOnly decidedOn, DateOnly today) => today >= decidedOn && today <= BarEnd(decidedOn);

    /// <summary>The latest bar end among the given decisions still in force on <paramref name="today"/>, or null.</summary>
    public static DateOnly? BarredUntil(IEnumerable<DateOnly> decisions, DateOnly today)
    {
        DateOnly? until = null;
        foreach (var decided in decisions)
        {
            if (IsBarred(decided, today) && (until is null || BarEnd(decided) > until))
            {
                until = BarEnd(decided);
            }
        }

        return until;
    }
}
