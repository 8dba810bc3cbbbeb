using System.Diagnostics;
using System.Text.Json.Serialization;

namespace Voucher.Workflows.Readiness;

/// <summary>One check's line in the readiness answer.</summary>
public sealed record ReadinessCheckView(string Status, string Detail, long Ms);

/// <summary>
/// The readiness answer: <c>ready</c> (200) when no check failed, else <c>unavailable</c> (503) with the failing checks
/// named; every check's state and detail either way, and the operator's warnings (e.g. next year's calendar missing).
/// </summary>
public sealed record ReadinessReport(
    string Status,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.Never)] IReadOnlyList<string> Failing,
    IReadOnlyDictionary<string, ReadinessCheckView> Checks,
    IReadOnlyList<string> Warnings)
{
    [JsonIgnore]
    public bool Ready => Failing.Count == 0;
}

/// <summary>
/// <c>GET /healthz/ready</c> (and its older name <c>/readyz</c>): runs every <see cref="IReadinessCheck"/> in parallel,
/// each limited to <see cref="Timeout"/>, so a storage service that does not answer makes the probe answer 503 within a
/// few seconds instead of hanging. <c>/healthz</c> stays the liveness probe ("ok" while the process runs).
/// </summary>
public sealed partial class ReadinessProbe(IEnumerable<IReadinessCheck> checks, ILogger<ReadinessProbe> log)
{
    /// <summary>How long one check may take; storage SDK retries beyond this count as "no answer".</summary>
    public static readonly TimeSpan Timeout = TimeSpan.FromSeconds(4);

    public async Task<IResult> ReadyAsync(RequestContext ctx)
    {
        var report = await RunAsync(ctx.Aborted);
        return Results.Json(report, JsonBody.Response, statusCode: report.Ready ? StatusCodes.Status200OK : StatusCodes.Status503ServiceUnavailable);
    }

    public async Task<ReadinessReport> RunAsync(CancellationToken ct)
    {
        var list = checks.ToList();
        var results = await Task.WhenAll(list.Select(c => RunOneAsync(c, ct)));
        var views = new SortedDictionary<string, ReadinessCheckView>(StringComparer.Ordinal);
        var failing = new List<string>();
        var warnings = new List<string>();
        for (var i = 0; i < list.Count; i++)
        {
            var (result, ms) = results[i];
            views[list[i].Name] = new ReadinessCheckView(result.State.ToString().ToLowerInvariant(), result.Detail, ms);
            if (result.State == ReadinessState.Failed)
            {
                failing.Add(list[i].Name);
                Log.CheckFailed(log, list[i].Name, result.Detail);
            }
            else if (result.State == ReadinessState.Warning)
            {
                warnings.AddRange(result.Detail.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries));
            }
        }

        failing.Sort(StringComparer.Ordinal);
        return new ReadinessReport(failing.Count == 0 ? "ready" : "unavailable", failing, views, warnings);
    }

    static async Task<(ReadinessResult Result, long Ms)> RunOneAsync(IReadinessCheck check, CancellationToken ct)
    {
        var watch = Stopwatch.StartNew();
        using var limit = CancellationTokenSource.CreateLinkedTokenSource(ct);
        limit.CancelAfter(Timeout);
        try
        {
            // WaitAsync as well: a check that ignores its token still cannot hold the probe past the limit.
            var result = await Task.Run(() => check.CheckAsync(limit.Token), limit.Token).WaitAsync(Timeout, ct);
            return (result, watch.ElapsedMilliseconds);
        }
        catch (Exception e) when (!ct.IsCancellationRequested)
        {
            return (ReadinessResult.Failed(Describe(e)), watch.ElapsedMilliseconds);
        }
    }

    /// <summary>What failed, in one line: the storage error code, or no answer within the limit.</summary>
    public static string Describe(Exception e) => e switch
    {
        TimeoutException or OperationCanceledException => $"no answer within {Timeout.TotalSeconds:0} s",
        Azure.RequestFailedException r when r.Status == 0 => "unreachable: " + (r.InnerException?.Message ?? r.Message).Split('\n')[0],
        Azure.RequestFailedException r => $"failed: {r.Status} {r.ErrorCode}",
        AggregateException { InnerException: { } inner } => Describe(inner),
        HttpRequestException h => "unreachable: " + h.Message,
        _ => $"failed: {e.GetType().Name}: {e.Message.Split('\n')[0]}",
    };

    static partial class Log
    {
        [LoggerMessage(EventId = Hosting.LogEventIds.Operations + 1, Level = LogLevel.Warning, Message = "Readiness check '{Check}' failed: {Detail}")]
        public static partial void CheckFailed(ILogger logger, string check, string detail);
    }
}
