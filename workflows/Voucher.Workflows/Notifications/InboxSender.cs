namespace Voucher.Workflows.Notifications;

/// <summary>
/// Delivers into the recipient's inbox (shown in the portal) and, where the host keeps one, into the all-messages
/// mailbox partition (the local host's <c>/dev/mailbox</c>). Row keys are derived from the message, so redelivery overwrites.
/// </summary>
/// <param name="store">The application's storage.</param>
/// <param name="mailbox">The local host's development mailbox; null (the Functions app): no copy is written.</param>
public sealed class InboxSender(VoucherStore store, DevMailbox? mailbox = null) : INotificationSender
{
    public const string MailboxPartition = "*all*";

    public async Task SendAsync(Notification notification, CancellationToken ct = default)
    {
        var rowKey = RowKeyFor(notification);
        await store.UpsertAsync(VoucherStore.Inbox, NotificationEntity.From(notification, notification.To, rowKey), ct);
        if (mailbox is { On: true })
        {
            await store.UpsertAsync(VoucherStore.Inbox, NotificationEntity.From(notification, MailboxPartition, rowKey), ct);
        }
    }

    /// <summary>Newest first: inverted ticks sort descending in a partition.</summary>
    public static string RowKeyFor(Notification n) =>
        $"{DateTimeOffset.MaxValue.UtcTicks - n.CreatedAt.UtcTicks:D19}-{n.Id}";
}

/// <summary>
/// The local host's mailbox of every message sent (<c>/dev/mailbox</c>), where people trying the system and the tests
/// read the links a message carries. Only the local host registers it: production writes each message once, into its
/// recipient's inbox. <see cref="Setting"/> <c>false</c> turns it off (the benchmark does, to count what production writes).
/// </summary>
public sealed record DevMailbox(bool On)
{
    /// <summary>On unless set to false.</summary>
    public const string Setting = "LocalHost:DevMailbox";
}
