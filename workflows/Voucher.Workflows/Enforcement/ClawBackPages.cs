using Voucher.Workflows.Settlement;
using Voucher.Workflows.Web;
using static Voucher.Workflows.Web.Html;

namespace Voucher.Workflows.Enforcement;

/// <summary>The finance bureau's claw-backs: what is due (each with its confirmation form) and what was recovered, over <see cref="ClawBackService"/>.</summary>
public sealed class ClawBackPages(ClawBackService clawBacks)
{
    public Task<IResult> ClawBacksAsync(RequestContext ctx) => RenderAsync(ctx, null, null, StatusCodes.Status200OK);

    public async Task<IResult> ConfirmClawBackFormAsync(RequestContext ctx)
    {
        var p = ctx.Principal!;
        var form = await JsonBody.FormOrEmptyAsync(ctx.Request, ctx.Aborted);
        var reference = form["reference"].ToString().Trim();
        var id = ctx.RouteValue("id");
        var outcome = await clawBacks.ConfirmAsync(p, new ConfirmClawBack(ctx.RouteValue("city"), id, reference), ctx.Aborted);
        return outcome.Failure switch
        {
            null => await RenderAsync(ctx, null, $"已确认追回 {id}。Confirmed.", StatusCodes.Status200OK),
            Failure.Forbidden forbidden => Pages.Forbidden(p, forbidden.Message),
            Failure.NotFound notFound => Pages.NotFound(p, notFound.Message),
            Failure.Conflict conflict => await RenderAsync(ctx, (id, reference, conflict.Message), null, StatusCodes.Status409Conflict),
            var failure => await RenderAsync(ctx, (id, reference, failure.Message), null, StatusCodes.Status400BadRequest),
        };
    }

    async Task<IResult> RenderAsync(RequestContext ctx, (string Id, string Reference, string Error)? failed, string? message, int status)
    {
        var p = ctx.Principal!;
        var city = p.Scope ?? "";
        var listed = await clawBacks.ClawBacksAsync(p, city, ctx.Aborted);
        var all = listed.Succeeded ? listed.Value : [];
        var due = all.Where(c => c.Status == ClawBackStatus.Due).OrderBy(c => c.CreatedAt).ToList();
        var sb = new StringBuilder();
        if (message is not null)
        {
            sb.Append($"<section class=\"card\"><p class=\"ok\" role=\"status\">{E(message)}</p></section>");
        }

        sb.Append($"<section class=\"card\"><h2>待追回 Due（{due.Count}）</h2>");
        var n = 0;
        foreach (var c in due)
        {
            n++;
            var error = failed is { } f && f.Id == c.ClawBackId ? f : ((string, string, string)?)null;
            sb.Append($"""
                <form method="post" action="/portal/clawbacks/{Attr(city)}/{Attr(c.ClawBackId)}" class="card">
                <p><strong>{E(c.EnterpriseName)}</strong>（{E(c.Uscc)}）· 兑付 {Link($"/portal/redemptions/{c.RedemptionId}", c.RedemptionId)} · {(c.Kind == "prepaid" ? "事前兑付 prepaid" : "已拨付 paid")} · 追回 <strong>{E(Cny.FromFen(c.AmountFen).ToString())}</strong> · 违规 {E(c.ViolationId)}</p>
                <label for="ref-{n}">追回凭证号 Recovery reference</label>{(error is null ? "" : $"<p class=\"error\" role=\"alert\" id=\"ref-{n}-error\">{E(error.Value.Item3)}</p>")}
                <input id="ref-{n}" name="reference" maxlength="64" value="{Attr(error?.Item2)}" required{(error is null ? "" : $" aria-invalid=\"true\" aria-describedby=\"ref-{n}-error\"")}>
                <div><button type="submit">确认已追回 Confirm recovered</button></div></form>
                """);
        }

        if (n == 0)
        {
            sb.Append("<p class=\"muted\">暂无待追回资金 Nothing due.</p>");
        }

        var done = all.Where(c => c.Status == ClawBackStatus.Confirmed).OrderByDescending(c => c.ConfirmedAt)
            .Select(c => new[] { E(c.EnterpriseName), E(c.RedemptionId), E(Cny.FromFen(c.AmountFen).ToString()), E(c.Reference), E(c.ConfirmedAt is { } at ? BatchLinks.ChinaDate(at) : "") });
        sb.Append($"</section><section class=\"card\"><h2>已追回 Recovered</h2>{Table(["企业 Enterprise", "兑付 Redemption", "金额 Amount", "凭证号 Reference", "确认时间 Confirmed"], done, "暂无 None")}</section>");
        return Pages.Page($"{Cities.Get(city).NameZh}财政局 资金追回 Claw-backs", sb.ToString(), p, status);
    }
}
