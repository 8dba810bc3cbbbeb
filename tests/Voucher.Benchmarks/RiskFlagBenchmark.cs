using System.Diagnostics;
using System.Security.Cryptography;
using Azure.Data.Tables;
using Voucher.Domain;
using Voucher.Workflows.Enforcement;
using Voucher.Workflows.Enterprises;
using Voucher.Workflows.Evidence;
using Voucher.Workflows.Redemptions;
using Voucher.Workflows.Settlement.Risk;
using Voucher.Workflows.Storage;
using Voucher.Workflows.Vouchers;

namespace Voucher.Benchmarks;

/// <summary>
/// Risk flags of the settlement batch (issue #18 item 3), started with one line from <see cref="SettlementRun"/> after
/// its seed: it adds what makes flags realistic to the seeded redemptions — three evidence rows each (every 50th shares
/// its payment file with the one before), a voucher each (issued 60 days ago; every 25th payment declared before it),
/// the enterprise profile (every 100th with the institution's phone), a violation for every 200th enterprise — and what
/// the production path has written by the time a redemption is queued: its files' uses in the hash index (with the
/// shared marker of every file two redemptions use) and its risk fact, built by the same factories
/// (<c>EvidenceHashEntity.For/Shared</c>, <c>RiskFactEntity.Of</c>). Then it watches the batch: the time from the batch row's <c>FormedAt</c> until the review opens (right after the
/// check), then how many items have <c>RiskCheckedAt</c> and the flags found. All the redemptions go to one institution within minutes, so institution-burst flags every item (the
/// worst case for the province's list index).
/// </summary>
internal sealed class RiskFlagBenchmark : IAsyncDisposable
{
    const string InstitutionPhone = "13500001111";

    readonly string connectionString;
    readonly string cityCode;
    readonly int size;
    readonly CancellationTokenSource stop = new();
    readonly Task<string> watcher;

    RiskFlagBenchmark(string connectionString, string cityCode, int size, DateTimeOffset startedAt)
    {
        this.connectionString = connectionString;
        this.cityCode = cityCode;
        this.size = size;
        watcher = Task.Run(() => WatchAsync(startedAt, stop.Token));
    }

    /// <summary>
    /// A batch larger than <c>--risk-max</c> (<see cref="BenchmarkOptions.RiskSeedMax"/>, which says why): no risk rows,
    /// so every item is still checked and finds nothing to flag.
    /// </summary>
    public static RiskFlagBenchmark? NotSeeded(int size, int max)
    {
        Console.WriteLine($"risk flags: no risk rows seeded for {size:N0} redemptions (--risk-max {max:N0}: on Azurite their seeding grows with the square of the batch)");
        return null;
    }

    public static async Task<RiskFlagBenchmark> StartAsync(string connectionString, string cityCode, IReadOnlyList<RedemptionEntity> redemptions, CancellationToken ct)
    {
        var watch = Stopwatch.StartNew();
        await SeedAsync(connectionString, cityCode, redemptions, ct);
        Console.WriteLine($"risk flags: seeded evidence, hash uses, facts, vouchers, profiles and violations for {redemptions.Count:N0} redemptions in {watch.Elapsed.TotalSeconds:0.0} s");
        return new RiskFlagBenchmark(connectionString, cityCode, redemptions.Count, DateTimeOffset.UtcNow);
    }

    public async ValueTask DisposeAsync()
    {
        try
        {
            stop.CancelAfter(TimeSpan.FromMinutes(5));
            await watcher;
        }
        catch (OperationCanceledException)
        {
            Console.WriteLine("risk flags: not every item was checked before the watch ended");
        }

        stop.Dispose();
    }

    static async Task SeedAsync(string connectionString, string cityCode, IReadOnlyList<RedemptionEntity> redemptions, CancellationToken ct)
    {
        var tables = new TableServiceClient(connectionString);
        var institutionId = BenchEnvironment.InstitutionId(cityCode);
        await tables.GetTableClient(VoucherStore.Institutions).UpsertEntityAsync(
            new TableEntity(institutionId, "profile") { ["ContactName"] = "基准联系人", ["ContactPhone"] = InstitutionPhone }, TableUpdateMode.Merge, ct);
        var evidence = tables.GetTableClient(VoucherStore.Evidence);
        var vouchers = tables.GetTableClient(VoucherStore.Vouchers);
        var enterprises = tables.GetTableClient(VoucherStore.Enterprises);
        var violations = tables.GetTableClient(VoucherStore.ViolationsByUscc);
        var hashes = tables.GetTableClient(RiskTables.EvidenceHashes);
        var facts = tables.GetTableClient(RiskTables.RiskFacts);
        using var progress = new ProgressLine($"seed risk rows for {redemptions.Count:N0} redemptions", redemptions.Count);
        var issued = ChinaTime.DateOf(DateTime.UtcNow).AddDays(-60);
        // Single upserts, 64 at a time: entity-group transactions are much slower on the emulator.
        await Parallel.ForEachAsync(Enumerable.Range(0, redemptions.Count), new ParallelOptions { MaxDegreeOfParallelism = 64, CancellationToken = ct }, async (i, token) =>
        {
            var id = redemptions[i].RedemptionId;
            // Redemption ids are {voucherId}-R1 with voucher ids V-{uscc}-{year}-01 (SettlementRun's seed).
            var voucherId = id[..id.LastIndexOf("-R", StringComparison.Ordinal)];
            var uscc = voucherId.Split('-')[1];
            string Sha(int n, string kind) => Convert.ToHexString(SHA256.HashData(System.Text.Encoding.UTF8.GetBytes($"bench-{n}-{kind}"))).ToLowerInvariant();
            var rows = new[] { "report", "contract", "payment" }.Select(kind => new EvidenceEntity
            {
                PartitionKey = id,
                RowKey = kind,
                BlobName = $"{id}/{kind}/bench",
                Size = 1000,
                // Every 50th redemption's payment proof is the file of the one before it.
                Sha256 = kind == "payment" && i % 50 == 49 ? Sha(i - 1, kind) : Sha(i, kind),
                ContentType = "application/pdf",
                UploadedBy = "enterprise",
                UploadedAt = DateTimeOffset.UtcNow,
                PaidOn = kind != "payment" ? null : (i % 25 == 24 ? issued.AddDays(-10) : issued.AddDays(5)).ToString("yyyy-MM-dd"),
            }).ToList();
            foreach (var row in rows)
            {
                await evidence.UpsertEntityAsync(row, TableUpdateMode.Replace, token);
                await hashes.UpsertEntityAsync(EvidenceHashEntity.For(row.Sha256, id, row.RowKey), TableUpdateMode.Replace, token);
            }

            if (i % 50 == 49)
            {
                await hashes.UpsertEntityAsync(EvidenceHashEntity.Shared(Sha(i - 1, "payment")), TableUpdateMode.Replace, token);
            }

            var voucher = new VoucherEntity
            {
                PartitionKey = uscc, RowKey = voucherId, CityCode = cityCode, FaceValueFen = 50_000_00, IssuedOn = issued.ToString("yyyy-MM-dd"),
                IssuedAt = new DateTimeOffset(ChinaTime.StartOfDayUtc(issued), TimeSpan.Zero), PolicyVersion = 1,
            };
            await vouchers.UpsertEntityAsync(voucher, TableUpdateMode.Replace, token);
            var enterprise = new EnterpriseEntity
            {
                PartitionKey = uscc, Name = $"太原基准{i:D5}科技有限公司", CityCode = cityCode, ContactName = $"联系人{i:D5}",
                ContactPhone = i % 100 == 99 ? InstitutionPhone : $"139{i:D8}", Address = $"太原市小店区基准路 {i} 号",
            };
            await enterprises.UpsertEntityAsync(enterprise, TableUpdateMode.Replace, token);
            await facts.UpsertEntityAsync(RiskFactEntity.Of(redemptions[i], voucher, rows, enterprise), TableUpdateMode.Replace, token);
            if (i % 200 == 199)
            {
                await violations.UpsertEntityAsync(new ViolationIndexEntity
                {
                    PartitionKey = uscc, RowKey = $"VIO-bench-{i:D5}", CityCode = cityCode, DecidedOn = DateTimeOffset.UtcNow.AddYears(-1), Reason = "基准违规记录",
                }, TableUpdateMode.Replace, token);
            }

            progress.Increment();
        });
    }

    async Task<string> WatchAsync(DateTimeOffset startedAt, CancellationToken ct)
    {
        var batches = new TableClient(connectionString, VoucherStore.Batches);
        var items = new TableClient(connectionString, VoucherStore.BatchItems);
        TableEntity? batch = null;
        while (batch is null)
        {
            await Task.Delay(500, ct);
            await foreach (var b in batches.QueryAsync<TableEntity>(TableClient.CreateQueryFilter($"PartitionKey eq {cityCode}"), cancellationToken: ct))
            {
                if (b.GetDateTimeOffset("FormedAt") >= startedAt)
                {
                    batch = b;
                }
            }
        }

        // The batch row alone is polled (every 500 ms): the orchestration opens the review right after the risk check,
        // and polling the 10,000 items every second would itself load the emulator the check runs on.
        var batchId = $"{batch.PartitionKey}-{batch.RowKey}";
        var formedAt = batch.GetDateTimeOffset("FormedAt")!.Value;
        while (batch.GetString("Stage") == "Forming")
        {
            await Task.Delay(500, ct);
            batch = (await batches.GetEntityAsync<TableEntity>(batch.PartitionKey, batch.RowKey, cancellationToken: ct)).Value;
        }

        var seconds = (DateTimeOffset.UtcNow - formedAt).TotalSeconds;
        var checkedCount = 0;
        var flags = new Dictionary<string, int>(StringComparer.Ordinal);
        await foreach (var row in items.QueryAsync<TableEntity>(TableClient.CreateQueryFilter($"PartitionKey eq {batchId}"), select: ["RiskCheckedAt", "RiskFlags"], cancellationToken: ct))
        {
            if (row.GetDateTimeOffset("RiskCheckedAt") is not null)
            {
                checkedCount++;
                foreach (var code in (row.GetString("RiskFlags") ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries))
                {
                    flags[code] = flags.GetValueOrDefault(code) + 1;
                }
            }
        }

        var line = $"risk flags: {checkedCount:N0} of {size:N0} items checked; the review opened {seconds:0.0} s after the batch formed (budget 60 s for the check between; batch row polled every 500 ms); flags: "
            + string.Join(", ", flags.OrderBy(f => f.Key, StringComparer.Ordinal).Select(f => $"{f.Key} {f.Value:N0}"));
        // Written at once (the settlement goes on through review and publicity), and kept for the end of the run.
        Console.WriteLine(line);
        return line;
    }
}
