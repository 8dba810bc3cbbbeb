using System.Diagnostics;
using System.Net;
using System.Text.Json;
using Voucher.LocalHost.Baseline;

namespace Voucher.Benchmarks;

/// <summary>
/// The bare-engine baseline phase (issue #20 item 3): the same C clients, polling interval and host process drive N
/// lifecycles of the local host's minimal approval workflow (<c>functions/Voucher.LocalHost/Baseline</c>: start →
/// wait for "approve" → one activity writing one row → done), measured as the application lifecycles are.
/// </summary>
internal sealed partial class LifecycleRun
{
    /// <summary>The host setting that maps the baseline's routes and registers its orchestrator and activity.</summary>
    public static readonly string BaselineHostSetting = BaselineWorkflow.Setting.Replace(":", "__", StringComparison.Ordinal);

    async Task<BaselineResult> BaselinePhaseAsync(HostApi api, string runId, CancellationToken ct)
    {
        var ids = Enumerable.Range(0, n).Select(i => $"{runId}-{i}").ToList();
        var completed = 0;
        var m0 = await api.MetricsAsync();
        var watch = Stopwatch.StartNew();
        double seconds;
        using (var progress = new ProgressLine($"baseline N={n}", n))
        {
            await ForEachAsync(ids, async id =>
            {
                await BaselineAsync(api, id);
                Interlocked.Increment(ref completed);
                progress.Increment();
            }, ct);
            seconds = progress.LastIncrementAt.TotalSeconds;
        }

        var phaseSeconds = watch.Elapsed.TotalSeconds;
        var m1 = await api.MetricsAsync();
        return new BaselineResult
        {
            Completed = completed,
            Seconds = seconds,
            PhaseSeconds = phaseSeconds,
            Tx = (m1.Tx - m0.Tx).Per(Math.Max(1, completed)),
            Operations = OperationBreakdown.Between(m0, m1, completed),
            PollsPerLifecycle = (double)latencies.Count(BaselineStatusKind) / Math.Max(1, completed),
        };
    }

    const string BaselineStatusKind = "get-baseline";

    /// <summary>One baseline lifecycle as a client drives it: start → poll until waiting → approve → poll until completed.</summary>
    async Task BaselineAsync(HostApi api, string id)
    {
        var url = $"{BaselineRoutes.Prefix}/{id}";
        var started = await api.SendAsync("baseline-start", null, HttpMethod.Post, url, null);
        Expect(started, HttpStatusCode.Accepted, "baseline start");
        await PollAsync(api, BaselineStatusKind, null, url, v => v.GetProperty("waiting").GetBoolean(), BaselineFailed);
        var approved = await api.SendAsync("baseline-approve", null, HttpMethod.Post, url + "/approve", null);
        Expect(approved, HttpStatusCode.Accepted, "baseline approve");
        await PollAsync(api, BaselineStatusKind, null, url, v => Status(v) == "Completed", BaselineFailed);
    }

    static bool BaselineFailed(JsonElement v) => Status(v) is "Failed" or "Terminated";
}
