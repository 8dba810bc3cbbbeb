using Voucher.Workflows.Enterprises;
using Voucher.Workflows.Links;
using Voucher.Workflows.Policies;
using Voucher.Workflows.Web;

namespace Voucher.Workflows.Applications;

/// <summary>
/// The reviewer's link: GET shows the application with 批准 / 驳回 (reason required to reject); only POST decides. The
/// link names the bureau, the application and the round, expires with the deadline, works once.
/// </summary>
public sealed class ReviewPages(
    LinkSigner signer,
    ApplicationStore applications,
    VoucherStore store,
    ReviewDecisions decisions,
    ApplicationService service,
    PolicyStore policies)
{
    const string Title = "创新券申请审核";

    /// <summary>The shared decision form with this page's words; the confirmation names what approving issues (<see cref="FormFor"/>).</summary>
    public static readonly DecisionForm Form = new(
        "审核决定",
        "决定",
        ("approve", "批准并发放创新券"),
        ("reject", "驳回"),
        "请选择批准或驳回。",
        "理由（驳回时必填，将告知企业）",
        "驳回须填写理由。",
        "提交后不可撤销，确认提交审核决定？",
        "提交决定");

    public async Task<IResult> ShowAsync(RequestContext ctx)
    {
        var (claims, app, problem) = await OpenAsync(ctx);
        if (problem is not null)
        {
            return problem;
        }

        return await FormAsync(ctx, claims!, app!, null, null, StatusCodes.Status200OK);
    }

    public async Task<IResult> DecideAsync(RequestContext ctx)
    {
        var (claims, app, problem) = await OpenAsync(ctx);
        if (problem is not null)
        {
            return problem;
        }

        var form = ctx.Request.HasFormContentType ? await ctx.Request.ReadFormAsync(ctx.Aborted) : null;
        var choice = form?["decision"].ToString();
        var reason = form?["reason"].ToString().Trim() ?? "";
        if (choice is not ("approve" or "reject"))
        {
            return await FormAsync(ctx, claims!, app!, "decision", reason, StatusCodes.Status400BadRequest, choice);
        }

        if (choice == "reject" && reason.Length == 0)
        {
            return await FormAsync(ctx, claims!, app!, "reason", reason, StatusCodes.Status400BadRequest, choice);
        }

        if (reason.Length > 500)
        {
            return await FormAsync(ctx, claims!, app!, "reason-length", reason, StatusCodes.Status400BadRequest, choice);
        }

        var outcome = await decisions.DecideAsync(app!, new ReviewDecision(claims!.Round, choice == "approve", reason.Length == 0 ? null : reason, claims.Party), ctx.Durable, ctx.Aborted);
        if (outcome != DecisionOutcome.Accepted)
        {
            return AlreadyUsed(ctx);
        }

        var done = choice == "approve"
            ? new ReviewNoticeModel("已批准，系统将发放创新券并通知企业。", $"{app!.EnterpriseName} 的创新券申请（办件编号 {app.ApplicationId}）审核决定已记录。", true, app.ApplicationId)
            : new ReviewNoticeModel("已驳回，理由已记录并告知企业。", $"{app!.EnterpriseName} 的创新券申请（办件编号 {app.ApplicationId}）审核决定已记录。", true, app.ApplicationId);
        return Pages.View<ReviewNotice>("审核决定已提交", ctx.Principal, done);
    }

    async Task<(LinkClaims? Claims, ApplicationEntity? App, IResult? Problem)> OpenAsync(RequestContext ctx)
    {
        var check = signer.Verify(ctx.RouteValue("token"), out var claims);
        switch (check)
        {
            case LinkCheck.Malformed or LinkCheck.BadSignature:
                return (null, null, Pages.Error(ctx.Principal, "链接无效或已被篡改，请使用通知中的审核链接。", StatusCodes.Status400BadRequest));
            case LinkCheck.Expired:
                var expired = Glossary.Time(claims!.ExpiresAt);
                return (null, null, Pages.View<ReviewNotice>("链接已过期", ctx.Principal,
                    new ReviewNoticeModel($"此审核链接已于 {expired} 过期。", "审核期限届满后申请已提请省科技厅督办，并已发出新的审核链接，请使用最新通知中的链接。", false),
                    StatusCodes.Status410Gone));
        }

        if (claims!.Action != ReviewLinks.Action || !claims.InstanceId.StartsWith("application-", StringComparison.Ordinal))
        {
            return (null, null, Pages.Error(ctx.Principal, "链接无效，请使用通知中的审核链接。", StatusCodes.Status400BadRequest));
        }

        var app = await applications.GetAsync(claims.InstanceId["application-".Length..], ctx.Aborted);
        if (app is null)
        {
            return (null, null, Pages.NotFound(ctx.Principal, "申请不存在。"));
        }

        if (await decisions.IsUsedAsync(claims, ctx.Aborted) || ApplicationTransitions.IsFinal(app.State))
        {
            return (null, null, AlreadyUsed(ctx));
        }

        return (claims, app, null);
    }

    static IResult AlreadyUsed(RequestContext ctx) =>
        Pages.View<ReviewNotice>("链接已使用", ctx.Principal,
            new ReviewNoticeModel("此审核链接已使用，本轮审核决定已记录，无需重复操作。", null, false),
            StatusCodes.Status409Conflict);

    async Task<IResult> FormAsync(RequestContext ctx, LinkClaims claims, ApplicationEntity app, string? errorField, string? reason, int status, string? choice = null)
    {
        var viewRead = service.ViewOfAsync(app, ctx.Aborted);
        var enterpriseRead = store.GetAsync<EnterpriseEntity>(VoucherStore.Enterprises, app.Uscc, EnterpriseEntity.ProfileRow, ctx.Aborted);
        var policyRead = policies.GetCurrentAsync(app.CityCode, ctx.Aborted);
        var view = await viewRead;
        var enterprise = await enterpriseRead;
        var faceValue = (await policyRead).IssuedFaceValue(app.RequestedFaceValueFen);
        var model = new ReviewModel(
            app.ApplicationId,
            app.EnterpriseName,
            app.Uscc,
            Cities.TryGet(app.CityCode, out var city) ? city.NameZh : app.CityCode,
            Glossary.SizeClassName(enterprise?.SizeClass),
            enterprise?.TechSmeNumber,
            app.State,
            claims.Round,
            view.Deadline,
            app.SubmittedAt,
            faceValue.Fen,
            FormFor(app.EnterpriseName, faceValue.Fen),
            errorField,
            choice,
            reason);
        return Pages.View<ReviewPage>(Title, ctx.Principal, model, status);
    }

    /// <summary>The form whose confirmation names what happens: the voucher and its face value on approval, the reason told on rejection.</summary>
    public static DecisionForm FormFor(string enterpriseName, long faceValueFen) =>
        Form with { ConfirmMessage = $"提交后不可撤销。批准将向{enterpriseName}发放面额 {Glossary.MoneyInProse(faceValueFen)} 的创新券；驳回将把理由告知企业。确认提交审核决定？" };
}

/// <summary>The review page: the application's facts, the face value an approval issues, and the decision form as posted.</summary>
public sealed record ReviewModel(
    string ApplicationId,
    string EnterpriseName,
    string Uscc,
    string CityName,
    string SizeClass,
    string? TechSmeNumber,
    ApplicationStatus Status,
    int Round,
    DeadlineView? Deadline,
    DateTimeOffset SubmittedAt,
    long FaceValueFen,
    DecisionForm Form,
    string? ErrorField,
    string? Choice,
    string? Reason);

/// <summary>A review link's answer without the form: the decision recorded (<paramref name="Ok"/>), or why the link cannot be used.</summary>
public sealed record ReviewNoticeModel(string Message, string? More, bool Ok, string? ApplicationId = null);
