namespace Voucher.Workflows.Applications;

/// <summary>
/// A voucher application. PartitionKey = the enterprise's USCC (its applications list is one partition),
/// RowKey = the application id, which starts with the USCC so a point read needs only the id.
/// </summary>
public sealed class ApplicationEntity : TableRow
{
    public string ApplicationId => RowKey;

    public string Uscc => PartitionKey;

    public string EnterpriseName { get; set; } = "";

    public string CityCode { get; set; } = "";

    ApplicationStatus status = ApplicationStatus.Submitted;

    /// <summary>Stored by name. Changed only by <see cref="MoveTo"/>, which holds to the domain's transition table.</summary>
    public ApplicationStatus Status { get => status; init => status = value; }

    public long RequestedFaceValueFen { get; set; }

    public int Round { get; set; }

    public DateTimeOffset SubmittedAt { get; set; }

    /// <summary>
    /// Who submitted, as the audit records it (the USCC, or the enterprise "via agency:ID"). Set on rows whose
    /// "Submitted" audit row the eligibility step writes (<see cref="SubmittedAudit"/>); empty on older rows, whose
    /// submission wrote it.
    /// </summary>
    public string? SubmittedBy { get; set; }

    public DateTimeOffset? NotifiedAt { get; set; }

    /// <summary>The review deadline of the current round, a China calendar date (yyyy-MM-dd).</summary>
    public string? DeadlineDate { get; set; }

    public string? ReminderDate { get; set; }

    /// <summary>The calendar the deadline was counted with (<see cref="CalendarBasis"/> text, e.g. <c>2026:1,2027:-</c>).</summary>
    public string? DeadlineBasis { get; set; }

    /// <summary>When the deadline was last counted again after a calendar publication, and what that changed (for its audit entry).</summary>
    public DateTimeOffset? DeadlineReplannedAt { get; set; }

    public string? DeadlineReplanNote { get; set; }

    public DateTimeOffset? EscalatedAt { get; set; }

    public string? IneligibleReasons { get; set; }

    public bool? Approved { get; set; }

    public string? DecisionReason { get; set; }

    public string? DecidedBy { get; set; }

    public DateTimeOffset? DecidedAt { get; set; }

    public string? VoucherId { get; set; }

    public int PolicyVersion { get; set; }

    /// <summary>
    /// The row key of the last audit entry of this application, set by the same row write as the change it records (the
    /// step writes the entry just after): "" on a new row (its history is the submission, shown from the row itself),
    /// null on rows written before it was kept. A status GET answers 304 from this row alone once a full read found that
    /// entry stored (<see cref="ApplicationService.VersionTag"/>).
    /// </summary>
    public string? HistoryKey { get; set; }

    /// <summary>The status (the name <see cref="Status"/> is stored under; kept for readers written before it was typed).</summary>
    public ApplicationStatus State => status;

    /// <summary>Moves to <paramref name="to"/>; throws <see cref="DomainException"/> when the transition table does not allow it.</summary>
    public void MoveTo(ApplicationStatus to)
    {
        ApplicationTransitions.Ensure(status, to);
        status = to;
    }
}

/// <summary>
/// The "Submitted" audit row of an application. The submission request does not write it (one storage call fewer on
/// the request path): the eligibility step writes it together with the next change (to UnderReview or Ineligible) in one
/// entity-group transaction, from the application row, with the same row key as before. A row created without its
/// orchestration (crash between the two) is resumed by the next submission, and its eligibility step then writes it.
/// </summary>
public static class SubmittedAudit
{
    public const string Detail = "企业提交申请 (submitted)";

    /// <summary>The entry to write with the next change, or null for an older row (its submission wrote it).</summary>
    public static Audit.AuditEntry? EntryFor(ApplicationEntity app) =>
        string.IsNullOrEmpty(app.SubmittedBy)
            ? null
            : Audit.AuditLog.Entry(Audit.AuditSubjects.Application(app.ApplicationId), app.SubmittedBy, app.SubmittedAt, "", nameof(ApplicationStatus.Submitted), 0, Detail);
}

/// <summary>Listing rows: PartitionKey <c>city:{code}</c> (the bureau's queue); RowKey = application id.</summary>
public sealed class ApplicationIndexEntity : TableRow
{
    public string EnterpriseName { get; set; } = "";

    public ApplicationStatus Status { get; set; }

    public string? DeadlineDate { get; set; }

    /// <summary>Provisional: the deadline was counted across a year whose arrangement is not published.</summary>
    public bool DeadlineProvisional { get; set; }

    public int Round { get; set; }

    public DateTimeOffset SubmittedAt { get; set; }

    /// <summary>When the decision was recorded (the 已办 work list's 办结日期); null while open, and on rows written before it was indexed.</summary>
    public DateTimeOffset? DecidedAt { get; set; }
}
