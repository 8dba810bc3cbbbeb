using System.Runtime.Serialization;
using Voucher.Workflows.Storage;

namespace Voucher.Workflows.Catalogue;

/// <summary>
/// A science and technology service institution. PartitionKey = institution id (the institution user's scope),
/// RowKey = "profile". <see cref="Verified"/> is what redemptions and publishing check; <see cref="Status"/> says
/// where the province centre's verification stands (rows written before the marketplace have only Verified).
/// </summary>
public sealed class InstitutionEntity : TableRow
{
    public const string ProfileRow = "profile";

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

    public bool Verified { get; set; }

    /// <summary>pending | verified | rejected; empty on rows seeded before the marketplace (then <see cref="Verified"/> decides).</summary>
    public string Status { get; set; } = "";

    public string ContactName { get; set; } = "";

    public string ContactPhone { get; set; } = "";

    public string Introduction { get; set; } = "";

    public DateTimeOffset? RegisteredAt { get; set; }

    public DateTimeOffset? DecidedAt { get; set; }

    public string? DecidedBy { get; set; }

    public string? DecisionReason { get; set; }

    [IgnoreDataMember]
    public string EffectiveStatus => Status is { Length: > 0 } s ? s : Verified ? "verified" : "pending";
}

/// <summary>
/// A service an institution offers. PartitionKey = institution id, RowKey = service id. The institution's name,
/// type and city are copied in at publish time so search needs no join. Every change bumps <see cref="Version"/>
/// and keeps the previous content in ServiceVersions.
/// </summary>
public sealed class ServiceEntity : TableRow
{
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

    /// <summary>published | paused | retired; empty on rows written before the marketplace (treated as published).</summary>
    public string Status { get; set; } = "";

    public int Version { get; set; }

    /// <summary>Service orders taken (the "most used" sort).</summary>
    public int UsedCount { get; set; }

    public DateTimeOffset? UpdatedAt { get; set; }

    [IgnoreDataMember]
    public string EffectiveStatus => Status is { Length: > 0 } s ? s : "published";
}
