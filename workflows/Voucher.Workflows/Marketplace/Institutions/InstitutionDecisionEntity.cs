namespace Voucher.Workflows.Marketplace;

/// <summary>
/// The province centre's decided institutions (its 已审核 list): table <c>MarketIndex</c>, PartitionKey
/// <see cref="Partition"/>, RowKey = institution id; a copy of what the list shows, upserted by the decision (and again
/// by a repeated decision, so a crash between the institution's row and this one heals), removed when the institution
/// goes back to 待审核 (<see cref="CatalogueStore.MarkPendingAsync"/>).
/// </summary>
public sealed class InstitutionDecisionEntity : TableRow
{
    public const string Partition = "decided-institutions";

    public string Name { get; set; } = "";

    public string CityCode { get; set; } = "";

    public string Type { get; set; } = "";

    public string Code { get; set; } = "";

    public string SharingPlatformId { get; set; } = "";

    /// <summary>Verified or Rejected, by name.</summary>
    public string Status { get; set; } = "";

    public string Reason { get; set; } = "";

    public DateTimeOffset? RegisteredAt { get; set; }

    public DateTimeOffset DecidedAt { get; set; }

    public static InstitutionDecisionEntity For(InstitutionEntity i) => new()
    {
        PartitionKey = Partition, RowKey = i.InstitutionId, Name = i.Name, CityCode = i.CityCode, Type = i.Type, Code = i.Code,
        SharingPlatformId = i.SharingPlatformId, Status = i.Status.ToString(), Reason = i.DecisionReason ?? "",
        RegisteredAt = i.RegisteredAt, DecidedAt = i.DecidedAt ?? i.RegisteredAt ?? DateTimeOffset.MinValue,
    };
}
