namespace Voucher.Workflows.Notifications;

/// <summary>
/// A way a notification reaches its recipient: the portal inbox (built in), and, when a deployment adds one, SMS or
/// e-mail. A channel is registered in DI under its <see cref="Name"/> and switched on by the setting
/// <c>Voucher__Notifications__Channels</c> (comma-separated names, default <c>inbox</c>).
/// </summary>
public interface INotificationChannel
{
    /// <summary>The name the setting uses: <c>inbox</c>, <c>sms</c>, <c>email</c>…</summary>
    string Name { get; }

    /// <summary>Delivers the message; must be idempotent for the same message (the outbox may send it again).</summary>
    Task DeliverAsync(Notification notification, CancellationToken ct = default);
}

/// <summary>An SMS gateway: a channel that sends the subject and the first link to the recipient's mobile number.</summary>
public interface ISmsChannel : INotificationChannel;

/// <summary>An e-mail service: a channel that sends the whole message to the recipient's mailbox.</summary>
public interface IEmailChannel : INotificationChannel;

/// <summary>
/// The sender the outbox uses: every configured channel in order. A channel that fails fails the send, so the outbox
/// keeps the message and tries again later (channels are idempotent, so those that worked see it twice harmlessly).
/// </summary>
public sealed class ChannelSender(IReadOnlyList<INotificationChannel> channels) : INotificationSender
{
    public IReadOnlyList<INotificationChannel> Channels { get; } = channels;

    public async Task SendAsync(Notification notification, CancellationToken ct = default)
    {
        foreach (var channel in Channels)
        {
            await channel.DeliverAsync(notification, ct);
        }
    }
}

/// <summary>Reading the channel setting and choosing the registered channels it names.</summary>
public static class NotificationChannels
{
    /// <summary>The names in the setting (comma- or semicolon-separated, case-insensitive); empty: the inbox alone.</summary>
    public static IReadOnlyList<string> ParseNames(string? setting)
    {
        var names = (setting ?? "").Split([',', ';'], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Select(n => n.ToLowerInvariant())
            .Distinct(StringComparer.Ordinal)
            .ToList();
        return names.Count == 0 ? [InboxChannel.ChannelName] : names;
    }

    /// <summary>
    /// The registered channels the setting names, in its order. An unknown name is a configuration error: it fails here
    /// (at start-up) with the names that are registered, rather than dropping messages later.
    /// </summary>
    public static IReadOnlyList<INotificationChannel> Choose(IReadOnlyList<string> names, IEnumerable<INotificationChannel> registered)
    {
        var byName = new Dictionary<string, INotificationChannel>(StringComparer.OrdinalIgnoreCase);
        foreach (var channel in registered)
        {
            byName.TryAdd(channel.Name, channel);
        }

        var unknown = names.Where(n => !byName.ContainsKey(n)).ToList();
        if (unknown.Count > 0)
        {
            throw new InvalidOperationException(
                $"Setting {Configuration.VoucherSettings.NotificationChannelsSetting} names unknown notification channel(s): {string.Join(", ", unknown)}. " +
                $"Registered channels: {string.Join(", ", byName.Keys.Order(StringComparer.Ordinal))}.");
        }

        return names.Select(n => byName[n]).ToList();
    }
}
