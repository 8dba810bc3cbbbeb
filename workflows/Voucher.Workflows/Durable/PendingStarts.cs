using Azure;
using Microsoft.DurableTask.Client;
using Voucher.Workflows.Configuration;

namespace Voucher.Workflows.Durable;

/// <summary>
/// A kind of record that has one orchestration under an instance id made from its business id (an application, a
/// redemption): what <see cref="PendingStarts"/> needs to start it when a submission died before it did.
/// </summary>
public interface IStartedWorkflow
{
    /// <summary>The record's kind as written on a pending start (<c>application</c>, <c>redemption</c>).</summary>
    string Kind { get; }

    /// <summary>True while the record exists and is not final (its orchestration is still owed).</summary>
    Task<bool> IsOpenAsync(string businessId, CancellationToken ct);

    string InstanceId(string businessId);

    /// <summary>Schedules the orchestration under <see cref="InstanceId"/>; false when it exists already.</summary>
    Task<bool> StartOnceAsync(DurableTaskClient durable, string businessId, CancellationToken ct);
}

/// <summary>
/// A submission about to write its record (PartitionKey <see cref="PendingStarts.Partition"/> of the PendingEvents
/// table, RowKey "{kind}~{businessId}"), with the task hub that is to run its orchestration.
/// </summary>
public sealed class PendingStartEntity : TableRow
{
    public string Kind { get; set; } = "";

    public string BusinessId { get; set; } = "";

    public string TaskHub { get; set; } = "";

    public DateTimeOffset RecordedAt { get; set; }
}

/// <summary>
/// Nothing stays "submitted" because a host died between writing a record and scheduling its orchestration. The
/// submission writes a pending start before the record and deletes it once the orchestration is scheduled; the sweep
/// (<see cref="HealAsync"/>, with the outbox sweep on both hosts) starts the orchestration of every pending start older
/// than <see cref="StartAfter"/> whose record is open and whose instance does not exist — under the instance id made from
/// the business id, so a start that races another (the request itself, the other host's sweep) is one start. A pending
/// start without its record (the request died before the insert) or of a final record is dropped; one of another task
/// hub on the same storage is left to that hub.
/// </summary>
public sealed class PendingStarts(VoucherStore store, VoucherSettings settings, IEnumerable<IStartedWorkflow> kinds, TimeProvider time, ILogger<PendingStarts> log)
{
    public const string Partition = "start";

    /// <summary>A submission in progress is left alone this long (the request starts its own orchestration).</summary>
    public static readonly TimeSpan StartAfter = TimeSpan.FromMinutes(1);

    public static string RowKeyOf(string kind, string businessId) => $"{kind}~{businessId}";

    public Task RecordAsync(string kind, string businessId, CancellationToken ct) =>
        store.UpsertAsync(VoucherStore.PendingEvents, new PendingStartEntity
        {
            PartitionKey = Partition,
            RowKey = RowKeyOf(kind, businessId),
            Kind = kind,
            BusinessId = businessId,
            TaskHub = settings.TaskHubName,
            RecordedAt = time.GetUtcNow(),
        }, ct);

    /// <summary>The orchestration is scheduled; a row cleared already (the sweep, or a concurrent submission) is no error.</summary>
    public Task ClearAsync(string kind, string businessId, CancellationToken ct) =>
        store.DeleteIfExistsAsync(VoucherStore.PendingEvents, Partition, RowKeyOf(kind, businessId), ct);

    public Task<List<PendingStartEntity>> ListAsync(CancellationToken ct) =>
        store.PartitionAsync<PendingStartEntity>(VoucherStore.PendingEvents, Partition, 5000, ct);

    /// <summary>Starts every owed orchestration of this task hub; returns how many this call started.</summary>
    public async Task<int> HealAsync(DurableTaskClient durable, CancellationToken ct, TimeSpan? minAge = null)
    {
        var now = time.GetUtcNow();
        var started = 0;
        foreach (var row in await ListAsync(ct))
        {
            if (now - row.RecordedAt < (minAge ?? StartAfter)
                || !string.Equals(row.TaskHub, settings.TaskHubName, StringComparison.OrdinalIgnoreCase)
                || kinds.FirstOrDefault(k => k.Kind == row.Kind) is not { } kind)
            {
                continue;
            }

            if (await kind.IsOpenAsync(row.BusinessId, ct)
                && await durable.GetInstanceAsync(kind.InstanceId(row.BusinessId), getInputsAndOutputs: false, ct) is null
                && await kind.StartOnceAsync(durable, row.BusinessId, ct))
            {
                log.LogWarning("Started the orchestration of {Kind} {BusinessId}, written at {RecordedAt} by a submission that did not start it", row.Kind, row.BusinessId, row.RecordedAt);
                started++;
            }

            await ClearAsync(row.Kind, row.BusinessId, ct);
        }

        return started;
    }
}
