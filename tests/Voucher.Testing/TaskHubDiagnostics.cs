using System.Text;
using Azure.Data.Tables;
using Azure.Storage.Queues;

namespace Voucher.Testing;

/// <summary>
/// What the Durable Task Framework's Azure Storage provider holds for one instance of a task hub on Azurite: waiting
/// until it is quiet, and its history, partitions and queues for failure messages.
/// </summary>
public static class TaskHubDiagnostics
{
    /// <summary>
    /// Waits until the instance's custom status contains <paramref name="customStatusPart"/> and its row has not changed
    /// for two seconds: the episode that set the status is committed and no message of it is in flight (a dequeued
    /// message would stay invisible for the provider's visibility timeout after a kill; queue counts cannot tell either,
    /// a durable timer is a control-queue message that stays invisible until it fires).
    /// </summary>
    public static async Task WaitUntilIdleAsync(TableServiceClient tables, string taskHub, string instanceId, string customStatusPart, TimeSpan timeout)
    {
        var instances = tables.GetTableClient(taskHub + "Instances");
        await Eventually.UntilAsync(
            async () =>
            {
                var row = await instances.GetEntityIfExistsAsync<TableEntity>(instanceId, "");
                return row.HasValue
                    && row.Value!.GetString("CustomStatus")?.Contains(customStatusPart, StringComparison.Ordinal) == true
                    && row.Value.Timestamp is { } changed
                    && DateTimeOffset.UtcNow - changed > TimeSpan.FromSeconds(2);
            },
            timeout,
            $"orchestration {instanceId} checkpointed with custom status containing '{customStatusPart}' and quiet for 2 s");
    }

    /// <summary>History, partitions and queues of one instance: for failure messages.</summary>
    public static async Task<string> DescribeAsync(string connectionString, string taskHub, string instanceId)
    {
        var tables = new TableServiceClient(connectionString);
        var text = new StringBuilder();
        try
        {
            text.AppendLine($"History of {instanceId} in task hub {taskHub}:");
            var history = tables.GetTableClient(taskHub + "History");
            await foreach (var row in history.QueryAsync<TableEntity>(TableClient.CreateQueryFilter($"PartitionKey eq {instanceId}")))
            {
                text.AppendLine($"  {row.RowKey} {row.GetString("EventType")} {row.GetString("Name")} {row.GetString("ExecutionId")} {row.Timestamp:HH:mm:ss.fff}");
            }

            text.AppendLine("Partitions:");
            await foreach (var row in tables.GetTableClient(taskHub + "Partitions").QueryAsync<TableEntity>())
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
