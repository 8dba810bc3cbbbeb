namespace Voucher.Domain.Tests;

public class ProvincePolicyTests
{
    static readonly DateTimeOffset Now = new(2026, 1, 5, 0, 0, 0, TimeSpan.Zero);

    [Fact]
    public void NextVersion_RecordsWhoWhenWhy_AndLeavesTheOldVersionUnchanged()
    {
        var v1 = ProvincePolicy.Default(Now);
        var v2 = v1.NextVersion("prov", "上限调整", Now.AddDays(1)) with { AnnualCap = Cny.FromYuan(150_000m) };

        Assert.Equal((2, "prov", "上限调整", Now.AddDays(1)), (v2.Version, v2.ChangedBy, v2.Reason, v2.EffectiveFrom));
        Assert.Equal(Cny.FromYuan(200_000m), v1.AnnualCap);
        Assert.Equal(1, v1.Version);
    }

    [Fact]
    public void Validate_ReasonCategoriesCap()
    {
        Assert.Empty(ProvincePolicy.Default(Now).Validate());
        var bad = ProvincePolicy.Default(Now) with { Reason = " ", EligibleCategories = ["astrology"], AnnualCap = Cny.Zero };
        Assert.Equal(["annualCap", "eligibleCategories", "reason"], bad.Validate().Select(e => e.Field).Order());
        Assert.Contains((ProvincePolicy.Default(Now) with { EligibleCategories = [] }).Validate(), e => e.Field == "eligibleCategories");
    }
}
