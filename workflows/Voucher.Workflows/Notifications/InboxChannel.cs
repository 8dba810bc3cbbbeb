namespace Voucher.Workflows.Notifications;

/// <summary>The built-in channel: the recipient's portal inbox (and the local host's mailbox of every message).</summary>
public sealed class InboxChannel(InboxSender inbox) : INotificationChannel
{
    public const string ChannelName = "inbox";

    public string Name => ChannelName;

    public Task DeliverAsync(Notification notification, CancellationToken ct = default) => inbox.SendAsync(notification, ct);
}
