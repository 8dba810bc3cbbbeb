using System.IO.Compression;
using System.Security.Cryptography;
using Azure;
using Azure.Data.Tables;
using Azure.Storage.Blobs.Models;

namespace Voucher.Workflows.Backups;

/// <summary>
/// Rebuilds tables from a complete export. Before writing anything it verifies the whole export: the manifest exists,
/// every blob's SHA-256 and row count match it and every line reads back as a row; it refuses tables that already hold
/// rows unless asked to replace them (then their rows are deleted first). Rows are written in entity-group transactions
/// of at most 100 rows of one partition, read from the blob as it streams (memory bounded by one batch), from exactly
/// the blob version that was verified (ETag condition).
/// </summary>
public sealed class TableRestorer(VoucherStore store, BackupStore backups, ILogger<TableRestorer> log)
{
    const int MaxBatchRows = 100;

    /// <summary>Well under the 4 MiB payload limit of one entity-group transaction.</summary>
    const int MaxBatchChars = 2 * 1024 * 1024;

    /// <summary>Checks an export against its manifest without writing anything.</summary>
    public async Task<BackupVerification> VerifyAsync(string folder, IReadOnlyCollection<string>? tables = null, CancellationToken ct = default)
    {
        folder = BackupStore.NormaliseFolder(folder);
        var manifest = await backups.ReadManifestAsync(folder, ct);
        var results = new List<TableCheck>();
        foreach (var entry in Select(manifest, tables))
        {
            results.Add(await CheckAsync(folder, entry, ct));
        }

        return new BackupVerification(manifest, results);
    }

    /// <summary>
    /// Verifies the export, then restores its tables (or the named subset). Throws a <see cref="BackupException"/> and
    /// writes nothing when the export does not verify, or when a target table holds rows and <paramref name="replace"/> is false.
    /// </summary>
    public async Task<RestoreResult> RestoreAsync(string folder, bool replace, IReadOnlyCollection<string>? tables = null, CancellationToken ct = default)
    {
        var verification = await VerifyAsync(folder, tables, ct);
        if (!verification.Ok)
        {
            throw new BackupException(
                $"Export {verification.Manifest.Folder} does not match its manifest; nothing was restored:{Environment.NewLine}  "
                + string.Join(Environment.NewLine + "  ", verification.Tables.Where(t => !t.Ok).Select(t => $"{t.Entry.Table}: {t.Problem}")));
        }

        var holdingRows = new List<string>();
        foreach (var check in verification.Tables)
        {
            if (await HasRowsAsync(check.Entry.Table, ct))
            {
                holdingRows.Add(check.Entry.Table);
            }
        }

        if (holdingRows.Count > 0 && !replace)
        {
            throw new BackupException(
                $"These tables already hold rows: {string.Join(", ", holdingRows)}. Nothing was restored; add --replace to delete their rows and restore the export's.");
        }

        BackupLog.RestoreStarted(log, verification.Manifest.Folder, verification.Tables.Count, replace);
        var restored = new List<TableRestored>();
        foreach (var check in verification.Tables)
        {
            var table = store.Table(check.Entry.Table);
            await table.CreateIfNotExistsAsync(ct);
            var deleted = holdingRows.Contains(check.Entry.Table) ? await DeleteAllAsync(table, ct) : 0;
            var written = await WriteAsync(verification.Manifest.Folder, check, table, ct);
            restored.Add(new TableRestored(check.Entry.Table, deleted, written));
        }

        BackupLog.RestoreCompleted(log, verification.Manifest.Folder, restored.Sum(r => r.Written));
        return new RestoreResult(verification.Manifest, restored);
    }

    static IReadOnlyList<BackupManifest.TableEntry> Select(BackupManifest manifest, IReadOnlyCollection<string>? tables)
    {
        if (tables is null || tables.Count == 0)
        {
            return manifest.Tables;
        }

        var unknown = tables.Where(t => !manifest.Tables.Any(e => string.Equals(e.Table, t, StringComparison.Ordinal))).ToList();
        if (unknown.Count > 0)
        {
            throw new BackupException($"Export {manifest.Folder} holds no table {string.Join(", ", unknown)}.");
        }

        return manifest.Tables.Where(e => tables.Contains(e.Table)).ToList();
    }

    async Task<TableCheck> CheckAsync(string folder, BackupManifest.TableEntry entry, CancellationToken ct)
    {
        BlobDownloadStreamingResult download;
        try
        {
            download = (await backups.Blob(folder, entry.Blob).DownloadStreamingAsync(cancellationToken: ct)).Value;
        }
        catch (RequestFailedException e) when (e.Status == 404)
        {
            return new TableCheck(entry, default, 0, "", $"blob {entry.Blob} is missing");
        }

        using (download)
        {
            long rows = 0;
            string? problem = null;
            using var sha = SHA256.Create();
            await using var hashing = new CryptoStream(download.Content, sha, CryptoStreamMode.Read, leaveOpen: true);
            try
            {
                await foreach (var _ in ReadRowsAsync(hashing, ct))
                {
                    rows++;
                }
            }
            catch (Exception e) when (IsUnreadable(e))
            {
                problem = $"line {rows + 1} of {entry.Blob} cannot be read ({e.Message})";
            }

            var hex = await HashToEndAsync(hashing, sha, ct);
            problem ??= hex != entry.Sha256
                ? $"SHA-256 of {entry.Blob} is {hex}, the manifest says {entry.Sha256}"
                : rows != entry.Rows
                    ? $"{entry.Blob} holds {rows} rows, the manifest says {entry.Rows}"
                    : null;
            return new TableCheck(entry, download.Details.ETag, rows, hex, problem);
        }
    }

    async Task<long> WriteAsync(string folder, TableCheck check, TableClient table, CancellationToken ct)
    {
        var options = new BlobDownloadOptions { Conditions = new BlobRequestConditions { IfMatch = check.ETag } };
        using var download = (await backups.Blob(folder, check.Entry.Blob).DownloadStreamingAsync(options, ct)).Value;
        using var sha = SHA256.Create();
        await using var hashing = new CryptoStream(download.Content, sha, CryptoStreamMode.Read, leaveOpen: true);
        var batch = new List<TableTransactionAction>(MaxBatchRows);
        long batchChars = 0;
        long written = 0;

        async Task FlushAsync()
        {
            if (batch.Count > 0)
            {
                await table.SubmitTransactionAsync(batch, ct);
                written += batch.Count;
                batch.Clear();
                batchChars = 0;
            }
        }

        await foreach (var (row, chars) in ReadRowsWithSizeAsync(hashing, ct))
        {
            if (batch.Count > 0 && (batch.Count == MaxBatchRows || batchChars + chars > MaxBatchChars || batch[0].Entity.PartitionKey != row.PartitionKey))
            {
                await FlushAsync();
            }

            batch.Add(new TableTransactionAction(TableTransactionActionType.UpsertReplace, row));
            batchChars += chars;
        }

        await FlushAsync();
        if (await HashToEndAsync(hashing, sha, ct) != check.Entry.Sha256 || written != check.Entry.Rows)
        {
            // Cannot happen for the blob version verified (ETag); said loudly if it does.
            throw new BackupException($"{check.Entry.Blob} changed while it was restored ({written} rows written); run the restore again with --replace.");
        }

        return written;
    }

    /// <summary>Reads what the rows left unread (the gzip trailer, anything after it) and gives the blob's SHA-256.</summary>
    static async Task<string> HashToEndAsync(CryptoStream hashing, SHA256 sha, CancellationToken ct)
    {
        await hashing.CopyToAsync(Stream.Null, ct);
        return Convert.ToHexStringLower(sha.Hash!);
    }

    static async IAsyncEnumerable<TableEntity> ReadRowsAsync(Stream compressed, [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken ct)
    {
        await foreach (var (row, _) in ReadRowsWithSizeAsync(compressed, ct))
        {
            yield return row;
        }
    }

    static async IAsyncEnumerable<(TableEntity Row, int Chars)> ReadRowsWithSizeAsync(Stream compressed, [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken ct)
    {
        await using var gzip = new GZipStream(compressed, CompressionMode.Decompress, leaveOpen: true);
        using var reader = new StreamReader(gzip, Encoding.UTF8, detectEncodingFromByteOrderMarks: false);
        while (await reader.ReadLineAsync(ct) is { } line)
        {
            if (line.Length > 0)
            {
                yield return (BackupRow.Read(line), line.Length);
            }
        }
    }

    static bool IsUnreadable(Exception e) =>
        e is InvalidDataException or System.Text.Json.JsonException or KeyNotFoundException or InvalidOperationException or FormatException or OverflowException or BackupException;

    async Task<bool> HasRowsAsync(string name, CancellationToken ct)
    {
        try
        {
            await foreach (var _ in store.Table(name).QueryAsync<TableEntity>(select: ["PartitionKey"], maxPerPage: 1, cancellationToken: ct))
            {
                return true;
            }
        }
        catch (RequestFailedException e) when (e.Status == 404)
        {
            // The table does not exist: nothing to overwrite.
        }

        return false;
    }

    /// <summary>Deletes every row of a table, a partition's rows 100 at a time.</summary>
    static async Task<long> DeleteAllAsync(TableClient table, CancellationToken ct)
    {
        long deleted = 0;
        var batch = new List<TableTransactionAction>(MaxBatchRows);
        async Task FlushAsync()
        {
            if (batch.Count > 0)
            {
                await table.SubmitTransactionAsync(batch, ct);
                deleted += batch.Count;
                batch.Clear();
            }
        }

        await foreach (var row in table.QueryAsync<TableEntity>(select: ["PartitionKey", "RowKey"], maxPerPage: 1000, cancellationToken: ct))
        {
            if (batch.Count > 0 && (batch.Count == MaxBatchRows || batch[0].Entity.PartitionKey != row.PartitionKey))
            {
                await FlushAsync();
            }

            batch.Add(new TableTransactionAction(TableTransactionActionType.Delete, new TableEntity(row.PartitionKey, row.RowKey), ETag.All));
        }

        await FlushAsync();
        return deleted;
    }
}

/// <summary>The outcome of checking one table's blob against the manifest (<see cref="Problem"/> null when it matches).</summary>
public sealed record TableCheck(BackupManifest.TableEntry Entry, ETag ETag, long Rows, string Sha256, string? Problem)
{
    public bool Ok => Problem is null;
}

/// <summary>An export checked against its manifest.</summary>
public sealed record BackupVerification(BackupManifest Manifest, IReadOnlyList<TableCheck> Tables)
{
    public bool Ok => Tables.All(t => t.Ok);
}

/// <summary>One table restored: rows deleted first (only with replace) and rows written.</summary>
public sealed record TableRestored(string Table, long Deleted, long Written);

public sealed record RestoreResult(BackupManifest Manifest, IReadOnlyList<TableRestored> Tables);
