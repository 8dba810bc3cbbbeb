using System.Text;
using Azure.Storage.Queues;

namespace Voucher.Durability.Tests.Support;

/// <summary>Reads straight from Azurite: the truth the assertions are made against.</summary>
public sealed class Store(string connectionString)
{
    public TableServiceClient Tables { get; } = new(connectionString);

    public string ConnectionString => connectionString;

    public async Task<List<T>> QueryAsync<T>(string table, string filter)
        where T : class, ITableEntity, new()
    {
        var rows = new List<T>();
        await foreach (var row in Tables.GetTableClient(table).QueryAsync<T>(filter))
        {
            rows.Add(row);
        }

        return rows;
    }

    public Task<List<T>> PartitionAsync<T>(string table, string partitionKey)
        where T : class, ITableEntity, new() =>
        QueryAsync<T>(table, TableClient.CreateQueryFilter($"PartitionKey eq {partitionKey}"));

    public async Task<T?> GetAsync<T>(string table, string partitionKey, string rowKey)
        where T : class, ITableEntity
    {
        var response = await Tables.GetTableClient(table).GetEntityIfExistsAsync<T>(partitionKey, rowKey);
        return response.HasValue ? response.Value : null;
    }

    public Task<RedemptionEntity?> RedemptionAsync(string redemptionId) =>
        GetAsync<RedemptionEntity>(VoucherStore.Redemptions, redemptionId.Substring(2, 18), redemptionId);

    public Task<VoucherEntity?> VoucherAsync(string voucherId) =>
        GetAsync<VoucherEntity>(VoucherStore.Vouchers, voucherId.Substring(2, 18), voucherId);

    public Task<CapLedgerEntity?> LedgerAsync(string uscc, int year) =>
        GetAsync<CapLedgerEntity>(VoucherStore.Ledger, uscc, CapLedger.RowKey(year));

    public Task<List<AuditEntry>> AuditAsync(string subject) => PartitionAsync<AuditEntry>(VoucherStore.Audit, subject);

    /// <summary>How many redemptions of a city the index shows in a status (the index row is written right after the row itself).</summary>
    public async Task<int> CountRowsAsync(string city, string status) =>
        (await QueryAsync<TableEntity>(VoucherStore.Redemptions,
            TableClient.CreateQueryFilter($"CityCode eq {city} and Status eq {status}"))).Count;

    public async Task<int> CountIndexAsync(string city, string status) =>
        (await QueryAsync<TableEntity>(VoucherStore.RedemptionIndex,
            TableClient.CreateQueryFilter($"PartitionKey eq {RedemptionStore.CityPartition(city)} and Status eq {status}"))).Count;

    /// <summary>
    /// Waits until the instance's custom status contains <paramref name="part"/> and its row has been quiet for 2 s:
    /// the episode is committed and no message of it is in flight (a dequeued message would stay invisible for the
    /// provider's 5-minute visibility timeout after a kill).
    /// </summary>
    public async Task WaitUntilIdleAsync(string taskHub, string instanceId, string part, TimeSpan timeout)
    {
        var instances = Tables.GetTableClient(taskHub + "Instances");
        await Eventually.UntilAsync(
            async () =>
            {
                var row = await instances.GetEntityIfExistsAsync<TableEntity>(instanceId, "");
                return row.HasValue
                    && row.Value!.GetString("CustomStatus")?.Contains(part, StringComparison.Ordinal) == true
                    && row.Value.Timestamp is { } changed
                    && DateTimeOffset.UtcNow - changed > TimeSpan.FromSeconds(2);
            },
            timeout,
            $"orchestration {instanceId} checkpointed with custom status containing '{part}' and quiet for 2 s");
    }

    /// <summary>Instances of the task hub whose id starts with <paramref name="prefix"/>.</summary>
    public async Task<List<TableEntity>> InstancesAsync(string taskHub, string prefix) =>
        await QueryAsync<TableEntity>(taskHub + "Instances",
            TableClient.CreateQueryFilter($"PartitionKey ge {prefix} and PartitionKey lt {prefix + "~"}"));

    /// <summary>History, partitions and queues of one instance: for failure messages.</summary>
    public async Task<string> DescribeAsync(string taskHub, string instanceId)
    {
        var text = new StringBuilder();
        try
        {
            text.AppendLine($"History of {instanceId} in task hub {taskHub}:");
            await foreach (var row in Tables.GetTableClient(taskHub + "History").QueryAsync<TableEntity>(TableClient.CreateQueryFilter($"PartitionKey eq {instanceId}")))
            {
                text.AppendLine($"  {row.RowKey} {row.GetString("EventType")} {row.GetString("Name")} {row.Timestamp:HH:mm:ss.fff}");
            }

            text.AppendLine("Partitions:");
            await foreach (var row in Tables.GetTableClient(taskHub + "Partitions").QueryAsync<TableEntity>())
            {
                text.AppendLine($"  {row.RowKey} owner={row.GetString("CurrentOwner")} next={row.GetString("NextOwner")} expires={row.GetDateTimeOffset("ExpiresAt"):HH:mm:ss}");
            }

            var queues = new QueueServiceClient(connectionString);
            await foreach (var queue in queues.GetQueuesAsync(prefix: taskHub.ToLowerInvariant()))
            {
                var client = queues.GetQueueClient(queue.Name);
                var count = (await client.GetPropertiesAsync()).Value.ApproximateMessagesCount;
                var visible = (await client.PeekMessagesAsync(32)).Value.Length;
                text.AppendLine($"  queue {queue.Name}: {count} messages, {visible} visible");
            }
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            text.AppendLine($"(diagnostics failed: {e.GetType().Name}: {e.Message})");
        }

        return text.ToString();
    }
}
