namespace Voucher.Workflows.Settlement.Risk;

/// <summary>The tables of the risk check (created with the others, <see cref="VoucherStore.AllTables"/>).</summary>
public static class RiskTables
{
    /// <summary><see cref="EvidenceHashEntity"/>: which redemptions used a file, by its SHA-256.</summary>
    public const string EvidenceHashes = "EvidenceHashes";

    /// <summary><see cref="RiskFactEntity"/>: redemptions by institution, for the burst and repeated-face-value rules.</summary>
    public const string RiskFacts = "RiskFacts";

    /// <summary><see cref="FlaggedItemEntity"/>: flagged batch items by city, the province's list.</summary>
    public const string FlaggedItems = "RiskFlaggedItems";

    public static IReadOnlyList<string> All { get; } = [EvidenceHashes, RiskFacts, FlaggedItems];
}

/// <summary>
/// One use of an evidence file. PartitionKey = the file's SHA-256 (hex, lower case), RowKey = <c>{redemptionId}|{kind}</c>.
/// Written when the file is recorded (<see cref="Evidence.EvidenceStore"/>) and again, for rows recorded before this
/// index existed, by the risk check of every batch item (<see cref="IndexRiskChunk"/>): an idempotent upsert.
/// </summary>
public sealed class EvidenceHashEntity : TableRow
{
    public string RedemptionId { get; set; } = "";

    public string Kind { get; set; } = "";

    public static EvidenceHashEntity For(string sha256, string redemptionId, string kind) => new()
    {
        PartitionKey = sha256, RowKey = $"{redemptionId}|{kind}", RedemptionId = redemptionId, Kind = kind,
    };
}

/// <summary>
/// A checked redemption as the history rules need it. PartitionKey = institution id, RowKey = redemption id. Written by
/// <see cref="IndexRiskChunk"/> for every item of a batch before any item is flagged; no personal data.
/// </summary>
public sealed class RiskFactEntity : TableRow
{
    public string Uscc { get; set; } = "";

    public DateTimeOffset SubmittedAt { get; set; }

    public bool AtFaceValue { get; set; }

    public long FaceValueFen { get; set; }

    public string? VoucherIssuedOn { get; set; }

    /// <summary>The payment date the enterprise declared with its payment proof (<c>yyyy-MM-dd</c>), if any.</summary>
    public string? PaidOn { get; set; }

    /// <summary>The redemption's evidence files, <c>kind:sha256</c> comma-separated.</summary>
    public string Files { get; set; } = "";
}

/// <summary>
/// A flagged batch item for the province's cross-city list. PartitionKey = city code, RowKey = <c>{batchId}|{redemptionId}</c>.
/// Written (or removed when nothing is flagged) by <see cref="FlagRiskChunk"/> together with the item's flags.
/// </summary>
public sealed class FlaggedItemEntity : TableRow
{
    public string BatchId { get; set; } = "";

    public string PeriodId { get; set; } = "";

    public string RedemptionId { get; set; } = "";

    public string EnterpriseName { get; set; } = "";

    public string InstitutionName { get; set; } = "";

    public string ServiceTitle { get; set; } = "";

    public long AmountPaidFen { get; set; }

    public long PayoutFen { get; set; }

    public string RiskFlags { get; set; } = "";

    public string? RiskReasons { get; set; }

    public DateTimeOffset RiskCheckedAt { get; set; }

    public int RiskPolicyVersion { get; set; }

    public static string Key(string batchId, string redemptionId) => $"{batchId}|{redemptionId}";
}

/// <summary>The risk columns of a batch item, merged into its row (the rest of the row is left as it is).</summary>
public sealed class BatchItemRiskPatch : TableRow
{
    public string RiskFlags { get; set; } = "";

    public string? RiskReasons { get; set; }

    public DateTimeOffset? RiskCheckedAt { get; set; }

    public int RiskPolicyVersion { get; set; }
}

/// <summary>One chunk of a batch's risk check (ids and numbers only: no personal data in the orchestration's history).</summary>
public sealed record RiskChunkInput(string BatchId, int Chunk, int PolicyVersion, DateTime At);
