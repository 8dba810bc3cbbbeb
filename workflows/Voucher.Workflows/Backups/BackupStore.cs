using System.Text.RegularExpressions;
using Azure;
using Azure.Storage.Blobs;
using Azure.Storage.Blobs.Models;

namespace Voucher.Workflows.Backups;

/// <summary>
/// The backup container: one folder per export, named for the moment it started (<c>2026-12-06T193000Z/</c>), one
/// gzipped NDJSON blob per table and <c>manifest.json</c> written last. In Azure the container carries a time-based
/// immutability policy (Bicep): an export can be neither changed nor deleted while it is retained.
/// </summary>
public sealed partial class BackupStore(BlobContainerClient container)
{
    /// <summary>The container's name in every deployment (Bicep creates it with its immutability policy).</summary>
    public const string DefaultContainer = "backups";

    const string FolderFormat = "yyyy-MM-dd'T'HHmmss'Z'";

    public BlobContainerClient Container => container;

    /// <summary>The backup container of the application's storage account (the one <paramref name="store"/> writes).</summary>
    public static BackupStore For(VoucherStore store) => new(store.BlobService.GetBlobContainerClient(DefaultContainer));

    /// <summary>The folder of an export started at <paramref name="startedAt"/>.</summary>
    public static string FolderFor(DateTimeOffset startedAt) =>
        startedAt.UtcDateTime.ToString(FolderFormat, CultureInfo.InvariantCulture);

    /// <summary>The start of the export in <paramref name="folder"/>, or null when the name is not an export folder.</summary>
    public static DateTimeOffset? StartOf(string folder) =>
        FolderName().IsMatch(folder) && DateTime.TryParseExact(folder, FolderFormat, CultureInfo.InvariantCulture, DateTimeStyles.AdjustToUniversal | DateTimeStyles.AssumeUniversal, out var at)
            ? new DateTimeOffset(at, TimeSpan.Zero)
            : null;

    /// <summary>A folder name as the operator typed it (trailing slash allowed); a <see cref="BackupException"/> if it is none.</summary>
    public static string NormaliseFolder(string folder)
    {
        var name = folder.Trim().TrimEnd('/');
        return StartOf(name) is null
            ? throw new BackupException($"'{folder}' is not an export folder (expected a name like 2026-12-06T193000Z).")
            : name;
    }

    public BlobClient Blob(string folder, string name) => container.GetBlobClient($"{folder}/{name}");

    /// <summary>Every export, oldest first: its folder, start and manifest (null while incomplete or after a failed run).</summary>
    public async Task<IReadOnlyList<ExportEntry>> ListAsync(CancellationToken ct = default)
    {
        var entries = new List<ExportEntry>();
        if (!await container.ExistsAsync(ct))
        {
            return entries;
        }

        await foreach (var item in container.GetBlobsByHierarchyAsync(BlobTraits.None, BlobStates.None, "/", prefix: null, ct))
        {
            if (!item.IsPrefix || StartOf(item.Prefix.TrimEnd('/')) is not { } start)
            {
                continue;
            }

            var folder = item.Prefix.TrimEnd('/');
            entries.Add(new ExportEntry(folder, start, await TryReadManifestAsync(folder, ct)));
        }

        return entries.OrderBy(e => e.Folder, StringComparer.Ordinal).ToList();
    }

    /// <summary>The manifest of an export, or null when it has none (incomplete).</summary>
    public async Task<BackupManifest?> TryReadManifestAsync(string folder, CancellationToken ct = default)
    {
        try
        {
            var content = await Blob(folder, BackupManifest.FileName).DownloadContentAsync(ct);
            return BackupManifest.Parse(content.Value.Content.ToMemory().Span);
        }
        catch (RequestFailedException e) when (e.Status == 404)
        {
            return null;
        }
    }

    /// <summary>The manifest of an export; a <see cref="BackupException"/> when the folder holds no complete export.</summary>
    public async Task<BackupManifest> ReadManifestAsync(string folder, CancellationToken ct = default)
    {
        var manifest = await TryReadManifestAsync(folder, ct)
            ?? throw new BackupException($"Export {folder} has no {BackupManifest.FileName}: it is missing or incomplete (its run failed or is still writing), and is never restored.");
        if (!string.Equals(manifest.Folder, folder, StringComparison.Ordinal))
        {
            throw new BackupException($"The manifest in {folder} names folder {manifest.Folder}: it was copied from another export.");
        }

        return manifest;
    }

    [GeneratedRegex(@"^\d{4}-\d{2}-\d{2}T\d{6}Z$")]
    private static partial Regex FolderName();
}

/// <summary>One export folder; <see cref="Manifest"/> is null when the export is incomplete.</summary>
public sealed record ExportEntry(string Folder, DateTimeOffset StartedAt, BackupManifest? Manifest)
{
    public bool Complete => Manifest is not null;
}
