namespace Voucher.Workflows.Vouchers;

/// <summary>
/// An issued voucher. PartitionKey = the enterprise's USCC, RowKey = voucher id <c>V-{applicationId}</c>: one
/// voucher per approved application, so issuing twice writes nothing new.
/// </summary>
public sealed class VoucherEntity : TableRow
{
    public string VoucherId => RowKey;

    public string Uscc => PartitionKey;

    public string ApplicationId { get; set; } = "";

    public string CityCode { get; set; } = "";

    public long FaceValueFen { get; set; }

    public long UsedFen { get; set; }

    /// <summary>Redemption id → face value used by it (paid redemptions only).</summary>
    public string UsageJson { get; set; } = "{}";

    public string IssuedOn { get; set; } = "";

    public string ExpiresOn { get; set; } = "";

    public DateTimeOffset IssuedAt { get; set; }

    public int PolicyVersion { get; set; }

    public bool Revoked { get; set; }

    public static string IdFor(string applicationId) => $"V-{applicationId}";

    public static string? UsccOf(string voucherId) =>
        voucherId.StartsWith("V-", StringComparison.Ordinal) && voucherId.Length > 20 ? voucherId.Substring(2, 18) : null;
}
