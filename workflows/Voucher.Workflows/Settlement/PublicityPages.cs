using Voucher.Workflows.Web;

namespace Voucher.Workflows.Settlement;

/// <summary>
/// The public publicity page (公示公告): one formal notice per batch in publicity, its numbered table, and the objection
/// form of the row chosen (rate-limited like the API); a refused objection is shown by its fields, with what was typed kept.
/// </summary>
public sealed class PublicityPages(PublicityService publicity, PublicRateLimiter limiter)
{
    const string Title = "公示公告";

    public async Task<IResult> ShowAsync(RequestContext ctx)
    {
        var query = ctx.Request.Query;
        var objected = query["objected"].ToString();
        return Page(ctx, await publicity.NoticesAsync(ctx.Aborted), query["object"].ToString() is { Length: > 0 } chosen ? chosen : null, null, null, [],
            objected.Length > 0 ? "异议已提交。市科技局将核查处理，核查期间该笔兑付暂停拨付；异议人信息不予公开。" : null, StatusCodes.Status200OK);
    }

    public async Task<IResult> ObjectAsync(RequestContext ctx)
    {
        var id = ctx.RouteValue("redemptionId");
        if (!limiter.TryAcquire(ctx.Request, PublicityApi.ObjectionLimit))
        {
            return Page(ctx, await publicity.NoticesAsync(ctx.Aborted), id, null, null, [], "提交过于频繁，请一分钟后再试。", StatusCodes.Status429TooManyRequests);
        }

        var form = await JsonBody.FormOrEmptyAsync(ctx.Request, ctx.Aborted);
        var contact = form["contact"].ToString();
        var grounds = form["grounds"].ToString();
        var outcome = await publicity.FileObjectionAsync(new FileObjection(id, contact, grounds), ctx.Aborted);
        if (outcome.Failure is not { } failure)
        {
            // Post-redirect-get: a refresh does not file the objection again.
            return Results.Redirect($"/publicity?objected={Uri.EscapeDataString(id)}");
        }

        var errors = failure is Failure.Invalid invalid ? invalid.Errors : [];
        var message = errors.Count > 0 ? "异议未提交，请按提示修改。" : Glossary.ChineseOnly(failure.Message);
        return Page(ctx, await publicity.NoticesAsync(ctx.Aborted), id, contact, grounds, errors, message, PageStatus.Of(failure));
    }

    static IResult Page(RequestContext ctx, IReadOnlyList<PublicityNotice> notices, string? formFor, string? contact, string? grounds, IReadOnlyList<FieldError> errors, string? message, int status) =>
        Pages.View<PublicityPage>(Title, ctx.Principal, new PublicityModel(notices, formFor, contact, grounds, errors, message, status >= 400), status);
}

/// <summary>The publicity page: the notices, the row whose objection form is open, what was typed and the messages of a refused objection.</summary>
public sealed record PublicityModel(
    IReadOnlyList<PublicityNotice> Notices,
    string? FormFor,
    string? Contact,
    string? Grounds,
    IReadOnlyList<FieldError> Errors,
    string? Message,
    bool MessageIsError);
