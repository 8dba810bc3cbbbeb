using Voucher.Workflows.Marketplace;
using Voucher.Workflows.Web;
using static Voucher.Workflows.Web.Html;
using static Voucher.Workflows.Web.PageParts;

namespace Voucher.Workflows.Redemptions;

/// <summary>The institution's home page: binding requests waiting on it, nearest deadline first, and what it handled.</summary>
public sealed class InstitutionHomePage(VoucherStore store, BindingService binding, BindingLinks bindingLinks)
{
    public async Task<IResult> InstitutionHomeAsync(VoucherPrincipal p, CancellationToken ct)
    {
        var institution = await store.GetAsync<InstitutionEntity>(VoucherStore.Institutions, p.Scope ?? "", InstitutionEntity.ProfileRow, ct);
        var (pending, handled) = await binding.ForInstitutionAsync(p, ct);
        var rows = pending.Select(x => new[]
        {
            E(x.Row.EnterpriseName), E(x.Row.ServiceTitle), Money(x.Row.AmountPaidFen),
            Deadline(x.Row.BindingDeadline!, x.DaysLeft, x.Row.BindingProvisional),
            Link($"/binding/{bindingLinks.TokenFor(x.Row.RowKey, p.Scope ?? "", x.Row.BindingRound, DateOnly.Parse(x.Row.BindingDeadline!))}", "确认或异议 Confirm or dispute", $"确认或异议 Confirm or dispute {x.Row.EnterpriseName} {x.Row.RowKey}")
                + " · " + Link($"/portal/redemptions/{x.Row.RowKey}", "详情与材料 Details", $"详情与材料 Details {x.Row.EnterpriseName} {x.Row.RowKey}"),
        });
        var done = handled.Select(i => new[] { E(i.EnterpriseName), E(i.ServiceTitle), Money(i.AmountPaidFen), E(RedemptionView.StatusText(i.Status)) });
        var head = $"""
            <section class="card"><h2>待确认的兑付申请 Binding requests（{pending.Count}）</h2>{Table(["企业 Enterprise", "服务 Service", "实付 Paid", "期限 Deadline", "操作 Action"], rows, "暂无待确认申请 Nothing waiting")}</section>
            <section class="card"><h2>已处理 Handled</h2>{Table(["企业 Enterprise", "服务 Service", "实付 Paid", "状态 Status"], done, "暂无 None")}</section>
            """;
        var tail = $"<p>{Link("/portal/delegations", "代理委托 Delegate to an agency")}</p>";
        return Pages.View<Parts>($"{institution?.Name ?? "服务机构"}工作台 Institution", p, new List<Microsoft.AspNetCore.Components.RenderFragment> { Fragments.Markup(head), Marketplace.MarketLinks.Institution, Fragments.Markup(tail) });
    }
}
