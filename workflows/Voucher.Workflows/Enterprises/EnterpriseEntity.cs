namespace Voucher.Workflows.Enterprises;

/// <summary>An enterprise's registration. PartitionKey = USCC, RowKey = "profile": point reads by USCC.</summary>
public sealed class EnterpriseEntity : TableRow
{
    public const string ProfileRow = "profile";

    public EnterpriseEntity()
    {
        RowKey = ProfileRow;
    }

    public string Uscc => PartitionKey;

    public string Name { get; set; } = "";

    public string CityCode { get; set; } = "";

    public string SizeClass { get; set; } = "";

    public string TechSmeNumber { get; set; } = "";

    public string ContactName { get; set; } = "";

    public string ContactPhone { get; set; } = "";

    /// <summary>Postal address; optional at registration, kept up to date through the profile page.</summary>
    public string Address { get; set; } = "";

    public DateTimeOffset RegisteredAt { get; set; }

    /// <summary>End of a bar after a violation (3 years); null when not barred.</summary>
    public DateTime? BarredUntil { get; set; }
}
