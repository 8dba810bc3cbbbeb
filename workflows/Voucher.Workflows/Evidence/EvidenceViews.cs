using Voucher.Workflows.Web;

namespace Voucher.Workflows.Evidence;

/// <summary>One of a redemption's three documents as a page shows it: by its original name and type, size in KB/MB, the hash aside.</summary>
public sealed record EvidenceFileView(
    string Slug,
    string KindName,
    bool Present,
    string FileName,
    string? FormatName,
    string? SizeText,
    string? Sha256,
    DateTimeOffset? UploadedAt,
    string? DownloadHref);

/// <summary>
/// The evidence section of a redemption page: the three documents, whether the viewer may upload (and why not), the size
/// limit, how many are missing.
/// </summary>
public sealed record EvidenceSectionModel(string RedemptionId, IReadOnlyList<EvidenceFileView> Files, bool CanUpload, string? LockedReason, string Limit, int Missing)
{
    public static EvidenceSectionModel Of(string redemptionId, IReadOnlyList<EvidenceEntity> files, bool canUpload, string? lockedReason, bool canDownload, long maxBytes) =>
        new(redemptionId,
            EvidenceRules.Required.Select(kind => View(redemptionId, kind, files.FirstOrDefault(f => f.RowKey == EvidenceRules.Slug(kind)), canDownload)).ToList(),
            canUpload,
            lockedReason,
            EvidenceFileNames.Size(maxBytes),
            EvidenceRules.Required.Count(k => files.All(f => f.RowKey != EvidenceRules.Slug(k))));

    public static EvidenceFileView View(string redemptionId, EvidenceKind kind, EvidenceEntity? file, bool canDownload)
    {
        var slug = EvidenceRules.Slug(kind);
        if (file is null)
        {
            return new EvidenceFileView(slug, Glossary.Of(kind), false, "", null, null, null, null, null);
        }

        var format = Enum.GetValues<EvidenceFormat>().Where(f => EvidenceRules.ContentType(f) == file.ContentType).Select(f => (EvidenceFormat?)f).FirstOrDefault();
        // Files stored before their names were kept are named by their kind.
        var name = file.OriginalFileName is { Length: > 0 } original ? original : $"{Glossary.Of(kind)}（未记录原文件名）";
        return new EvidenceFileView(slug, Glossary.Of(kind), true, name, format is { } f ? Glossary.Of(f) : null, EvidenceFileNames.Size(file.Size), file.Sha256,
            file.UploadedAt, canDownload ? $"/portal/redemptions/{Uri.EscapeDataString(redemptionId)}/evidence/{slug}" : null);
    }
}
