using System.Text;
using Microsoft.AspNetCore.Http;
using Voucher.Domain;
using Voucher.Workflows.Audit;
using Voucher.Workflows.Evidence;
using Voucher.Workflows.Http;
using Voucher.Workflows.Portal;
using Voucher.Workflows.Redemptions;
using Voucher.Workflows.Security;
using Voucher.Workflows.Storage;
using Voucher.Workflows.Vouchers;
using Voucher.Workflows.Web;
using static Voucher.Workflows.Web.Html;
using static Voucher.Workflows.Web.PageParts;

namespace Voucher.Workflows.Settlement;

/// <summary>The finance bureau's work: what is payable and the advances to pay, confirming each payment once.</summary>
public sealed class FinancePages(
    RedemptionStore redemptions,
    PaymentHandlers payments,
    AdvanceHandlers advances,
    TimeProvider time)
{
    DateOnly Today => ChinaTime.Today(time);

    public async Task<IResult> FinanceHomeAsync(RequestContext ctx)
    {
        var p = ctx.Principal!;
        var index = await redemptions.ForCityAsync(p.Scope ?? "", ctx.Aborted);
        var payable = index.Where(i => i.Status == RedemptionStatus.Payable).ToList();
        var sb = new StringBuilder(Flash(ctx.Request)).Append($"<section class=\"card\"><h2>待拨付 Payable（{payable.Count}）</h2>");
        if (payable.Count == 0)
        {
            sb.Append("<p class=\"muted\">暂无待拨付 Nothing payable</p>");
        }

        foreach (var i in payable)
        {
            var r = await redemptions.GetAsync(i.RowKey, ctx.Aborted);
            if (r is null)
            {
                continue;
            }

            sb.Append($"""
                <form method="post" action="/portal/payments/{Attr(r.RedemptionId)}" class="card" onsubmit="return confirm('确认已拨付 {Cny.FromFen(r.PayoutFen - r.AdvancePaidFen)}？确认后不可撤销。 Confirm payment? This cannot be undone.');">
                <p><strong>{E(r.EnterpriseName)}</strong> · {E(r.ServiceTitle)} · 核定兑付 <strong>{Money(r.PayoutFen)}</strong>{(r.AdvancePaidFen > 0 ? $" · 已事前兑付 {Money(r.AdvancePaidFen)} · 本次拨付 <strong>{Money(r.PayoutFen - r.AdvancePaidFen)}</strong>" : r.PrepaidFen > 0 ? " · 核定的事前兑付未拨付，本次全额拨付" : "")} · {Link($"/portal/redemptions/{r.RedemptionId}", r.RedemptionId)}</p>
                <label for="ref-{Attr(r.RedemptionId)}">拨付凭证号 Payment reference</label><input id="ref-{Attr(r.RedemptionId)}" name="reference" maxlength="64" required>
                <label for="date-{Attr(r.RedemptionId)}">拨付日期 Paid on</label><input id="date-{Attr(r.RedemptionId)}" name="paidOn" type="date" value="{Today:yyyy-MM-dd}" required>
                <div><button type="submit">确认拨付 Confirm payment</button></div></form>
                """);
        }

        sb.Append("</section>").Append(AdvancesSection(AdvanceHandlers.Due(index)));
        var paid = index.Where(i => i.Status == RedemptionStatus.Paid).OrderByDescending(i => i.SubmittedAt).Take(50)
            .Select(i => new[] { E(i.EnterpriseName), E(i.ServiceTitle), Link($"/portal/redemptions/{i.RowKey}", i.RowKey) });
        sb.Append($"<section class=\"card\"><h2>已拨付 Paid</h2>{Table(["企业 Enterprise", "服务 Service", "编号 Id"], paid, "暂无 None")}</section>").Append(Enforcement.EnforcementLinks.For(p));
        return Pages.Page($"{Cities.Get(p.Scope ?? "").NameZh}财政局工作台 Finance bureau", sb.ToString(), p);
    }

    /// <summary>Approved advances (事前兑付) not paid yet: each with a form to confirm it was paid (it counts as paid only then).</summary>
    string AdvancesSection(IReadOnlyList<RedemptionIndexEntity> due)
    {
        var sb = new StringBuilder($"<section class=\"card\" id=\"advances-due\"><h2>事前兑付待拨付 Advances to pay（{due.Count}）</h2>");
        if (due.Count == 0)
        {
            return sb.Append("<p class=\"muted\">暂无待拨付的事前兑付 No advances to pay</p></section>").ToString();
        }

        sb.Append("<p class=\"muted\">守信企业的事前兑付在进入结算队列时核定，财政局拨付并确认后才计为已拨付；兑付申请拨付或终止前未确认的，不再拨付。</p>");
        foreach (var i in due)
        {
            var id = Attr(i.RowKey);
            sb.Append($"""
                <form method="post" action="/portal/advances/{id}" class="card" onsubmit="return confirm('确认已拨付事前兑付 {Cny.FromFen(i.PrepaidFen)}？确认后不可撤销。 Confirm the advance? This cannot be undone.');">
                <p><strong>{E(i.EnterpriseName)}</strong> · {E(i.ServiceTitle)} · 核定兑付 {Money(i.PayoutFen)} · 事前兑付 <strong>{Money(i.PrepaidFen)}</strong> · {E(RedemptionView.StatusText(i.Status))} · {Link($"/portal/redemptions/{i.RowKey}", i.RowKey)}</p>
                <label for="adv-ref-{id}">拨付凭证号 Payment reference</label><input id="adv-ref-{id}" name="reference" maxlength="64" required>
                <label for="adv-date-{id}">拨付日期 Paid on</label><input id="adv-date-{id}" name="paidOn" type="date" value="{Today:yyyy-MM-dd}" required>
                <div><button type="submit">确认事前兑付已拨付 Confirm the advance</button></div></form>
                """);
        }

        return sb.Append("</section>").ToString();
    }

    public async Task<IResult> ConfirmAdvanceFormAsync(RequestContext ctx)
    {
        var r = await redemptions.GetAsync(ctx.RouteValue("id"), ctx.Aborted);
        if (r is null || !string.Equals(ctx.Principal!.Scope, r.CityCode, StringComparison.OrdinalIgnoreCase))
        {
            return Pages.NotFound(ctx.Principal, "兑付申请不存在或不属于本市 (Not found)");
        }

        var form = await JsonBody.FormOrEmptyAsync(ctx.Request, ctx.Aborted);
        var (errors, paidOn) = payments.Validate(new ConfirmPaymentRequest(form["reference"], form["paidOn"]));
        if (errors.Count > 0)
        {
            return Back("/", error: string.Join("；", errors.Select(e => e.Message)));
        }

        return await advances.ConfirmAsync(r, form["reference"].ToString().Trim(), paidOn, ctx.Principal.Address, ctx.Aborted) switch
        {
            AdvanceOutcome.Accepted => Back("/", done: $"已确认拨付 {r.EnterpriseName} 的事前兑付 {Cny.FromFen(r.PrepaidFen)} (Advance confirmed)"),
            AdvanceOutcome.AlreadyPaid => Back("/", error: "此笔事前兑付已确认拨付，不能重复确认 (Already confirmed)"),
            _ => Back("/", error: "此笔事前兑付不再拨付 (The advance is no longer due)"),
        };
    }

    public async Task<IResult> ConfirmPaymentFormAsync(RequestContext ctx)
    {
        var r = await redemptions.GetAsync(ctx.RouteValue("id"), ctx.Aborted);
        if (r is null || !string.Equals(ctx.Principal!.Scope, r.CityCode, StringComparison.OrdinalIgnoreCase))
        {
            return Pages.NotFound(ctx.Principal, "兑付申请不存在或不属于本市 (Not found)");
        }

        var form = await JsonBody.FormOrEmptyAsync(ctx.Request, ctx.Aborted);
        var request = new ConfirmPaymentRequest(form["reference"], form["paidOn"]);
        var (errors, paidOn) = payments.Validate(request);
        if (errors.Count > 0)
        {
            return Back("/", error: string.Join("；", errors.Select(e => e.Message)));
        }

        var outcome = await payments.ConfirmAsync(r, request.Reference!.Trim(), paidOn, ctx.Principal.Address, ctx.Durable, ctx.Aborted);
        return outcome == PaymentOutcome.Accepted
            ? Back("/", done: $"已确认拨付 {r.EnterpriseName} (Payment confirmed)")
            : Back("/", error: outcome == PaymentOutcome.AlreadyPaid ? "此笔已确认拨付，不能重复确认 (Already confirmed)" : "当前不可拨付 (Not payable)");
    }
}
