using System.Diagnostics;
using System.Globalization;
using System.Text;
using System.Text.Json;

namespace Voucher.Benchmarks;

/// <summary>
/// Azurite's own CPU during one window of a run, from the profile node writes when Azurite stops (<c>--cpu-prof</c>,
/// started by <see cref="BenchEnvironment.StartAzuriteAsync"/>): the seconds each emulator function spent on the CPU
/// itself (self time), summed over the samples taken inside the window. The profile's clock and
/// <see cref="Stopwatch.GetTimestamp"/> are both the monotonic clock on Linux, so a window measured here selects its samples.
/// </summary>
internal sealed record AzuriteProfile(double WindowSeconds, double BusySeconds, IReadOnlyDictionary<string, double> SelfSeconds)
{
    /// <summary>Now on the monotonic clock, in microseconds (the unit of a node CPU profile).</summary>
    public static long NowMicros() => (long)(Stopwatch.GetTimestamp() * (1_000_000.0 / Stopwatch.Frequency));

    /// <summary>The profile of process <paramref name="pid"/> in <paramref name="dir"/>, cut to [from, to]; null when node wrote none.</summary>
    public static AzuriteProfile? Read(string dir, int pid, long fromMicros, long toMicros)
    {
        var file = Directory.Exists(dir)
            ? Directory.GetFiles(dir, "*.cpuprofile").FirstOrDefault(f => Path.GetFileName(f).Contains($".{pid.ToString(CultureInfo.InvariantCulture)}.", StringComparison.Ordinal))
            : null;
        if (file is null)
        {
            return null;
        }

        using var stream = File.OpenRead(file);
        using var doc = JsonDocument.Parse(stream);
        var root = doc.RootElement;
        var names = new Dictionary<int, string>();
        foreach (var node in root.GetProperty("nodes").EnumerateArray())
        {
            var frame = node.GetProperty("callFrame");
            var function = frame.GetProperty("functionName").GetString();
            var url = frame.GetProperty("url").GetString() ?? "";
            var line = frame.GetProperty("lineNumber").GetInt32();
            names[node.GetProperty("id").GetInt32()] = url.Length == 0
                ? (string.IsNullOrEmpty(function) ? "(anonymous)" : function)
                : $"{(string.IsNullOrEmpty(function) ? "(anonymous)" : function)} ({url[(url.LastIndexOf('/') + 1)..]}:{(line + 1).ToString(CultureInfo.InvariantCulture)})";
        }

        // Sample i is taken timeDeltas[i] after sample i-1; the time up to the next sample is counted to it.
        var samples = root.GetProperty("samples").EnumerateArray().Select(s => s.GetInt32()).ToList();
        var deltas = root.GetProperty("timeDeltas").EnumerateArray().Select(d => d.GetInt64()).ToList();
        var self = new Dictionary<string, double>(StringComparer.Ordinal);
        var at = root.GetProperty("startTime").GetInt64();
        for (var i = 0; i < samples.Count; i++)
        {
            at += deltas[i];
            var spent = i + 1 < deltas.Count ? deltas[i + 1] : 0;
            if (at < fromMicros || at > toMicros)
            {
                continue;
            }

            var name = names[samples[i]];
            self[name] = self.GetValueOrDefault(name) + spent / 1e6;
        }

        var busy = self.Where(s => s.Key != "(idle)").Sum(s => s.Value);
        return new AzuriteProfile((toMicros - fromMicros) / 1e6, busy, self);
    }

    /// <summary>
    /// The functions of the two runs' profiles whose self time grew most beyond the batch's growth (larger run's seconds
    /// minus the smaller run's times the size ratio), as a Markdown table; what grows faster than the batch is the
    /// settlement's time beyond linear.
    /// </summary>
    public static string Render(IReadOnlyList<(int Size, AzuriteProfile Profile)> runs, int top)
    {
        var sb = new StringBuilder();
        sb.AppendLine("#### Azurite's CPU during the settlement, by emulator function (`--azurite-profile`)");
        sb.AppendLine();
        sb.AppendLine($"| Function (self time, s) | {string.Join(" | ", runs.Select(r => $"{r.Size:N0}"))} |{(runs.Count == 2 ? " beyond linear |" : "")}");
        sb.AppendLine($"|---|{string.Concat(runs.Select(_ => "---:|"))}{(runs.Count == 2 ? "---:|" : "")}");
        string F(double v) => v.ToString("0.0", CultureInfo.InvariantCulture);
        sb.AppendLine($"| window / busy (not idle) | {string.Join(" | ", runs.Select(r => $"{F(r.Profile.WindowSeconds)} / {F(r.Profile.BusySeconds)}"))} |{(runs.Count == 2 ? $" {F(Beyond(runs, p => p.BusySeconds))} |" : "")}");
        var names = runs.SelectMany(r => r.Profile.SelfSeconds.Keys).Where(k => k != "(idle)").Distinct(StringComparer.Ordinal);
        var ordered = runs.Count == 2
            ? names.OrderByDescending(n => Beyond(runs, p => p.SelfSeconds.GetValueOrDefault(n)))
            : names.OrderByDescending(n => runs[0].Profile.SelfSeconds.GetValueOrDefault(n));
        foreach (var name in ordered.Take(top))
        {
            sb.AppendLine($"| `{name}` | {string.Join(" | ", runs.Select(r => F(r.Profile.SelfSeconds.GetValueOrDefault(name))))} |{(runs.Count == 2 ? $" {F(Beyond(runs, p => p.SelfSeconds.GetValueOrDefault(name)))} |" : "")}");
        }

        sb.AppendLine();
        return sb.ToString();
    }

    static double Beyond(IReadOnlyList<(int Size, AzuriteProfile Profile)> runs, Func<AzuriteProfile, double> seconds) =>
        seconds(runs[1].Profile) - (seconds(runs[0].Profile) * runs[1].Size / runs[0].Size);
}
