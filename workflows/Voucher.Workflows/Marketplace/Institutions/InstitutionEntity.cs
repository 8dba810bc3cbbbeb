using System.Runtime.Serialization;

namespace Voucher.Workflows.Marketplace;

/// <summary>
/// A science and technology service institution. PartitionKey = institution id (the institution user's scope),
/// RowKey = "profile". <see cref="Verified"/> is what redemptions and publishing check (and what the redemption form's
/// query filters on); <see cref="Status"/> says where the province centre's verification stands. Both change only
/// through <see cref="MoveTo"/>, which holds to the domain's <see cref="InstitutionTransitions"/>.
/// </summary>
public sealed class InstitutionEntity : TableRow
{
    public const string ProfileRow = "profile";

    string status = "";
    bool verified;

    public InstitutionEntity()
    {
        RowKey = ProfileRow;
    }

    public string InstitutionId => PartitionKey;

    public string CityCode { get; set; } = "";

    public string Name { get; set; } = "";

    /// <summary>university | research-institute | platform</summary>
    public string Type { get; set; } = "";

    /// <summary>USCC (18 characters) or the institution code.</summary>
    public string Code { get; set; } = "";

    /// <summary>The institution's id on the provincial open-sharing platform, which the province centre checks.</summary>
    public string SharingPlatformId { get; set; } = "";

    /// <summary>True exactly when <see cref="Status"/> is Verified (rows seeded before the marketplace have only this flag).</summary>
    public bool Verified { get => verified; init => verified = value; }

    /// <summary>
    /// The stored text of <see cref="Status"/>: column "Status", lowercase as the rows have always held it, empty on
    /// rows seeded before the marketplace. Code reads <see cref="Status"/>.
    /// </summary>
    [DataMember(Name = nameof(Status))]
    public string StatusName { get => status; init => status = value; }

    /// <summary>The verification status; an old row without one is Verified or Pending by its <see cref="Verified"/> flag.</summary>
    [IgnoreDataMember]
    public InstitutionStatus Status
    {
        get => StoredName<InstitutionStatus>.Parse(status, verified ? InstitutionStatus.Verified : InstitutionStatus.Pending);
        init => (status, verified) = (StoredName<InstitutionStatus>.Of(value), value == InstitutionStatus.Verified);
    }

    public string ContactName { get; set; } = "";

    public string ContactPhone { get; set; } = "";

    public string Introduction { get; set; } = "";

    public DateTimeOffset? RegisteredAt { get; set; }

    public DateTimeOffset? DecidedAt { get; set; }

    public string? DecidedBy { get; set; }

    public string? DecisionReason { get; set; }

    /// <summary>Moves to <paramref name="to"/> (and sets <see cref="Verified"/> with it); throws <see cref="DomainException"/> when the table does not allow it.</summary>
    public void MoveTo(InstitutionStatus to)
    {
        InstitutionTransitions.Ensure(Status, to);
        status = StoredName<InstitutionStatus>.Of(to);
        verified = to == InstitutionStatus.Verified;
    }
}
