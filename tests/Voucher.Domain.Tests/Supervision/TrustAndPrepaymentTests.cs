namespace Voucher.Domain.Tests.Supervision;

/// <summary>Who is trusted for pre-payment, and how a pay-out splits into the advance and the remainder (exact fen).</summary>
public sealed class TrustAndPrepaymentTests
{
    [Theory]
    [InlineData(new[] { 2024, 2025 }, 2026, true)]        // two consecutive years ending last year
    [InlineData(new[] { 2025, 2026 }, 2026, true)]        // ending this year
    [InlineData(new[] { 2022, 2023, 2024, 2025 }, 2026, true)]
    [InlineData(new[] { 2025 }, 2026, false)]             // one year only
    [InlineData(new[] { 2023, 2025 }, 2026, false)]       // not consecutive
    [InlineData(new[] { 2021, 2022 }, 2026, false)]       // consecutive, but long ago
    [InlineData(new[] { 2024, 2026 }, 2026, false)]       // a gap in 2025
    [InlineData(new int[0], 2026, false)]
    [InlineData(new[] { 2026, 2027 }, 2026, false)]       // future years do not count
    public void Trusted_NeedsACurrentRunOfTwoConsecutiveYears(int[] years, int currentYear, bool trusted) =>
        Assert.Equal(trusted, TrustRules.IsTrusted(years, hasViolation: false, currentYear));

    [Fact]
    public void AnyViolation_RemovesTrust() =>
        Assert.False(TrustRules.IsTrusted([2023, 2024, 2025], hasViolation: true, 2026));

    [Theory]
    [InlineData(6_500_000, "0.5", 3_250_000)]
    [InlineData(6_500_001, "0.5", 3_250_001)] // half a fen rounds away from zero; the remainder takes the rest
    [InlineData(1_234_567, "0.3", 370_370)]
    [InlineData(5_000_000, "1", 5_000_000)]
    [InlineData(5_000_000, "0", 0)]
    [InlineData(0, "0.5", 0)]
    public void Split_PrepaidPlusRemainder_IsExactlyThePayout(long payoutFen, string share, long prepaidFen)
    {
        var split = Prepayment.Split(Cny.FromFen(payoutFen), decimal.Parse(share, System.Globalization.CultureInfo.InvariantCulture));
        Assert.Equal(prepaidFen, split.Prepaid.Fen);
        Assert.Equal(payoutFen, (split.Prepaid + split.Remainder).Fen);
        Assert.False(split.Remainder.IsNegative);
    }

    [Fact]
    public void Split_EveryShareAndAmount_NeverLosesOrAddsAFen()
    {
        var random = new Random(20261126);
        for (var i = 0; i < 2000; i++)
        {
            var payout = Cny.FromFen(random.NextInt64(0, 20_000_001));
            var share = random.Next(0, 101) / 100m;
            var split = Prepayment.Split(payout, share);
            Assert.Equal(payout, split.Prepaid + split.Remainder);
            Assert.InRange(split.Prepaid.Fen, 0, payout.Fen);
        }
    }

    [Theory]
    [InlineData("-0.1")]
    [InlineData("1.01")]
    public void Split_ShareOutsideZeroToOne_Throws(string share) =>
        Assert.Throws<DomainException>(() => Prepayment.Split(Cny.FromYuan(100m), decimal.Parse(share, System.Globalization.CultureInfo.InvariantCulture)));

    [Fact]
    public void Policy_PrepaymentShare_DefaultsToHalf_AndIsValidated()
    {
        var policy = CityPolicy.Default("taiyuan", DateTimeOffset.UnixEpoch);
        Assert.Equal(0.5m, policy.PrepaymentShare);
        Assert.Empty(policy.Validate());
        Assert.Contains((policy with { PrepaymentShare = 1.5m }).Validate(), e => e.Field == "prepaymentShare");
    }
}
