using System.Collections.Concurrent;

namespace Voucher.Benchmarks;

/// <summary>Nearest-rank percentiles of a sample.</summary>
internal static class Percentiles
{
    /// <summary>The p-th percentile (0 &lt; p ≤ 100) by the nearest-rank method on a sorted copy; NaN when empty.</summary>
    public static double Of(IReadOnlyList<double> sorted, double p)
    {
        if (sorted.Count == 0)
        {
            return double.NaN;
        }

        var rank = (int)Math.Ceiling(p / 100.0 * sorted.Count);
        return sorted[Math.Clamp(rank - 1, 0, sorted.Count - 1)];
    }

    public static LatencySummary Summarize(string kind, IEnumerable<double> samples, int errors)
    {
        var sorted = samples.Order().ToList();
        return new LatencySummary(kind, sorted.Count, Of(sorted, 50), Of(sorted, 90), Of(sorted, 99), sorted.Count == 0 ? double.NaN : sorted[^1], errors);
    }
}

internal sealed record LatencySummary(string Kind, int Count, double P50, double P90, double P99, double Max, int Errors);

/// <summary>Latencies (ms) per API call kind, thread-safe.</summary>
internal sealed class LatencyRecorder
{
    readonly ConcurrentDictionary<string, ConcurrentQueue<double>> samples = new(StringComparer.Ordinal);
    readonly ConcurrentDictionary<string, int> errors = new(StringComparer.Ordinal);
    readonly ConcurrentQueue<string> errorExamples = new();

    public void Record(string kind, double milliseconds) => samples.GetOrAdd(kind, _ => new ConcurrentQueue<double>()).Enqueue(milliseconds);

    public void Error(string kind, string detail)
    {
        errors.AddOrUpdate(kind, 1, (_, n) => n + 1);
        if (errorExamples.Count < 20)
        {
            errorExamples.Enqueue($"{kind}: {detail}");
        }
    }

    public int Count(string kind) => samples.TryGetValue(kind, out var q) ? q.Count : 0;

    public IReadOnlyList<string> ErrorExamples => errorExamples.ToList();

    public IReadOnlyList<LatencySummary> Summaries() =>
        samples.Keys.Union(errors.Keys).Order(StringComparer.Ordinal)
            .Select(k => Percentiles.Summarize(k, samples.TryGetValue(k, out var q) ? q : [], errors.GetValueOrDefault(k)))
            .ToList();
}
