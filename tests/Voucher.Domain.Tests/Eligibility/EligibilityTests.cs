namespace Voucher.Domain.Tests;

public class EligibilityTests
{
    private static readonly DateOnly Today = new(2026, 5, 1);
    private static readonly CityPolicy Policy = CityPolicy.Default("taiyuan", new DateTimeOffset(2026, 1, 1, 0, 0, 0, ChinaTime.Offset));

    private static EnterpriseFacts Good() => new(UsccTests.TaiyuanCode, "taiyuan", Registered: true, TechSmeEvaluated: true, BarredUntil: null, HasLiveVoucherThisYear: false);

    private static EligibilityReason OnlyReason(EnterpriseFacts facts, CityPolicy? policy = null, DateOnly? today = null)
    {
        var result = Eligibility.Check(facts, policy ?? Policy, today ?? Today);
        Assert.False(result.Eligible);
        var reason = Assert.Single(result.Reasons);
        Assert.Matches(@"^\p{IsCJKUnifiedIdeographs}.*\(.+\)$", reason.Message);
        return reason;
    }

    [Fact]
    public void Check_AllConditionsMet_IsEligible()
    {
        var result = Eligibility.Check(Good(), Policy, Today);
        Assert.True(result.Eligible);
        Assert.Empty(result.Reasons);
    }

    [Fact]
    public void Check_LowerCaseUscc_IsEligible()
    {
        Assert.True(Eligibility.Check(Good() with { Uscc = UsccTests.TaiyuanCode.ToLowerInvariant() }, Policy, Today).Eligible);
    }

    [Fact]
    public void Check_NotRegistered_ReportsNotRegistered()
    {
        Assert.Equal("not-registered", OnlyReason(Good() with { Registered = false }).Code);
    }

    [Fact]
    public void Check_UsccOutsideShanxi_ReportsNotShanxi()
    {
        var reason = OnlyReason(Good() with { Uscc = "91350100M000100Y43" });
        Assert.Equal("not-shanxi", reason.Code);
        Assert.Contains("350100", reason.Message);
    }

    [Fact]
    public void Check_InvalidUscc_ReportsInvalidUscc()
    {
        var reason = OnlyReason(Good() with { Uscc = "91140100MA0K12345X" });
        Assert.Equal("invalid-uscc", reason.Code);
        Assert.Contains("check character", reason.Message);
    }

    [Fact]
    public void Check_UnknownCity_ReportsUnknownCity()
    {
        var reason = OnlyReason(Good() with { CityCode = "beijing" });
        Assert.Equal("unknown-city", reason.Code);
        Assert.Contains("beijing", reason.Message);
    }

    [Fact]
    public void Check_NotTechSme_ReportsNotTechSme()
    {
        Assert.Equal("not-tech-sme", OnlyReason(Good() with { TechSmeEvaluated = false }).Code);
    }

    [Theory]
    [InlineData("2029-04-30")]
    [InlineData("2026-05-01")] // the bar includes its last day
    public void Check_BarredUntilTodayOrLater_ReportsBarredWithEndDate(string until)
    {
        var reason = OnlyReason(Good() with { BarredUntil = DateOnly.Parse(until, System.Globalization.CultureInfo.InvariantCulture) });
        Assert.Equal("barred", reason.Code);
        Assert.Contains(until, reason.Message);
    }

    [Fact]
    public void Check_BarEnded_IsEligible()
    {
        Assert.True(Eligibility.Check(Good() with { BarredUntil = new DateOnly(2026, 4, 30) }, Policy, Today).Eligible);
    }

    [Fact]
    public void Check_LiveVoucherAndOnePerYear_ReportsLiveVoucher()
    {
        Assert.Equal("live-voucher", OnlyReason(Good() with { HasLiveVoucherThisYear = true }).Code);
    }

    [Fact]
    public void Check_LiveVoucherButPolicyAllowsSeveral_IsEligible()
    {
        var policy = Policy with { OneLiveVoucherPerYear = false };
        Assert.True(Eligibility.Check(Good() with { HasLiveVoucherThisYear = true }, policy, Today).Eligible);
    }

    [Fact]
    public void Check_SeveralProblems_ReportsEveryReason()
    {
        var facts = new EnterpriseFacts("91350100M000100Y43", "nowhere", false, false, new DateOnly(2027, 1, 1), true);
        var result = Eligibility.Check(facts, Policy, Today);
        Assert.False(result.Eligible);
        Assert.Equal(["not-registered", "not-shanxi", "unknown-city", "not-tech-sme", "barred", "live-voucher"], result.Reasons.Select(r => r.Code));
    }
}
