using Voucher.Workflows.Links;
using Voucher.Workflows.Web;
using static Voucher.Workflows.Web.Html;

namespace Voucher.Workflows.Redemptions;

/// <summary>
/// The institution's binding link: GET shows the redemption with Confirm / Dispute (reason required); POST
/// answers. Bound to the institution, the redemption and the round; expires with the deadline; works once.
/// </summary>
public sealed class BindingPages(LinkSigner signer, BindingService binding)
{
    public async Task<IResult> ShowAsync(RequestContext ctx)
    {
        var (claims, r, problem) = await OpenAsync(ctx);
        return problem ?? RenderForm(ctx, claims!, r!, null, "", StatusCodes.Status200OK);
    }

    public async Task<IResult> AnswerAsync(RequestContext ctx)
    {
        var (claims, r, problem) = await OpenAsync(ctx);
        if (problem is not null)
        {
            return problem;
        }

        var form = ctx.Request.HasFormContentType ? await ctx.Request.ReadFormAsync(ctx.Aborted) : null;
        var choice = form?["decision"].ToString();
        var reason = form?["reason"].ToString().Trim() ?? "";
        var answer = new BindingAnswer(choice switch { "confirm" => true, "dispute" => false, _ => null }, reason);
        var outcome = await binding.AnswerByLinkAsync(claims!, answer, ctx.Durable, ctx.Aborted);
        return outcome.Failure switch
        {
            null => Pages.Page("已提交 Answer recorded",
                $"<section class=\"card\"><p class=\"ok\" role=\"status\">{(answer.Confirm == true ? "已确认该兑付申请。Confirmed." : "已提出异议，企业和市科技局将收到通知。Disputed: the enterprise and the bureau are told.")}</p><p>兑付申请 Redemption: {E(outcome.Value.RedemptionId)}</p><p><a href=\"/\">返回工作台 Back to your list</a></p></section>",
                ctx.Principal),
            Failure.Invalid invalid => RenderForm(ctx, claims!, r!, ErrorField(invalid, reason), reason, StatusCodes.Status400BadRequest, choice),
            Failure.NotFound => Pages.NotFound(ctx.Principal, "兑付申请不存在 (Redemption not found)"),
            _ => AlreadyUsed(ctx),
        };
    }

    /// <summary>Which of the form's fields the first refused answer field names (the form shows one message, the choice first).</summary>
    static string ErrorField(Failure.Invalid invalid, string reason) =>
        invalid.Errors.Any(e => e.Field == "confirm") ? "decision"
        : reason.Length > BindingService.MaxReasonLength ? "reason-length"
        : "reason";

    async Task<(LinkClaims?, RedemptionEntity?, IResult?)> OpenAsync(RequestContext ctx)
    {
        var check = signer.Verify(ctx.RouteValue("token"), out var claims);
        if (check is LinkCheck.Malformed or LinkCheck.BadSignature || (claims is not null && claims.Action != BindingLinks.Action))
        {
            return (null, null, Pages.Error(ctx.Principal, "链接无效或已被篡改 (This link is not valid)", StatusCodes.Status400BadRequest));
        }

        if (check == LinkCheck.Expired)
        {
            return (null, null, Pages.Page("链接已过期 Link expired",
                "<section class=\"card\"><p class=\"warn\" role=\"alert\">确认期限已过，此链接已失效。市科技局可延长确认期限并发送新的链接。</p><p>The binding deadline passed; the bureau can extend it and send a new link.</p></section>",
                ctx.Principal, StatusCodes.Status410Gone));
        }

        var opened = await binding.OpenByLinkAsync(claims!, ctx.Aborted);
        return opened.Failure switch
        {
            null => (claims, opened.Value, null),
            Failure.NotFound => (null, null, Pages.NotFound(ctx.Principal, "兑付申请不存在 (Redemption not found)")),
            _ => (null, null, AlreadyUsed(ctx)),
        };
    }

    static IResult AlreadyUsed(RequestContext ctx) =>
        Pages.Page("链接已使用 Link already used",
            "<section class=\"card\"><p class=\"warn\" role=\"alert\">此确认链接已使用或本轮确认已结束，无需重复操作。</p><p>This link was already used, or this binding round is over.</p></section>",
            ctx.Principal, StatusCodes.Status409Conflict);

    static readonly DecisionForm Form = new(
        "确认 Binding",
        "答复 Answer",
        ("confirm", "确认：本机构已为该企业提供上述服务并收款 Confirm"),
        ("dispute", "异议 Dispute"),
        "请选择确认或异议 (Choose confirm or dispute)",
        "理由（异议时必填）Reason (required to dispute)",
        "提出异议须填写理由 (A reason is required to dispute)",
        "提交后不可撤销，确认提交？ This cannot be undone. Submit?",
        "提交 Submit");

    static IResult RenderForm(RequestContext ctx, LinkClaims claims, RedemptionEntity r, string? errorField, string reason, int status, string? choice = null)
    {
        var body = $$"""
            <section class="card">
            <h2>兑付申请 Redemption</h2>
            <dl class="facts">
            <dt>编号 Id</dt><dd>{{E(r.RedemptionId)}}</dd>
            <dt>企业 Enterprise</dt><dd>{{E(r.EnterpriseName)}}</dd>
            <dt>服务 Service</dt><dd>{{E(r.ServiceTitle)}}</dd>
            <dt>合同编号 Contract</dt><dd>{{E(r.ContractNumber)}}</dd>
            <dt>实际支付 Amount paid</dt><dd>{{E(Cny.FromFen(r.AmountPaidFen).ToString())}}</dd>
            <dt>确认期限 Deadline</dt><dd>{{E(r.BindingDeadline)}}（第 {{claims.Round}} 轮 round）{{(BindingDeadlines.Of(r)?.Basis.Provisional == true ? " " + Provisional : "")}}</dd>
            </dl>
            </section>
            {{Form.Render(errorField, choice, reason)}}
            """;
        return Pages.Page("服务机构确认兑付 Bind redemption", body, ctx.Principal, status);
    }
}
