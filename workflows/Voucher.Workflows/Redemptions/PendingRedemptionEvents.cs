using System.Text.Json;
using Azure;
using Microsoft.DurableTask.Client;

namespace Voucher.Workflows.Redemptions;

/// <summary>
/// An event raised to a redemption orchestration, remembered until <see cref="ApplyRedemptionEvent"/> has handled it.
/// PartitionKey = <see cref="PendingRedemptionEvents.Partition"/>, RowKey = "{redemptionId}~{kind}~{round}".
/// </summary>
public sealed class PendingEventEntity : TableRow
{
    public string RedemptionId { get; set; } = "";

    public string EventJson { get; set; } = "";

    public DateTimeOffset FirstRaisedAt { get; set; }

    public DateTimeOffset LastRaisedAt { get; set; }

    public int Attempts { get; set; }
}

/// <summary>
/// Delivery of handler-raised redemption events that survives a lost message. The Durable Task Framework's Azure
/// Storage provider drops an event that it dequeues before the orchestration's start is committed ("No such
/// instance"): the start message can be put back for a while (its instance row is written after it) or held by the
/// other worker while a partition changes hands (the benchmark saw about 4 in 100 evidence-complete events lost at 50
/// concurrent clients). Whatever the cause, a raised event is first written here, the activity that applies it deletes
/// the row, and the outbox sweep raises again any event still here after <see cref="RedeliverAfter"/>. Applying is
/// idempotent (a duplicate or late event changes nothing), so a redelivery of an event that was merely slow is harmless.
/// </summary>
public sealed class PendingRedemptionEvents(VoucherStore store, RedemptionStore redemptions, TimeProvider time, ILogger<PendingRedemptionEvents> log)
{
    public const string Partition = "redemption";

    /// <summary>An event not applied this long after it was (last) raised is raised again.</summary>
    public static readonly TimeSpan RedeliverAfter = TimeSpan.FromSeconds(30);

    /// <summary>After this many deliveries the row stays for an operator (it is listed in the log every sweep).</summary>
    public const int MaxAttempts = 20;

    public static string RowKeyOf(string redemptionId, RedemptionEvent ev) =>
        string.Create(CultureInfo.InvariantCulture, $"{redemptionId}~{ev.KindName}~{ev.Round}");

    public async Task RecordAsync(string redemptionId, RedemptionEvent ev, CancellationToken ct)
    {
        var now = time.GetUtcNow();
        await store.UpsertAsync(VoucherStore.PendingEvents, new PendingEventEntity
        {
            PartitionKey = Partition,
            RowKey = RowKeyOf(redemptionId, ev),
            RedemptionId = redemptionId,
            EventJson = JsonSerializer.Serialize(ev),
            FirstRaisedAt = now,
            LastRaisedAt = now,
            Attempts = 1,
        }, ct);
    }

    /// <summary>The event was handled (applied, or found late or duplicated): nothing more to deliver.</summary>
    public async Task ClearAsync(string redemptionId, RedemptionEvent ev, CancellationToken ct)
    {
        try
        {
            await store.Table(VoucherStore.PendingEvents).DeleteEntityAsync(Partition, RowKeyOf(redemptionId, ev), ETag.All, ct);
        }
        catch (RequestFailedException e) when (e.Status == 404)
        {
            // Raised by the settlement or the engine (never recorded), or cleared by an earlier delivery.
        }
    }

    public Task<List<PendingEventEntity>> ListAsync(CancellationToken ct) =>
        store.PartitionAsync<PendingEventEntity>(VoucherStore.PendingEvents, Partition, 5000, ct);

    /// <summary>
    /// Raises again every event older than <paramref name="minAge"/> (default <see cref="RedeliverAfter"/>); drops the
    /// rows of orchestrations that have ended and of redemptions gone or final. A row whose orchestration this client's
    /// task hub does not know stays: several hosts (and, in tests, several task hubs) share one storage, and a host that
    /// dropped another's row lost that event for good. Returns how many events were raised again.
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
                log.LogWarning("Redemption event {Row} still not applied after {Attempts} deliveries", row.RowKey, row.Attempts);
                continue;
            }

            var instance = await durable.GetInstanceAsync(RedemptionStore.InstanceId(row.RedemptionId), getInputsAndOutputs: false, ct);
            if (instance is null)
            {
                // Not known to this client's task hub: not started yet (the start sweep starts it), or the orchestration
                // of another hub on the same storage. Only the record itself says the event is moot: gone, or final.
                if (await redemptions.GetAsync(row.RedemptionId, ct) is not { } r || RedemptionTransitions.IsFinal(r.State))
                {
                    await store.Table(VoucherStore.PendingEvents).DeleteEntityAsync(Partition, row.RowKey, ETag.All, ct);
                }

                continue;
            }

            if (instance.RuntimeStatus is OrchestrationRuntimeStatus.Completed or OrchestrationRuntimeStatus.Failed or OrchestrationRuntimeStatus.Terminated)
            {
                await store.Table(VoucherStore.PendingEvents).DeleteEntityAsync(Partition, row.RowKey, ETag.All, ct);
                continue;
            }

            var ev = JsonSerializer.Deserialize<RedemptionEvent>(row.EventJson)!;
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

            await durable.RaiseEventAsync(RedemptionStore.InstanceId(row.RedemptionId), RedemptionEvent.EventName, ev, ct);
            log.LogInformation("Raised redemption event {Row} again (delivery {Attempts})", row.RowKey, row.Attempts);
            raised++;
        }

        return raised;
    }
}
