namespace Voucher.Workflows.Evidence;

/// <summary>A validated evidence file of a redemption. PartitionKey = redemption id, RowKey = kind (report, contract, payment).</summary>
public sealed class EvidenceEntity : TableRow
{
    public string BlobName { get; set; } = "";

    public long Size { get; set; }

    public string Sha256 { get; set; } = "";

    public string ContentType { get; set; } = "";

    public string OriginalFileName { get; set; } = "";

    public DateTimeOffset UploadedAt { get; set; }

    public string UploadedBy { get; set; } = "";

    /// <summary>The payment proof's 付款日期 as the enterprise declared it (<c>yyyy-MM-dd</c>); null for other kinds and older rows.</summary>
    public string? PaidOn { get; set; }
}
