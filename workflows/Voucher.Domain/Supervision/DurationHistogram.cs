using System.Globalization;
using System.Text;

namespace Voucher.Domain;

/// <summary>
/// Durations counted in fixed, logarithmic buckets, so a city's cycle times for a year fit in one table cell however
/// many redemptions there were. Bucket 0 holds anything under one minute; bucket k ≥ 1 holds
/// [2^((k-1)/8), 2^(k/8)) minutes; the last bucket (about 2.5 years and up) is open-ended.
/// A percentile is answered with the geometric middle of the bucket that holds the nearest-rank element, so it is
/// within 2^(1/16) − 1 ≈ 4.4 % of the exact nearest-rank value (for durations of one minute or more).
/// </summary>
public sealed class DurationHistogram
{
    public const int StepsPerDoubling = 8;
    public const int BucketCount = 170;

    /// <summary>The largest relative error of <see cref="Percentile"/> against the exact nearest-rank value.</summary>
    public static readonly double MaxRelativeError = Math.Pow(2, 1.0 / (2 * StepsPerDoubling)) - 1;

    readonly long[] counts = new long[BucketCount];

    public long Count { get; private set; }

    public IReadOnlyList<long> Counts => counts;

    public static int BucketOf(TimeSpan duration)
    {
        var minutes = duration.TotalMinutes;
        if (minutes < 1)
        {
            return 0;
        }

        var k = (int)Math.Floor(Math.Log2(minutes) * StepsPerDoubling) + 1;
        return Math.Min(k, BucketCount - 1);
    }

    /// <summary>Lower bound of bucket <paramref name="k"/> in minutes.</summary>
    public static double LowerMinutes(int k) => k == 0 ? 0 : Math.Pow(2, (k - 1) / (double)StepsPerDoubling);

    /// <summary>Upper bound of bucket <paramref name="k"/> in minutes (infinite for the last).</summary>
    public static double UpperMinutes(int k) => k == BucketCount - 1 ? double.PositiveInfinity : Math.Pow(2, k / (double)StepsPerDoubling);

    /// <summary>The value a bucket stands for: the geometric middle of its bounds (half a minute for bucket 0).</summary>
    public static double RepresentativeMinutes(int k) =>
        k == 0 ? 0.5 : k == BucketCount - 1 ? LowerMinutes(k) : Math.Sqrt(LowerMinutes(k) * UpperMinutes(k));

    public void Add(TimeSpan duration, long times = 1)
    {
        if (duration < TimeSpan.Zero)
        {
            duration = TimeSpan.Zero;
        }

        counts[BucketOf(duration)] += times;
        Count += times;
    }

    public void AddBucket(int k, long times)
    {
        counts[k] += times;
        Count += times;
    }

    public void Merge(DurationHistogram other)
    {
        for (var k = 0; k < BucketCount; k++)
        {
            counts[k] += other.counts[k];
        }

        Count += other.Count;
    }

    /// <summary>The p-th percentile (0 &lt; p ≤ 1) by nearest rank, as a bucket's representative value; null when empty.</summary>
    public TimeSpan? Percentile(double p)
    {
        if (Count == 0)
        {
            return null;
        }

        if (p is <= 0 or > 1)
        {
            throw new ArgumentOutOfRangeException(nameof(p), "p must be in (0, 1].");
        }

        var rank = (long)Math.Ceiling(p * Count);
        long seen = 0;
        for (var k = 0; k < BucketCount; k++)
        {
            seen += counts[k];
            if (seen >= rank)
            {
                return TimeSpan.FromMinutes(RepresentativeMinutes(k));
            }
        }

        return TimeSpan.FromMinutes(RepresentativeMinutes(BucketCount - 1));
    }

    /// <summary>Counts regrouped into display ranges (upper bounds in days, the last open); a bucket goes where its representative value falls.</summary>
    public long[] Group(IReadOnlyList<double> upperDays)
    {
        var result = new long[upperDays.Count + 1];
        for (var k = 0; k < BucketCount; k++)
        {
            if (counts[k] == 0)
            {
                continue;
            }

            var days = RepresentativeMinutes(k) / 1440.0;
            var i = 0;
            while (i < upperDays.Count && days >= upperDays[i])
            {
                i++;
            }

            result[i] += counts[k];
        }

        return result;
    }

    /// <summary>Sparse text form for a table cell: <c>bucket:count;…</c> in bucket order.</summary>
    public string Serialize()
    {
        var sb = new StringBuilder();
        for (var k = 0; k < BucketCount; k++)
        {
            if (counts[k] == 0)
            {
                continue;
            }

            if (sb.Length > 0)
            {
                sb.Append(';');
            }

            sb.Append(k.ToString(CultureInfo.InvariantCulture)).Append(':').Append(counts[k].ToString(CultureInfo.InvariantCulture));
        }

        return sb.ToString();
    }

    public static DurationHistogram Parse(string? text)
    {
        var h = new DurationHistogram();
        if (string.IsNullOrEmpty(text))
        {
            return h;
        }

        foreach (var part in text.Split(';', StringSplitOptions.RemoveEmptyEntries))
        {
            var colon = part.IndexOf(':', StringComparison.Ordinal);
            var k = int.Parse(part.AsSpan(0, colon), CultureInfo.InvariantCulture);
            var c = long.Parse(part.AsSpan(colon + 1), CultureInfo.InvariantCulture);
            if (k < 0 || k >= BucketCount || c < 0)
            {
                throw new FormatException($"Bad histogram cell '{part}'.");
            }

            h.AddBucket(k, c);
        }

        return h;
    }
}
