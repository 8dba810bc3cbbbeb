using System.Buffers;
using System.IO.Compression;
using System.Security.Cryptography;
using Azure.Data.Tables;
using Azure.Storage.Blobs.Models;
using Azure.Storage.Blobs.Specialized;

namespace Voucher.Workflows.Backups;

/// <summary>
/// Exports the application's tables (<see cref="VoucherStore.AllTables"/>, never the Durable task hub's) into a new folder
/// of the backup container: each table streamed page by page (1,000 rows a page) through gzip into its blob while its
/// SHA-256 is computed, so memory stays bounded by one page whatever the table's size; the manifest is written last.
/// Table Storage has no snapshot: rows written while the export runs may or may not be in it, so it runs at a quiet hour.
/// </summary>
public sealed class TableExporter(VoucherStore store, BackupStore backups, TimeProvider time, ILogger<TableExporter> log)
{
    public const int PageSize = 1000;

    /// <summary>The tables every export holds.</summary>
    public static IReadOnlyList<string> Tables => VoucherStore.AllTables;

    /// <summary>Writes a complete export started now and answers its manifest.</summary>
    public async Task<BackupManifest> ExportAsync(CancellationToken ct = default)
    {
        var startedAt = time.GetUtcNow();
        var folder = BackupStore.FolderFor(startedAt);
        await backups.Container.CreateIfNotExistsAsync(cancellationToken: ct);
        await foreach (var _ in backups.Container.GetBlobsAsync(BlobTraits.None, BlobStates.None, folder + "/", ct))
        {
            throw new BackupException($"Export folder {folder} exists already (two exports started in the same second); try again.");
        }

        BackupLog.ExportStarted(log, folder, Tables.Count);

        var entries = new List<BackupManifest.TableEntry>(Tables.Count);
        foreach (var table in Tables)
        {
            entries.Add(await ExportTableAsync(table, folder, ct));
        }

        var manifest = new BackupManifest(BackupManifest.CurrentFormat, folder, startedAt, time.GetUtcNow(), entries);

        // Last, and never over an existing one: its presence is what makes the export complete.
        await backups.Blob(folder, BackupManifest.FileName).UploadAsync(
            BinaryData.FromBytes(manifest.ToJson()),
            new BlobUploadOptions { HttpHeaders = new BlobHttpHeaders { ContentType = "application/json" }, Conditions = new BlobRequestConditions { IfNoneMatch = Azure.ETag.All } },
            ct);
        BackupLog.ExportCompleted(log, folder, manifest.TotalRows, entries.Sum(e => e.Bytes));
        return manifest;
    }

    async Task<BackupManifest.TableEntry> ExportTableAsync(string table, string folder, CancellationToken ct)
    {
        var name = table + ".ndjson.gz";
        var blob = backups.Container.GetBlockBlobClient($"{folder}/{name}");
        long rows = 0;
        var line = new ArrayBufferWriter<byte>(4096);
        // The blob is hashed while it streams: SHA-256 as a pass-through transform between the gzip and the blob.
        using var sha = SHA256.Create();
        await using (var target = await blob.OpenWriteAsync(overwrite: true, new BlockBlobOpenWriteOptions
        {
            BufferSize = 4 * 1024 * 1024,
            // No Content-Encoding: a client that decompresses on the fly would then hash other bytes than the manifest's.
            HttpHeaders = new BlobHttpHeaders { ContentType = "application/gzip" },
        }, ct))
        await using (var hashing = new CryptoStream(target, sha, CryptoStreamMode.Write, leaveOpen: true))
        {
            await using (var gzip = new GZipStream(hashing, CompressionLevel.Optimal, leaveOpen: true))
            {
                await using var pages = store.Table(table).QueryAsync<TableEntity>(maxPerPage: PageSize, cancellationToken: ct).GetAsyncEnumerator(ct);
                while (await NextAsync(pages))
                {
                    line.ResetWrittenCount();
                    BackupRow.Write(pages.Current, line);
                    line.Write("\n"u8);
                    await gzip.WriteAsync(line.WrittenMemory, ct);
                    rows++;
                }
            }

            await hashing.FlushFinalBlockAsync(ct);
        }

        var bytes = (await blob.GetPropertiesAsync(cancellationToken: ct)).Value.ContentLength;
        return new BackupManifest.TableEntry(table, name, rows, bytes, Convert.ToHexStringLower(sha.Hash!));
    }

    /// <summary>The next row; a table that does not exist (yet) is exported as an empty one.</summary>
    static async Task<bool> NextAsync(IAsyncEnumerator<TableEntity> rows)
    {
        try
        {
            return await rows.MoveNextAsync();
        }
        catch (Azure.RequestFailedException e) when (e.Status == 404)
        {
            return false;
        }
    }
}
