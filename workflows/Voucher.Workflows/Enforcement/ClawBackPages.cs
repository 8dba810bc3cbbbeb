using Voucher.Workflows.Web;

namespace Voucher.Workflows.Enforcement;

/// <summary>
/// The finance bureau's claw-backs (<c>/portal/clawbacks</c>): what is due, each with its recovery reference to confirm,
/// and what was recovered, over <see cref="ClawBackService"/>. Confirming cannot be undone, so the form's first post
/// answers with the shared confirmation naming the enterprise, the amount and what follows; the second confirms.
/// </summary>
public sealed class ClawBackPages(ClawBackService clawBacks)
{
    const string Path = "/portal/clawbacks";

    public Task<IResult> ClawBacksAsync(RequestContext ctx) => RenderAsync(ctx, null, StatusCodes.Status200OK);

    public async Task<IResult> ConfirmClawBackFormAsync(RequestContext ctx)
    {
        var p = ctx.Principal!;
        var form = await JsonBody.FormOrEmptyAsync(ctx.Request, ctx.Aborted);
        var reference = form["reference"].ToString().Trim();
        var city = ctx.RouteValue("city");
        var id = ctx.RouteValue("id");
        if (!string.Equals(p.Scope, city, StringComparison.OrdinalIgnoreCase))
        {
            return Pages.Forbidden(p, "只有本市财政局可以确认追回。");
        }

        var listed = await clawBacks.ClawBacksAsync(p, city, ctx.Aborted);
        var claw = listed.Succeeded ? listed.Value.FirstOrDefault(c => c.ClawBackId == id) : null;
        if (claw is null)
        {
            return Pages.NotFound(p, "没有这笔追回记录。");
        }

        if (claw.Status != ClawBackStatus.Due)
        {
            return PageParts.Back(Path, error: $"{claw.EnterpriseName} 的这笔追回已确认，无需再次确认。");
        }

        if (reference.Length is 0 or > ClawBackService.MaxReferenceLength)
        {
            var message = reference.Length == 0 ? "请填写追回凭证号。" : $"追回凭证号不能超过 {ClawBackService.MaxReferenceLength} 个字符。";
            return await RenderAsync(ctx, new ClawBackFailure(id, reference, message), StatusCodes.Status400BadRequest);
        }

        if (!ConfirmModel.IsConfirmed(form))
        {
            return Pages.View<ConfirmPage>("确认已追回", p, new ConfirmModel(
                $"确认已向 {claw.EnterpriseName} 追回 {Glossary.MoneyInProse(claw.AmountFen)}？",
                [
                    ("企业", claw.EnterpriseName),
                    ("兑付申请编号", claw.RedemptionId),
                    ("追回金额", Glossary.Money(claw.AmountFen)),
                    ("追回凭证号", reference),
                    ("确认后", "记入该企业的信用记录，并通知企业资金已追回；确认不能撤销。"),
                ],
                $"{Path}/{Uri.EscapeDataString(city)}/{Uri.EscapeDataString(id)}", ConfirmModel.Carry(form), "确认已追回", Path));
        }

        var outcome = await clawBacks.ConfirmAsync(p, new ConfirmClawBack(city, id, reference), ctx.Aborted);
        return outcome.Failure switch
        {
            null => PageParts.Back(Path, done: $"已确认向 {claw.EnterpriseName} 追回 {Glossary.MoneyInProse(claw.AmountFen)}，已记入企业信用记录并通知企业。"),
            Failure.Forbidden forbidden => Pages.Forbidden(p, forbidden.Message),
            Failure.NotFound => Pages.NotFound(p, "没有这笔追回记录。"),
            Failure.Conflict => PageParts.Back(Path, error: $"{claw.EnterpriseName} 的这笔追回已由他人确认。"),
            var failure => await RenderAsync(ctx, new ClawBackFailure(id, reference, failure.Message), StatusCodes.Status400BadRequest),
        };
    }

    async Task<IResult> RenderAsync(RequestContext ctx, ClawBackFailure? failed, int status)
    {
        var p = ctx.Principal!;
        var city = Cities.Get(p.Scope ?? "");
        var listed = await clawBacks.ClawBacksAsync(p, city.Code, ctx.Aborted);
        var all = listed.Succeeded ? listed.Value : [];
        var model = new ClawBacksModel(
            city,
            [.. all.Where(c => c.Status == ClawBackStatus.Due).OrderBy(c => c.CreatedAt)],
            [.. all.Where(c => c.Status == ClawBackStatus.Confirmed).OrderByDescending(c => c.ConfirmedAt)],
            failed);
        return Pages.View<ClawBacksPage>($"{city.NameZh}财政局 · 资金追回", p, model, status);
    }
}

/// <summary>A refused confirmation: the claw-back, the reference typed and why.</summary>
public sealed record ClawBackFailure(string ClawBackId, string Reference, string Message);

/// <summary>The claw-backs page: the city, what is due, what was recovered, and a refused confirmation if any.</summary>
public sealed record ClawBacksModel(City City, IReadOnlyList<ClawBackEntity> Due, IReadOnlyList<ClawBackEntity> Recovered, ClawBackFailure? Failed);
