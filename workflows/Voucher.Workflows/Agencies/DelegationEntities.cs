namespace Voucher.Workflows.Agencies;

/// <summary>A registered third-party agency. PartitionKey = "agency" (a small registry the delegation form lists), RowKey = agency id.</summary>
public sealed class AgencyEntity : TableRow
{
    public const string RegistryPartition = "agency";

    public AgencyEntity()
    {
        PartitionKey = RegistryPartition;
    }

    public string AgencyId => RowKey;

    public string Name { get; set; } = "";

    public string CityCode { get; set; } = "";

    public string ContactName { get; set; } = "";

    public string ContactPhone { get; set; } = "";

    public DateTimeOffset RegisteredAt { get; set; }
}

/// <summary>
/// The authoritative delegation row, in the delegating party's partition (PartitionKey = "enterprise:USCC" or
/// "institution:ID", RowKey = delegation id): the party lists and revokes its own; a revocation is one update here.
/// </summary>
public sealed class DelegationEntity : TableRow
{
    public string DelegationId => RowKey;

    public string AgencyId { get; set; } = "";

    public string AgencyName { get; set; } = "";

    /// <summary>enterprise | institution</summary>
    public string PartyKind { get; set; } = "";

    public string PartyId { get; set; } = "";

    /// <summary>Action group names, comma-separated.</summary>
    public string Actions { get; set; } = "";

    /// <summary>Last day (China date, yyyy-MM-dd) the delegation holds.</summary>
    public string ValidUntil { get; set; } = "";

    public DateTimeOffset CreatedAt { get; set; }

    public string CreatedBy { get; set; } = "";

    DelegationStatus status = DelegationStatus.Active;
    DateTimeOffset? revokedAt;
    string revokedBy = "";

    /// <summary>
    /// Stored by name. Changed only by <see cref="MoveTo"/> (through <see cref="Revoke"/>), which holds to the domain's
    /// transition table. Rows written before the status was stored hold only <see cref="RevokedAt"/>: they read as revoked.
    /// </summary>
    public DelegationStatus Status { get => revokedAt is not null ? DelegationStatus.Revoked : status; init => status = value; }

    public DateTimeOffset? RevokedAt { get => revokedAt; init => revokedAt = value; }

    public string RevokedBy { get => revokedBy; init => revokedBy = value; }

    public Role PartyRole => PartyKind == RoleNames.ClaimValue(Role.Institution) ? Role.Institution : Role.Enterprise;

    /// <summary>Moves to <paramref name="to"/>; throws <see cref="DomainException"/> when the transition table does not allow it.</summary>
    public void MoveTo(DelegationStatus to)
    {
        DelegationTransitions.Ensure(Status, to);
        status = to;
    }

    /// <summary>The party revokes the delegation: Active → Revoked, with who and when.</summary>
    public void Revoke(string by, DateTimeOffset at)
    {
        MoveTo(DelegationStatus.Revoked);
        revokedAt = at;
        revokedBy = by;
    }

    public DelegationGrant ToGrant() => new(
        DelegationId, AgencyId, PartyRole, PartyId,
        Actions.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries),
        DateOnly.ParseExact(ValidUntil, "yyyy-MM-dd", CultureInfo.InvariantCulture),
        RevokedAt);
}

/// <summary>
/// The agency's pointer to a delegation (PartitionKey = "agency:ID", RowKey = "PARTY|DELEGATION"): lets the agency
/// list its parties and the dispatcher find the rows for one party with a row-key range. Holds no rights itself:
/// the authoritative row is always read again.
/// </summary>
public sealed class DelegationPointerEntity : TableRow
{
    public string PartyKind { get; set; } = "";

    public string PartyId { get; set; } = "";

    public string DelegationId { get; set; } = "";
}
