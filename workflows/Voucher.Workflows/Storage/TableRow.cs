using Azure;
using Azure.Data.Tables;

namespace Voucher.Workflows.Storage;

/// <summary>The four system properties every table row has; entities add their own columns.</summary>
public abstract class TableRow : ITableEntity
{
    public string PartitionKey { get; set; } = "";

    public string RowKey { get; set; } = "";

    public DateTimeOffset? Timestamp { get; set; }

    public ETag ETag { get; set; }
}
