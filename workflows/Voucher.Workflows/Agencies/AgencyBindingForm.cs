using Voucher.Workflows.Redemptions;
using Voucher.Workflows.Web;

namespace Voucher.Workflows.Agencies;

/// <summary>
/// Binding answered from the redemption page by a signed-in institution user, used for an agency acting for the
/// institution: the signed link would record only the institution, this form (<see cref="AgencyBindingPanel"/>) records the agency too.
/// </summary>
public sealed class AgencyBindingForm(RedemptionStore redemptions, RedemptionEvents events)
{
    public async Task<IResult> AnswerAsync(RequestContext ctx)
    {
        var id = ctx.RouteValue("id");
        var p = ctx.Principal!;
        var r = await redemptions.GetAsync(id, ctx.Aborted);
        if (r is null || p.Role != Role.Institution || p.Scope != r.InstitutionId)
        {
            return Pages.NotFound(p, "兑付申请不存在或不属于本机构。");
        }

        var form = await JsonBody.FormOrEmptyAsync(ctx.Request, ctx.Aborted);
        var back = $"/portal/redemptions/{Uri.EscapeDataString(r.RedemptionId)}";
        var decision = form["decision"].ToString();
        var reason = form["reason"].ToString().Trim();
        string? error = !int.TryParse(form["round"], out var round) || round < 1 ? "确认轮次无效，请刷新页面后重新提交。"
            : decision is not ("confirm" or "dispute") ? "请选择确认或不予确认。"
            : decision == "dispute" && reason.Length == 0 ? "不予确认须填写理由。"
            : reason.Length > 500 ? "理由不能超过 500 字。"
            : null;
        if (error is not null)
        {
            return PageParts.Back(back, error: error);
        }

        var outcome = await events.BindAsync(r, round, decision == "confirm", reason.Length == 0 ? null : reason, p.Actor, ctx.Durable, ctx.Aborted);
        return outcome switch
        {
            BindingOutcome.Accepted => PageParts.Back(back, done: decision == "confirm" ? "已代为确认。" : "已代为不予确认。"),
            BindingOutcome.AlreadyDone => PageParts.Back(back, error: "本轮已确认或已不予确认。"),
            _ => PageParts.Back(back, error: "该兑付申请当前不在等待机构确认。"),
        };
    }
}
