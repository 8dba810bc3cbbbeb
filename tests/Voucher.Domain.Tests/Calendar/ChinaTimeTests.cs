namespace Voucher.Domain.Tests;

public class ChinaTimeTests
{
    private sealed class FixedClock(DateTimeOffset now) : TimeProvider
    {
        public override DateTimeOffset GetUtcNow() => now;
    }

    [Fact]
    public void Offset_IsEightHours()
    {
        Assert.Equal(TimeSpan.FromHours(8), ChinaTime.Offset);
    }

    [Theory]
    [InlineData("2026-02-16T15:59:59Z", "2026-02-16")]
    [InlineData("2026-02-16T16:00:00Z", "2026-02-17")]
    [InlineData("2025-12-31T16:00:00Z", "2026-01-01")]
    public void DateOf_UtcInstant_ReturnsChinaDate(string utc, string expected)
    {
        var instant = DateTime.Parse(utc, System.Globalization.CultureInfo.InvariantCulture, System.Globalization.DateTimeStyles.AdjustToUniversal | System.Globalization.DateTimeStyles.AssumeUniversal);
        Assert.Equal(DateTimeKind.Utc, instant.Kind);
        Assert.Equal(DateOnly.Parse(expected, System.Globalization.CultureInfo.InvariantCulture), ChinaTime.DateOf(instant));
    }

    [Fact]
    public void DateOf_DateTimeOffset_UsesTheInstant()
    {
        var instant = new DateTimeOffset(2026, 10, 1, 7, 30, 0, TimeSpan.FromHours(-5)); // 12:30 UTC → 20:30 China
        Assert.Equal(new DateOnly(2026, 10, 1), ChinaTime.DateOf(instant));
    }

    [Fact]
    public void StartOfDayUtc_IsPreviousDay1600Utc()
    {
        var start = ChinaTime.StartOfDayUtc(new DateOnly(2026, 2, 17));
        Assert.Equal(new DateTime(2026, 2, 16, 16, 0, 0, DateTimeKind.Utc), start);
        Assert.Equal(DateTimeKind.Utc, start.Kind);
    }

    [Fact]
    public void EndOfDayUtc_Is155959Utc()
    {
        var end = ChinaTime.EndOfDayUtc(new DateOnly(2026, 2, 17));
        Assert.Equal(new DateTime(2026, 2, 17, 15, 59, 59, DateTimeKind.Utc), end);
        Assert.Equal(DateTimeKind.Utc, end.Kind);
        Assert.Equal(new DateOnly(2026, 2, 17), ChinaTime.DateOf(end));
    }

    [Fact]
    public void Today_FromTimeProvider_IsChinaDate()
    {
        var clock = new FixedClock(new DateTimeOffset(2026, 3, 1, 17, 0, 0, TimeSpan.Zero));
        Assert.Equal(new DateOnly(2026, 3, 2), ChinaTime.Today(clock));
    }
}
