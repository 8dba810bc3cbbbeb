using Azure;
using Azure.Storage.Blobs.Models;

namespace Voucher.Workflows.Backups;

/// <summary>
/// The daily timer's work (both hosts): one complete export a UTC day — a retried or second firing on a day that already has
/// one changes nothing; a run that failed halfway left a folder without a manifest, which restore ignores, and the retry
/// writes a new folder — then removes the exports older than the retention (in Azure the container's immutability policy
/// keeps each for the same number of days; one it still protects is left for the next run).
/// </summary>
public sealed class DailyBackup(TableExporter exporter, BackupStore backups, BackupOptions options, TimeProvider time, ILogger<DailyBackup> log)
{
    /// <summary>Exports unless today has a complete export; answers the new export's manifest, or null when skipped.</summary>
    public async Task<BackupManifest?> RunAsync(CancellationToken ct = default)
    {
        var today = time.GetUtcNow().UtcDateTime.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
        BackupManifest? manifest = null;
        if (await CompleteExportOfAsync(today, ct) is { } done)
        {
            BackupLog.ExportSkipped(log, done);
        }
        else
        {
            manifest = await exporter.ExportAsync(ct);
        }

        await PruneAsync(ct);
        return manifest;
    }

    /// <summary>
    /// Removes every export (complete or not) of a UTC day more than the retention before today: with 35 days, the exports of
    /// 1 May go on 6 June, when the container's 35-day immutability has run out for each of their blobs. Today's complete
    /// export is never among them.
    /// </summary>
    public async Task PruneAsync(CancellationToken ct = default)
    {
        var firstKept = time.GetUtcNow().UtcDateTime.Date.AddDays(-options.RetentionDays);
        foreach (var export in await backups.ListAsync(ct))
        {
            if (export.StartedAt.UtcDateTime.Date >= firstKept)
            {
                continue;
            }

            var removed = 0;
            try
            {
                // The manifest first: a half-removed export is then incomplete, never a complete one with a missing table.
                if (await backups.Blob(export.Folder, BackupManifest.FileName).DeleteIfExistsAsync(DeleteSnapshotsOption.IncludeSnapshots, cancellationToken: ct))
                {
                    removed++;
                }

                await foreach (var blob in backups.Container.GetBlobsAsync(BlobTraits.None, BlobStates.None, export.Folder + "/", ct))
                {
                    await backups.Container.GetBlobClient(blob.Name).DeleteIfExistsAsync(DeleteSnapshotsOption.IncludeSnapshots, cancellationToken: ct);
                    removed++;
                }

                BackupLog.ExportPruned(log, export.Folder, options.RetentionDays, removed);
            }
            catch (RequestFailedException e) when (e.Status is 409 or 403)
            {
                // Immutability (BlobImmutableDueToPolicy) or a legal hold: kept, and tried again tomorrow.
                BackupLog.ExportNotPruned(log, export.Folder, options.RetentionDays, e.ErrorCode ?? e.Status.ToString(CultureInfo.InvariantCulture));
            }
        }
    }

    async Task<string?> CompleteExportOfAsync(string day, CancellationToken ct)
    {
        if (!await backups.Container.ExistsAsync(ct))
        {
            return null;
        }

        await foreach (var blob in backups.Container.GetBlobsAsync(BlobTraits.None, BlobStates.None, day + "T", ct))
        {
            var slash = blob.Name.IndexOf('/', StringComparison.Ordinal);
            if (slash > 0 && blob.Name[(slash + 1)..] == BackupManifest.FileName && BackupStore.StartOf(blob.Name[..slash]) is not null)
            {
                return blob.Name[..slash];
            }
        }

        return null;
    }
}
