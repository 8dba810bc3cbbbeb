using System.Runtime.Serialization;

namespace Voucher.Workflows.Redemptions;

/// <summary>
/// A redemption (兑付申请). PartitionKey = the enterprise's USCC, RowKey = the redemption id
/// <c>{voucherId}-R{n}</c>, which carries the USCC, so a point read needs only the id.
/// Stage times are kept for the cycle-time statistics.
/// </summary>
public sealed class RedemptionEntity : TableRow
{
    public string RedemptionId => RowKey;

    public string Uscc => PartitionKey;

    public string EnterpriseName { get; set; } = "";

    public string VoucherId { get; set; } = "";

    public string CityCode { get; set; } = "";

    public string InstitutionId { get; set; } = "";

    public string InstitutionName { get; set; } = "";

    public string? ServiceId { get; set; }

    public string ServiceTitle { get; set; } = "";

    public string ServiceCategory { get; set; } = "";

    public bool CooperativeRd { get; set; }

    public string ContractNumber { get; set; } = "";

    public long AmountPaidFen { get; set; }

    /// <summary>What the row vouches for in its status view (<see cref="RedemptionViewKey"/>); null on a row written before it was kept.</summary>
    public string? ViewKey { get; set; }

    /// <summary>The blob of the result report the status view lists (<see cref="RedemptionViewKey.FileColumn"/>); null or empty: none.</summary>
    public string? ViewFileReport { get; set; }

    /// <summary>The blob of the contract the status view lists; null or empty: none.</summary>
    public string? ViewFileContract { get; set; }

    /// <summary>The blob of the payment proof the status view lists; null or empty: none.</summary>
    public string? ViewFilePayment { get; set; }

    /// <summary>The blob named for the file of kind <paramref name="slug"/> (<c>report</c>, <c>contract</c>, <c>payment</c>).</summary>
    public string? ViewFileOf(string slug) => slug switch
    {
        "report" => ViewFileReport,
        "contract" => ViewFileContract,
        "payment" => ViewFilePayment,
        _ => throw new ArgumentOutOfRangeException(nameof(slug), slug, "Unknown evidence kind"),
    };

    /// <summary>Names <paramref name="blobName"/> for the file of kind <paramref name="slug"/> (in memory: as <see cref="RedemptionViewKey.AnnounceFileAsync"/> stored it).</summary>
    public void NameViewFile(string slug, string blobName)
    {
        switch (slug)
        {
            case "report": ViewFileReport = blobName; break;
            case "contract": ViewFileContract = blobName; break;
            case "payment": ViewFilePayment = blobName; break;
            default: throw new ArgumentOutOfRangeException(nameof(slug), slug, "Unknown evidence kind");
        }
    }

    bool viewAnnounced;

    /// <summary>
    /// Inside a change of <see cref="RedemptionStore.UpdateAsync"/>: the step writes the history entry
    /// <paramref name="auditKey"/> next, so the row vouches for its view once that entry is in. A change that names none
    /// leaves the row touched (<see cref="RedemptionViewKey.Touched"/>).
    /// </summary>
    public void AnnounceEntry(string auditKey)
    {
        ViewKey = RedemptionViewKey.Announce(ViewKey, auditKey);
        viewAnnounced = true;
    }

    /// <summary>Inside a change: nothing the status view shows is written after the row for it (no entry, no file).</summary>
    public void AnnounceNothingElse() => viewAnnounced = true;

    /// <summary>Whether the change just made named its entry (and forgets it, for the next change).</summary>
    internal bool TakeAnnounced()
    {
        var announced = viewAnnounced;
        viewAnnounced = false;
        return announced;
    }

    RedemptionStatus status = RedemptionStatus.AwaitingBinding;

    /// <summary>Stored by name. Changed only by <see cref="MoveTo"/> and <see cref="TryMoveTo"/>, which hold to the domain's transition table.</summary>
    public RedemptionStatus Status { get => status; init => status = value; }

    BindingMode binding = Domain.BindingMode.System;

    /// <summary>
    /// How the institution binds the redemption, from the city's policy when the request was made; fixed from then on.
    /// Not a column itself: stored as <see cref="BindingMode"/>.
    /// </summary>
    [IgnoreDataMember]
    public BindingMode Binding { get => binding; init => binding = value; }

    /// <summary>
    /// The stored text of <see cref="Binding"/>, lowercase as rows have always recorded it (<c>system</c> | <c>seal</c>). It
    /// stays text: the table SDK parses enum columns by exact name and would read <c>seal</c> as the default, System.
    /// </summary>
    public string BindingMode { get => BindingModeText(binding); init => binding = ParseBindingMode(value); }

    public int BindingRound { get; set; }

    public string? BindingDeadline { get; set; }

    public string? BindingReminder { get; set; }

    /// <summary>The China date the current binding round was opened (its deadline counts from the next day).</summary>
    public string? BindingOpenedOn { get; set; }

    /// <summary>
    /// The time of the step that opened the current round (its input's time): the same step run again after a crash
    /// knows the round is its own and writes its audit entry and notice again (same keys). Null on rows from before.
    /// </summary>
    public DateTimeOffset? BindingRoundOpenedAt { get; set; }

    /// <summary>The calendar the binding deadline was counted with (<c>CalendarBasis</c> text, e.g. <c>2026:1,2027:-</c>).</summary>
    public string? BindingBasis { get; set; }

    /// <summary>When the binding deadline was last counted again after a calendar publication, and what that changed.</summary>
    public DateTimeOffset? BindingReplannedAt { get; set; }

    public string? BindingReplanNote { get; set; }

    public bool Bound { get; set; }

    public string? BoundBy { get; set; }

    public string? DisputeReason { get; set; }

    public bool EvidenceComplete { get; set; }

    /// <summary>The year whose annual cap the pay-out counts against.</summary>
    public int CapYear { get; set; }

    public long PayoutFen { get; set; }

    /// <summary>What the pay-out would have been without the annual cap, when the cap reduced it; 0 otherwise.</summary>
    public long CappedFromFen { get; set; }

    /// <summary>The pay-out computation with every step, for auditors.</summary>
    public string? PayoutJson { get; set; }

    public int PolicyVersion { get; set; }

    public string? WithdrawnBy { get; set; }

    public DateTimeOffset SubmittedAt { get; set; }

    public DateTimeOffset? BoundAt { get; set; }

    public DateTimeOffset? EvidenceCompleteAt { get; set; }

    public DateTimeOffset? QueuedAt { get; set; }

    public DateTimeOffset? WithdrawnAt { get; set; }

    public string? BatchId { get; set; }

    public DateTimeOffset? InBatchAt { get; set; }

    public DateTimeOffset? ReviewedAt { get; set; }

    public string? RejectReason { get; set; }

    public DateTimeOffset? PublishedAt { get; set; }

    public DateTimeOffset? PayableAt { get; set; }

    public string? PaymentReference { get; set; }

    public string? PaidOn { get; set; }

    public DateTimeOffset? PaidAt { get; set; }

    public string? PaidBy { get; set; }

    /// <summary>
    /// The advance (事前兑付) approved for a trusted enterprise when the redemption was queued; 0 when none. It counts as
    /// paid only once the finance bureau confirms it (<see cref="AdvancePaidAt"/>): until then nothing moved, so nothing
    /// is clawed back, and a final payment before it pays the whole pay-out.
    /// </summary>
    public long PrepaidFen { get; set; }

    /// <summary>When the advance was approved (the queue step).</summary>
    public DateTimeOffset? PrepaidAt { get; set; }

    /// <summary>When the finance bureau confirmed paying the advance; null while it is only approved.</summary>
    public DateTimeOffset? AdvancePaidAt { get; set; }

    public string? AdvancePaidOn { get; set; }

    public string? AdvanceReference { get; set; }

    public string? AdvancePaidBy { get; set; }

    /// <summary>The advance actually paid: <see cref="PrepaidFen"/> once confirmed, else 0.</summary>
    public long AdvancePaidFen => AdvancePaidAt is null ? 0 : PrepaidFen;

    /// <summary>What the finance bureau's confirmation paid: the pay-out less the advance paid before it.</summary>
    public long FinalPaidFen { get; set; }

    /// <summary>Set when a violation stopped this redemption.</summary>
    public string? StoppedByViolation { get; set; }

    /// <summary>When it was stopped (a violation, or the annual cap used up when it was to be queued); the reason is in <see cref="RejectReason"/>.</summary>
    public DateTimeOffset? StoppedAt { get; set; }

    /// <summary>The bureau's resolution of the objections: when, by whom, why, and the status it led to (Rejected, Published, Payable).</summary>
    public DateTimeOffset? ObjectionResolvedAt { get; set; }

    public string? ObjectionResolvedBy { get; set; }

    public string? ObjectionResolution { get; set; }

    public string? ObjectionResolvedTo { get; set; }

    /// <summary>When the money side of a final outcome (ledger, voucher use, notice) was done.</summary>
    public DateTimeOffset? SettledAt { get; set; }

    /// <summary>The status (the name <see cref="Status"/> is stored under; kept for readers written before it was typed).</summary>
    public RedemptionStatus State => status;

    public static string BindingModeText(BindingMode mode) => mode.ToString().ToLowerInvariant();

    static BindingMode ParseBindingMode(string? text) =>
        Enum.TryParse<BindingMode>(text, ignoreCase: true, out var mode) && Enum.IsDefined(mode)
            ? mode
            : throw new DomainException($"兑付确认方式无效：{text} (Unknown binding mode '{text}')");

    /// <summary>Moves to <paramref name="to"/>; throws <see cref="DomainException"/> when the transition table does not allow it.</summary>
    public void MoveTo(RedemptionStatus to)
    {
        RedemptionTransitions.Ensure(status, to);
        status = to;
    }

    /// <summary>Moves to <paramref name="to"/> when the table allows it and it is a change; returns the status left, else null.</summary>
    public RedemptionStatus? TryMoveTo(RedemptionStatus to)
    {
        var from = status;
        if (from == to || !RedemptionTransitions.IsAllowed(from, to))
        {
            return null;
        }

        status = to;
        return from;
    }
}

/// <summary>
/// Listing rows: PartitionKey <c>inst:{id}</c> (the institution's binding list) and <c>city:{code}</c> (the
/// bureau's view); RowKey = redemption id.
/// </summary>
public sealed class RedemptionIndexEntity : TableRow
{
    public string EnterpriseName { get; set; } = "";

    public string InstitutionName { get; set; } = "";

    public string ServiceTitle { get; set; } = "";

    public long AmountPaidFen { get; set; }

    public long PayoutFen { get; set; }

    public string? PaidOn { get; set; }

    public RedemptionStatus Status { get; set; }

    public string? BindingDeadline { get; set; }

    /// <summary>The binding deadline was counted across a year whose holiday arrangement is not published (推定).</summary>
    public bool BindingProvisional { get; set; }

    public int BindingRound { get; set; }

    public DateTimeOffset SubmittedAt { get; set; }

    /// <summary>The approved advance (事前兑付), and whether the finance bureau has confirmed paying it: its list of advances due.</summary>
    public long PrepaidFen { get; set; }

    public bool AdvancePaid { get; set; }

    /// <summary>The settlement batch the redemption was frozen into (the batches work list's counts and pay-out totals); null before, and on rows written before it was indexed.</summary>
    public string? BatchId { get; set; }
}

/// <summary>The settlement queue of a city: PartitionKey = city, RowKey = <c>{queuedAt ticks}-{redemptionId}</c> (cut-off = range query).</summary>
public sealed class SettlementQueueEntity : TableRow
{
    public string RedemptionId { get; set; } = "";

    public long PayoutFen { get; set; }

    public DateTimeOffset QueuedAt { get; set; }
}
