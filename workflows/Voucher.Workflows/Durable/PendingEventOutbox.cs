using System.Runtime.Serialization;
using System.Text.Json;
using Azure;
using Microsoft.DurableTask.Client;

namespace Voucher.Workflows.Durable;

/// <summary>
/// An event raised to an orchestration, remembered until the step that applies it has handled it.
/// PartitionKey = the kind's partition, RowKey = "{subject id}~{event key}".
/// </summary>
public sealed class PendingEventEntity : TableRow
{
    public string EventJson { get; set; } = "";

    public DateTimeOffset FirstRaisedAt { get; set; }

    public DateTimeOffset LastRaisedAt { get; set; }

    public int Attempts { get; set; }

    /// <summary>The redemption or application the event is for: the row key up to its first <c>~</c> (ids have none).</summary>
    [IgnoreDataMember]
    public string SubjectId => RowKey[..Math.Max(0, RowKey.IndexOf('~', StringComparison.Ordinal))];
}

/// <summary>
/// Delivery of handler-raised events that survives a lost message. The Durable Task Framework's Azure Storage provider
/// drops an event that it dequeues before the orchestration's start is committed ("No such instance"): the start
/// message can be put back for a while (its instance row is written after it), or be held by a worker that died after
/// it sent the first step's messages and before it saved the history — the step then runs and changes the record, the
/// person acts on what it shows, and the event reaches an instance that does not exist yet. Whatever the cause, a
/// raised event is first written here, the activity that applies it deletes the row, and the outbox sweep raises again
/// any event still here after <see cref="RedeliverAfter"/>. Applying is idempotent (a duplicate or late event changes
/// nothing), so a redelivery of an event that was merely slow is harmless. One kind per subclass: its partition, its
/// orchestration and event, and when an event has become moot.
/// </summary>
public abstract class PendingEventOutbox<TEvent>(VoucherStore store, TimeProvider time, ILogger log)
{
    /// <summary>An event not applied this long after it was (last) raised is raised again.</summary>
    public static readonly TimeSpan RedeliverAfter = TimeSpan.FromSeconds(30);

    /// <summary>After this many deliveries the row stays for an operator (it is listed in the log every sweep).</summary>
    public const int MaxAttempts = 20;

    /// <summary>The partition of <c>PendingEvents</c> this kind's rows live in.</summary>
    protected abstract string Partition { get; }

    /// <summary>What the log calls this kind of event.</summary>
    protected abstract string Kind { get; }

    protected abstract string EventName { get; }

    protected abstract string InstanceId(string subjectId);

    /// <summary>The part of the row key after the subject id: one row per event that may be pending at once.</summary>
    protected abstract string KeyOf(TEvent ev);

    /// <summary>True when the event can no longer change anything: its subject is gone, final, or past it.</summary>
    protected abstract Task<bool> IsMootAsync(string subjectId, TEvent ev, CancellationToken ct);

    public string RowKeyOf(string subjectId, TEvent ev) => $"{subjectId}~{KeyOf(ev)}";

    public async Task RecordAsync(string subjectId, TEvent ev, CancellationToken ct)
    {
        var now = time.GetUtcNow();
        await store.UpsertAsync(VoucherStore.PendingEvents, new PendingEventEntity
        {
            PartitionKey = Partition,
            RowKey = RowKeyOf(subjectId, ev),
            EventJson = JsonSerializer.Serialize(ev),
            FirstRaisedAt = now,
            LastRaisedAt = now,
            Attempts = 1,
        }, ct);
    }

    /// <summary>
    /// The event was handled (applied, or found late or duplicated): nothing more to deliver. A row never recorded (an
    /// event raised by the settlement) or cleared by an earlier delivery is no error.
    /// </summary>
    public Task ClearAsync(string subjectId, TEvent ev, CancellationToken ct) =>
        store.DeleteIfExistsAsync(VoucherStore.PendingEvents, Partition, RowKeyOf(subjectId, ev), ct);

    public Task<List<PendingEventEntity>> ListAsync(CancellationToken ct) =>
        store.PartitionAsync<PendingEventEntity>(VoucherStore.PendingEvents, Partition, 5000, ct);

    /// <summary>
    /// Raises again every event older than <paramref name="minAge"/> (default <see cref="RedeliverAfter"/>); drops the
    /// rows of orchestrations that have ended and of events that are moot. A row whose orchestration this client's task
    /// hub does not know stays unless moot: several hosts (and, in tests, several task hubs) share one storage, and a
    /// host that dropped another's row lost that event for good. Returns how many events were raised again.
    /// </summary>
    public async Task<int> RedeliverAsync(DurableTaskClient durable, CancellationToken ct, TimeSpan? minAge = null)
    {
        var now = time.GetUtcNow();
        var age = minAge ?? RedeliverAfter;
        var raised = 0;
        foreach (var row in await ListAsync(ct))
        {
            if (now - row.LastRaisedAt < age)
            {
                continue;
            }

            if (row.Attempts >= MaxAttempts)
            {
                log.LogWarning("The {Kind} event {Row} is still not applied after {Attempts} deliveries", Kind, row.RowKey, row.Attempts);
                continue;
            }

            var ev = JsonSerializer.Deserialize<TEvent>(row.EventJson)!;
            var instance = await durable.GetInstanceAsync(InstanceId(row.SubjectId), getInputsAndOutputs: false, ct);
            if (instance?.RuntimeStatus is OrchestrationRuntimeStatus.Completed or OrchestrationRuntimeStatus.Failed or OrchestrationRuntimeStatus.Terminated
                || await IsMootAsync(row.SubjectId, ev, ct))
            {
                await store.DeleteIfExistsAsync(VoucherStore.PendingEvents, Partition, row.RowKey, ct);
                continue;
            }

            if (instance is null)
            {
                // Not known to this client's task hub: not started yet (the start sweep starts it), or the orchestration
                // of another hub on the same storage. Left for the host that knows it.
                continue;
            }

            row.Attempts++;
            row.LastRaisedAt = now;
            try
            {
                // Conditional on the row read: a concurrent sweep (another instance) that already raised it wins.
                await store.Table(VoucherStore.PendingEvents).UpdateEntityAsync(row, row.ETag, Azure.Data.Tables.TableUpdateMode.Replace, ct);
            }
            catch (RequestFailedException e) when (e.Status is 404 or 412)
            {
                continue;
            }

            await durable.RaiseEventAsync(InstanceId(row.SubjectId), EventName, ev, ct);
            log.LogInformation("Raised {Kind} event {Row} again (delivery {Attempts})", Kind, row.RowKey, row.Attempts);
            raised++;
        }

        return raised;
    }
}
