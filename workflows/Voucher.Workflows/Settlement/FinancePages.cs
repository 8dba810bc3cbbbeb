using Voucher.Workflows.Redemptions;
using Voucher.Workflows.Web;
using static Voucher.Workflows.Web.Html;
using static Voucher.Workflows.Web.PageParts;

namespace Voucher.Workflows.Settlement;

/// <summary>The finance bureau's work: what is payable and the advances to pay, confirming each payment once (<see cref="PaymentService"/>).</summary>
public sealed class FinancePages(PaymentService payments, TimeProvider time)
{
    const string NotOurs = "兑付申请不存在或不属于本市 (Not found)";

    DateOnly Today => ChinaTime.Today(time);

    public async Task<IResult> FinanceHomeAsync(RequestContext ctx)
    {
        var p = ctx.Principal!;
        var outcome = await payments.WorkAsync(p, ctx.Aborted);
        if (outcome.Failure is { } failure)
        {
            return Pages.Error(p, failure.Message, PageStatus.Of(failure));
        }

        var work = outcome.Value;
        var sb = new StringBuilder(Flash(ctx.Request)).Append($"<section class=\"card\"><h2>待拨付 Payable（{work.Payables.Count}）</h2>");
        if (work.Payables.Count == 0)
        {
            sb.Append("<p class=\"muted\">暂无待拨付 Nothing payable</p>");
        }

        foreach (var r in work.Payables)
        {
            sb.Append($"""
                <form method="post" action="/portal/payments/{Attr(r.RedemptionId)}" class="card" onsubmit="return confirm('确认已拨付 {r.Remainder}？确认后不可撤销。 Confirm payment? This cannot be undone.');">
                <p><strong>{E(r.EnterpriseName)}</strong> · {E(r.ServiceTitle)} · 核定兑付 <strong>{Money(r.Payout.Fen)}</strong>{(r.Prepaid.Fen > 0 ? $" · 已事前兑付 {Money(r.Prepaid.Fen)} · 本次拨付 <strong>{Money(r.Remainder.Fen)}</strong>" : r.AdvanceApproved.Fen > 0 ? " · 核定的事前兑付未拨付，本次全额拨付" : "")} · {Link($"/portal/redemptions/{r.RedemptionId}", r.RedemptionId)}</p>
                <label for="ref-{Attr(r.RedemptionId)}">拨付凭证号 Payment reference</label><input id="ref-{Attr(r.RedemptionId)}" name="reference" maxlength="64" required>
                <label for="date-{Attr(r.RedemptionId)}">拨付日期 Paid on</label><input id="date-{Attr(r.RedemptionId)}" name="paidOn" type="date" value="{Today:yyyy-MM-dd}" required>
                <div><button type="submit">确认拨付 Confirm payment</button></div></form>
                """);
        }

        sb.Append("</section>").Append(AdvancesSection(work.Advances));
        var paid = work.RecentlyPaid.Select(i => new[] { E(i.EnterpriseName), E(i.ServiceTitle), Link($"/portal/redemptions/{i.RedemptionId}", i.RedemptionId) });
        sb.Append($"<section class=\"card\"><h2>已拨付 Paid</h2>{Table(["企业 Enterprise", "服务 Service", "编号 Id"], paid, "暂无 None")}</section>").Append(Enforcement.EnforcementLinks.For(p));
        return Pages.Page($"{Cities.Get(p.Scope ?? "").NameZh}财政局工作台 Finance bureau", sb.ToString(), p);
    }

    /// <summary>Approved advances (事前兑付) not paid yet: each with a form to confirm it was paid (it counts as paid only then).</summary>
    string AdvancesSection(IReadOnlyList<AdvanceDue> due)
    {
        var sb = new StringBuilder($"<section class=\"card\" id=\"advances-due\"><h2>事前兑付待拨付 Advances to pay（{due.Count}）</h2>");
        if (due.Count == 0)
        {
            return sb.Append("<p class=\"muted\">暂无待拨付的事前兑付 No advances to pay</p></section>").ToString();
        }

        sb.Append("<p class=\"muted\">守信企业的事前兑付在进入结算队列时核定，财政局拨付并确认后才计为已拨付；兑付申请拨付或终止前未确认的，不再拨付。</p>");
        foreach (var i in due)
        {
            var id = Attr(i.RedemptionId);
            sb.Append($"""
                <form method="post" action="/portal/advances/{id}" class="card" onsubmit="return confirm('确认已拨付事前兑付 {i.Advance}？确认后不可撤销。 Confirm the advance? This cannot be undone.');">
                <p><strong>{E(i.EnterpriseName)}</strong> · {E(i.ServiceTitle)} · 核定兑付 {Money(i.Payout.Fen)} · 事前兑付 <strong>{Money(i.Advance.Fen)}</strong> · {E(RedemptionView.StatusText(i.Status))} · {Link($"/portal/redemptions/{i.RedemptionId}", i.RedemptionId)}</p>
                <label for="adv-ref-{id}">拨付凭证号 Payment reference</label><input id="adv-ref-{id}" name="reference" maxlength="64" required>
                <label for="adv-date-{id}">拨付日期 Paid on</label><input id="adv-date-{id}" name="paidOn" type="date" value="{Today:yyyy-MM-dd}" required>
                <div><button type="submit">确认事前兑付已拨付 Confirm the advance</button></div></form>
                """);
        }

        return sb.Append("</section>").ToString();
    }

    public async Task<IResult> ConfirmAdvanceFormAsync(RequestContext ctx)
    {
        var form = await JsonBody.FormOrEmptyAsync(ctx.Request, ctx.Aborted);
        var outcome = await payments.ConfirmAdvanceAsync(ctx.Principal!, new ConfirmPayment(ctx.RouteValue("id"), form["reference"], form["paidOn"]), ctx.Aborted);
        return outcome.Failure switch
        {
            null => Back("/", done: $"已确认拨付 {outcome.Value.EnterpriseName} 的事前兑付 {Cny.FromFen(outcome.Value.PrepaidFen)} (Advance confirmed)"),
            Failure.NotFound or Failure.Forbidden => Pages.NotFound(ctx.Principal, NotOurs),
            { } failure => Back("/", error: failure.Message),
        };
    }

    public async Task<IResult> ConfirmPaymentFormAsync(RequestContext ctx)
    {
        var form = await JsonBody.FormOrEmptyAsync(ctx.Request, ctx.Aborted);
        var outcome = await payments.ConfirmPaymentAsync(ctx.Principal!, new ConfirmPayment(ctx.RouteValue("id"), form["reference"], form["paidOn"]), ctx.Durable, ctx.Aborted);
        return outcome.Failure switch
        {
            null => Back("/", done: $"已确认拨付 {outcome.Value.EnterpriseName} (Payment confirmed)"),
            Failure.NotFound or Failure.Forbidden => Pages.NotFound(ctx.Principal, NotOurs),
            { } failure => Back("/", error: failure.Message),
        };
    }
}
