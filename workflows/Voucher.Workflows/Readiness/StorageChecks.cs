using Azure.Data.Tables;
using Azure.Storage.Queues;

namespace Voucher.Workflows.Readiness;

/// <summary>The application's tables: every table of <see cref="VoucherStore.AllTables"/> exists (one listing of the account's tables).</summary>
public sealed class TablesCheck(VoucherStore store) : IReadinessCheck
{
    public string Name => "tables";

    public async Task<ReadinessResult> CheckAsync(CancellationToken ct)
    {
        var expected = VoucherStore.AllTables.Select(t => store.Table(t).Name).ToHashSet(StringComparer.Ordinal);
        var missing = new HashSet<string>(expected, StringComparer.Ordinal);
        await foreach (var table in store.TableService.QueryAsync(cancellationToken: ct))
        {
            if (missing.Remove(table.Name) && missing.Count == 0)
            {
                break;
            }
        }

        return missing.Count == 0
            ? ReadinessResult.Ok($"{expected.Count} tables")
            : ReadinessResult.Failed("missing tables: " + string.Join(", ", missing.Order(StringComparer.Ordinal)));
    }
}

/// <summary>The evidence container exists and answers.</summary>
public sealed class BlobsCheck(VoucherStore store) : IReadinessCheck
{
    public string Name => "blobs";

    public async Task<ReadinessResult> CheckAsync(CancellationToken ct)
    {
        var container = store.EvidenceBlobs;
        return (await container.ExistsAsync(ct)).Value
            ? ReadinessResult.Ok($"container '{container.Name}'")
            : ReadinessResult.Failed($"container '{container.Name}' missing");
    }
}

/// <summary>
/// The Durable task hub's storage (setting <c>DurableStorage</c>, hub <c>TaskHubName</c>), named as the Azure Storage
/// provider names it: tables <c>{hub}Instances</c> and <c>{hub}History</c>, queues <c>{hub}-workitems</c> and
/// <c>{hub}-control-NN</c>. Clients are made on first use, so a host that never asks for readiness needs no connection.
/// </summary>
public sealed class TaskHubStorage(Lazy<TableServiceClient> tables, Lazy<QueueServiceClient> queues, string taskHub)
{
    public string TaskHub => taskHub;

    public TableServiceClient Tables => tables.Value;

    public QueueServiceClient Queues => queues.Value;

    public string InstancesTable => taskHub + "Instances";

    public string HistoryTable => taskHub + "History";

    public string WorkItemQueue => taskHub.ToLowerInvariant() + "-workitems";

    public string ControlQueuePrefix => taskHub.ToLowerInvariant() + "-control-";
}

/// <summary>The task hub's queues: the work-item queue and at least one control queue exist.</summary>
public sealed class QueuesCheck(TaskHubStorage hub) : IReadinessCheck
{
    public string Name => "queues";

    public async Task<ReadinessResult> CheckAsync(CancellationToken ct)
    {
        var control = 0;
        var workItems = false;
        await foreach (var queue in hub.Queues.GetQueuesAsync(prefix: hub.TaskHub.ToLowerInvariant() + "-", cancellationToken: ct))
        {
            control += queue.Name.StartsWith(hub.ControlQueuePrefix, StringComparison.Ordinal) ? 1 : 0;
            workItems |= queue.Name == hub.WorkItemQueue;
        }

        return workItems && control > 0
            ? ReadinessResult.Ok($"'{hub.WorkItemQueue}' and {control} control queue{(control == 1 ? "" : "s")}")
            : ReadinessResult.Failed($"task hub queues missing: {(workItems ? "" : hub.WorkItemQueue + " ")}{(control > 0 ? "" : hub.ControlQueuePrefix + "NN")}".Trim());
    }
}

/// <summary>The task hub's instances and history tables exist and answer a one-row read.</summary>
public sealed class TaskHubCheck(TaskHubStorage hub) : IReadinessCheck
{
    public string Name => "taskHub";

    public async Task<ReadinessResult> CheckAsync(CancellationToken ct)
    {
        var answers = await Task.WhenAll(ReadOneAsync(hub.InstancesTable, ct), ReadOneAsync(hub.HistoryTable, ct));
        var missing = answers.Where(a => a is not null).ToList();
        return missing.Count == 0
            ? ReadinessResult.Ok($"hub '{hub.TaskHub}': {hub.InstancesTable}, {hub.HistoryTable}")
            : ReadinessResult.Failed(string.Join("; ", missing));
    }

    async Task<string?> ReadOneAsync(string table, CancellationToken ct)
    {
        try
        {
            await foreach (var _ in hub.Tables.GetTableClient(table).QueryAsync<TableEntity>(maxPerPage: 1, select: ["PartitionKey"], cancellationToken: ct).AsPages(pageSizeHint: 1))
            {
                break;
            }

            return null;
        }
        catch (Azure.RequestFailedException e) when (e.Status == 404)
        {
            return $"table '{table}' missing";
        }
    }
}

/// <summary>
/// Which sign-in the host runs (informational): the development sign-in of the local host, or the provider the deployment
/// configured (<c>Voucher__SignInProvider</c>); none configured is a warning — nobody can sign in — but not a failure.
/// </summary>
public sealed class SignInCheck(IPrincipalSource principals, string? configuredProvider) : IReadinessCheck
{
    public string Name => "signIn";

    public Task<ReadinessResult> CheckAsync(CancellationToken ct) => Task.FromResult(
        principals is DevelopmentPrincipalSource
            ? ReadinessResult.Info("development sign-in (local host)")
            : string.IsNullOrWhiteSpace(configuredProvider)
                ? ReadinessResult.Warning($"no sign-in configured ({Configuration.SettingNames.SignInProvider} is empty): nobody can sign in")
                : ReadinessResult.Info($"configured: {configuredProvider.Trim()}"));
}
