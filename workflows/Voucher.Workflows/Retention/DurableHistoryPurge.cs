using Microsoft.DurableTask.Client;

namespace Voucher.Workflows.Retention;

/// <summary>
/// Purges orchestrations that finished (completed, failed, terminated) and were created more than
/// <see cref="RetentionSettings.DurableHistoryDays"/> ago, with their history, through the Durable client (the same call
/// on both hosts: the Functions extension, or the local sidecar over the Azure Storage provider). Running, pending and
/// suspended instances are never touched. Kept: the calendar re-plans (<c>calendar-{year}-v{n}</c>), whose instance is
/// the record that a published version was re-planned — the daily calendar check starts a re-plan whose instance is
/// missing. A handful a year, so they cost nothing to keep.
/// </summary>
public sealed class DurableHistoryPurge(RetentionSettings settings)
{
    public static readonly IReadOnlyList<string> KeptPrefixes = ["calendar-"];

    static readonly OrchestrationRuntimeStatus[] Finished =
        [OrchestrationRuntimeStatus.Completed, OrchestrationRuntimeStatus.Failed, OrchestrationRuntimeStatus.Terminated];

    public async Task<int> PurgeAsync(DurableTaskClient durable, DateTimeOffset now, CancellationToken ct)
    {
        var query = new OrchestrationQuery
        {
            CreatedTo = now.AddDays(-settings.DurableHistoryDays),
            Statuses = Finished,
            PageSize = 100,
            FetchInputsAndOutputs = false,
        };
        var ids = new List<string>();
        await foreach (var instance in durable.GetAllInstancesAsync(query).WithCancellation(ct))
        {
            if (!KeptPrefixes.Any(p => instance.InstanceId.StartsWith(p, StringComparison.Ordinal)))
            {
                ids.Add(instance.InstanceId);
            }
        }

        var purged = 0;
        await Parallel.ForEachAsync(ids, new ParallelOptions { MaxDegreeOfParallelism = 4, CancellationToken = ct }, async (id, token) =>
        {
            var result = await durable.PurgeInstanceAsync(id, cancellation: token);
            Interlocked.Add(ref purged, result.PurgedInstanceCount);
        });
        return purged;
    }
}
