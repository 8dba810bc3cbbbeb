using System.Text;
using Azure.Storage.Queues;

namespace Voucher.EndToEnd.Tests.Support;

/// <summary>What the Durable Task Framework's Azure Storage provider holds for one instance: for failure messages.</summary>
public static class DurableDiagnostics
{
    /// <summary>
    /// Waits until the instance's custom status contains <paramref name="customStatusPart"/> and its row has not changed
    /// for two seconds: the episode that set the status is committed and its messages deleted, nothing is in flight.
    /// (Queue counts cannot tell: a durable timer is a control-queue message that stays invisible until it fires.)
    /// </summary>
    public static async Task WaitUntilIdleAsync(AzuriteFixture azurite, string taskHub, string instanceId, string customStatusPart, TimeSpan timeout)
    {
        var instances = azurite.Tables.GetTableClient(taskHub + "Instances");
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
            $"orchestration {instanceId} checkpointed with custom status '{customStatusPart}' and quiet for 2 s");
    }

    public static async Task<string> DescribeAsync(AzuriteFixture azurite, string taskHub, string instanceId)
    {
        var text = new StringBuilder();
        try
        {
            text.AppendLine($"History of {instanceId} in task hub {taskHub}:");
            var history = azurite.Tables.GetTableClient(taskHub + "History");
            await foreach (var row in history.QueryAsync<TableEntity>(TableClient.CreateQueryFilter($"PartitionKey eq {instanceId}")))
            {
                text.AppendLine($"  {row.RowKey} {row.GetString("EventType")} {row.GetString("Name")} {row.GetString("ExecutionId")} {row.GetDateTimeOffset("Timestamp"):HH:mm:ss.fff}");
            }

            text.AppendLine("Partitions:");
            await foreach (var row in azurite.Tables.GetTableClient(taskHub + "Partitions").QueryAsync<TableEntity>())
            {
                text.AppendLine($"  {row.RowKey} owner={row.GetString("CurrentOwner")} next={row.GetString("NextOwner")} expires={row.GetDateTimeOffset("ExpiresAt"):HH:mm:ss}");
            }

            var queues = new QueueServiceClient(azurite.ConnectionString);
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
