namespace Voucher.Workflows.Settlement;

/// <summary>A city's settlement batch for one period. PartitionKey = city, RowKey = period id; batch id = <c>{city}-{period}</c>.</summary>
public sealed class BatchEntity : TableRow
{
    public string BatchId => $"{PartitionKey}-{RowKey}";

    public string CityCode => PartitionKey;

    public string PeriodId => RowKey;

    public DateTimeOffset CutoffUtc { get; set; }

    BatchStage stage = BatchStage.Forming;

    /// <summary>Stored by name. Changed only by <see cref="MoveTo"/>, which holds to the domain's transition table.</summary>
    public BatchStage Stage { get => stage; init => stage = value; }

    public int ItemCount { get; set; }

    public int ChunkCount { get; set; }

    public int PolicyVersion { get; set; }

    public string StartedBy { get; set; } = "";

    public DateTimeOffset FormedAt { get; set; }

    public DateTimeOffset? SubmittedAt { get; set; }

    public string? SubmittedBy { get; set; }

    public string? PublicityStart { get; set; }

    public string? PublicityEnd { get; set; }

    /// <summary>The instant objections stop being accepted (end of the last publicity day, China time).</summary>
    public DateTimeOffset? PublicityEndsAt { get; set; }

    /// <summary>The calendar the publicity end was counted with (<c>CalendarBasis</c> text; empty for a window in minutes).</summary>
    public string? PublicityBasis { get; set; }

    /// <summary>When the end was last counted again after a calendar publication, and what that changed (for its audit entry).</summary>
    public DateTimeOffset? PublicityReplannedAt { get; set; }

    public string? PublicityReplanNote { get; set; }

    public DateTimeOffset? ClosedAt { get; set; }

    /// <summary>
    /// The review's totals are kept on this row (<see cref="KeptTotals"/>): set when the review opens (or on the first
    /// page of a batch formed before), then moved by every decision save. False: the totals below mean nothing yet.
    /// </summary>
    public bool TotalsKept { get; set; }

    /// <summary>Rows of the batch, their pay-out and what the enterprises paid, the rows decided each way and those with a risk flag.</summary>
    public int TotalCount { get; set; }

    public long TotalPayoutFen { get; set; }

    public long TotalPaidFen { get; set; }

    public int TotalApproved { get; set; }

    public int TotalRejected { get; set; }

    public int TotalFlagged { get; set; }

    /// <summary>The review's filter choices: institutions as JSON <c>[["id","name"],…]</c> and service categories as JSON <c>["code",…]</c>.</summary>
    public string? ReviewInstitutions { get; set; }

    public string? ReviewCategories { get; set; }

    /// <summary>
    /// Decision saves under way, as JSON <c>{"token":"start instant"}</c>: a save names itself here before it writes rows
    /// and adds its change to the totals (removing its name) after; while any is named, the totals are not trusted.
    /// </summary>
    public string? TotalsPending { get; set; }

    /// <summary>When a decision save last changed the rows (a merge of it gives the row a new ETag, the review cache's key).</summary>
    public DateTimeOffset? ReviewChangedAt { get; set; }

    /// <summary>Moves to <paramref name="to"/>; throws <see cref="DomainException"/> when the transition table does not allow it.</summary>
    public void MoveTo(BatchStage to)
    {
        BatchTransitions.Ensure(stage, to);
        stage = to;
    }
}

/// <summary>One redemption in a batch, with the bureau's row decision. PartitionKey = batch id, RowKey = redemption id.</summary>
public sealed class BatchItemEntity : TableRow
{
    public string RedemptionId => RowKey;

    public int Chunk { get; set; }

    public string Uscc { get; set; } = "";

    public string EnterpriseName { get; set; } = "";

    public string InstitutionId { get; set; } = "";

    public string InstitutionName { get; set; } = "";

    public string ServiceTitle { get; set; } = "";

    public string ServiceCategory { get; set; } = "";

    public long AmountPaidFen { get; set; }

    public long PayoutFen { get; set; }

    /// <summary>The pay-out before the annual cap when the cap reduced it (0 otherwise), and the cap year it counts toward.</summary>
    public long CappedFromFen { get; set; }

    public int CapYear { get; set; }

    public string BindingMode { get; set; } = "";

    public string? BoundBy { get; set; }

    string decision = "";

    /// <summary>Stored as <c>approve</c>, <c>reject</c> or empty (undecided); changed only by <see cref="Decide"/>.</summary>
    public string Decision { get => decision; init => decision = value; }

    public string? Reason { get; set; }

    public string? DecidedBy { get; set; }

    public string? ExpertId { get; set; }

    /// <summary>The risk flags computed when the item entered the batch: <see cref="RiskRules"/> codes, comma-separated; empty when none.</summary>
    public string RiskFlags { get; set; } = "";

    /// <summary>Each flag's reason for the officer, as JSON <c>[{"rule":"shared-evidence","reason":"…"}]</c>; null when none.</summary>
    public string? RiskReasons { get; set; }

    /// <summary>When the flags were computed (null until then) and the province policy version whose rules were used.</summary>
    public DateTimeOffset? RiskCheckedAt { get; set; }

    public int RiskPolicyVersion { get; set; }

    /// <summary>The flags the officer saw when deciding this row (codes as in <see cref="RiskFlags"/>), recorded with the decision.</summary>
    public string? FlagsSeen { get; set; }

    public DateTimeOffset? ExpertRequestedAt { get; set; }

    public string? ExpertOpinion { get; set; }

    public DateTimeOffset? ExpertOpinionAt { get; set; }

    /// <summary>The bureau's decision on this row (<see cref="Decision"/> as stored).</summary>
    public RowVerdict Verdict => RowVerdicts.Parse(decision);

    /// <summary>
    /// Records the bureau's decision: a rejection keeps its reason, an approval or an undecided row a remark if there
    /// is one; who decided is kept only for a decision.
    /// </summary>
    public void Decide(RowVerdict verdict, string? reason, string actor)
    {
        decision = RowVerdicts.Name(verdict);
        Reason = verdict == RowVerdict.Reject ? reason : reason is { Length: > 0 } ? reason : null;
        DecidedBy = verdict == RowVerdict.Undecided ? null : actor;
    }

    /// <summary>Asks <paramref name="expertId"/> for an opinion on this row, dropping any earlier one.</summary>
    public void AskExpert(string expertId, DateTimeOffset at)
    {
        ExpertId = expertId;
        ExpertRequestedAt = at;
        ExpertOpinion = null;
        ExpertOpinionAt = null;
    }
}

/// <summary>An objection filed during publicity. PartitionKey = redemption id, RowKey = objection id. The contact is personal data: table only.</summary>
public sealed class ObjectionEntity : TableRow
{
    public string BatchId { get; set; } = "";

    /// <summary>The receipt number (受理编号) the objector was given (<see cref="ReceiptNumbers"/>); empty for objections filed before receipts.</summary>
    public string ReceiptNo { get; set; } = "";

    public string Contact { get; set; } = "";

    public string Grounds { get; set; } = "";

    public DateTimeOffset FiledAt { get; set; }

    ObjectionStatus status = ObjectionStatus.Open;

    /// <summary>Stored by name. Changed only by <see cref="Resolve"/>, which holds to the domain's transition table.</summary>
    public ObjectionStatus Status { get => status; init => status = value; }

    public string? ResolvedBy { get; set; }

    public string? Resolution { get; set; }

    public DateTimeOffset? ResolvedAt { get; set; }

    /// <summary>The bureau's resolution: upheld or dismissed, once (throws <see cref="DomainException"/> for a resolved one).</summary>
    public void Resolve(bool uphold, string actor, string reason, DateTimeOffset at)
    {
        var to = uphold ? ObjectionStatus.Upheld : ObjectionStatus.Dismissed;
        ObjectionTransitions.Ensure(status, to);
        status = to;
        ResolvedBy = actor;
        Resolution = reason;
        ResolvedAt = at;
    }
}

/// <summary>Batches whose publicity is open (PartitionKey "open", RowKey = batch id): the public page reads one partition.</summary>
public sealed class PublicityIndexEntity : TableRow
{
    public string CityCode { get; set; } = "";

    public string PublicityStart { get; set; } = "";

    public string PublicityEnd { get; set; } = "";

    /// <summary>The end was counted across a year whose holiday arrangement is not published (推定).</summary>
    public bool PublicityProvisional { get; set; }
}
