namespace Voucher.Domain.Tests;

public class VoucherRulesTests
{
    private static readonly Cny Face = Cny.FromYuan(50_000m);
    private static readonly DateOnly Expires = new(2027, 3, 14);

    [Theory]
    [InlineData("2026-03-15", 12, "2027-03-14")]
    [InlineData("2026-01-01", 12, "2026-12-31")]
    [InlineData("2026-01-01", 6, "2026-06-30")]
    [InlineData("2026-02-01", 1, "2026-02-28")]
    [InlineData("2027-03-01", 12, "2028-02-29")] // leap year
    public void ExpiresOn_AddsMonthsMinusOneDay(string issued, int months, string expected)
    {
        var iso = System.Globalization.CultureInfo.InvariantCulture;
        Assert.Equal(DateOnly.Parse(expected, iso), VoucherRules.ExpiresOn(DateOnly.Parse(issued, iso), months));
    }

    [Theory]
    [InlineData(0)]
    [InlineData(-3)]
    public void ExpiresOn_NonPositiveMonths_Throws(int months)
    {
        Assert.Throws<DomainException>(() => VoucherRules.ExpiresOn(new DateOnly(2026, 1, 1), months));
    }

    [Fact]
    public void StatusOn_OnExpiryDay_IsActive()
    {
        Assert.Equal(VoucherStatus.Active, VoucherRules.StatusOn(Expires, Expires, Face, Cny.Zero, revoked: false));
    }

    [Fact]
    public void StatusOn_DayAfterExpiry_IsExpired()
    {
        Assert.Equal(VoucherStatus.Expired, VoucherRules.StatusOn(Expires.AddDays(1), Expires, Face, Cny.FromYuan(10_000m), revoked: false));
    }

    [Fact]
    public void StatusOn_PartlyUsed_IsActive()
    {
        Assert.Equal(VoucherStatus.Active, VoucherRules.StatusOn(new DateOnly(2026, 6, 1), Expires, Face, Cny.FromYuan(49_999.99m), revoked: false));
    }

    [Theory]
    [InlineData("50000")]
    [InlineData("65000")]
    public void StatusOn_UsedFaceValueOrMore_IsUsedUp(string used)
    {
        var amount = Cny.FromYuan(decimal.Parse(used, System.Globalization.CultureInfo.InvariantCulture));
        Assert.Equal(VoucherStatus.UsedUp, VoucherRules.StatusOn(new DateOnly(2026, 6, 1), Expires, Face, amount, revoked: false));
        Assert.Equal(VoucherStatus.UsedUp, VoucherRules.StatusOn(Expires.AddDays(30), Expires, Face, amount, revoked: false));
    }

    [Fact]
    public void StatusOn_Revoked_WinsOverEverything()
    {
        Assert.Equal(VoucherStatus.Revoked, VoucherRules.StatusOn(new DateOnly(2026, 6, 1), Expires, Face, Cny.Zero, revoked: true));
        Assert.Equal(VoucherStatus.Revoked, VoucherRules.StatusOn(Expires.AddDays(1), Expires, Face, Face, revoked: true));
    }
}
