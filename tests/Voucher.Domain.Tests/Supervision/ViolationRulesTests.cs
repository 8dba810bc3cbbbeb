namespace Voucher.Domain.Tests.Supervision;

/// <summary>The three-year bar: its last day (Civil Code period rules, leap days), that it lifts by itself, and the refusal.</summary>
public sealed class ViolationRulesTests
{
    [Theory]
    [InlineData("2026-03-15", "2029-03-15")]
    [InlineData("2024-02-29", "2027-02-28")] // no 29 February in 2027: the last day of the month
    [InlineData("2025-02-28", "2028-02-28")] // 2028 is a leap year: the corresponding day, not the 29th
    [InlineData("2027-02-28", "2030-02-28")]
    [InlineData("2025-12-31", "2028-12-31")]
    [InlineData("2026-01-01", "2029-01-01")]
    public void BarEnd_IsTheCorrespondingDayThreeYearsLater(string decided, string end) =>
        Assert.Equal(DateOnly.Parse(end), ViolationRules.BarEnd(DateOnly.Parse(decided)));

    [Fact]
    public void Bar_HoldsFromTheDecisionThroughItsLastDay_AndLiftsTheDayAfter()
    {
        var decided = new DateOnly(2024, 2, 29);
        Assert.False(ViolationRules.IsBarred(decided, decided.AddDays(-1)));
        Assert.True(ViolationRules.IsBarred(decided, decided));
        Assert.True(ViolationRules.IsBarred(decided, new DateOnly(2027, 2, 28)));
        Assert.False(ViolationRules.IsBarred(decided, new DateOnly(2027, 3, 1)));
    }

    [Fact]
    public void BarredUntil_TakesTheLatestBarInForce_AndNullWhenAllLifted()
    {
        var today = new DateOnly(2027, 6, 1);
        DateOnly[] decisions = [new(2023, 1, 10), new(2025, 5, 20), new(2024, 7, 1)];
        Assert.Equal(new DateOnly(2028, 5, 20), ViolationRules.BarredUntil(decisions, today));
        Assert.Null(ViolationRules.BarredUntil([new DateOnly(2020, 1, 1)], today));
        Assert.Null(ViolationRules.BarredUntil([], today));
    }

    [Fact]
    public void Eligibility_WhileBarred_RefusesNamingTheEndDate_AndAcceptsTheDayAfter()
    {
        var decided = new DateOnly(2024, 2, 29);
        var end = ViolationRules.BarEnd(decided);
        var facts = new EnterpriseFacts("91140100MA0DEM001U", "taiyuan", true, true, end, false);
        var policy = CityPolicy.Default("taiyuan", DateTimeOffset.UnixEpoch);

        var barred = Eligibility.Check(facts, policy, end);
        Assert.False(barred.Eligible);
        var reason = Assert.Single(barred.Reasons, r => r.Code == Eligibility.Barred);
        Assert.Contains("2027-02-28", reason.Message, StringComparison.Ordinal);

        Assert.DoesNotContain(Eligibility.Check(facts, policy, end.AddDays(1)).Reasons, r => r.Code == Eligibility.Barred);
    }
}
