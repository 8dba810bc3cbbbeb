using System.Diagnostics;
using Azure.Data.Tables;
using Voucher.Domain;
using Voucher.Testing;
using Voucher.Workflows.Redemptions;
using Voucher.Workflows.Storage;

namespace Voucher.Benchmarks;

internal sealed record SettlementResult(int Size, string LoadBefore, string LoadAfter, double SeedSeconds, SettlementTiming Timing, long HostPeakBeforeBytes, long HostPeakBytes, long? AzuritePeakBytes, StorageTx Tx, IReadOnlyList<LatencySummary> Latencies, IReadOnlyList<string> ErrorExamples, OperationBreakdown Operations, (int LeftInQueue, int Payable) Outcome, (double Host, double Azurite) CpuSeconds)
{
    /// <summary>Azurite's CPU during the settlement by emulator function, with <c>--azurite-profile</c>.</summary>
    public AzuriteProfile? AzuriteProfile { get; init; }

    /// <summary>The host's highest resident set (bytes, sampled each second) in each stage of <see cref="Timing"/>: formed, decisions saved, decided, closed.</summary>
    public IReadOnlyList<long> HostRssByStage { get; init; } = [];
}

/// <summary>
/// Settlement at scale: <c>size</c> queued redemptions of one city are written straight into the tables (redemption
/// rows in state Queued with pay-out, cap year and queue time, plus their SettlementQueue rows); no redemption
/// orchestration exists for them, so the "settled" events the chunks send for rejected rows would go to missing
/// instances — none are rejected here, and the timing covers only the settlement's own work.
/// </summary>
internal sealed class SettlementRun(BenchmarkOptions options, int size)
{
    const string CityCode = "taiyuan";

    public async Task<SettlementResult> RunAsync(CancellationToken ct)
    {
        var profileDir = options.AzuriteProfileDir is { } dir ? Path.Combine(dir, $"settlement-{size}") : null;
        var (result, azuritePid, window) = await RunOnAzuriteAsync(profileDir, ct);
        // Node writes the profile as Azurite stops, which it has by now.
        return profileDir is null ? result : result with { AzuriteProfile = AzuriteProfile.Read(profileDir, azuritePid, window.From, window.To) };
    }

    async Task<(SettlementResult Result, int AzuritePid, (long From, long To) Window)> RunOnAzuriteAsync(string? profileDir, CancellationToken ct)
    {
        Console.WriteLine($"== Settlement of {size:N0} redemptions in one city-period batch (load average {BenchEnvironment.LoadAverage()}) ==");
        var loadBefore = BenchEnvironment.LoadAverage();
        var latencies = new LatencyRecorder();
        await using var azurite = await BenchEnvironment.StartAzuriteAsync(ct, profileDir);
        await using var env = await BenchEnvironment.StartHostAsync(azurite, options.HostEnvironment, ct);
        using var api = new HostApi(env.Host.BaseAddress, options.Concurrency, latencies) { TaskHubName = env.TaskHubName };

        var seedWatch = Stopwatch.StartNew();
        var seeded = await SeedAsync(env.ConnectionString, ct);
        var ids = seeded.Select(r => r.RedemptionId).ToList();
        var seedSeconds = seedWatch.Elapsed.TotalSeconds;
        await using var risk = size <= options.RiskSeedMax
            ? await RiskFlagBenchmark.StartAsync(env.ConnectionString, CityCode, seeded, ct)
            : RiskFlagBenchmark.NotSeeded(size, options.RiskSeedMax);

        var bureau = await api.SignInAsync("city-bureau", CityCode, "太原市科技局审核员");
        var m0 = await api.MetricsAsync();
        var cpu0 = (Host: BenchEnvironment.CpuSeconds(env.Host.ProcessId), Azurite: BenchEnvironment.CpuSeconds(azurite.ProcessId));
        SettlementTiming timing;
        var from = AzuriteProfile.NowMicros();
        await using var rss = RssSampler.Start(env.Host.ProcessId);
        using (new ProgressLine($"settle {size:N0}", 1, () => "start → review → decisions → submit → publicity (1 min) → closed"))
        {
            // The review of the formed batch through its link, and every row approved by one filtered bulk decision.
            timing = await LifecycleRun.SettleAsync(api, bureau, CityCode, ids, TimeSpan.FromMilliseconds(500), ct,
                decide: (batchId, items) => BatchReviewBenchmark.DecideAsync(api, bureau, batchId, items, BenchEnvironment.InstitutionId(CityCode), ct));
        }

        var to = AzuriteProfile.NowMicros();
        var formed = timing.FormSeconds;
        var saved = formed + timing.DecisionsSeconds;
        var decided = saved + timing.DecideSeconds;
        long[] rssByStage = [rss.HighestBetween(0, formed), rss.HighestBetween(formed, saved), rss.HighestBetween(saved, decided), rss.HighestBetween(decided, timing.WallSeconds)];
        var m1 = await api.MetricsAsync();
        var cpu = (Host: BenchEnvironment.CpuSeconds(env.Host.ProcessId) - cpu0.Host, Azurite: BenchEnvironment.CpuSeconds(azurite.ProcessId) - cpu0.Azurite);
        var outcome = await OutcomeAsync(env.ConnectionString, ct);
        await NoticeBenchmark.RunAsync(api, timing.BatchId, timing.Items, ct);
        await WorkListBenchmark.RunAsync(api, bureau);
        if (timing.Items != size)
        {
            latencies.Error("settlement", $"batch holds {timing.Items} items, {size} were seeded");
        }

        if (outcome != (0, size))
        {
            latencies.Error("settlement", $"after the close {outcome.LeftInQueue} rows are left in the queue and {outcome.Payable} of {size} are payable");
        }

        return (new SettlementResult(size, loadBefore, BenchEnvironment.LoadAverage(), seedSeconds, timing, m0.PeakWorkingSetBytes, m1.PeakWorkingSetBytes,
            BenchEnvironment.PeakRss(azurite.ProcessId), m1.Tx - m0.Tx, latencies.Summaries(), latencies.ErrorExamples, OperationBreakdown.Between(m0, m1, size), outcome, cpu)
            { HostRssByStage = rssByStage }, azurite.ProcessId, (from, to));
    }

    /// <summary>Counted from the records after the close (not from the API): the city's queue rows left, and the seeded rows now payable.</summary>
    static async Task<(int LeftInQueue, int Payable)> OutcomeAsync(string connectionString, CancellationToken ct)
    {
        var tables = new TableServiceClient(connectionString);
        var left = 0;
        await foreach (var _ in tables.GetTableClient(VoucherStore.SettlementQueue).QueryAsync<TableEntity>(TableClient.CreateQueryFilter($"PartitionKey eq {CityCode}"), select: ["RowKey"], cancellationToken: ct))
        {
            left++;
        }

        var payable = 0;
        var filter = TableClient.CreateQueryFilter($"CityCode eq {CityCode} and Status eq {nameof(RedemptionStatus.Payable)}");
        await foreach (var _ in tables.GetTableClient(VoucherStore.Redemptions).QueryAsync<TableEntity>(filter, select: ["RowKey"], cancellationToken: ct))
        {
            payable++;
        }

        return (left, payable);
    }

    /// <summary>
    /// Writes what the queue step leaves for each redemption, 64 at a time: its row (Queued), its queue row and its risk
    /// fact (<c>RiskFactEntity.Of</c>, as <c>QueueForSettlement</c> writes it; no voucher, files or profile are seeded, so
    /// the fact holds none; <see cref="RiskFlagBenchmark"/> writes them and the fact again where risk rows are seeded).
    /// With the fact there, the risk check's first pass reads the facts instead of writing them, as in production.
    /// </summary>
    async Task<List<RedemptionEntity>> SeedAsync(string connectionString, CancellationToken ct)
    {
        var tables = new TableServiceClient(connectionString);
        var redemptions = tables.GetTableClient(VoucherStore.Redemptions);
        var queue = tables.GetTableClient(VoucherStore.SettlementQueue);
        var facts = tables.GetTableClient(Voucher.Workflows.Settlement.Risk.RiskTables.RiskFacts);
        var city = Cities.All.Single(c => c.Code == CityCode);
        var queuedAt = DateTimeOffset.UtcNow.AddMinutes(-5);
        var year = ChinaTime.DateOf(DateTime.UtcNow).Year;
        var seeded = new RedemptionEntity[size];
        using var progress = new ProgressLine($"seed {size:N0} queued redemptions", size);
        await Parallel.ForEachAsync(Enumerable.Range(0, size), new ParallelOptions { MaxDegreeOfParallelism = 64, CancellationToken = ct }, async (i, token) =>
        {
            var uscc = TestUscc.New(city.Code);
            var voucherId = $"V-{uscc}-{year}-01";
            var r = new RedemptionEntity
            {
                PartitionKey = uscc,
                RowKey = RedemptionStore.NewId(voucherId, 1),
                EnterpriseName = $"太原基准{i:D5}科技有限公司",
                VoucherId = voucherId,
                CityCode = CityCode,
                InstitutionId = BenchEnvironment.InstitutionId(CityCode),
                InstitutionName = "太原市基准测试分析中心",
                ServiceId = BenchEnvironment.ServiceId,
                ServiceTitle = "材料成分检测",
                ServiceCategory = "testing",
                ContractNumber = $"BENCH-{i:D6}",
                AmountPaidFen = 80_000_00,
                Status = RedemptionStatus.Queued,
                BindingMode = "system",
                BindingRound = 1,
                Bound = true,
                BoundBy = $"institution:{BenchEnvironment.InstitutionId(CityCode)}",
                EvidenceComplete = true,
                CapYear = year,
                PayoutFen = 65_000_00,
                PolicyVersion = 1,
                SubmittedAt = queuedAt.AddMinutes(-10),
                BoundAt = queuedAt.AddMinutes(-1),
                EvidenceCompleteAt = queuedAt.AddMinutes(-2),
                QueuedAt = queuedAt.AddMilliseconds(i),
            };
            await redemptions.UpsertEntityAsync(r, TableUpdateMode.Replace, token);
            await queue.UpsertEntityAsync(new SettlementQueueEntity
            {
                PartitionKey = CityCode, RowKey = RedemptionStore.QueueRowKey(r), RedemptionId = r.RedemptionId, PayoutFen = r.PayoutFen, QueuedAt = r.QueuedAt!.Value,
            }, TableUpdateMode.Replace, token);
            await facts.UpsertEntityAsync(Voucher.Workflows.Settlement.Risk.RiskFactEntity.Of(r, null, [], null), TableUpdateMode.Replace, token);
            seeded[i] = r;
            progress.Increment();
        });
        return [.. seeded];
    }
}
