using Voucher.Workflows.Notifications;
using Voucher.Workflows.Web;
using static Voucher.Workflows.Web.Html;

namespace Voucher.Workflows.Portal;

/// <summary>The signed-in party's notifications, and (local host only) the mailbox of every message sent.</summary>
public sealed class InboxPages(VoucherStore store, IPrincipalSource principals)
{
    public async Task<IResult> InboxAsync(RequestContext ctx)
    {
        var rows = await store.PartitionAsync<NotificationEntity>(VoucherStore.Inbox, ctx.Principal!.Address, 100, ctx.Aborted);
        return Pages.Page("我的通知 Inbox", Render(rows, showRecipient: false), ctx.Principal);
    }

    public async Task<IResult> MailboxAsync(RequestContext ctx)
    {
        if (!principals.AllowsDevelopmentSignIn)
        {
            return Pages.Error(ctx.Principal, "邮箱页面仅在本地模式可用 (The mailbox exists only in local mode)", StatusCodes.Status404NotFound);
        }

        var rows = await store.PartitionAsync<NotificationEntity>(VoucherStore.Inbox, InboxSender.MailboxPartition, 200, ctx.Aborted);
        return Pages.Page("开发邮箱 Mailbox (local)", "<p class=\"muted\">本地模式下系统发出的全部通知（最新在前）。Every message the system sent, newest first.</p>" + Render(rows, showRecipient: true), ctx.Principal);
    }

    static string Render(IEnumerable<NotificationEntity> rows, bool showRecipient)
    {
        var items = rows.Select(r =>
        {
            var n = r.ToNotification();
            var links = string.Join(" ", n.Links.Select(l => Link(l.Url, l.Label)));
            var at = n.CreatedAt.ToOffset(ChinaTime.Offset).ToString("yyyy-MM-dd HH:mm");
            return $"<article class=\"card\" data-notification=\"{Attr(n.Id)}\"><h2>{E(n.Subject)}</h2>" +
                   $"<p class=\"muted\">{E(at)}{(showRecipient ? " · 收件人 To: " + E(n.To) : "")}</p><p>{E(n.Body)}</p><p>{links}</p></article>";
        }).ToList();
        return items.Count == 0 ? "<p class=\"muted\">暂无通知。No messages yet.</p>" : string.Concat(items);
    }
}
