using System.Diagnostics;

namespace Voucher.Benchmarks;

/// <summary>
/// One console progress line for a phase ("applications 57/100  11.2/s  5.1 s"), redrawn in place on a terminal,
/// printed every 5 s when the output is redirected; a final line when disposed.
/// </summary>
internal sealed class ProgressLine : IDisposable
{
    readonly string phase;
    readonly int total;
    readonly Stopwatch watch = Stopwatch.StartNew();
    readonly Timer timer;
    readonly bool inPlace = !Console.IsOutputRedirected;
    readonly Func<string>? extra;
    int done;
    long lastTicks;
    int disposed;

    public ProgressLine(string phase, int total, Func<string>? extra = null)
    {
        this.phase = phase;
        this.total = total;
        this.extra = extra;
        timer = new Timer(_ => Draw(final: false), null, inPlace ? 500 : 5000, inPlace ? 500 : 5000);
    }

    public int Done => Volatile.Read(ref done);

    public TimeSpan Elapsed => watch.Elapsed;

    /// <summary>When the last item completed (the phase's time when some items never complete).</summary>
    public TimeSpan LastIncrementAt => TimeSpan.FromTicks(Interlocked.Read(ref lastTicks));

    public void Increment()
    {
        Interlocked.Increment(ref done);
        Interlocked.Exchange(ref lastTicks, watch.Elapsed.Ticks);
    }

    public void Set(int value) => Volatile.Write(ref done, value);

    void Draw(bool final)
    {
        var d = Done;
        var secs = watch.Elapsed.TotalSeconds;
        var rate = secs > 0 ? d / secs : 0;
        var text = $"  {phase,-28} {d,6}/{total,-6} {rate,8:0.0}/s {secs,8:0.0} s  {extra?.Invoke()}";
        lock (Console.Out)
        {
            if (inPlace)
            {
                Console.Write("\r" + text.PadRight(Math.Max(Width() - 1, text.Length)));
                if (final)
                {
                    Console.WriteLine();
                }
            }
            else
            {
                Console.WriteLine(text);
            }
        }
    }

    static int Width()
    {
        try
        {
            return Console.WindowWidth > 0 ? Console.WindowWidth : 120;
        }
        catch (IOException)
        {
            return 120;
        }
    }

    public void Dispose()
    {
        if (Interlocked.Exchange(ref disposed, 1) != 0)
        {
            return;
        }

        timer.Dispose();
        watch.Stop();
        Draw(final: true);
    }
}
