using System.Diagnostics;
using System.Net;
using System.Text.Json;
using Voucher.Domain;

namespace Voucher.Benchmarks;

internal sealed record SettlementTiming(string BatchId, int Items, double FormSeconds, double DecisionsSeconds, double DecideSeconds, double CloseSeconds, double WallSeconds)
{
    /// <summary>Start to closed minus the configured publicity window (the timer the orchestration sleeps on).</summary>
    public double ActiveSeconds => Math.Max(0, WallSeconds - BenchEnvironment.PublicityWindowMinutes * 60.0);
}

/// <summary>
/// The settlement step of a run, also used alone by <see cref="SettlementRun"/>: start a city's batch, wait for its
/// review, approve every row, submit, and wait through publicity until it closes.
/// </summary>
internal sealed partial class LifecycleRun
{
    public const int DecisionsPerCall = 800;

    /// <summary>Start, wait for review, approve every row (800 per call), submit, wait for publicity and its close.</summary>
    async Task<SettlementTiming> SettleAsync(HostApi api, Actor bureau, string cityCode, IReadOnlyList<string> redemptionIds, string connectionString, CancellationToken ct) =>
        await SettleAsync(api, bureau, cityCode, redemptionIds, PollInterval, ct, connectionString);

    /// <summary>
    /// The batch's item ids as the host stored them: a redemption this run gave up on as stuck may still have been
    /// queued before the settlement started, and the bureau must decide every row before it can submit.
    /// </summary>
    static async Task<IReadOnlyList<string>> BatchItemIdsAsync(string connectionString, string batchId, CancellationToken ct)
    {
        var table = new Azure.Data.Tables.TableClient(connectionString, Voucher.Workflows.Storage.VoucherStore.BatchItems);
        var ids = new List<string>();
        await foreach (var row in table.QueryAsync<Azure.Data.Tables.TableEntity>(Azure.Data.Tables.TableClient.CreateQueryFilter($"PartitionKey eq {batchId}"), select: ["RowKey"], cancellationToken: ct))
        {
            ids.Add(row.RowKey);
        }

        return ids;
    }

    /// <param name="decide">When given, decides every row of the formed batch (batch id, item count) instead of the 800-row decision calls.</param>
    public static async Task<SettlementTiming> SettleAsync(HostApi api, Actor bureau, string cityCode, IReadOnlyList<string> redemptionIds, TimeSpan poll, CancellationToken ct, string? connectionString = null, Func<string, int, Task>? decide = null)
    {
        var watch = Stopwatch.StartNew();
        var today = ChinaTime.DateOf(DateTime.UtcNow);
        var periodId = SettlementPeriod.Containing(SettlementCadence.Quarterly, today).Id;
        var started = await api.PostJsonAsync("start-settlement", bureau, "api/settlements", new { cityCode, periodId });
        if (started.Status is not (HttpStatusCode.Accepted or HttpStatusCode.OK))
        {
            throw new InvalidOperationException($"start settlement {cityCode} {periodId}: {(int)started.Status} {HostApi.Trim(started.Body)}");
        }

        var batchId = started.Json().GetProperty("batchId").GetString()!;
        var url = $"api/settlements/{batchId}";
        var reviewing = await PollSettlementAsync(api, bureau, url, "Reviewing", poll, ct);
        var formed = watch.Elapsed.TotalSeconds;
        var items = reviewing.GetProperty("itemCount").GetInt32();
        if (items != redemptionIds.Count && connectionString is not null)
        {
            redemptionIds = await BatchItemIdsAsync(connectionString, batchId, ct);
        }

        // The API takes ≤ 1000 rows per call, but its 64 KiB body limit holds only ~900 rows of ~72 bytes: 800 per call.
        if (decide is not null)
        {
            await decide(batchId, items);
        }
        else
        {
            var chunks = redemptionIds.Chunk(DecisionsPerCall).ToList();
            await Parallel.ForEachAsync(chunks, new ParallelOptions { MaxDegreeOfParallelism = 2, CancellationToken = ct }, async (chunk, _) =>
            {
                var saved = await api.PostJsonAsync("save-batch-decisions", bureau, $"{url}/decisions", new { decisions = chunk.Select(id => new { redemptionId = id, decision = "approve" }).ToList() });
                Expect(saved, HttpStatusCode.OK, "save decisions");
            });
        }

        var decisionsDone = watch.Elapsed.TotalSeconds;
        var submitted = await api.PostJsonAsync("submit-batch", bureau, $"{url}/submit", new { });
        Expect(submitted, HttpStatusCode.Accepted, "submit batch");
        await PollSettlementAsync(api, bureau, url, "Publicity", poll, ct);
        var publicity = watch.Elapsed.TotalSeconds;
        await PollSettlementAsync(api, bureau, url, "Closed", poll, ct);
        var closed = watch.Elapsed.TotalSeconds;
        return new SettlementTiming(batchId, items, formed, decisionsDone - formed, publicity - decisionsDone,
            Math.Max(0, closed - publicity - BenchEnvironment.PublicityWindowMinutes * 60.0), closed);
    }

    /// <summary>How long one stage may take: the close of a 100,000-item batch on Azurite takes tens of minutes.</summary>
    static readonly TimeSpan StageLimit = TimeSpan.FromMinutes(90);

    static async Task<JsonElement> PollSettlementAsync(HostApi api, Actor bureau, string url, string stage, TimeSpan poll, CancellationToken ct)
    {
        var watch = Stopwatch.StartNew();
        while (true)
        {
            // 404 until the orchestration's first activity has written the batch row.
            var r = await api.GetAsync("get-settlement", bureau, url, notFoundIsExpected: true);
            if (r.Ok)
            {
                var v = r.Json();
                if (string.Equals(v.GetProperty("stage").GetString(), stage, StringComparison.OrdinalIgnoreCase))
                {
                    return v;
                }

                if (v.TryGetProperty("runtimeStatus", out var rs) && rs.GetString() is "Failed" or "Terminated")
                {
                    throw new InvalidOperationException($"settlement {url} {rs.GetString()}: {HostApi.Trim(r.Body)}");
                }
            }

            if (watch.Elapsed > StageLimit)
            {
                throw new TimeoutException($"{url} did not reach {stage}: {HostApi.Trim(r.Body)}");
            }

            await Task.Delay(poll, ct);
        }
    }
}
