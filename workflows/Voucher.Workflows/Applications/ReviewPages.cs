using Voucher.Workflows.Enterprises;
using Voucher.Workflows.Links;
using Voucher.Workflows.Web;
using static Voucher.Workflows.Web.Html;

namespace Voucher.Workflows.Applications;

/// <summary>
/// The reviewer's link: GET shows the application with Approve / Reject (reason required); only POST
/// decides. The link names the bureau, the application and the round, expires with the deadline, works once.
/// </summary>
public sealed class ReviewPages(LinkSigner signer, ApplicationStore applications, VoucherStore store, ReviewDecisions decisions, ApplicationService service)
{
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
        return outcome switch
        {
            DecisionOutcome.Accepted => Pages.Page(
                "审核决定已提交 Decision recorded",
                $"<section class=\"card\"><p class=\"ok\" role=\"status\">{(choice == "approve" ? "已批准，系统将发放创新券。Approved: the voucher will be issued." : "已驳回，理由已记录并通知企业。Rejected: the reason was recorded and the enterprise told.")}</p>" +
                $"<p>申请编号 Application: {E(app!.ApplicationId)}</p><p><a href=\"/\">返回工作台 Back to the queue</a></p></section>",
                ctx.Principal),
            _ => AlreadyUsed(ctx),
        };
    }

    async Task<(LinkClaims? Claims, ApplicationEntity? App, IResult? Problem)> OpenAsync(RequestContext ctx)
    {
        var check = signer.Verify(ctx.RouteValue("token"), out var claims);
        switch (check)
        {
            case LinkCheck.Malformed or LinkCheck.BadSignature:
                return (null, null, Pages.Error(ctx.Principal, "链接无效或已被篡改 (This link is not valid)", StatusCodes.Status400BadRequest));
            case LinkCheck.Expired:
                return (null, null, Pages.Page("链接已过期 Link expired",
                    $"<section class=\"card\"><p class=\"warn\" role=\"alert\">此审核链接已于 {E(claims!.ExpiresAt.ToOffset(ChinaTime.Offset).ToString("yyyy-MM-dd HH:mm"))} 过期。审核期限届满后案件已升级，请使用新的审核链接。</p><p>This review link expired with its deadline; the case was escalated and a new link was sent.</p></section>",
                    ctx.Principal, StatusCodes.Status410Gone));
        }

        if (claims!.Action != ReviewLinks.Action || !claims.InstanceId.StartsWith("application-", StringComparison.Ordinal))
        {
            return (null, null, Pages.Error(ctx.Principal, "链接无效 (This link is not valid)", StatusCodes.Status400BadRequest));
        }

        var app = await applications.GetAsync(claims.InstanceId["application-".Length..], ctx.Aborted);
        if (app is null)
        {
            return (null, null, Pages.NotFound(ctx.Principal, "申请不存在 (Application not found)"));
        }

        if (await decisions.IsUsedAsync(claims, ctx.Aborted) || ApplicationTransitions.IsFinal(app.State))
        {
            return (null, null, AlreadyUsed(ctx));
        }

        return (claims, app, null);
    }

    static IResult AlreadyUsed(RequestContext ctx) =>
        Pages.Page("链接已使用 Link already used",
            "<section class=\"card\"><p class=\"warn\" role=\"alert\">此审核链接已使用，本轮审核决定已记录，无需重复操作。</p><p>This link was already used: the decision for this round is recorded.</p></section>",
            ctx.Principal, StatusCodes.Status409Conflict);

    static readonly DecisionForm Form = new(
        "审核决定 Decision",
        "决定 Decision",
        ("approve", "批准并发放创新券 Approve and issue the voucher"),
        ("reject", "驳回 Reject"),
        "请选择批准或驳回 (Choose approve or reject)",
        "理由（驳回时必填）Reason (required to reject)",
        "驳回须填写理由 (A reason is required to reject)",
        "提交后不可撤销，确认提交审核决定？ This cannot be undone. Submit?",
        "提交决定 Submit decision");

    async Task<IResult> FormAsync(RequestContext ctx, LinkClaims claims, ApplicationEntity app, string? errorField, string? reason, int status, string? choice = null)
    {
        var view = await service.ViewOfAsync(app, ctx.Aborted);
        var enterprise = await store.GetAsync<EnterpriseEntity>(VoucherStore.Enterprises, app.Uscc, EnterpriseEntity.ProfileRow, ctx.Aborted);
        var deadline = view.Deadline is null ? "" : Deadline(view.Deadline.Date, view.Deadline.RemainingWorkingDays, view.Deadline.Provisional);
        var body = $$"""
            <section class="card">
            <h2>申请信息 Application</h2>
            <dl class="facts">
            <dt>申请编号 Id</dt><dd>{{E(app.ApplicationId)}}</dd>
            <dt>企业 Enterprise</dt><dd>{{E(app.EnterpriseName)}}</dd>
            <dt>统一社会信用代码 USCC</dt><dd>{{E(app.Uscc)}}</dd>
            <dt>地市 City</dt><dd>{{E(Cities.Get(app.CityCode).NameZh)}}</dd>
            <dt>企业规模 Size</dt><dd>{{E(enterprise?.SizeClass)}}</dd>
            <dt>科技型中小企业编号 Tech-SME no.</dt><dd>{{E(enterprise?.TechSmeNumber)}}</dd>
            <dt>状态 Status</dt><dd>{{E(view.StatusText)}}</dd>
            <dt>审核轮次 Round</dt><dd>{{claims.Round}}</dd>
            <dt>审核期限 Deadline</dt><dd>{{deadline}}</dd>
            <dt>提交时间 Submitted</dt><dd>{{E(app.SubmittedAt.ToOffset(ChinaTime.Offset).ToString("yyyy-MM-dd HH:mm"))}}</dd>
            </dl>
            </section>
            {{Form.Render(errorField, choice, reason)}}
            """;
        return Pages.Page("创新券申请审核 Review application", body, ctx.Principal, status);
    }
}
