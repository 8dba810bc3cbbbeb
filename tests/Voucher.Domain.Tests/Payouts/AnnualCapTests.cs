namespace Voucher.Domain.Tests;

public class AnnualCapTests
{
    static Cny Y(decimal yuan) => Cny.FromYuan(yuan);

    [Theory]
    [InlineData("2026-12-31T15:59:59Z", 2026)] // 23:59:59 on 31 December in China
    [InlineData("2026-12-31T16:00:00Z", 2027)] // 00:00 on 1 January in China, still 31 December in UTC
    [InlineData("2027-01-01T00:00:00Z", 2027)]
    public void YearOf_IsTheChinaDateYearOfTheQueueing(string utc, int year) =>
        Assert.Equal(year, AnnualCap.YearOf(DateTime.Parse(utc, System.Globalization.CultureInfo.InvariantCulture, System.Globalization.DateTimeStyles.AdjustToUniversal)));

    [Fact]
    public void LeavesNothing_OnlyWhenGrantedAndReservedReachTheCap()
    {
        Assert.True(AnnualCap.LeavesNothing(Y(200_000m), Y(150_000m), Y(50_000m)));
        Assert.True(AnnualCap.LeavesNothing(Y(200_000m), Y(210_000m), Cny.Zero)); // a lowered cap already passed
        Assert.False(AnnualCap.LeavesNothing(Y(200_000m), Y(150_000m), Y(49_999.99m)));
        Assert.False(AnnualCap.LeavesNothing(Y(200_000m), Cny.Zero, Cny.Zero));
    }

    [Fact]
    public void LeavesNothing_IsExactlyAZeroPayout()
    {
        // The smallest request (1 fen paid) against the cap left: zero pay-out exactly when nothing is left.
        foreach (var (granted, reserved) in new[] { (199_999.99m, 0m), (200_000m, 0m), (100_000m, 100_000m), (0m, 0m) })
        {
            var remaining = AnnualCap.Remaining(Y(200_000m), Y(granted), Y(reserved));
            var payout = PayoutRules.Compute(Cny.FromFen(1), Y(50_000m), 0.5m, remaining).Payout;
            Assert.Equal(AnnualCap.LeavesNothing(Y(200_000m), Y(granted), Y(reserved)), payout.IsZero);
        }
    }

    [Fact]
    public void RefusalText_NamesTheCapTheYearAndWhatIsGrantedAndReserved()
    {
        var text = AnnualCap.RefusalText(2026, Y(200_000m), Y(120_000m), Y(80_000m));
        Assert.Contains("2026 年度补助限额 ¥200,000.00 已用完", text, StringComparison.Ordinal);
        Assert.Contains("已拨付 ¥120,000.00", text, StringComparison.Ordinal);
        Assert.Contains("在途预留 ¥80,000.00", text, StringComparison.Ordinal);
        Assert.Contains("annual cap", text, StringComparison.Ordinal);
    }

    [Fact]
    public void CappedNote_OnlyForAPayoutTheCapReduced()
    {
        var capped = PayoutRules.Compute(Y(80_000m), Y(50_000m), 0.5m, Y(20_000m));
        Assert.Equal("受年度限额影响，核定 ¥20,000.00（实付 ¥80,000.00，2026 年度限额剩余 ¥20,000.00；不受限额时应为 ¥65,000.00）", AnnualCap.CappedNote(capped, 2026));
        Assert.Null(AnnualCap.CappedNote(PayoutRules.Compute(Y(80_000m), Y(50_000m), 0.5m, Y(65_000m)), 2026));
    }

    [Fact]
    public void StopText_SaysTheRedemptionStopsBecauseTheCapWasUsedUpWhenQueued()
    {
        var text = AnnualCap.StopText(2027, Y(200_000m), Y(200_000m), Cny.Zero);
        Assert.Contains("进入结算队列时，2027 年度补助限额 ¥200,000.00 已用完（已拨付 ¥200,000.00，在途预留 ¥0.00）", text, StringComparison.Ordinal);
        Assert.Contains("兑付申请终止", text, StringComparison.Ordinal);
    }
}
