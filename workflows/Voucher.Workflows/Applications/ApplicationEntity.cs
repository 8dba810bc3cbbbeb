using Voucher.Workflows.Storage;
using Voucher.Domain;

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

    public string Status { get; set; } = nameof(ApplicationStatus.Submitted);

    public long RequestedFaceValueFen { get; set; }

    public int Round { get; set; }

    public DateTimeOffset SubmittedAt { get; set; }

    public DateTimeOffset? NotifiedAt { get; set; }

    /// <summary>The review deadline of the current round, a China calendar date (yyyy-MM-dd).</summary>
    public string? DeadlineDate { get; set; }

    public string? ReminderDate { get; set; }

    public DateTimeOffset? EscalatedAt { get; set; }

    public string? IneligibleReasons { get; set; }

    public bool? Approved { get; set; }

    public string? DecisionReason { get; set; }

    public string? DecidedBy { get; set; }

    public DateTimeOffset? DecidedAt { get; set; }

    public string? VoucherId { get; set; }

    public int PolicyVersion { get; set; }

    public ApplicationStatus State => Enum.Parse<ApplicationStatus>(Status);
}

/// <summary>Listing rows: PartitionKey <c>city:{code}</c> (the bureau's queue); RowKey = application id.</summary>
public sealed class ApplicationIndexEntity : TableRow
{
    public string EnterpriseName { get; set; } = "";

    public string Status { get; set; } = "";

    public string? DeadlineDate { get; set; }

    public int Round { get; set; }

    public DateTimeOffset SubmittedAt { get; set; }
}
