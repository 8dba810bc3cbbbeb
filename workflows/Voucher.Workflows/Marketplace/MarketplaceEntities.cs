using Voucher.Workflows.Storage;

namespace Voucher.Workflows.Marketplace;

/// <summary>One past content of a service. PartitionKey = "{institutionId}|{serviceId}", RowKey = version (D6).</summary>
public sealed class ServiceVersionEntity : TableRow
{
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

    public string Status { get; set; } = "";
}

/// <summary>
/// The catalogue's change log, read by every instance's search index to stay fresh. PartitionKey = "changes",
/// RowKey = "{UTC ticks D19}-{random}", so "changes since" is a row-key range query.
/// </summary>
public sealed class CatalogueChangeEntity : TableRow
{
    public const string Partition = "changes";

    /// <summary>service | institution</summary>
    public string Kind { get; set; } = "";

    public string InstitutionId { get; set; } = "";

    public string ServiceId { get; set; } = "";
}

/// <summary>An SME's posted need. PartitionKey = demand id, RowKey = "demand".</summary>
public sealed class DemandEntity : TableRow
{
    public const string Row = "demand";

    public string DemandId => PartitionKey;

    public string Uscc { get; set; } = "";

    public string EnterpriseName { get; set; } = "";

    public string Category { get; set; } = "";

    public string Description { get; set; } = "";

    public long BudgetFen { get; set; }

    public string CityCode { get; set; } = "";

    /// <summary>yyyy-MM-dd, China time: offers close after this day.</summary>
    public string Deadline { get; set; } = "";

    /// <summary>open | accepted | withdrawn</summary>
    public string Status { get; set; } = "open";

    public DateTimeOffset PostedAt { get; set; }

    public string PostedBy { get; set; } = "";

    public string? AcceptedInstitutionId { get; set; }

    public string? OrderId { get; set; }
}

/// <summary>An institution's offer on a demand. PartitionKey = demand id, RowKey = institution id (one offer each, revisable while open).</summary>
public sealed class OfferEntity : TableRow
{
    public string DemandId => PartitionKey;

    public string InstitutionId => RowKey;

    public string InstitutionName { get; set; } = "";

    public string ServiceId { get; set; } = "";

    public string ServiceTitle { get; set; } = "";

    public long PriceFen { get; set; }

    public int TurnaroundDays { get; set; }

    public string Message { get; set; } = "";

    /// <summary>open | accepted | declined</summary>
    public string Status { get; set; } = "open";

    public DateTimeOffset OfferedAt { get; set; }

    public string OfferedBy { get; set; } = "";
}

/// <summary>A service order: the accepted offer. PartitionKey = order id, RowKey = "order".</summary>
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
    public string Kind { get; set; } = "";

    public string RefId { get; set; } = "";

    public string Title { get; set; } = "";

    public string CityCode { get; set; } = "";

    public string Category { get; set; } = "";

    public long AmountFen { get; set; }

    public string Deadline { get; set; } = "";

    public DateTimeOffset At { get; set; }
}
