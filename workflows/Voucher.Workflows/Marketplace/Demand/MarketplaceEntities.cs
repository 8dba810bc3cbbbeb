using System.Runtime.Serialization;

namespace Voucher.Workflows.Marketplace;

/// <summary>An SME's posted need. PartitionKey = demand id, RowKey = "demand". The status changes only through <see cref="MoveTo"/>.</summary>
public sealed class DemandEntity : TableRow
{
    public const string Row = "demand";

    string status = StoredName<DemandStatus>.Of(DemandStatus.Open);

    public string DemandId => PartitionKey;

    public string Uscc { get; set; } = "";

    public string EnterpriseName { get; set; } = "";

    public string Category { get; set; } = "";

    public string Description { get; set; } = "";

    public long BudgetFen { get; set; }

    public string CityCode { get; set; } = "";

    /// <summary>yyyy-MM-dd, China time: offers close after this day.</summary>
    public string Deadline { get; set; } = "";

    /// <summary>The stored text of <see cref="Status"/> (column "Status", lowercase).</summary>
    [DataMember(Name = nameof(Status))]
    public string StatusName { get => status; init => status = value; }

    [IgnoreDataMember]
    public DemandStatus Status
    {
        get => StoredName<DemandStatus>.Parse(status, DemandStatus.Open);
        init => status = StoredName<DemandStatus>.Of(value);
    }

    public DateTimeOffset PostedAt { get; set; }

    public string PostedBy { get; set; } = "";

    public string? AcceptedInstitutionId { get; set; }

    public string? OrderId { get; set; }

    /// <summary>Moves to <paramref name="to"/>; throws <see cref="DomainException"/> when <see cref="DemandTransitions"/> does not allow it.</summary>
    public void MoveTo(DemandStatus to)
    {
        DemandTransitions.Ensure(Status, to);
        status = StoredName<DemandStatus>.Of(to);
    }
}

/// <summary>
/// An institution's offer on a demand. PartitionKey = demand id, RowKey = institution id (one offer each, revisable
/// while the demand is open). The status changes only through <see cref="MoveTo"/>.
/// </summary>
public sealed class OfferEntity : TableRow
{
    string status = StoredName<OfferStatus>.Of(OfferStatus.Open);

    public string DemandId => PartitionKey;

    public string InstitutionId => RowKey;

    public string InstitutionName { get; set; } = "";

    public string ServiceId { get; set; } = "";

    public string ServiceTitle { get; set; } = "";

    public long PriceFen { get; set; }

    public int TurnaroundDays { get; set; }

    public string Message { get; set; } = "";

    /// <summary>The stored text of <see cref="Status"/> (column "Status", lowercase).</summary>
    [DataMember(Name = nameof(Status))]
    public string StatusName { get => status; init => status = value; }

    [IgnoreDataMember]
    public OfferStatus Status
    {
        get => StoredName<OfferStatus>.Parse(status, OfferStatus.Open);
        init => status = StoredName<OfferStatus>.Of(value);
    }

    public DateTimeOffset OfferedAt { get; set; }

    public string OfferedBy { get; set; } = "";

    /// <summary>Moves to <paramref name="to"/>; throws <see cref="DomainException"/> when <see cref="OfferTransitions"/> does not allow it.</summary>
    public void MoveTo(OfferStatus to)
    {
        OfferTransitions.Ensure(Status, to);
        status = StoredName<OfferStatus>.Of(to);
    }
}

/// <summary>A service order: the accepted offer, written once. PartitionKey = order id, RowKey = "order".</summary>
public sealed class OrderEntity : TableRow
{
    public const string Row = "order";

    public string OrderId => PartitionKey;

    public string DemandId { get; set; } = "";

    public string Uscc { get; set; } = "";

    public string EnterpriseName { get; set; } = "";

    public string InstitutionId { get; set; } = "";

    public string InstitutionName { get; set; } = "";

    public string ServiceId { get; set; } = "";

    public string ServiceTitle { get; set; } = "";

    public string Category { get; set; } = "";

    public long AgreedPriceFen { get; set; }

    public string ContractNumber { get; set; } = "";

    /// <summary>The delivering staff named on the service when the order was taken.</summary>
    public string Staff { get; set; } = "";

    public string CityCode { get; set; } = "";

    public DateTimeOffset CreatedAt { get; set; }

    public string CreatedBy { get; set; } = "";
}

/// <summary>
/// Pointers for the lists the pages show, so none scans a table: PartitionKey = owner
/// ("ent:{uscc}", "inst:{institutionId}", "cat:{category}" for open demand, "pending" for institutions awaiting
/// verification), RowKey = "{kind}:{id}".
/// </summary>
public sealed class MarketIndexEntity : TableRow
{
    /// <summary>The kinds of thing a pointer names (the <see cref="Kind"/> column and the row key's prefix).</summary>
    public const string InstitutionKind = "institution", DemandKind = "demand", OfferKind = "offer", OrderKind = "order";

    public string Kind { get; set; } = "";

    public string RefId { get; set; } = "";

    public string Title { get; set; } = "";

    public string CityCode { get; set; } = "";

    public string Category { get; set; } = "";

    public long AmountFen { get; set; }

    public string Deadline { get; set; } = "";

    public DateTimeOffset At { get; set; }
}
