namespace Voucher.Workflows.Notifications;

/// <summary>
/// Transactional-outbox style delivery: a step records the message first (idempotent by id), then tries to
/// deliver it at once; the timer-driven sweep delivers whatever is still pending after a failure or crash.
/// </summary>
public sealed partial class Outbox(VoucherStore store, INotificationSender sender, ILogger<Outbox> log)
{
    const string Pending = "pending";

    public async Task EnqueueAndTryDeliverAsync(Notification notification, CancellationToken ct = default)
    {
        await store.TryAddAsync(VoucherStore.Outbox, NotificationEntity.From(notification, Pending, notification.Id), ct);
        await TryDeliverAsync(notification, ct);
    }

    /// <summary>
    /// Delivers a message from a Durable activity without the outbox row when delivery works (2 storage calls instead of 4).
    /// </summary>
    /// <remarks>
    /// Contract for the caller: the activity sends this message again (same id, same content) whenever it runs again
    /// before the activity's completion is recorded. Then the Durable work item is the outbox: a crash before completion
    /// re-runs the activity, which sends again, and the sender's writes are idempotent upserts keyed by the message.
    /// Only if sending fails is the message recorded in the outbox (the sweep delivers it later) and the step succeeds;
    /// if even that record cannot be written, this throws and the activity fails or retries as any failed step does.
    /// Steps that send only on their first run (e.g. "only when this run moved the state"), and HTTP handlers, use
    /// <see cref="EnqueueAndTryDeliverAsync"/>.
    /// </remarks>
    public async Task DeliverFromStepAsync(Notification notification, CancellationToken ct = default)
    {
        try
        {
            await sender.SendAsync(notification, ct);
            return;
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            Log.DeliveryFailed(log, notification.Id, e);
        }

        await store.TryAddAsync(VoucherStore.Outbox, NotificationEntity.From(notification, Pending, notification.Id), ct);
    }

    /// <summary>Delivers every pending message; returns how many were delivered.</summary>
    public async Task<int> SweepAsync(CancellationToken ct = default)
    {
        var delivered = 0;
        foreach (var row in await store.PartitionAsync<NotificationEntity>(VoucherStore.Outbox, Pending, 200, ct))
        {
            if (await TryDeliverAsync(row.ToNotification(), ct))
            {
                delivered++;
            }
        }

        return delivered;
    }

    async Task<bool> TryDeliverAsync(Notification notification, CancellationToken ct)
    {
        try
        {
            await sender.SendAsync(notification, ct);
            await store.Table(VoucherStore.Outbox).DeleteEntityAsync(Pending, notification.Id, cancellationToken: ct);
            return true;
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            Log.DeliveryFailed(log, notification.Id, e);
            return false;
        }
    }

    static partial class Log
    {
        [LoggerMessage(EventId = 2001, Level = LogLevel.Warning, Message = "Notification '{NotificationId}' not delivered yet; the sweep will retry")]
        public static partial void DeliveryFailed(ILogger logger, string notificationId, Exception exception);
    }
}
