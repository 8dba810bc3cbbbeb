using Azure;
using Azure.Data.Tables;

namespace Voucher.Workflows.Links;

/// <summary>Marks a link's action as done (single use). Written with a conditional insert: the first writer wins.</summary>
public sealed class UsedLinkEntity : ITableEntity
{
    public string PartitionKey { get; set; } = "";

    public string RowKey { get; set; } = "";

    public DateTimeOffset? Timestamp { get; set; }

    public ETag ETag { get; set; }

    public string InstanceId { get; set; } = "";

    public string UsedBy { get; set; } = "";

    public DateTimeOffset UsedAt { get; set; }
}
