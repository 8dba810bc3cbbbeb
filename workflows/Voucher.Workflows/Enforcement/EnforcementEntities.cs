namespace Voucher.Workflows.Enforcement;

/// <summary>
/// A violation (弄虚作假): table <c>Violations</c>, PartitionKey = the enterprise's city, RowKey = violation id. The shape
/// (<c>Uscc</c>, <c>DecidedOn</c>, <c>Reason</c>, <c>DecidedBy</c>) is read by the province's evaluation; keep it.
/// </summary>
public sealed class ViolationEntity : TableRow
{
    public string ViolationId => RowKey;

    public string CityCode => PartitionKey;

    public string Uscc { get; set; } = "";

    public string EnterpriseName { get; set; } = "";

    /// <summary>The decision date (midnight China time of that day).</summary>
    public DateTimeOffset DecidedOn { get; set; }

    public string Reason { get; set; } = "";

    public string DecidedBy { get; set; } = "";

    /// <summary>Last day of the three-year bar (yyyy-MM-dd, inclusive).</summary>
    public string BarredUntil { get; set; } = "";

    /// <summary>manual (recorded by the province or a bureau) or audit (a pre-paid redemption failed its audit).</summary>
    public string Source { get; set; } = "manual";

    /// <summary>Named redemptions, comma-separated.</summary>
    public string RedemptionIds { get; set; } = "";

    /// <summary>Open redemptions this violation stopped, comma-separated.</summary>
    public string StoppedRedemptionIds { get; set; } = "";

    /// <summary>What this violation claws back: only money no earlier claw-back claimed.</summary>
    public long ClawBackFen { get; set; }

    /// <summary>Claw-backs of earlier violations that already claim money of the named redemptions, comma-separated: pointed to, not repeated.</summary>
    public string ExistingClawBackIds { get; set; } = "";

    public int EvidenceCount { get; set; }

    public DateTimeOffset RecordedAt { get; set; }
}

/// <summary>Violations of one enterprise: table <c>ViolationsByUscc</c>, PartitionKey = USCC, RowKey = violation id (the bar check reads one partition).</summary>
public sealed class ViolationIndexEntity : TableRow
{
    public string CityCode { get; set; } = "";

    public DateTimeOffset DecidedOn { get; set; }

    public string BarredUntil { get; set; } = "";

    public string Reason { get; set; } = "";
}

/// <summary>A file of a violation's evidence: table <c>ViolationEvidence</c>, PartitionKey = violation id, RowKey = <c>file-{n}</c>.</summary>
public sealed class ViolationEvidenceEntity : TableRow
{
    public string BlobName { get; set; } = "";

    public long Size { get; set; }

    public string Sha256 { get; set; } = "";

    public string ContentType { get; set; } = "";

    public string OriginalFileName { get; set; } = "";

    public DateTimeOffset UploadedAt { get; set; }

    public string UploadedBy { get; set; } = "";
}

/// <summary>
/// Money to recover: table <c>ClawBacks</c>, PartitionKey = city (the finance bureau's list), RowKey =
/// <c>{violationId}~{redemptionId}</c>. <see cref="ClawBackStatus.Due"/> until the finance bureau confirms the money came back.
/// </summary>
public sealed class ClawBackEntity : TableRow
{
    public string ClawBackId => RowKey;

    public string ViolationId { get; set; } = "";

    public string RedemptionId { get; set; } = "";

    public string Uscc { get; set; } = "";

    public string EnterpriseName { get; set; } = "";

    public long AmountFen { get; set; }

    /// <summary>paid (a paid redemption) or prepaid (an advance whose audit failed).</summary>
    public string Kind { get; set; } = "paid";

    ClawBackStatus status = ClawBackStatus.Due;
    string? reference;
    string? confirmedBy;
    DateTimeOffset? confirmedAt;

    /// <summary>Stored by name. Changed only by <see cref="MoveTo"/> (through <see cref="Confirm"/>), which holds to the domain's transition table.</summary>
    public ClawBackStatus Status { get => status; init => status = value; }

    public DateTimeOffset CreatedAt { get; set; }

    /// <summary>The finance bureau's recovery reference (凭证号), set with the confirmation.</summary>
    public string? Reference { get => reference; init => reference = value; }

    public string? ConfirmedBy { get => confirmedBy; init => confirmedBy = value; }

    public DateTimeOffset? ConfirmedAt { get => confirmedAt; init => confirmedAt = value; }

    public static string IdFor(string violationId, string redemptionId) => $"{violationId}~{redemptionId}";

    /// <summary>Moves to <paramref name="to"/>; throws <see cref="DomainException"/> when the transition table does not allow it.</summary>
    public void MoveTo(ClawBackStatus to)
    {
        ClawBackTransitions.Ensure(status, to);
        status = to;
    }

    /// <summary>The finance bureau confirms the money came back: Due → Confirmed with who, when and the reference.</summary>
    public void Confirm(string recoveryReference, string by, DateTimeOffset at)
    {
        MoveTo(ClawBackStatus.Confirmed);
        reference = recoveryReference;
        confirmedBy = by;
        confirmedAt = at;
    }
}

/// <summary>
/// One part of the money paid on a redemption — <c>advance</c> (a pre-payment the finance bureau confirmed) or <c>final</c>
/// (the finance bureau's payment) — claimed by the one claw-back that recovers it: table <c>ClawBacks</c>, PartitionKey
/// <c>claim:{redemptionId}</c>, RowKey = the part. Inserted once (first writer wins), so a second violation naming the
/// redemption points to that claw-back instead of clawing the same money back again.
/// </summary>
public sealed class ClawBackClaimEntity : TableRow
{
    public const string Advance = "advance";
    public const string Final = "final";

    public string ClawBackId { get; set; } = "";

    public string ViolationId { get; set; } = "";

    public long AmountFen { get; set; }

    public DateTimeOffset ClaimedAt { get; set; }

    public static string PartitionFor(string redemptionId) => $"claim:{redemptionId}";
}

/// <summary>
/// The enterprise's credit file (信用记录): table <c>CreditHistory</c>, PartitionKey = USCC, RowKey =
/// <c>{kind}~{reference}</c> (fixed, so a retried step writes the same row).
/// </summary>
public sealed class CreditEntryEntity : TableRow
{
    /// <summary>prepaid, audit-passed, audit-failed, violation, clawback-confirmed.</summary>
    public string Kind { get; set; } = "";

    public string Reference { get; set; } = "";

    public DateTimeOffset At { get; set; }

    public long AmountFen { get; set; }

    public string Detail { get; set; } = "";
}

/// <summary>A member of the expert pool: table <c>Experts</c>, PartitionKey = "pool", RowKey = expert id (the sign-in scope).</summary>
public sealed class ExpertEntity : TableRow
{
    public const string Pool = "pool";

    public string ExpertId => RowKey;

    public string Name { get; set; } = "";

    /// <summary>Fields of expertise (service categories or free words), comma-separated.</summary>
    public string Fields { get; set; } = "";

    /// <summary>Affiliation: the institution id (a conflict when the redemption is with it).</summary>
    public string AffiliationInstitutionId { get; set; } = "";

    public string Affiliation { get; set; } = "";

    /// <summary>Declared ties to enterprises (USCCs), comma-separated.</summary>
    public string TiedUsccs { get; set; } = "";

    public bool Active { get; set; } = true;

    public string UpdatedBy { get; set; } = "";

    public DateTimeOffset UpdatedAt { get; set; }

    // Methods, not properties: the table client would try to store a property.
    public IReadOnlyList<string> FieldList() => Split(Fields);

    public IReadOnlyList<string> TieList() => Split(TiedUsccs);

    public Voucher.Domain.ExpertTies Ties() => new(ExpertId, AffiliationInstitutionId, TieList());

    public static IReadOnlyList<string> Split(string? value) =>
        (value ?? "").Split([',', '，', ';', '；', '\n'], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
}

/// <summary>
/// An opinion asked of an expert, kept with the redemption: table <c>ExpertOpinions</c>, PartitionKey = redemption id,
/// RowKey = expert id; the same row under PartitionKey <c>expert:{id}</c>, RowKey = redemption id, is the expert's list.
/// </summary>
public sealed class ExpertOpinionEntity : TableRow
{
    public string BatchId { get; set; } = "";

    public string RedemptionId { get; set; } = "";

    public string ExpertId { get; set; } = "";

    public string EnterpriseName { get; set; } = "";

    public string ServiceTitle { get; set; } = "";

    public string Field { get; set; } = "";

    public string RequestedBy { get; set; } = "";

    public DateTimeOffset RequestedAt { get; set; }

    public string? Opinion { get; set; }

    public DateTimeOffset? OpinionAt { get; set; }

    public static string ExpertPartition(string expertId) => $"expert:{expertId}";
}
