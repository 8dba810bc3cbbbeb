using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using Azure.Data.Tables;
using Azure.Storage.Blobs;
using Voucher.Domain;
using Voucher.Workflows.Http;
using Voucher.Workflows.Storage;
using Voucher.Workflows.Supervision;
using Voucher.Workflows.Vouchers;

namespace Voucher.Benchmarks;

/// <summary>
/// <c>--stats-read [--records 1000000] [--iterations 200]</c>: statistics read latency over aggregates equivalent to a
/// million redemption records. A fresh in-memory Azurite gets, for every city and every system year, the aggregate row
/// those records produce (each synthetic record folded in exactly as <see cref="StatsAggregator"/> folds an event: counts,
/// sums, the pay-out ranges, seven stage histograms) and a thousand marker rows in the same partition, plus the imported
/// Table 1 history. A sample of real events then goes through <see cref="StatsAggregator.ApplyAsync"/> (8 at a time) for the
/// update cost. The two reads the pages and <c>/api/stats</c> make are timed with their JSON serialisation, one at a time.
/// </summary>
internal static class StatsReadBenchmark
{
    public static async Task<int> RunAsync(string[] args, CancellationToken ct)
    {
        var records = Arg(args, "--records", 1_000_000);
        var iterations = Arg(args, "--iterations", 200);
        var watch = Stopwatch.StartNew();
        await using var azurite = await BenchEnvironment.StartAzuriteAsync(ct);
        var store = new VoucherStore(new TableServiceClient(azurite.ConnectionString), new BlobServiceClient(azurite.ConnectionString));
        await store.EnsureCreatedAsync(ct);
        var time = TimeProvider.System;
        var reader = new StatsReader(store, time);
        var years = reader.SystemYears;
        var partitions = Cities.All.SelectMany(c => years.Select(y => (City: c.Code, Year: y))).ToList();
        Console.WriteLine($"Azurite up in {watch.Elapsed.TotalSeconds:0.0} s; folding {records:N0} synthetic redemptions into {partitions.Count} city-year rows ({string.Join(",", years)})");

        var random = new Random(42);
        var folded = 0L;
        var seed = Stopwatch.StartNew();
        foreach (var (p, i) in partitions.Select((p, i) => (p, i)))
        {
            var n = records / partitions.Count + (i < records % partitions.Count ? 1 : 0);
            var row = new CityYearStatsEntity { PartitionKey = CityYearStatsEntity.PartitionOf(p.City, p.Year), RowKey = CityYearStatsEntity.TotalsRow };
            var h = StatsReader.Stages.ToDictionary(s => s.Key, _ => new DurationHistogram());
            var ranges = new long[PayoutDistribution.LowerYuan.Count];
            for (var k = 0; k < n; k++)
            {
                var paid = random.NextDouble() < 0.9;
                row.RedemptionsFinished++;
                h["binding"].Add(TimeSpan.FromMinutes(random.Next(10, 7 * 1440)));
                h["waitForBatch"].Add(TimeSpan.FromMinutes(random.Next(60, 180 * 1440)));
                h["review"].Add(TimeSpan.FromMinutes(random.Next(60, 20 * 1440)));
                if (!paid)
                {
                    row.RedemptionsRejected++;
                    row.RedemptionsRejectedOrObjected++;
                    continue;
                }

                var payout = random.Next(1_000, 200_001) * 100L;
                row.RedemptionsPaid++;
                row.PaidFen += payout;
                row.ServiceAmountFen += payout + random.Next(0, 50_000) * 100L;
                ranges[PayoutDistribution.RangeOf(Cny.FromFen(payout))]++;
                h["publicity"].Add(TimeSpan.FromMinutes(random.Next(5 * 1440, 9 * 1440)));
                h["payment"].Add(TimeSpan.FromMinutes(random.Next(60, 30 * 1440)));
                h["total"].Add(TimeSpan.FromMinutes(random.Next(20 * 1440, 365 * 1440)));
                if (k % 3 == 0)
                {
                    row.EnterprisesServed++;
                }
            }

            row.ApplicationsDecided = row.ApplicationsApproved = row.VouchersIssued = n / 2;
            for (var k = 0; k < n / 2; k++)
            {
                h["applicationReview"].Add(TimeSpan.FromMinutes(random.Next(60, 14 * 1440)));
            }

            row.PayoutRanges = PayoutDistribution.Serialize(ranges);
            row.HApplicationReview = h["applicationReview"].Serialize();
            row.HBinding = h["binding"].Serialize();
            row.HWaitForBatch = h["waitForBatch"].Serialize();
            row.HReview = h["review"].Serialize();
            row.HPublicity = h["publicity"].Serialize();
            row.HPayment = h["payment"].Serialize();
            row.HTotal = h["total"].Serialize();
            await store.UpsertAsync(SupervisionTables.Stats, row, ct);
            folded += n;

            // Marker rows share the partition with the aggregate, as in production.
            for (var batch = 0; batch < 10; batch++)
            {
                var actions = Enumerable.Range(0, 100).Select(m => new TableTransactionAction(TableTransactionActionType.UpsertReplace,
                    new StatsMarkerEntity { PartitionKey = row.PartitionKey, RowKey = $"m|red|bench-{batch:D2}-{m:D3}", At = time.GetUtcNow() })).ToList();
                await store.Table(SupervisionTables.Stats).SubmitTransactionAsync(actions, ct);
            }
        }

        await new HistoryImport(store, time).ImportEmbeddedAsync(ct);
        Console.WriteLine($"seeded {folded:N0} redemptions' aggregates and {partitions.Count * 1000:N0} marker rows in {seed.Elapsed.TotalSeconds:0.0} s");

        // The update path: real events through the idempotent updater, 8 at a time, a quarter of them duplicates.
        var aggregator = new StatsAggregator(store, new VoucherRepository(store), time, Microsoft.Extensions.Logging.Abstractions.NullLogger<StatsAggregator>.Instance);
        var events = Enumerable.Range(0, 400).Select(i => i % 4 == 3 ? i - 1 : i).ToList();
        var updates = new System.Collections.Concurrent.ConcurrentQueue<double>();
        await Parallel.ForEachAsync(events, new ParallelOptions { MaxDegreeOfParallelism = 8, CancellationToken = ct }, async (i, token) =>
        {
            var p = partitions[i % partitions.Count];
            var t = Stopwatch.StartNew();
            await aggregator.ApplyAsync(p.City, p.Year, $"bench-update|{i}", $"ent-{i % 50}", (s, isNew) =>
            {
                s.RedemptionsPaid++;
                s.PaidFen += 5_000_000;
                s.EnterprisesServed += isNew ? 1 : 0;
            }, token);
            updates.Enqueue(t.Elapsed.TotalMilliseconds);
        });

        // Warm up, then time each read.
        var year = years[^1];
        await reader.RedemptionsByCityAsync(ct);
        await reader.FiguresAsync(year, ct);
        var table1 = new List<double>();
        var yearly = new List<double>();
        for (var i = 0; i < iterations; i++)
        {
            var t = Stopwatch.StartNew();
            var r = await reader.RedemptionsByCityAsync(ct);
            _ = JsonSerializer.Serialize(r, JsonBody.Response);
            table1.Add(t.Elapsed.TotalMilliseconds);

            t.Restart();
            var f = await reader.FiguresAsync(year, ct);
            _ = JsonSerializer.Serialize(f, JsonBody.Response);
            yearly.Add(t.Elapsed.TotalMilliseconds);
        }

        var check = await reader.FiguresAsync(year, ct);
        var province = check.Single(f => f.CityCode == "province");
        var totalPaid = 0L;
        foreach (var y in years)
        {
            totalPaid += (await reader.FiguresAsync(y, ct)).Single(f => f.CityCode == "province").RedemptionsFinished;
        }

        var a = Percentiles.Summarize("Table 1 form (44 point reads + history partition)", table1, 0);
        var b = Percentiles.Summarize($"one year, 11 cities + province ({year})", yearly, 0);
        var u = Percentiles.Summarize("aggregate update (marker + ETag batch, 8 concurrent)", updates, 0);
        Console.WriteLine();
        Console.WriteLine($"Statistics read benchmark, {DateTime.UtcNow:yyyy-MM-dd HH:mm} UTC: aggregates of {totalPaid:N0} finished redemptions ({records:N0} seeded + {updates.Count} updater events), {iterations} reads each");
        Console.WriteLine();
        Console.WriteLine("| query | n | p50 ms | p90 ms | p99 ms | max ms |");
        Console.WriteLine("|---|---|---|---|---|---|");
        foreach (var s in new[] { a, b, u })
        {
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"| {s.Kind} | {s.Count} | {s.P50:0.0} | {s.P90:0.0} | {s.P99:0.0} | {s.Max:0.0} |"));
        }

        Console.WriteLine();
        Console.WriteLine($"province {year}: {province.RedemptionsPaid:N0} paid, {province.Paid}, total-cycle median {province.Stages.Single(s => s.Stage == "total").MedianDays} d; target < 200 ms: {(a.P99 < 200 && b.P99 < 200 ? "met (p99)" : "NOT met")}");
        return 0;
    }

    static int Arg(string[] args, string name, int fallback)
    {
        var i = Array.IndexOf(args, name);
        return i >= 0 && i + 1 < args.Length ? int.Parse(args[i + 1], CultureInfo.InvariantCulture) : fallback;
    }
}
