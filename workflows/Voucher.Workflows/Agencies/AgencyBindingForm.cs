using Voucher.Workflows.Redemptions;
using Voucher.Workflows.Web;
using static Voucher.Workflows.Web.Html;

namespace Voucher.Workflows.Agencies;

/// <summary>
/// Binding answered from the redemption page by a signed-in institution user, used for an agency acting for the
/// institution: the signed link would record only the institution, this form records the agency too.
/// </summary>
public sealed class AgencyBindingForm(RedemptionStore redemptions, RedemptionEvents events)
{
    public static string Render(string redemptionId, int round) => $"""
        <form method="post" action="/portal/redemptions/{Attr(redemptionId)}/binding" onsubmit="return confirm('确认提交？提交后不可更改。 Submit? This cannot be undone.');">
        <input type="hidden" name="round" value="{round}">
        <label for="binding-reason">异议理由（提出异议时必填）Reason (required to dispute)</label><input id="binding-reason" name="reason" maxlength="500">
        <button type="submit" name="decision" value="confirm">代为确认 Confirm for the institution</button>
        <button type="submit" name="decision" value="dispute" class="danger">代为提出异议 Dispute</button></form>
        """;

    public async Task<IResult> AnswerAsync(RequestContext ctx)
    {
        var id = ctx.RouteValue("id");
        var p = ctx.Principal!;
        var r = await redemptions.GetAsync(id, ctx.Aborted);
        if (r is null || p.Role != Role.Institution || p.Scope != r.InstitutionId)
        {
            return Pages.NotFound(p, "兑付申请不存在或不属于本机构 (Not found)");
        }

        var form = await JsonBody.FormOrEmptyAsync(ctx.Request, ctx.Aborted);
        var back = $"/portal/redemptions/{Uri.EscapeDataString(r.RedemptionId)}";
        var decision = form["decision"].ToString();
        var reason = form["reason"].ToString().Trim();
        string? error = !int.TryParse(form["round"], out var round) || round < 1 ? "轮次无效 (Invalid round)"
            : decision is not ("confirm" or "dispute") ? "请选择确认或提出异议 (Choose confirm or dispute)"
            : decision == "dispute" && reason.Length == 0 ? "提出异议须填写理由 (A reason is required to dispute)"
            : reason.Length > 500 ? "理由不能超过 500 字 (At most 500 characters)"
            : null;
        if (error is not null)
        {
            return Results.Redirect(back + "?error=" + Uri.EscapeDataString(error));
        }

        var outcome = await events.BindAsync(r, round, decision == "confirm", reason.Length == 0 ? null : reason, p.Actor, ctx.Durable, ctx.Aborted);
        return Results.Redirect(back + outcome switch
        {
            BindingOutcome.Accepted => "?done=" + Uri.EscapeDataString("已提交 Submitted"),
            BindingOutcome.AlreadyDone => "?error=" + Uri.EscapeDataString("本轮已确认或已提出异议 (Already answered)"),
            _ => "?error=" + Uri.EscapeDataString("当前不在等待机构确认 (Not awaiting binding)"),
        });
    }
}
