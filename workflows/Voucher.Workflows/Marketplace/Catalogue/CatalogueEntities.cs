using System.Runtime.Serialization;

namespace Voucher.Workflows.Marketplace;

/// <summary>
/// A service an institution offers. PartitionKey = institution id, RowKey = service id. The institution's name,
/// type and city are copied in at publish time so search needs no join. Every change bumps <see cref="Version"/>
/// and keeps the new content in ServiceVersions; the status changes only through <see cref="MoveTo"/>.
/// </summary>
public sealed class ServiceEntity : TableRow
{
    string status = "";

    public string ServiceId => RowKey;

    public string InstitutionId => PartitionKey;

    public string Title { get; set; } = "";

    /// <summary>scientific-data | germplasm | testing | novelty-search | consulting | cooperative-rd</summary>
    public string Category { get; set; } = "";

    public string Description { get; set; } = "";

    public string Specifications { get; set; } = "";

    public string Equipment { get; set; } = "";

    public long PriceFromFen { get; set; }

    /// <summary>0 for a fixed price.</summary>
    public long PriceToFen { get; set; }

    public int TurnaroundDays { get; set; }

    public string CityCode { get; set; } = "";

    public string Contact { get; set; } = "";

    /// <summary>The staff who deliver the service, separated by "、" (their names feed the faculty service record).</summary>
    public string Staff { get; set; } = "";

    public string InstitutionName { get; set; } = "";

    public string InstitutionType { get; set; } = "";

    /// <summary>The stored text of <see cref="Status"/> (column "Status", lowercase); empty on rows written before the marketplace.</summary>
    [DataMember(Name = nameof(Status))]
    public string StatusName { get => status; init => status = value; }

    /// <summary>Published, paused or retired; a row written before the marketplace is published.</summary>
    [IgnoreDataMember]
    public ServiceStatus Status
    {
        get => StoredName<ServiceStatus>.Parse(status, ServiceStatus.Published);
        init => status = StoredName<ServiceStatus>.Of(value);
    }

    public int Version { get; set; }

    /// <summary>Service orders taken (the "most used" sort).</summary>
    public int UsedCount { get; set; }

    public DateTimeOffset? UpdatedAt { get; set; }

    /// <summary>Moves to <paramref name="to"/>; throws <see cref="DomainException"/> when <see cref="ServiceTransitions"/> does not allow it.</summary>
    public void MoveTo(ServiceStatus to)
    {
        ServiceTransitions.Ensure(Status, to);
        status = StoredName<ServiceStatus>.Of(to);
    }
}

/// <summary>One past content of a service. PartitionKey = "{institutionId}|{serviceId}", RowKey = version (D6).</summary>
public sealed class ServiceVersionEntity : TableRow
{
    string status = "";

    public int Version { get; set; }

    public string Change { get; set; } = "";

    public string ChangedBy { get; set; } = "";

    public DateTimeOffset ChangedAt { get; set; }

    public string Title { get; set; } = "";

    public string Category { get; set; } = "";

    public string Description { get; set; } = "";

    public string Specifications { get; set; } = "";

    public string Equipment { get; set; } = "";

    public long PriceFromFen { get; set; }

    public long PriceToFen { get; set; }

    public int TurnaroundDays { get; set; }

    public string Contact { get; set; } = "";

    public string Staff { get; set; } = "";

    /// <summary>The stored text of <see cref="Status"/> (column "Status", lowercase).</summary>
    [DataMember(Name = nameof(Status))]
    public string StatusName { get => status; init => status = value; }

    /// <summary>The service's status in this version.</summary>
    [IgnoreDataMember]
    public ServiceStatus Status
    {
        get => StoredName<ServiceStatus>.Parse(status, ServiceStatus.Published);
        init => status = StoredName<ServiceStatus>.Of(value);
    }
}

/// <summary>
/// The catalogue's change log, read by every instance's search index to stay fresh. PartitionKey = "changes",
/// RowKey = "{UTC ticks D19}-{random}", so "changes since" is a row-key range query.
/// </summary>
public sealed class CatalogueChangeEntity : TableRow
{
    public const string Partition = "changes";

    /// <summary>A service row changed (<see cref="ServiceId"/> names it).</summary>
    public const string ServiceKind = "service";

    /// <summary>An institution changed: all its services are read again (its verification decides their visibility).</summary>
    public const string InstitutionKind = "institution";

    /// <summary><see cref="ServiceKind"/> | <see cref="InstitutionKind"/></summary>
    public string Kind { get; set; } = "";

    public string InstitutionId { get; set; } = "";

    public string ServiceId { get; set; } = "";
}
