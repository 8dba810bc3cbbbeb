using System.Globalization;
using System.Text;

namespace Voucher.Domain.Tests;

public class WorkingCalendarTests
{
    private static readonly WorkingCalendar Cal = WorkingCalendar.Embedded;

    private static DateOnly D(string iso) => DateOnly.ParseExact(iso, "yyyy-MM-dd", CultureInfo.InvariantCulture);

    private static MemoryStream Json(string json) => new(Encoding.UTF8.GetBytes(json));

    // ---- embedded data ----

    [Fact]
    public void Embedded_Loads_2024To2026AndNot2027()
    {
        Assert.Equal([2024, 2025, 2026], Cal.Years);
        Assert.Same(Cal, WorkingCalendar.Embedded);
    }

    [Theory]
    [InlineData(2024)]
    [InlineData(2025)]
    [InlineData(2026)]
    public void Embedded_EachYear_NamesTheStateCouncilNotice(int year)
    {
        Assert.StartsWith($"国务院办公厅关于{year}年部分节假日安排的通知", Cal.SourceOf(year));
    }

    [Theory]
    [InlineData("2024-02-04")]
    [InlineData("2024-02-18")]
    [InlineData("2024-04-07")]
    [InlineData("2024-04-28")]
    [InlineData("2024-05-11")]
    [InlineData("2024-09-14")]
    [InlineData("2024-09-29")]
    [InlineData("2024-10-12")]
    [InlineData("2025-01-26")]
    [InlineData("2025-02-08")]
    [InlineData("2025-04-27")]
    [InlineData("2025-09-28")]
    [InlineData("2025-10-11")]
    [InlineData("2026-01-04")]
    [InlineData("2026-02-14")]
    [InlineData("2026-02-28")]
    [InlineData("2026-05-09")]
    [InlineData("2026-09-20")]
    [InlineData("2026-10-10")]
    public void IsWorkingDay_OfficialMakeUpWeekendDay_IsTrue(string date)
    {
        var d = D(date);
        Assert.True(d.DayOfWeek is DayOfWeek.Saturday or DayOfWeek.Sunday);
        Assert.True(Cal.IsWorkingDay(d));
    }

    [Theory]
    [InlineData("2024-01-01")]
    [InlineData("2024-02-15")]
    [InlineData("2024-04-05")]
    [InlineData("2024-05-03")]
    [InlineData("2024-06-10")]
    [InlineData("2024-09-16")]
    [InlineData("2024-10-07")]
    [InlineData("2025-01-01")]
    [InlineData("2025-01-28")]
    [InlineData("2025-02-04")]
    [InlineData("2025-04-04")]
    [InlineData("2025-05-05")]
    [InlineData("2025-06-02")]
    [InlineData("2025-10-08")]
    [InlineData("2026-01-02")]
    [InlineData("2026-02-16")]
    [InlineData("2026-02-23")]
    [InlineData("2026-04-06")]
    [InlineData("2026-05-04")]
    [InlineData("2026-05-05")]
    [InlineData("2026-06-19")]
    [InlineData("2026-09-25")]
    [InlineData("2026-10-07")]
    public void IsWorkingDay_OfficialWeekdayHoliday_IsFalse(string date)
    {
        var d = D(date);
        Assert.False(d.DayOfWeek is DayOfWeek.Saturday or DayOfWeek.Sunday);
        Assert.False(Cal.IsWorkingDay(d));
    }

    [Theory]
    [InlineData(2024, 19, 8, 11)] // 11 statutory holiday days until 2024
    [InlineData(2025, 18, 5, 13)] // 13 from 2025 (New Year's Eve and 2 May added)
    [InlineData(2026, 19, 6, 13)]
    public void Embedded_YearTotals_NetDaysOffEqualStatutoryHolidays(int year, int weekdaysOff, int makeUpDays, int statutory)
    {
        var days = Enumerable.Range(0, DateTime.IsLeapYear(year) ? 366 : 365).Select(i => new DateOnly(year, 1, 1).AddDays(i)).ToList();
        static bool Weekend(DateOnly d) => d.DayOfWeek is DayOfWeek.Saturday or DayOfWeek.Sunday;
        var worked = days.Count(d => Weekend(d) && Cal.IsWorkingDay(d));
        var off = days.Count(d => !Weekend(d) && !Cal.IsWorkingDay(d));
        Assert.Equal(makeUpDays, worked);
        Assert.Equal(weekdaysOff, off);
        Assert.Equal(statutory, off - worked);
    }

    [Fact]
    public void IsWorkingDay_2024NewYearsEve_IsWorkingDayBecauseOnlyEncouraged()
    {
        Assert.True(Cal.IsWorkingDay(D("2024-02-09")));
    }

    [Fact]
    public void IsWorkingDay_OrdinaryDays_FollowWeekdays()
    {
        Assert.True(Cal.IsWorkingDay(D("2026-03-02")));  // Monday
        Assert.False(Cal.IsWorkingDay(D("2026-03-07"))); // Saturday
        Assert.False(Cal.IsWorkingDay(D("2026-03-08"))); // Sunday
    }

    // ---- AddWorkingDays ----

    [Theory]
    // 2025 Spring Festival: off 01-28..02-04; make-up Sunday 01-26 and Saturday 02-08.
    [InlineData("2025-01-27", 1, "2025-02-05")] // day before the holiday
    [InlineData("2025-01-27", 3, "2025-02-07")]
    [InlineData("2025-01-27", 4, "2025-02-08")] // make-up Saturday counts
    [InlineData("2025-01-27", 5, "2025-02-10")]
    [InlineData("2025-01-24", 1, "2025-01-26")] // make-up Sunday counts
    [InlineData("2025-01-24", 2, "2025-01-27")]
    // 2026 Spring Festival: off 02-15..02-23; make-up Saturdays 02-14 and 02-28.
    [InlineData("2026-02-13", 1, "2026-02-14")]
    [InlineData("2026-02-14", 1, "2026-02-24")] // from the make-up Saturday before the holiday
    [InlineData("2026-02-14", 10, "2026-03-06")] // 10-day review across the holiday
    // National Day 2025 (off 10-01..10-08, make-up 09-28 and 10-11) and 2026 (off 10-01..10-07, make-up 09-20, 10-10)
    [InlineData("2025-09-30", 1, "2025-10-09")]
    [InlineData("2025-09-30", 3, "2025-10-11")]
    [InlineData("2026-09-30", 1, "2026-10-08")]
    [InlineData("2026-09-24", 10, "2026-10-15")] // Mid-Autumn 09-25..27 then National Day
    // Across the year end: 2026-01-01..03 off, Sunday 2026-01-04 worked.
    [InlineData("2025-12-31", 1, "2026-01-04")]
    public void AddWorkingDays_Positive_SkipsHolidaysAndCountsMakeUpDays(string start, int n, string expected)
    {
        Assert.Equal(D(expected), Cal.AddWorkingDays(D(start), n));
    }

    [Theory]
    [InlineData("2026-02-24", -1, "2026-02-14")]
    [InlineData("2026-02-24", -2, "2026-02-13")]
    [InlineData("2025-02-10", -5, "2025-01-27")]
    [InlineData("2026-01-05", -1, "2026-01-04")]
    [InlineData("2026-10-08", -1, "2026-09-30")]
    public void AddWorkingDays_Negative_CountsBackwardsStrictlyBefore(string start, int n, string expected)
    {
        Assert.Equal(D(expected), Cal.AddWorkingDays(D(start), n));
    }

    [Theory]
    [InlineData("2026-10-03", "2026-10-08")] // inside the holiday → first day after it
    [InlineData("2026-10-08", "2026-10-08")] // a working day → itself
    [InlineData("2026-02-14", "2026-02-14")] // a make-up Saturday → itself
    [InlineData("2026-03-07", "2026-03-09")] // ordinary weekend → Monday
    public void AddWorkingDays_Zero_IsNextWorkingDayOnOrAfter(string start, string expected)
    {
        Assert.Equal(D(expected), Cal.AddWorkingDays(D(start), 0));
        Assert.Equal(D(expected), Cal.NextWorkingDayOnOrAfter(D(start)));
    }

    [Fact]
    public void AddWorkingDays_StartOnHoliday_CountsFromTheNextWorkingDay()
    {
        Assert.Equal(D("2026-10-09"), Cal.AddWorkingDays(D("2026-10-03"), 2));
    }

    // ---- WorkingDaysBetween ----

    [Theory]
    [InlineData("2026-02-13", "2026-02-27", 5)]  // 02-14 (make-up) + 02-24..27
    [InlineData("2026-02-27", "2026-02-13", -5)] // reversed → negative
    [InlineData("2025-09-26", "2025-10-12", 6)]  // 09-28, 29, 30, 10-09, 10, 11
    [InlineData("2025-01-24", "2025-02-10", 7)]
    [InlineData("2026-02-14", "2026-02-14", 0)]
    [InlineData("2026-02-14", "2026-02-23", 0)]  // the whole holiday
    public void WorkingDaysBetween_CountsHalfOpenInterval(string from, string to, int expected)
    {
        Assert.Equal(expected, Cal.WorkingDaysBetween(D(from), D(to)));
    }

    [Theory]
    [InlineData("2026-02-14", 10)]
    [InlineData("2025-09-30", 3)]
    [InlineData("2026-09-24", 10)]
    public void WorkingDaysBetween_InverseOfAddWorkingDays(string start, int n)
    {
        var end = Cal.AddWorkingDays(D(start), n);
        Assert.Equal(n, Cal.WorkingDaysBetween(D(start), end));
    }

    // ---- coverage and fallback ----

    [Fact]
    public void Covers_OnlyYearsWithData()
    {
        Assert.True(Cal.Covers(D("2026-12-31")));
        Assert.False(Cal.Covers(D("2027-01-01")));
        Assert.False(Cal.Covers(D("2023-12-31")));
    }

    [Fact]
    public void IsWorkingDay_UncoveredYear_FallsBackToMondayToFriday()
    {
        Assert.True(Cal.IsWorkingDay(D("2030-10-01")));   // Tuesday, no data → working
        Assert.False(Cal.IsWorkingDay(D("2030-10-05")));  // Saturday
        Assert.Equal(D("2030-10-07"), Cal.AddWorkingDays(D("2030-10-04"), 1));
    }

    // ---- publishing a year ----

    private static CalendarYear Year2027(int version = 1) => new()
    {
        Year = 2027,
        Holidays = [D("2027-01-01"), D("2027-02-08")],
        Workdays = [D("2027-02-06")],
        Source = "test notice",
        Version = version,
    };

    [Fact]
    public void With_AddsAPublishedYear()
    {
        var extended = Cal.With(Year2027());
        Assert.Equal([2024, 2025, 2026, 2027], extended.Years);
        Assert.True(extended.Covers(D("2027-06-01")));
        Assert.Equal("test notice", extended.SourceOf(2027));
        Assert.False(extended.IsWorkingDay(D("2027-01-01")));  // Friday holiday
        Assert.True(extended.IsWorkingDay(D("2027-02-06")));   // Saturday make-up
        Assert.Equal(D("2027-02-09"), extended.AddWorkingDays(D("2027-02-06"), 1));
        Assert.False(extended.IsWorkingDay(D("2026-02-16")));  // shipped years kept
    }

    [Fact]
    public void With_LeavesOriginalUnchanged()
    {
        _ = Cal.With(Year2027());
        Assert.False(Cal.Covers(D("2027-01-01")));
        Assert.True(Cal.IsWorkingDay(D("2027-01-01")));
    }

    [Fact]
    public void With_ExistingYear_IsReplacedByTheCorrection()
    {
        var corrected = Cal.With(new CalendarYear { Year = 2026, Holidays = [D("2026-01-01")], Workdays = [], Source = "x", Version = 2 });
        Assert.True(corrected.IsWorkingDay(D("2026-02-16")));
        Assert.False(corrected.IsWorkingDay(D("2026-02-14")));
        Assert.False(corrected.IsWorkingDay(D("2025-01-28"))); // other years untouched
        Assert.Equal(2, corrected.Arrangement(2026)!.Version);
    }

    [Fact]
    public void Embedded_EachYearIsVersionOne()
    {
        Assert.All(Cal.Arrangements, y => Assert.Equal(1, y.Version));
    }

    // ---- counting across a year boundary ----

    [Fact]
    public void Plan_CrossingIntoAYearWithoutData_IsProvisionalAndCountsWeekdays()
    {
        // 2026-12-21 (Mon) + 10 working days, 2027 unpublished: 2027-01-01 (Fri) counts as a working day.
        var plan = Cal.Plan(D("2026-12-21"), 10, 2);
        Assert.Equal(D("2027-01-04"), plan.Deadline);
        Assert.Equal(D("2026-12-31"), plan.Reminder);
        Assert.True(plan.Basis.Provisional);
        Assert.Equal("2026:1,2027:-", plan.Basis.ToString());
        Assert.Equal([2027], plan.Basis.MissingYears);
    }

    [Fact]
    public void Plan_CrossingIntoAPublishedYear_SkipsItsHolidays()
    {
        var plan = Cal.With(Year2027()).Plan(D("2026-12-21"), 10, 2);
        Assert.Equal(D("2027-01-05"), plan.Deadline);  // 2027-01-01 is a holiday now
        Assert.False(plan.Basis.Provisional);
        Assert.Equal("2026:1,2027:1", plan.Basis.ToString());
    }

    [Fact]
    public void Plan_WithinOnePublishedYear_RestsOnThatYearOnly()
    {
        var plan = Cal.Plan(D("2026-12-01"), 5, null);
        Assert.Equal(D("2026-12-08"), plan.Deadline);
        Assert.Null(plan.Reminder);
        Assert.Equal("2026:1", plan.Basis.ToString());
        Assert.True(plan.Basis.DependsOn(2026));
        Assert.False(plan.Basis.DependsOn(2027));
    }

    [Fact]
    public void Plan_DeadlineEndsAtMidnightChinaTime_ReminderAtNine()
    {
        var plan = Cal.Plan(D("2026-12-01"), 5, 2);
        Assert.Equal(new DateTime(2026, 12, 8, 15, 59, 59, DateTimeKind.Utc), plan.EndsAtUtc);
        Assert.Equal(new DateTime(2026, 12, 4, 1, 0, 0, DateTimeKind.Utc), plan.RemindAtUtc);
    }

    [Theory]
    [InlineData("2026:1,2027:-", true, "2026:1,2027:-")]
    [InlineData("2026:3", false, "2026:3")]
    public void Basis_RoundTripsThroughItsText(string text, bool provisional, string again)
    {
        var basis = CalendarBasis.Parse(text)!;
        Assert.Equal(provisional, basis.Provisional);
        Assert.Equal(again, basis.ToString());
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("2026")]
    [InlineData("2026:x")]
    public void Basis_UnreadableText_IsNull(string? text) => Assert.Null(CalendarBasis.Parse(text));

    [Fact]
    public void Basis_Describe_NamesVersionsAndWhatIsPresumed()
    {
        Assert.Equal("依据2026年日历第1版；2027年节假日安排未发布，暂按周一至周五推定", CalendarBasis.Parse("2026:1,2027:-")!.Describe());
    }

    [Theory]
    [InlineData("""{ "nope": {} }""", "years")]
    [InlineData("""not json""", "valid JSON")]
    [InlineData("""{ "years": { "20x6": { } } }""", "20x6")]
    [InlineData("""{ "years": { "2026": { "holidays": ["2026-13-01"] } } }""", "2026-13-01")]
    [InlineData("""{ "years": { "2026": { "holidays": ["2029-01-01"] } } }""", "2029-01-01")]
    [InlineData("""{ "years": { "2019": { "holidays": ["2018-12-31", "2019-01-01"] } } }""", "2018-12-31 不在 2019 年内")]
    [InlineData("""{ "years": { "2026": { "workdays": ["2026-02-16"] } } }""", "must be a Saturday or Sunday")]
    [InlineData("""{ "years": { "2026": { "holidays": ["2026-02-14"], "workdays": ["2026-02-14"] } } }""", "both")]
    [InlineData("""{ "years": { "2026": { "holidays": "2026-01-01" } } }""", "array")]
    public void Load_InvalidData_ThrowsNamingTheProblem(string json, string fragment)
    {
        var ex = Assert.Throws<DomainException>(() => WorkingCalendar.Load(Json(json)));
        Assert.Contains(fragment, ex.Message);
    }
}
