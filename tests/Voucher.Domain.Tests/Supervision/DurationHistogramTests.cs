namespace Voucher.Domain.Tests;

public class DurationHistogramTests
{
    [Theory]
    [InlineData(0.0, 0)]
    [InlineData(0.99, 0)]
    [InlineData(1.0, 1)]
    [InlineData(1.09, 1)]
    [InlineData(1.10, 2)]
    [InlineData(2.0, 9)]
    [InlineData(1024.0, 81)]
    public void BucketOf_MinutesOnTheLogScale(double minutes, int bucket)
    {
        Assert.Equal(bucket, DurationHistogram.BucketOf(TimeSpan.FromMinutes(minutes)));
        Assert.True(DurationHistogram.LowerMinutes(bucket) <= minutes && minutes < DurationHistogram.UpperMinutes(bucket));
    }

    [Fact]
    public void BucketOf_VeryLongDurations_GoToTheOpenLastBucket()
    {
        Assert.Equal(DurationHistogram.BucketCount - 1, DurationHistogram.BucketOf(TimeSpan.FromDays(3650)));
        Assert.True(double.IsPositiveInfinity(DurationHistogram.UpperMinutes(DurationHistogram.BucketCount - 1)));
    }

    [Fact]
    public void Percentile_RandomDurations_WithinTheDocumentedErrorOfTheExactNearestRank()
    {
        var random = new Random(7);
        for (var run = 0; run < 50; run++)
        {
            var values = Enumerable.Range(0, random.Next(1, 2000)).Select(_ => TimeSpan.FromMinutes(1 + random.NextDouble() * random.Next(1, 400_000))).ToList();
            var h = new DurationHistogram();
            values.ForEach(v => h.Add(v));
            var sorted = values.Order().ToList();
            foreach (var p in new[] { 0.5, 0.9, 0.99, 1.0 })
            {
                var exact = sorted[(int)Math.Ceiling(p * sorted.Count) - 1].TotalMinutes;
                var estimate = h.Percentile(p)!.Value.TotalMinutes;
                Assert.True(Math.Abs(estimate - exact) / exact <= DurationHistogram.MaxRelativeError + 1e-9, $"p{p}: exact {exact}, estimate {estimate}");
            }
        }
    }

    [Fact]
    public void Percentile_MedianOfKnownSet_IsTheBucketOfTheMiddleElement()
    {
        var h = new DurationHistogram();
        foreach (var days in new[] { 1, 2, 3, 10, 100 })
        {
            h.Add(TimeSpan.FromDays(days));
        }

        Assert.Equal(DurationHistogram.BucketOf(TimeSpan.FromDays(3)), DurationHistogram.BucketOf(h.Percentile(0.5)!.Value));
        Assert.Equal(DurationHistogram.BucketOf(TimeSpan.FromDays(100)), DurationHistogram.BucketOf(h.Percentile(0.9)!.Value));
        Assert.Null(new DurationHistogram().Percentile(0.5));
        Assert.Throws<ArgumentOutOfRangeException>(() => h.Percentile(0));
    }

    [Fact]
    public void SerializeParseAndMerge_KeepEveryCount()
    {
        var a = new DurationHistogram();
        var b = new DurationHistogram();
        a.Add(TimeSpan.FromSeconds(10));
        a.Add(TimeSpan.FromDays(5), 3);
        b.Add(TimeSpan.FromDays(5));
        b.Add(TimeSpan.FromDays(400));

        var parsed = DurationHistogram.Parse(a.Serialize());
        parsed.Merge(b);

        Assert.Equal(6, parsed.Count);
        Assert.Equal(4, parsed.Counts[DurationHistogram.BucketOf(TimeSpan.FromDays(5))]);
        Assert.Equal("", new DurationHistogram().Serialize());
        Assert.Throws<FormatException>(() => DurationHistogram.Parse("999:1"));
    }

    [Fact]
    public void Group_PutsEachBucketInItsDayRange()
    {
        var h = new DurationHistogram();
        h.Add(TimeSpan.FromHours(2));
        h.Add(TimeSpan.FromDays(2));
        h.Add(TimeSpan.FromDays(20), 2);
        h.Add(TimeSpan.FromDays(500));

        var groups = h.Group([1, 3, 7, 14, 30]);

        Assert.Equal([1L, 1, 0, 0, 2, 1], groups);
    }
}

public class PayoutDistributionTests
{
    [Theory]
    [InlineData(0.01, 0)]
    [InlineData(9_999.99, 0)]
    [InlineData(10_000, 1)]
    [InlineData(50_000, 5)]
    [InlineData(65_000, 6)]
    [InlineData(100_000, 10)]
    [InlineData(199_999.99, 13)]
    [InlineData(200_000, 14)]
    public void RangeOf_ExactBoundaries(decimal yuan, int range) =>
        Assert.Equal(range, PayoutDistribution.RangeOf(Cny.FromYuan(yuan)));

    [Fact]
    public void Labels_AndRoundTrip()
    {
        Assert.Equal("0–1万", PayoutDistribution.Label(0));
        Assert.Equal("≥20万", PayoutDistribution.Label(14));
        long[] counts = [1, 0, 2, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 5];
        Assert.Equal(counts, PayoutDistribution.Parse(PayoutDistribution.Serialize(counts)));
    }
}
