using Voucher.Workflows.Notifications;
using Voucher.Workflows.Web;

namespace Voucher.Workflows.Portal;

/// <summary>The signed-in party's notifications, and (local host only) the mailbox of every message sent.</summary>
public sealed class InboxPages(VoucherStore store, IPrincipalSource principals, InboxUnreadCounter unread, DevMailbox? mailbox = null)
{
    public async Task<IResult> InboxAsync(RequestContext ctx)
    {
        var p = ctx.Principal!;
        var rowsRead = store.PartitionAsync<NotificationEntity>(VoucherStore.Inbox, p.Address, 100, ctx.Aborted);
        var unreadRead = unread.CountAsync(p, ctx.Aborted);
        await Task.WhenAll(rowsRead, unreadRead);
        var rows = await rowsRead;
        var newCount = await unreadRead;
        if (rows.Count > 0 && newCount > 0)
        {
            // Viewing the inbox reads it: the badge counts only what arrives after this page.
            await unread.MarkReadAsync(p, rows[0].RowKey, ctx.Aborted);
        }

        var items = rows.Select((r, i) => Item(r, unread: i < newCount, showRecipient: false)).ToList();
        // The layout counts the badge before the page is written, so this page shows it as read already.
        return Pages.View<InboxPage>("我的通知", p, new InboxModel(items, newCount, Mailbox: false));
    }

    public async Task<IResult> MailboxAsync(RequestContext ctx)
    {
        if (!principals.AllowsDevelopmentSignIn || mailbox is not { On: true })
        {
            return Pages.NotFound(ctx.Principal, mailbox is { On: false } ? "本地主机的开发邮箱已关闭（LocalHost__DevMailbox=false）。" : "开发邮箱仅在本地模式可用。");
        }

        var rows = await store.PartitionAsync<NotificationEntity>(VoucherStore.Inbox, InboxSender.MailboxPartition, 200, ctx.Aborted);
        return Pages.View<InboxPage>("开发邮箱（本地模式）", ctx.Principal, new InboxModel(rows.Select(r => Item(r, unread: false, showRecipient: true)).ToList(), 0, Mailbox: true));
    }

    static InboxItem Item(NotificationEntity row, bool unread, bool showRecipient)
    {
        var n = row.ToNotification();
        return new InboxItem(n.Id, n.Subject, Glossary.Time(n.CreatedAt), n.Body, n.Links, unread, showRecipient ? n.To : null);
    }
}

/// <summary>One notification as the inbox shows it: subject, China time, body, its links; the recipient in the mailbox only.</summary>
public sealed record InboxItem(string Id, string Subject, string At, string Body, IReadOnlyList<NotificationLink> Links, bool Unread, string? Recipient);

public sealed record InboxModel(IReadOnlyList<InboxItem> Items, int NewCount, bool Mailbox);
