using Voucher.Workflows.Evidence;
using Voucher.Workflows.Links;
using Voucher.Workflows.Web;

namespace Voucher.Workflows.Settlement;

/// <summary>
/// An expert's opinion page (signed link naming the expert and the batch row): the redemption, its evidence
/// (readable through the link while it is valid), and a form for the opinion (<see cref="SettlementService.RecordOpinionAsync"/>),
/// confirmed once before it is recorded, since it cannot be changed after.
/// </summary>
public sealed class OpinionPages(LinkSigner signer, SettlementService settlements, EvidenceStore evidence)
{
    const string Title = "专家评审意见";

    public async Task<IResult> ShowAsync(RequestContext ctx)
    {
        var (item, problem) = await OpenAsync(ctx);
        return problem ?? Form(ctx, item!, "", null, StatusCodes.Status200OK);
    }

    public async Task<IResult> SubmitAsync(RequestContext ctx)
    {
        var (item, problem) = await OpenAsync(ctx);
        if (problem is not null)
        {
            return problem;
        }

        var form = await JsonBody.FormOrEmptyAsync(ctx.Request, ctx.Aborted);
        var opinion = form["opinion"].ToString().Trim();
        if (item!.ExpertOpinion is null && opinion.Length is > 0 and <= SettlementService.MaxOpinionLength && !ConfirmModel.IsConfirmed(form))
        {
            var path = ctx.Request.Path.Value ?? "";
            return Pages.View<ConfirmPage>("确认提交意见", ctx.Principal, new ConfirmModel(
                "确认提交评审意见？",
                [("兑付申请", $"{item.EnterpriseName} · {item.ServiceTitle}"), ("实付金额", Glossary.Money(item.AmountPaidFen)), ("您的意见", opinion), ("之后", "意见提交后不能修改，市科技局审核时可见。")],
                path,
                [("opinion", opinion)],
                "确认提交意见",
                path));
        }

        var outcome = await settlements.RecordOpinionAsync(item, opinion, ctx.Aborted);
        return outcome.Failure switch
        {
            null => Pages.View<ResultCard>("意见已提交", ctx.Principal, new ResultModel("评审意见已提交。", "市科技局审核该笔兑付时将看到您的意见。感谢您的评审。", [("/", "返回首页")])),
            Failure.Invalid invalid => Form(ctx, item, opinion, Glossary.ChineseOnly(invalid.Message), StatusCodes.Status400BadRequest),
            { } given when given == SettlementService.OpinionAlreadyGiven => Pages.Error(ctx.Principal, "您已就此申请出具意见，意见不能修改。", StatusCodes.Status409Conflict),
            { } failure => Pages.Error(ctx.Principal, failure.Message, PageStatus.Of(failure)),
        };
    }

    public async Task<IResult> EvidenceAsync(RequestContext ctx)
    {
        var (item, problem) = await OpenAsync(ctx);
        if (problem is not null)
        {
            return problem;
        }

        if (!EvidenceRules.TryParseKind(ctx.RouteValue("kind"), out var kind) || await evidence.OpenAsync(item!.RedemptionId, kind, ctx.Aborted) is not { } opened)
        {
            return Pages.NotFound(ctx.Principal, "该材料不存在。");
        }

        ctx.Http.Response.Headers["X-Content-Type-Options"] = "nosniff";
        return Results.Stream(opened.Content, opened.Evidence.ContentType);
    }

    /// <summary>The row the link names while its request stands; a withdrawn or foreign request is gone (410).</summary>
    async Task<(BatchItemEntity?, IResult?)> OpenAsync(RequestContext ctx)
    {
        var check = signer.Verify(ctx.RouteValue("token"), out var claims);
        if (check != LinkCheck.Valid || claims!.Action != BatchLinks.OpinionAction)
        {
            return (null, Pages.Error(ctx.Principal, check == LinkCheck.Expired ? "此评审链接已过期。" : "链接无效或已被篡改，请从通知重新进入。", check == LinkCheck.Expired ? StatusCodes.Status410Gone : StatusCodes.Status400BadRequest));
        }

        var (batchId, redemptionId) = BatchLinks.OpinionRow(claims);
        var request = batchId is null ? null : await settlements.OpinionRequestAsync(batchId, redemptionId!, claims.Party, ctx.Aborted);
        if (request is not { Succeeded: true })
        {
            return (null, Pages.Error(ctx.Principal, request?.Failure?.Message ?? "此评审请求已撤销或不属于您。", StatusCodes.Status410Gone));
        }

        return (request.Value, null);
    }

    static IResult Form(RequestContext ctx, BatchItemEntity item, string typed, string? error, int status) =>
        Pages.View<OpinionPage>(Title, ctx.Principal, new OpinionModel(item, $"/opinions/{ctx.RouteValue("token")}", typed, error), status);
}

/// <summary>The opinion page: the row, the link's own path (form and evidence), what was typed and the refusal of the last post.</summary>
public sealed record OpinionModel(BatchItemEntity Item, string Path, string Typed, string? Error);
