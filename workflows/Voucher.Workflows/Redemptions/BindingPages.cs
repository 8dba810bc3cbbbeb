using Voucher.Workflows.Links;
using Voucher.Workflows.Web;

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
            null => Pages.View<BindingAnswered>("已提交", ctx.Principal, new BindingAnsweredModel(outcome.Value.RedemptionId, answer.Confirm == true, r!.EnterpriseName, ctx.Principal is not null)),
            Failure.Invalid invalid => RenderForm(ctx, claims!, r!, ErrorField(invalid, reason), reason, StatusCodes.Status400BadRequest, choice),
            Failure.NotFound => Pages.NotFound(ctx.Principal, "兑付申请不存在。"),
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
            return (null, null, Pages.Error(ctx.Principal, "链接无效或已被篡改，请使用通知中的链接。", StatusCodes.Status400BadRequest));
        }

        if (check == LinkCheck.Expired)
        {
            return (null, null, Pages.View<MessagePage>("链接已过期", ctx.Principal,
                new MessageModel(MessageKind.Refused, "确认期限已过，此链接已失效。市科技局可延长确认期限并发送新的链接。"), StatusCodes.Status410Gone));
        }

        var opened = await binding.OpenByLinkAsync(claims!, ctx.Aborted);
        return opened.Failure switch
        {
            null => (claims, opened.Value, null),
            Failure.NotFound => (null, null, Pages.NotFound(ctx.Principal, "兑付申请不存在。")),
            _ => (null, null, AlreadyUsed(ctx)),
        };
    }

    static IResult AlreadyUsed(RequestContext ctx) =>
        Pages.View<MessagePage>("链接已使用", ctx.Principal,
            new MessageModel(MessageKind.Refused, "此确认链接已使用或本轮确认已结束，无需重复操作。"), StatusCodes.Status409Conflict);

    static readonly DecisionForm Form = new(
        "服务机构确认",
        "答复",
        ("confirm", "确认：本机构已为该企业提供上述服务并收款"),
        ("dispute", "不予确认"),
        "请选择确认或不予确认。",
        "理由（不予确认时必填）",
        "不予确认须填写理由。",
        "提交后不可撤销，确认提交？",
        "提交");

    static IResult RenderForm(RequestContext ctx, LinkClaims claims, RedemptionEntity r, string? errorField, string reason, int status, string? choice = null)
    {
        var plan = BindingDeadlines.Of(r);
        var model = new BindingPageModel(r, claims.Round, plan is null ? null : BindingDeadlines.Iso(plan.Deadline), plan?.Basis.Provisional == true,
            Form, errorField, choice, reason);
        return Pages.View<BindingPage>("服务机构确认兑付申请", ctx.Principal, model, status);
    }
}

/// <summary>The binding page: the redemption to confirm, the round and its deadline, the decision form and what was typed.</summary>
public sealed record BindingPageModel(RedemptionEntity Redemption, int Round, string? Deadline, bool Provisional, DecisionForm Form, string? ErrorField, string? Choice, string? Reason);

/// <summary>The answer was recorded: confirmed or not, and who is told.</summary>
public sealed record BindingAnsweredModel(string RedemptionId, bool Confirmed, string EnterpriseName, bool SignedIn);
