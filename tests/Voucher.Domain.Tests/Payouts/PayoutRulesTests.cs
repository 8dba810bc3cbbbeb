namespace Voucher.Domain.Tests;

public class PayoutRulesTests
{
    private static Cny Y(decimal yuan) => Cny.FromYuan(yuan);

    private static readonly Cny Face = Y(50_000m);
    private static readonly Cny FullCap = Y(200_000m);

    [Fact]
    public void Compute_Paid30000_PaysActualAmount()
    {
        var c = PayoutRules.Compute(Y(30_000m), Face, 0.5m, FullCap);
        Assert.Equal(Y(30_000m), c.Payout);
        Assert.Equal(Cny.Zero, c.Excess);
        Assert.Equal(Cny.Zero, c.ExcessSubsidy);
    }

    [Fact]
    public void Compute_Paid50000_PaysFaceValue()
    {
        var c = PayoutRules.Compute(Y(50_000m), Face, 0.5m, FullCap);
        Assert.Equal(Y(50_000m), c.Payout);
        Assert.Equal(Cny.Zero, c.Excess);
    }

    [Fact]
    public void Compute_Paid80000AtHalf_Pays65000()
    {
        var c = PayoutRules.Compute(Y(80_000m), Face, 0.5m, FullCap);
        Assert.Equal(Y(50_000m), c.WithinFace);
        Assert.Equal(Y(30_000m), c.Excess);
        Assert.Equal(Y(15_000m), c.ExcessSubsidy);
        Assert.Equal(Y(65_000m), c.BeforeCap);
        Assert.Equal(Y(65_000m), c.Payout);
        Assert.False(c.CappedByAnnualLimit);
        Assert.Equal(Y(135_000m), c.CapRemainingAfter);
    }

    [Fact]
    public void Compute_LargeVoucherPaid120000AtPoint3_Pays106000()
    {
        var c = PayoutRules.Compute(Y(120_000m), Y(100_000m), 0.3m, FullCap);
        Assert.Equal(Y(100_000m), c.WithinFace);
        Assert.Equal(Y(20_000m), c.Excess);
        Assert.Equal(Y(6_000m), c.ExcessSubsidy);
        Assert.Equal(Y(106_000m), c.Payout);
    }

    [Fact]
    public void Compute_CapLeft20000_ComputedPayout65000_Pays20000()
    {
        var alreadyGranted = Y(180_000m);
        var c = PayoutRules.Compute(Y(80_000m), Face, 0.5m, FullCap - alreadyGranted);
        Assert.Equal(Y(65_000m), c.BeforeCap);
        Assert.Equal(Y(20_000m), c.Payout);
        Assert.True(c.CappedByAnnualLimit);
        Assert.Equal(Cny.Zero, c.CapRemainingAfter);
    }

    [Fact]
    public void Compute_CapExhausted_PaysZero()
    {
        Assert.Equal(Cny.Zero, PayoutRules.Compute(Y(10_000m), Face, 0.5m, Cny.Zero).Payout);
    }

    [Fact]
    public void Compute_HalfFenSubsidy_RoundsAwayFromZero()
    {
        var c = PayoutRules.Compute(Y(50_000.01m), Face, 0.5m, FullCap);
        Assert.Equal(Cny.FromFen(1), c.ExcessSubsidy);
        Assert.Equal(Y(50_000.01m), c.Payout);
    }

    [Fact]
    public void Compute_RecordsInputsAndFiveAuditSteps()
    {
        var c = PayoutRules.Compute(Y(80_000m), Face, 0.5m, Y(20_000m));
        Assert.Equal(Y(80_000m), c.Paid);
        Assert.Equal(Face, c.FaceValue);
        Assert.Equal(0.5m, c.ExcessRatio);
        Assert.Equal(Y(20_000m), c.CapRemainingBefore);
        Assert.Equal(["within-face", "excess", "excess-subsidy", "before-cap", "annual-cap"], c.Steps.Select(s => s.Rule));
        Assert.Equal(new PayoutStep("within-face", "min(paid, face) = min(80,000.00, 50,000.00)", Y(50_000m)), c.Steps[0]);
        Assert.Equal("max(paid - face, 0) = max(80,000.00 - 50,000.00, 0)", c.Steps[1].Formula);
        Assert.Equal("round(excess × ratio) = round(30,000.00 × 0.5)", c.Steps[2].Formula);
        Assert.Equal("withinFace + excessSubsidy = 50,000.00 + 15,000.00", c.Steps[3].Formula);
        Assert.Equal("min(beforeCap, capRemaining) = min(65,000.00, 20,000.00)", c.Steps[4].Formula);
        Assert.Equal(c.Payout, c.Steps[^1].Result);
    }

    [Fact]
    public void Compute_NegativePaid_Throws()
    {
        Assert.Throws<DomainException>(() => PayoutRules.Compute(Y(-1m), Face, 0.5m, FullCap));
    }

    [Fact]
    public void Compute_ZeroFaceValue_Throws()
    {
        Assert.Throws<DomainException>(() => PayoutRules.Compute(Y(1m), Cny.Zero, 0.5m, FullCap));
    }

    [Theory]
    [InlineData("-0.01")]
    [InlineData("1.01")]
    public void Compute_RatioOutsideZeroToOne_Throws(string ratio)
    {
        Assert.Throws<DomainException>(() => PayoutRules.Compute(Y(80_000m), Face, decimal.Parse(ratio, System.Globalization.CultureInfo.InvariantCulture), FullCap));
    }

    [Fact]
    public void Compute_NegativeCapRemaining_Throws()
    {
        Assert.Throws<DomainException>(() => PayoutRules.Compute(Y(80_000m), Face, 0.5m, Y(-1m)));
    }
}
