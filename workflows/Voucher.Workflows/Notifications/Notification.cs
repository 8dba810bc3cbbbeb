namespace Voucher.Workflows.Notifications;

public sealed record NotificationLink(string Label, string Url);

/// <summary>
/// A message to an inbox address (a role and its scope, e.g. <c>city-bureau:taiyuan</c>). The id is derived
/// from the business event, so a step that runs twice enqueues the same message once.
/// </summary>
public sealed record Notification(
    string Id,
    string To,
    string Subject,
    string Body,
    IReadOnlyList<NotificationLink> Links,
    DateTimeOffset CreatedAt,
    string RelatedId);

/// <summary>Delivers a notification to its recipient. The inbox is the channel every deployment has.</summary>
public interface INotificationSender
{
    Task SendAsync(Notification notification, CancellationToken ct = default);
}
