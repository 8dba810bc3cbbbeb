namespace Voucher.Workflows.Notifications;

/// <summary>
/// Delivers into the recipient's inbox (shown in the portal) and into the all-messages mailbox partition
/// (the local host's <c>/dev/mailbox</c>). Row keys are derived from the message, so redelivery overwrites.
/// </summary>
public sealed class InboxSender(VoucherStore store) : INotificationSender
{
    public const string MailboxPartition = "*all*";

    public async Task SendAsync(Notification notification, CancellationToken ct = default)
    {
        var rowKey = RowKeyFor(notification);
        await store.UpsertAsync(VoucherStore.Inbox, NotificationEntity.From(notification, notification.To, rowKey), ct);
        await store.UpsertAsync(VoucherStore.Inbox, NotificationEntity.From(notification, MailboxPartition, rowKey), ct);
    }

    /// <summary>Newest first: inverted ticks sort descending in a partition.</summary>
    public static string RowKeyFor(Notification n) =>
        $"{DateTimeOffset.MaxValue.UtcTicks - n.CreatedAt.UtcTicks:D19}-{n.Id}";
}
