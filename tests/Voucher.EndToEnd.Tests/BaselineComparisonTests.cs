using Voucher.Benchmarks;

namespace Voucher.EndToEnd.Tests;

/// <summary>
/// The benchmark's ratios against its bare-engine baseline (issue #20 item 3): which way each ratio is formed, the
/// targets' bounds inclusive, and no verdict where a figure is missing.
/// </summary>
public sealed class BaselineComparisonTests
{
    [Fact]
    public void Ratios_AreOursOverTheBaselines()
    {
        var c = BaselineComparison.Of(applicationRate: 6, baselineRate: 10, submissionP99: 300, baselineStartP99: 150,
            applicationCalls: 80, baselineCalls: 40, applicationCallsWithoutPolling: 60, baselineCallsWithoutPolling: 30);

        Assert.Equal(0.6, c.RateRatio, 10);
        Assert.Equal(2.0, c.LatencyRatio, 10);
        Assert.Equal(2.0, c.CallsRatio, 10);
        Assert.Equal(2.0, c.CallsRatioWithoutPolling, 10);
        Assert.False(c.RateMet);
        Assert.False(c.LatencyMet);
        Assert.False(c.CallsMet);
        Assert.False(c.CallsWithoutPollingMet);
        Assert.Equal("MISS", BaselineComparison.Verdict(c.RateMet));
    }

    [Fact]
    public void Targets_HoldAtTheirBounds_AndMissJustPast()
    {
        var atBounds = BaselineComparison.Of(7, 10, 150, 100, 16, 10, 32, 20);
        Assert.True(atBounds.RateMet);
        Assert.True(atBounds.LatencyMet);
        Assert.True(atBounds.CallsMet);
        Assert.True(atBounds.CallsWithoutPollingMet);
        Assert.Equal("PASS", BaselineComparison.Verdict(atBounds.CallsMet));

        var past = BaselineComparison.Of(6.9, 10, 151, 100, 16.1, 10, 33, 20);
        Assert.False(past.RateMet);
        Assert.False(past.LatencyMet);
        Assert.False(past.CallsMet);
        Assert.False(past.CallsWithoutPollingMet);
    }

    [Fact]
    public void MissingFigures_AreJudgedNeitherWay()
    {
        var c = BaselineComparison.Of(5, 0, double.NaN, 100, 50, double.PositiveInfinity, 30, 20);
        Assert.True(double.IsNaN(c.RateRatio));
        Assert.Null(c.RateMet);
        Assert.Null(c.LatencyMet);
        Assert.Null(c.CallsMet);
        Assert.True(c.CallsWithoutPollingMet);
        Assert.Equal("n/a", BaselineComparison.Verdict(c.RateMet));
    }
}
