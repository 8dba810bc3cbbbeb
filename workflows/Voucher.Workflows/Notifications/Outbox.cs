using Microsoft.Extensions.Logging;
using Voucher.Workflows.Storage;

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
