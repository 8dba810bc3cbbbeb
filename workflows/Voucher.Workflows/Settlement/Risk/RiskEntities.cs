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
/// One use of an evidence file. PartitionKey = the file's SHA-256 (hex, lower case), RowKey = <c>{redemptionId}|{kind}</c>;
/// or, once two redemptions use a file, its marker: PartitionKey <see cref="SharedPartition"/>, RowKey = the SHA-256.
/// Written through <see cref="EvidenceHashIndex"/> when the file is recorded (<see cref="Evidence.EvidenceStore"/>)
/// and, for a redemption whose fact is missing or older, by the batch check's first pass (<see cref="IndexRiskChunk"/>):
/// idempotent upserts.
/// </summary>
public sealed class EvidenceHashEntity : TableRow
{
    /// <summary>The markers' partition (a SHA-256 in hex never starts with "~").</summary>
    public const string SharedPartition = "~shared";

    public string RedemptionId { get; set; } = "";

    public string Kind { get; set; } = "";

    public static EvidenceHashEntity For(string sha256, string redemptionId, string kind) => new()
    {
        PartitionKey = sha256, RowKey = $"{redemptionId}|{kind}", RedemptionId = redemptionId, Kind = kind,
    };

    public static EvidenceHashEntity Shared(string sha256) => new() { PartitionKey = SharedPartition, RowKey = sha256 };
}

/// <summary>
/// A redemption as the risk rules need it. PartitionKey = institution id, RowKey = redemption id. Written by
/// <see cref="RiskFactWriter"/> when the redemption is queued, or by <see cref="IndexRiskChunk"/> for an item without
/// one, before any item of the batch is flagged. No personal data: the enterprise's contacts only as fingerprints.
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

    /// <summary>
    /// The enterprise's contacts when the redemption was queued, as <see cref="ContactPrints"/>: the flag pass reads the
    /// enterprise's profile only when one matches the institution's.
    /// </summary>
    public string EnterprisePrints { get; set; } = "";

    /// <summary>What the writer recorded (<see cref="CurrentShape"/>); the batch check rewrites a fact of an older shape.</summary>
    public int Shape { get; set; }

    /// <summary>2: with <see cref="EnterprisePrints"/>, and the files' markers in <see cref="EvidenceHashEntity.SharedPartition"/>.</summary>
    public const int CurrentShape = 2;

    /// <summary>The fact of a redemption from its voucher and enterprise profile (null when missing) and its evidence rows.</summary>
    public static RiskFactEntity Of(Redemptions.RedemptionEntity r, Vouchers.VoucherEntity? voucher, IReadOnlyList<Evidence.EvidenceEntity> files, Enterprises.EnterpriseEntity? enterprise) => new()
    {
        Shape = CurrentShape,
        EnterprisePrints = ContactPrints.Of(enterprise is null ? null : new PartyContacts(enterprise.ContactName, enterprise.ContactPhone, enterprise.Address)),
        PartitionKey = r.InstitutionId,
        RowKey = r.RedemptionId,
        Uscc = r.Uscc,
        SubmittedAt = r.SubmittedAt,
        FaceValueFen = voucher?.FaceValueFen ?? 0,
        AtFaceValue = voucher is { FaceValueFen: > 0 } v && r.AmountPaidFen == v.FaceValueFen,
        VoucherIssuedOn = voucher?.IssuedOn is { Length: > 0 } issued ? issued : null,
        PaidOn = files.FirstOrDefault(f => f.RowKey == EvidenceRules.Slug(EvidenceKind.Payment))?.PaidOn,
        Files = string.Join(',', files.Where(f => f.Sha256.Length > 0).OrderBy(f => f.RowKey, StringComparer.Ordinal).Select(f => $"{f.RowKey}:{f.Sha256}")),
    };
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
