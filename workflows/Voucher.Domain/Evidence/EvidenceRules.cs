namespace Voucher.Domain;

/// <summary>The three documents a redemption needs (成果报告、服务/研发合同、支付凭证).</summary>
public enum EvidenceKind
{
    Report,
    Contract,
    Payment,
}

public enum EvidenceFormat
{
    Pdf,
    Png,
    Jpeg,
}

/// <summary>
/// Evidence is judged by its content, never by the declared type: the first bytes must be a PDF, PNG or JPEG
/// signature, and the size within the configured limit (default 20 MB).
/// </summary>
public static class EvidenceRules
{
    public const long DefaultMaxBytes = 20L * 1024 * 1024;

    /// <summary>How many leading bytes <see cref="Detect"/> needs.</summary>
    public const int SniffLength = 8;

    public static IReadOnlyList<EvidenceKind> Required { get; } = [EvidenceKind.Report, EvidenceKind.Contract, EvidenceKind.Payment];

    public static string Slug(EvidenceKind kind) => kind.ToString().ToLowerInvariant();

    public static bool TryParseKind(string? value, out EvidenceKind kind)
    {
        foreach (var k in Required)
        {
            if (string.Equals(Slug(k), value, StringComparison.Ordinal))
            {
                kind = k;
                return true;
            }
        }

        kind = default;
        return false;
    }

    public static string Chinese(EvidenceKind kind) => kind switch
    {
        EvidenceKind.Report => "成果报告",
        EvidenceKind.Contract => "服务或研发合同",
        EvidenceKind.Payment => "支付凭证",
        _ => kind.ToString(),
    };

    public static EvidenceFormat? Detect(ReadOnlySpan<byte> head)
    {
        if (head.StartsWith("%PDF-"u8))
        {
            return EvidenceFormat.Pdf;
        }

        if (head.StartsWith(new byte[] { 0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A }))
        {
            return EvidenceFormat.Png;
        }

        if (head.StartsWith(new byte[] { 0xFF, 0xD8, 0xFF }))
        {
            return EvidenceFormat.Jpeg;
        }

        return null;
    }

    public static string ContentType(EvidenceFormat format) => format switch
    {
        EvidenceFormat.Pdf => "application/pdf",
        EvidenceFormat.Png => "image/png",
        EvidenceFormat.Jpeg => "image/jpeg",
        _ => "application/octet-stream",
    };

    /// <summary>Null when acceptable; otherwise a bilingual message naming the rule.</summary>
    public static string? Validate(long size, ReadOnlySpan<byte> head, long maxBytes)
    {
        if (size <= 0)
        {
            return "文件为空 (The file is empty)";
        }

        if (size > maxBytes)
        {
            var limit = maxBytes % (1024 * 1024) == 0
                ? $"{maxBytes / (1024 * 1024)} MB"
                : $"{maxBytes.ToString("N0", System.Globalization.CultureInfo.InvariantCulture)} bytes";
            return $"文件超过 {limit} 上限 (The file exceeds the {limit} limit)";
        }

        return Detect(head) is null
            ? "仅接受 PDF、PNG 或 JPEG 文件（按文件内容判断）(Only PDF, PNG or JPEG files are accepted, judged by content)"
            : null;
    }
}
