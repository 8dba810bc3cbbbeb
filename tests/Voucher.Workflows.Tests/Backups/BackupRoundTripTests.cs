using System.Globalization;
using System.IO.Compression;
using Azure.Storage.Blobs;
using Voucher.Workflows.Backups;

namespace Voucher.Workflows.Tests.Backups;

/// <summary>
/// Exports of the application tables into a backup container and restores from them, on Azurite: every row and every
/// property type comes back as it was; a tampered export, an incomplete one and tables that hold rows are refused with
/// nothing written; a table of several pages is exported and restored whole.
/// </summary>
[Collection(AzuriteCollection.Name)]
public sealed class BackupRoundTripTests(AzuriteFixture azurite)
{
    static readonly DateTimeOffset Now = new(2026, 12, 6, 19, 30, 0, TimeSpan.Zero);

    [Fact]
    public async Task ExportWipeRestore_EveryRowWithEveryPropertyAndType_ComesBack()
    {
        var (store, backups, time) = await NewAsync();
        await SeedEveryTypeAsync(store);
        await new AuditLog(store).AppendAsync(AuditSubjects.Application("app-backup-1"), "system", Now, "Submitted", "UnderReview", 1, "round 1", CancellationToken.None);
        var before = await AllRowsAsync(store);
        Assert.True(before.Count >= 9, "the seed wrote rows");

        var manifest = await Exporter(store, backups, time).ExportAsync();

        Assert.Equal(VoucherStore.AllTables.Order(StringComparer.Ordinal), manifest.Tables.Select(t => t.Table).Order(StringComparer.Ordinal));
        Assert.Equal(before.Count, manifest.TotalRows);
        Assert.Equal(before.Count(r => r.StartsWith("Enterprises|", StringComparison.Ordinal)), manifest.Tables.Single(t => t.Table == "Enterprises").Rows);

        foreach (var table in VoucherStore.AllTables)
        {
            await store.Table(table).DeleteAsync();
        }

        Assert.Empty(await AllRowsAsync(store));

        var result = await Restorer(store, backups).RestoreAsync(manifest.Folder, replace: false);

        Assert.Equal(before.Count, result.Tables.Sum(t => t.Written));
        Assert.Equal(before, await AllRowsAsync(store));
    }

    [Fact]
    public async Task Restore_ManifestTampered_RefusesAndWritesNothing()
    {
        var (store, backups, time) = await NewAsync();
        await SeedEveryTypeAsync(store);
        var manifest = await Exporter(store, backups, time).ExportAsync();
        await WipeAsync(store);

        // One row count changed in the manifest.
        var tampered = manifest with { Tables = manifest.Tables.Select(t => t.Table == "Ledger" ? t with { Rows = t.Rows + 1 } : t).ToList() };
        await backups.Blob(manifest.Folder, BackupManifest.FileName).UploadAsync(BinaryData.FromBytes(tampered.ToJson()), overwrite: true);

        var refused = await Assert.ThrowsAsync<BackupException>(() => Restorer(store, backups).RestoreAsync(manifest.Folder, replace: true));
        Assert.Contains("Ledger", refused.Message, StringComparison.Ordinal);
        Assert.Contains("manifest says", refused.Message, StringComparison.Ordinal);
        Assert.Empty(await AllRowsAsync(store));
        Assert.False((await Restorer(store, backups).VerifyAsync(manifest.Folder)).Ok);
    }

    [Fact]
    public async Task Restore_TableBlobChanged_RefusesOnItsHash_AndWritesNothing()
    {
        var (store, backups, time) = await NewAsync();
        await SeedEveryTypeAsync(store);
        var manifest = await Exporter(store, backups, time).ExportAsync();
        await WipeAsync(store);

        // The Enterprises blob rewritten with one value changed, as valid gzip NDJSON with the same row count.
        var entry = manifest.Tables.Single(t => t.Table == "Enterprises");
        var lines = await ReadLinesAsync(backups.Blob(manifest.Folder, entry.Blob));
        lines[0] = lines[0].Replace("太原", "大同", StringComparison.Ordinal);
        await WriteLinesAsync(backups.Blob(manifest.Folder, entry.Blob), lines);

        var refused = await Assert.ThrowsAsync<BackupException>(() => Restorer(store, backups).RestoreAsync(manifest.Folder, replace: false));
        Assert.Contains("Enterprises", refused.Message, StringComparison.Ordinal);
        Assert.Contains("SHA-256", refused.Message, StringComparison.Ordinal);
        Assert.Empty(await AllRowsAsync(store));
    }

    [Fact]
    public async Task Restore_IncompleteExport_WithoutManifest_IsRefused()
    {
        var (store, backups, time) = await NewAsync();
        await SeedEveryTypeAsync(store);
        var manifest = await Exporter(store, backups, time).ExportAsync();
        await backups.Blob(manifest.Folder, BackupManifest.FileName).DeleteAsync();
        await WipeAsync(store);

        var refused = await Assert.ThrowsAsync<BackupException>(() => Restorer(store, backups).RestoreAsync(manifest.Folder, replace: true));
        Assert.Contains("incomplete", refused.Message, StringComparison.Ordinal);
        Assert.Empty(await AllRowsAsync(store));
        Assert.False(Assert.Single(await backups.ListAsync()).Complete);
    }

    [Fact]
    public async Task Restore_IntoTablesHoldingRows_RefusedWithoutReplace_ReplacesThemWithIt()
    {
        var (store, backups, time) = await NewAsync();
        await SeedEveryTypeAsync(store);
        var exported = await AllRowsAsync(store);
        var manifest = await Exporter(store, backups, time).ExportAsync();

        // After the export: one row changed, one added.
        var changed = (await store.Table("Ledger").GetEntityAsync<TableEntity>("cap|2026", "91140100MA0BAK001U")).Value;
        changed["Committed"] = 1L;
        await store.Table("Ledger").UpdateEntityAsync(changed, Azure.ETag.All, TableUpdateMode.Replace);
        await store.Table("Ledger").AddEntityAsync(new TableEntity("cap|2026", "added-after-export") { ["Committed"] = 9L });
        var current = await StoreSnapshot.TakeAsync(store);

        var refused = await Assert.ThrowsAsync<BackupException>(() => Restorer(store, backups).RestoreAsync(manifest.Folder, replace: false));
        Assert.Contains("Ledger", refused.Message, StringComparison.Ordinal);
        Assert.Contains("--replace", refused.Message, StringComparison.Ordinal);
        Assert.Equal(current, await StoreSnapshot.TakeAsync(store));

        var result = await Restorer(store, backups).RestoreAsync(manifest.Folder, replace: true);

        Assert.Equal(exported, await AllRowsAsync(store));
        Assert.Equal(3, result.Tables.Single(t => t.Table == "Ledger").Deleted);
    }

    [Fact]
    public async Task LargeTable_OverSeveralPagesAndPartitions_IsExportedAndRestoredWhole()
    {
        var (store, backups, time) = await NewAsync();
        const int Partitions = 5;
        const int RowsPerPartition = 500;
        var table = store.Table("Redemptions");
        for (var p = 0; p < Partitions; p++)
        {
            for (var start = 0; start < RowsPerPartition; start += 100)
            {
                await table.SubmitTransactionAsync(Enumerable.Range(start, 100).Select(i => new TableTransactionAction(TableTransactionActionType.Add, new TableEntity($"city{p}-2026", $"r{i:D5}")
                {
                    ["Amount"] = 1_000_00L * i + p,
                    ["Note"] = new string('票', 40) + i.ToString(CultureInfo.InvariantCulture),
                    ["At"] = Now.AddMinutes(-i),
                })));
            }
        }

        var before = await AllRowsAsync(store);
        Assert.Equal(Partitions * RowsPerPartition, before.Count);

        var export = Stopwatch.StartNew();
        var manifest = await Exporter(store, backups, time).ExportAsync();
        export.Stop();
        Assert.Equal(Partitions * RowsPerPartition, manifest.Tables.Single(t => t.Table == "Redemptions").Rows);
        Assert.True(Partitions * RowsPerPartition > TableExporter.PageSize * 2, "the table spans three pages or more");

        await store.Table("Redemptions").DeleteAsync();
        var restore = Stopwatch.StartNew();
        await Restorer(store, backups).RestoreAsync(manifest.Folder, replace: false);
        restore.Stop();

        Assert.Equal(before, await AllRowsAsync(store));
        Console.WriteLine($"backup of {before.Count} rows: export {export.ElapsedMilliseconds} ms (all {manifest.Tables.Count} tables), restore {restore.ElapsedMilliseconds} ms, blob {manifest.Tables.Single(t => t.Table == "Redemptions").Bytes} bytes");
    }

    [Fact]
    public async Task DailyRun_OncePerDay_RetriedAfterAHalfWrittenRun_AndOldExportsRemoved()
    {
        var (store, backups, time) = await NewAsync();
        await SeedEveryTypeAsync(store);
        var daily = new DailyBackup(Exporter(store, backups, time), backups, new BackupOptions(BackupOptions.DefaultSchedule, RetentionDays: 35), time, NullLogger<DailyBackup>.Instance);

        // A run that died after its first blob: a folder without a manifest.
        await backups.Container.CreateIfNotExistsAsync();
        var halfWritten = BackupStore.FolderFor(time.GetUtcNow());
        await backups.Blob(halfWritten, "Enterprises.ndjson.gz").UploadAsync(BinaryData.FromString("partial"));
        time.Advance(TimeSpan.FromMinutes(5));

        var first = await daily.RunAsync();
        time.Advance(TimeSpan.FromHours(2));
        var retried = await daily.RunAsync();

        Assert.NotNull(first);
        Assert.Null(retried);
        var exports = await backups.ListAsync();
        Assert.Equal([(halfWritten, false), (first.Folder, true)], exports.Select(e => (e.Folder, e.Complete)));

        // The next day exports again; 36 days on, the first day's folders (complete or not) are removed.
        time.Advance(TimeSpan.FromDays(1));
        var second = await daily.RunAsync();
        time.Advance(TimeSpan.FromDays(35));
        var later = await daily.RunAsync();

        Assert.NotNull(second);
        Assert.NotNull(later);
        Assert.Equal([second.Folder, later.Folder], (await backups.ListAsync()).Select(e => e.Folder));
        await foreach (var blob in backups.Container.GetBlobsAsync(Azure.Storage.Blobs.Models.BlobTraits.None, Azure.Storage.Blobs.Models.BlobStates.None, halfWritten, default))
        {
            Assert.Fail($"blob {blob.Name} of a removed export is still there");
        }
    }

    [Fact]
    public void Row_EveryEdmType_ReadsBackAsWritten()
    {
        var row = EveryTypeRow("p|1", "r 1");
        row["NaN"] = double.NaN;
        row["PlusInfinity"] = double.PositiveInfinity;
        row["MinusInfinity"] = double.NegativeInfinity;
        row["NoBytes"] = Array.Empty<byte>();
        var buffer = new System.Buffers.ArrayBufferWriter<byte>();
        BackupRow.Write(row, buffer);
        var line = Encoding.UTF8.GetString(buffer.WrittenSpan);

        Assert.DoesNotContain('\n', line);
        Assert.Contains("\"Type\":\"Edm.Int64\",\"Value\":\"9223372036854775807\"", line, StringComparison.Ordinal);
        Assert.Equal(Canonical(row), Canonical(BackupRow.Read(line)));
    }

    async Task<(VoucherStore Store, BackupStore Backups, FakeTimeProvider Time)> NewAsync()
    {
        var store = await StoreFactory.NewAsync(azurite);
        var backups = new BackupStore(azurite.Blobs.GetBlobContainerClient(azurite.NewName("backups")));
        return (store, backups, new FakeTimeProvider(Now));
    }

    static TableExporter Exporter(VoucherStore store, BackupStore backups, TimeProvider time) => new(store, backups, time, NullLogger<TableExporter>.Instance);

    static TableRestorer Restorer(VoucherStore store, BackupStore backups) => new(store, backups, NullLogger<TableRestorer>.Instance);

    /// <summary>Rows with every type the export knows, keys with characters a careless format would break.</summary>
    static async Task SeedEveryTypeAsync(VoucherStore store)
    {
        await store.Table("Enterprises").AddEntityAsync(new TableEntity("taiyuan", "91140100MA0BAK001U")
        {
            ["Name"] = "太原示例科技有限公司",
            ["Address"] = "山西省太原市\n小店区 \"创新\" 路 1 号\t\\",
            ["Empty"] = "",
            ["Employees"] = 88,
            ["Negative"] = int.MinValue,
            ["Registered"] = new DateTimeOffset(2019, 4, 1, 8, 30, 15, TimeSpan.FromHours(8)).AddTicks(1234567),
            ["Small"] = true,
            ["Listed"] = false,
        });
        await store.Table("Ledger").AddEntityAsync(new TableEntity("cap|2026", "91140100MA0BAK001U") { ["Committed"] = 5_000_000L, ["Paid"] = 0L, ["Max"] = long.MaxValue, ["Min"] = long.MinValue });
        await store.Table("Ledger").AddEntityAsync(new TableEntity("cap|2026", "91140100MA0BAK002U") { ["Committed"] = 12_345_678_901L });
        await store.Table("Vouchers").AddEntityAsync(EveryTypeRow("taiyuan-2026", "v-0001"));
        await store.Table("Vouchers").AddEntityAsync(EveryTypeRow("taiyuan-2026", "v 0002 空格 | 斜"));
        await store.Table("Vouchers").AddEntityAsync(EveryTypeRow("datong-2026", "v-0001"));
        await store.Table("Inbox").AddEntityAsync(new TableEntity("city:taiyuan", "0001") { ["Subject"] = "待审核", ["Read"] = false });
        await store.Table("Stats").AddEntityAsync(new TableEntity("taiyuan|2026", "totals") { ["Applications"] = 3, ["Issued"] = 2L, ["Rate"] = 0.6666666666666666 });
    }

    static TableEntity EveryTypeRow(string partitionKey, string rowKey) => new(partitionKey, rowKey)
    {
        ["String"] = "创新券 ✓ \u2028 end",
        ["Bool"] = true,
        ["Int32"] = int.MaxValue,
        ["Int64"] = long.MaxValue,
        ["Double"] = 0.1,
        ["WholeDouble"] = 3.0,
        ["BigDouble"] = 1.7976931348623157E+308,
        ["NegativeDouble"] = -2.5e-300,
        ["DateTime"] = new DateTimeOffset(2026, 2, 28, 23, 59, 59, TimeSpan.Zero).AddTicks(9999999),
        ["Early"] = new DateTimeOffset(1601, 1, 1, 0, 0, 0, TimeSpan.Zero),
        ["Guid"] = Guid.Parse("7c9e6679-7425-40de-944b-e07fc1f90ae7"),
        ["Binary"] = new byte[] { 0, 1, 2, 250, 255, 10, 13 },
    };

    /// <summary>Every row of every application table: table, keys and each property as name, .NET type (the EDM type the SDK read) and invariant value.</summary>
    static async Task<List<string>> AllRowsAsync(VoucherStore store)
    {
        var rows = new List<string>();
        foreach (var name in VoucherStore.AllTables)
        {
            try
            {
                await foreach (var row in store.Table(name).QueryAsync<TableEntity>())
                {
                    rows.Add($"{name}|{Canonical(row)}");
                }
            }
            catch (Azure.RequestFailedException e) when (e.Status == 404)
            {
                // A deleted table holds nothing.
            }
        }

        rows.Sort(StringComparer.Ordinal);
        return rows;
    }

    static string Canonical(TableEntity row) =>
        $"{row.PartitionKey}|{row.RowKey}|" + string.Join(";", row
            .Where(p => !BackupRow.IsSystemProperty(p.Key) && p.Value is not null)
            .OrderBy(p => p.Key, StringComparer.Ordinal)
            .Select(p => $"{p.Key}:{p.Value!.GetType().Name}={p.Value switch
            {
                byte[] b => Convert.ToBase64String(b),
                BinaryData d => Convert.ToBase64String(d.ToArray()),
                DateTimeOffset t => t.UtcTicks.ToString(CultureInfo.InvariantCulture),
                double d => d.ToString("R", CultureInfo.InvariantCulture),
                IFormattable f => f.ToString(null, CultureInfo.InvariantCulture),
                var v => v.ToString(),
            }}"));

    static async Task WipeAsync(VoucherStore store)
    {
        foreach (var table in VoucherStore.AllTables)
        {
            await store.Table(table).DeleteAsync();
        }
    }

    static async Task<List<string>> ReadLinesAsync(BlobClient blob)
    {
        var content = (await blob.DownloadContentAsync()).Value.Content;
        using var gzip = new GZipStream(content.ToStream(), CompressionMode.Decompress);
        using var reader = new StreamReader(gzip, Encoding.UTF8);
        var lines = new List<string>();
        while (await reader.ReadLineAsync() is { } line)
        {
            lines.Add(line);
        }

        return lines;
    }

    static async Task WriteLinesAsync(BlobClient blob, IEnumerable<string> lines)
    {
        var bytes = new MemoryStream();
        await using (var gzip = new GZipStream(bytes, CompressionLevel.Optimal, leaveOpen: true))
        {
            await gzip.WriteAsync(Encoding.UTF8.GetBytes(string.Join("\n", lines) + "\n"));
        }

        bytes.Position = 0;
        await blob.UploadAsync(bytes, overwrite: true);
    }
}
