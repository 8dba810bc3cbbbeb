using System.Text.Json;

namespace Voucher.Workflows.Backups;

/// <summary>
/// The last blob of an export (<c>{folder}/manifest.json</c>): which tables it holds, and for each the blob, its row count,
/// size and SHA-256. An export without a manifest is incomplete; listing marks it so and restore refuses it.
/// </summary>
public sealed record BackupManifest(
    string Format,
    string Folder,
    DateTimeOffset StartedAt,
    DateTimeOffset CompletedAt,
    IReadOnlyList<BackupManifest.TableEntry> Tables)
{
    public const string FileName = "manifest.json";

    /// <summary>The format written today; restore reads only this one.</summary>
    public const string CurrentFormat = "voucher-table-export/1";

    /// <summary>One table of the export.</summary>
    /// <param name="Table">The table's name without a deployment prefix.</param>
    /// <param name="Blob">The blob's name inside the export folder, e.g. <c>Applications.ndjson.gz</c>.</param>
    /// <param name="Rows">Rows written.</param>
    /// <param name="Bytes">The blob's length (compressed).</param>
    /// <param name="Sha256">Lower-case hex SHA-256 of the blob's bytes.</param>
    public sealed record TableEntry(string Table, string Blob, long Rows, long Bytes, string Sha256);

    public long TotalRows => Tables.Sum(t => t.Rows);

    static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web) { WriteIndented = true };

    public byte[] ToJson() => JsonSerializer.SerializeToUtf8Bytes(this, Json);

    public static BackupManifest Parse(ReadOnlySpan<byte> json)
    {
        BackupManifest? manifest;
        try
        {
            manifest = JsonSerializer.Deserialize<BackupManifest>(json, Json);
        }
        catch (JsonException e)
        {
            throw new BackupException($"The manifest is not valid JSON: {e.Message}");
        }

        if (manifest is null || manifest.Tables is null)
        {
            throw new BackupException("The manifest is empty.");
        }

        if (manifest.Format != CurrentFormat)
        {
            throw new BackupException($"The manifest's format is '{manifest.Format}'; this version restores '{CurrentFormat}'.");
        }

        foreach (var t in manifest.Tables)
        {
            if (string.IsNullOrEmpty(t.Table) || string.IsNullOrEmpty(t.Blob) || t.Blob.Contains('/', StringComparison.Ordinal) || t.Rows < 0 || t.Sha256 is not { Length: 64 })
            {
                throw new BackupException($"The manifest's entry for table '{t.Table}' is incomplete (blob, rows and a SHA-256 are required).");
            }
        }

        if (manifest.Tables.Select(t => t.Table).Distinct(StringComparer.OrdinalIgnoreCase).Count() != manifest.Tables.Count)
        {
            throw new BackupException("The manifest names a table twice.");
        }

        return manifest;
    }
}

/// <summary>An export that cannot be listed, verified or restored as asked; the message says why (shown to the operator).</summary>
public sealed class BackupException(string message) : Exception(message);
