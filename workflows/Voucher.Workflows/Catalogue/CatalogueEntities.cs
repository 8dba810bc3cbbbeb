using Voucher.Workflows.Storage;

namespace Voucher.Workflows.Catalogue;

/// <summary>A science and technology service institution. PartitionKey = institution id, RowKey = "profile".</summary>
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

    public string Code { get; set; } = "";

    public string SharingPlatformId { get; set; } = "";

    public bool Verified { get; set; }
}

/// <summary>A service an institution offers. PartitionKey = institution id, RowKey = service id.</summary>
public sealed class ServiceEntity : TableRow
{
    public string Title { get; set; } = "";

    /// <summary>scientific-data | germplasm | testing | novelty-search | consulting | cooperative-rd</summary>
    public string Category { get; set; } = "";

    public string Description { get; set; } = "";

    public long PriceFromFen { get; set; }

    public long PriceToFen { get; set; }

    public int TurnaroundDays { get; set; }

    public string CityCode { get; set; } = "";
}
