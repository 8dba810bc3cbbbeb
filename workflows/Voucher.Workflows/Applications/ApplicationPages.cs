using Voucher.Workflows.Audit;
using Voucher.Workflows.Evidence;
using Voucher.Workflows.Portal;
using Voucher.Workflows.Redemptions;
using Voucher.Workflows.Settlement;
using Voucher.Workflows.Vouchers;
using Voucher.Workflows.Web;
using static Voucher.Workflows.Web.Html;
using static Voucher.Workflows.Web.PageParts;

namespace Voucher.Workflows.Applications;

/// <summary>One application as its enterprise, its city's bureau or the province sees it: status, next step, timeline.</summary>
public sealed class ApplicationPages(
    Applications.ApplicationStore applicationStore,
    Applications.ApplicationService applicationService)
{
    /// <summary>One application as a timeline: submitted, notified, deadline in working days, decision, voucher.</summary>
    public async Task<IResult> ApplicationPageAsync(RequestContext ctx)
    {
        var app = await applicationStore.GetAsync(ctx.RouteValue("id"), ctx.Aborted);
        if (app is null || !Applications.ApplicationService.CanRead(ctx.Principal!, app))
        {
            return Pages.NotFound(ctx.Principal, "申请不存在或无权查看 (Not found or not yours)");
        }

        var view = await applicationService.ViewOfAsync(app, ctx.Aborted);
        var next = app.State switch
        {
            ApplicationStatus.Submitted => "系统正在核验申请资格，请稍候。",
            ApplicationStatus.UnderReview => $"市科技局须在 {view.Deadline?.Date}{(view.Deadline?.Provisional == true ? "（推定）" : "")} 前完成审核（剩余 {view.Deadline?.RemainingWorkingDays} 个工作日），企业无需操作。",
            ApplicationStatus.Escalated => "市科技局已逾期，省中心正在督办；申请继续有效，企业无需操作。",
            ApplicationStatus.Approved => "创新券已发放：向服务机构购买服务后，在首页提交兑付申请。",
            ApplicationStatus.Rejected => $"未通过：{app.DecisionReason}。可按理由完善后重新申请。",
            ApplicationStatus.Ineligible => "不符合申请条件，见下方原因。",
            _ => "",
        };
        var stages = string.Concat(view.History.Select(h => $"<li>{E(BatchLinks.ChinaDate(h.At))}：{E(h.To)} · {E(h.Detail)}（{E(h.Actor)}，政策版本 v{h.PolicyVersion}）</li>"));
        var reasons = view.IneligibleReasons is null ? "" : "<ul>" + string.Concat(view.IneligibleReasons.Select(r => $"<li>{E(r)}</li>")) + "</ul>";
        var body = $"""
            <section class="card"><dl class="facts"><dt>状态 Status</dt><dd><strong>{E(view.StatusText)}</strong></dd><dt>等待 Waiting on</dt><dd>{E(view.WaitingOn)}</dd>
            <dt>企业应做 What you do next</dt><dd>{E(next)}</dd>{(view.VoucherId is null ? "" : $"<dt>创新券 Voucher</dt><dd>{E(view.VoucherId)}</dd>")}</dl>{reasons}</section>
            <section class="card"><h2>进度 Timeline</h2><ol>{stages}</ol></section>
            """;
        return Pages.Page($"创新券申请 Application {app.ApplicationId}", body, ctx.Principal);
    }
}
