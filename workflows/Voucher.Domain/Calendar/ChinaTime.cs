namespace Voucher.Domain;

/// <summary>China Standard Time: UTC+8 all year, no daylight saving.</summary>
public static class ChinaTime
{
    public static readonly TimeSpan Offset = TimeSpan.FromHours(8);

    /// <summary>The China calendar date of a UTC instant. Local kinds are converted to UTC; unspecified kinds are taken as UTC.</summary>
    public static DateOnly DateOf(DateTime utc)
    {
        var u = utc.Kind == DateTimeKind.Local ? utc.ToUniversalTime() : utc;
        return DateOnly.FromDateTime(u.Add(Offset));
    }

    /// <summary>The China calendar date of an instant.</summary>
    public static DateOnly DateOf(DateTimeOffset instant) => DateOf(instant.UtcDateTime);

    /// <summary>Today's date in China according to <paramref name="clock"/>.</summary>
    public static DateOnly Today(TimeProvider clock)
    {
        ArgumentNullException.ThrowIfNull(clock);
        return DateOf(clock.GetUtcNow().UtcDateTime);
    }

    /// <summary>00:00:00 China time on <paramref name="date"/>, as a UTC <see cref="DateTime"/>.</summary>
    public static DateTime StartOfDayUtc(DateOnly date) =>
        DateTime.SpecifyKind(date.ToDateTime(TimeOnly.MinValue) - Offset, DateTimeKind.Utc);

    /// <summary>23:59:59 China time on <paramref name="date"/>, as a UTC <see cref="DateTime"/>.</summary>
    public static DateTime EndOfDayUtc(DateOnly date) =>
        StartOfDayUtc(date).AddDays(1).AddSeconds(-1);
}
