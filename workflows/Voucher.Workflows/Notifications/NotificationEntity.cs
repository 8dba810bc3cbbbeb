using System.Text.Json;

namespace Voucher.Workflows.Notifications;

/// <summary>A notification as a table row: in the outbox (PK "pending") and in inboxes (PK = address).</summary>
public sealed class NotificationEntity : TableRow
{
    public string NotificationId { get; set; } = "";

    public string To { get; set; } = "";

    public string Subject { get; set; } = "";

    public string Body { get; set; } = "";

    public string LinksJson { get; set; } = "[]";

    public DateTimeOffset CreatedAt { get; set; }

    public string RelatedId { get; set; } = "";

    public int Attempts { get; set; }

    public static NotificationEntity From(Notification n, string partitionKey, string rowKey) => new()
    {
        PartitionKey = partitionKey,
        RowKey = rowKey,
        NotificationId = n.Id,
        To = n.To,
        Subject = n.Subject,
        Body = n.Body,
        LinksJson = JsonSerializer.Serialize(n.Links),
        CreatedAt = n.CreatedAt,
        RelatedId = n.RelatedId,
    };

    public Notification ToNotification() => new(
        NotificationId,
        To,
        Subject,
        Body,
        JsonSerializer.Deserialize<List<NotificationLink>>(LinksJson) ?? [],
        CreatedAt,
        RelatedId);
}
