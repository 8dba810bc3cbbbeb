using Voucher.Workflows.Storage;

namespace Voucher.Workflows.Settlement;

/// <summary>A city's settlement batch for one period. PartitionKey = city, RowKey = period id; batch id = <c>{city}-{period}</c>.</summary>
public sealed class BatchEntity : TableRow
{
    public string BatchId => $"{PartitionKey}-{RowKey}";

    public string CityCode => PartitionKey;

    public string PeriodId => RowKey;

    public DateTimeOffset CutoffUtc { get; set; }

    /// <summary>Forming, Reviewing, Deciding, Publicity, Closed.</summary>
    public string Stage { get; set; } = "Forming";

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

    /// <summary>"", approve or reject.</summary>
    public string Decision { get; set; } = "";

    public string? Reason { get; set; }

    public string? DecidedBy { get; set; }

    public string? ExpertId { get; set; }

    public DateTimeOffset? ExpertRequestedAt { get; set; }

    public string? ExpertOpinion { get; set; }

    public DateTimeOffset? ExpertOpinionAt { get; set; }

    /// <summary>Final outcome written by the fan-out: Published, Rejected, Payable, or empty.</summary>
    public string Outcome { get; set; } = "";
}

/// <summary>An objection filed during publicity. PartitionKey = redemption id, RowKey = objection id. The contact is personal data: table only.</summary>
public sealed class ObjectionEntity : TableRow
{
    public string BatchId { get; set; } = "";

    public string Contact { get; set; } = "";

    public string Grounds { get; set; } = "";

    public DateTimeOffset FiledAt { get; set; }

    /// <summary>Open, Upheld, Dismissed.</summary>
    public string Status { get; set; } = "Open";

    public string? ResolvedBy { get; set; }

    public string? Resolution { get; set; }

    public DateTimeOffset? ResolvedAt { get; set; }
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
