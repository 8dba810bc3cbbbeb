using Voucher.Workflows.Evidence;
using Voucher.Workflows.Links;
using Voucher.Workflows.Web;
using static Voucher.Workflows.Web.Html;

namespace Voucher.Workflows.Settlement;

/// <summary>
/// An expert's opinion page (signed link naming the expert and the batch row): the redemption, its evidence
/// (readable through the link while it is valid), and a form for the opinion (<see cref="SettlementService.RecordOpinionAsync"/>).
/// </summary>
public sealed class OpinionPages(LinkSigner signer, SettlementService settlements, EvidenceStore evidence)
{
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
        var outcome = await settlements.RecordOpinionAsync(item!, opinion, ctx.Aborted);
        return outcome.Failure switch
        {
            null => Pages.Page("意见已提交 Opinion recorded", "<section class=\"card\"><p class=\"ok\" role=\"status\">专家意见已记录，审核人员将看到。Your opinion is recorded.</p></section>", ctx.Principal),
            Failure.Invalid invalid => Form(ctx, item!, opinion, invalid.Message, StatusCodes.Status400BadRequest),
            { } given when given == SettlementService.OpinionAlreadyGiven =>
                Pages.Page("意见已提交 Already given", $"<section class=\"card\"><p class=\"warn\" role=\"alert\">{E(given.Message)}</p></section>", ctx.Principal, StatusCodes.Status409Conflict),
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
            return Pages.NotFound(ctx.Principal, "材料不存在 (No such evidence)");
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
            return (null, Pages.Error(ctx.Principal, check == LinkCheck.Expired ? "链接已过期 (This link expired)" : "链接无效 (This link is not valid)", check == LinkCheck.Expired ? StatusCodes.Status410Gone : StatusCodes.Status400BadRequest));
        }

        var (batchId, redemptionId) = BatchLinks.OpinionRow(claims);
        var request = batchId is null ? null : await settlements.OpinionRequestAsync(batchId, redemptionId!, claims.Party, ctx.Aborted);
        if (request is not { Succeeded: true })
        {
            return (null, Pages.Error(ctx.Principal, request?.Failure?.Message ?? "此意见请求已撤销或不属于您 (This request was withdrawn or is not yours)", StatusCodes.Status410Gone));
        }

        return (request.Value, null);
    }

    static IResult Form(RequestContext ctx, BatchItemEntity item, string typed, string? error, int status)
    {
        var token = ctx.RouteValue("token");
        var evidenceLinks = string.Join(" · ", EvidenceRules.Required.Select(k => Link($"/opinions/{token}/evidence/{EvidenceRules.Slug(k)}", EvidenceRules.Chinese(k))));
        var given = item.ExpertOpinion is null ? "" : $"<p class=\"ok\">已提交意见 Given: {E(item.ExpertOpinion)}</p>";
        var body = $$"""
            <section class="card"><dl class="facts">
            <dt>兑付申请 Redemption</dt><dd>{{E(item.RedemptionId)}}</dd><dt>企业 Enterprise</dt><dd>{{E(item.EnterpriseName)}}</dd>
            <dt>服务机构 Institution</dt><dd>{{E(item.InstitutionName)}}</dd><dt>服务 Service</dt><dd>{{E(item.ServiceTitle)}}（{{E(item.ServiceCategory)}}）</dd>
            <dt>实付 Paid</dt><dd>{{E(Cny.FromFen(item.AmountPaidFen).ToString())}}</dd><dt>材料 Evidence</dt><dd>{{evidenceLinks}}</dd></dl>{{given}}</section>
            <section class="card"><form method="post" onsubmit="return confirm('意见提交后不能修改，确认提交？ Your opinion cannot be changed once submitted. Submit?');">
            <label for="opinion">专家意见 Opinion</label>{{(error is null ? "" : $"<p class=\"error\" role=\"alert\" id=\"opinion-error\">{E(error)}</p>")}}
            <textarea id="opinion" name="opinion" rows="6" maxlength="{{SettlementService.MaxOpinionLength}}"{{(error is null ? "" : " aria-invalid=\"true\" aria-describedby=\"opinion-error\"")}}>{{E(typed)}}</textarea>
            <div><button type="submit">提交意见 Submit opinion</button></div></form></section>
            """;
        return Pages.Page("专家意见 Expert opinion", body, ctx.Principal, status);
    }
}
