using System.Security.Cryptography;
using System.Text;
using Azure.Data.Tables;

namespace Voucher.Workflows.Notifications;

/// <summary>
/// How far a person has read an inbox: the row key of the newest notification the inbox page showed them. Kept in the
/// inbox table under its own partition (<c>read:{address}</c>), one row per person, so the address partitions hold
/// only notifications.
/// </summary>
public sealed class InboxReadMarkerEntity : TableRow
{
    public string ReadUpTo { get; set; } = "";

    public static string PartitionOf(string address) => "read:" + address;

    /// <summary>A person's row key: a short hash of the principal id (ids may hold characters a key cannot).</summary>
    public static string RowOf(string userId) => Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(userId)))[..32];
}

/// <summary>
/// The header's unread badge: the notifications of the person's address newer than their read marker, counted up to
/// <see cref="Cap"/> (the badge then shows "99+"): one point read and one bounded key-only query per page.
/// </summary>
public sealed class InboxUnreadCounter(VoucherStore store) : Web.IUnreadCounter
{
    public const int Cap = 100;

    public async Task<int> CountAsync(VoucherPrincipal principal, CancellationToken ct)
    {
        var marker = await store.GetAsync<InboxReadMarkerEntity>(VoucherStore.Inbox, InboxReadMarkerEntity.PartitionOf(principal.Address), InboxReadMarkerEntity.RowOf(principal.UserId), ct);
        // Row keys are inverted ticks: newer notifications sort first, so "newer than the marker" is "row key below it".
        var filter = marker is { ReadUpTo.Length: > 0 }
            ? TableClient.CreateQueryFilter($"PartitionKey eq {principal.Address} and RowKey lt {marker.ReadUpTo}")
            : TableClient.CreateQueryFilter($"PartitionKey eq {principal.Address}");
        var count = 0;
        await foreach (var _ in store.Table(VoucherStore.Inbox).QueryAsync<TableEntity>(filter, maxPerPage: Cap, select: ["RowKey"], cancellationToken: ct))
        {
            if (++count >= Cap)
            {
                break;
            }
        }

        return count;
    }

    /// <summary>Marks everything up to <paramref name="newestRowKey"/> (the top row the inbox page shows) as read.</summary>
    public Task MarkReadAsync(VoucherPrincipal principal, string newestRowKey, CancellationToken ct) =>
        store.UpsertAsync(VoucherStore.Inbox, new InboxReadMarkerEntity
        {
            PartitionKey = InboxReadMarkerEntity.PartitionOf(principal.Address),
            RowKey = InboxReadMarkerEntity.RowOf(principal.UserId),
            ReadUpTo = newestRowKey,
        }, ct);
}
