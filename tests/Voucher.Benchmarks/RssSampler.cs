using System.Diagnostics;

namespace Voucher.Benchmarks;

/// <summary>
/// A process's resident set read from /proc once a second while a run lasts, so the report can say in which stage of
/// the settlement the host's memory peaked (the working-set high-water mark alone does not say when).
/// </summary>
internal sealed class RssSampler : IAsyncDisposable
{
    readonly List<(double Seconds, long Bytes)> samples = [];
    readonly CancellationTokenSource stop = new();
    readonly Task loop;

    RssSampler(int pid)
    {
        var watch = Stopwatch.StartNew();
        loop = Task.Run(async () =>
        {
            using var timer = new PeriodicTimer(TimeSpan.FromSeconds(1));
            do
            {
                if (BenchEnvironment.Rss(pid) is { } bytes)
                {
                    lock (samples)
                    {
                        samples.Add((watch.Elapsed.TotalSeconds, bytes));
                    }
                }
            }
            while (await timer.WaitForNextTickAsync(stop.Token).ConfigureAwait(false));
        });
    }

    /// <summary>Starts sampling now; the seconds of <see cref="HighestBetween"/> count from here.</summary>
    public static RssSampler Start(int pid) => new(pid);

    /// <summary>The highest sample taken from <paramref name="from"/> to <paramref name="to"/> seconds, in bytes (0 when none).</summary>
    public long HighestBetween(double from, double to)
    {
        lock (samples)
        {
            return samples.Where(s => s.Seconds >= from && s.Seconds <= to).Select(s => s.Bytes).DefaultIfEmpty(0).Max();
        }
    }

    public async ValueTask DisposeAsync()
    {
        await stop.CancelAsync();
        try
        {
            await loop;
        }
        catch (OperationCanceledException)
        {
        }

        stop.Dispose();
    }
}
