using Microsoft.AspNetCore.Components;
using Voucher.Workflows.Audit;
using Voucher.Workflows.Evidence;
using Voucher.Workflows.Settlement;
using Voucher.Workflows.Web;

namespace Voucher.Workflows.Redemptions;

/// <summary>One redemption as each party sees it: its 办件进度, facts, evidence, and the viewer's actions (upload, withdraw, extend, resolve an objection).</summary>
public sealed class RedemptionPages(
    RedemptionService redemptionService,
    BindingService bindingService,
    EvidenceService evidenceService,
    BindingLinks bindingLinks,
    EvidenceStore evidence,
    SettlementStore settlements)
{
    /// <summary>One redemption: its progress, what it waits on, its documents, and the actions of the viewer's role.</summary>
    public async Task<IResult> RedemptionPageAsync(RequestContext ctx)
    {
        var p = ctx.Principal!;
        var view = await redemptionService.ViewAsync(p, ctx.RouteValue("id"), ctx.Aborted);
        if (view.Failure is not null)
        {
            return Pages.NotFound(p, "兑付申请不存在，或您无权查看。");
        }

        var (r, files, history, bindingDaysLeft) = view.Value;
        var canUpload = p.IsEnterprise(r.Uscc) && RedemptionTransitions.TakesEvidence(r.State);
        var evidenceModel = EvidenceSectionModel.Of(r.RedemptionId, files, canUpload,
            p.IsEnterprise(r.Uscc) && !canUpload ? EvidenceLockedReason(r) : null, RedemptionService.CanReadEvidence(p, r), evidence.MaxBytes);
        var model = new RedemptionPageModel(
            r,
            Glossary.Of(r.State),
            RedemptionProgress.Of(r, bindingDaysLeft, evidenceModel.Missing),
            PayoutText(r),
            AdvanceText(r),
            RedemptionView.CappedNote(r),
            evidenceModel,
            await Enforcement.ExpertOpinionsSection.OpinionsSectionAsync(ctx, r.RedemptionId),
            await ActionsAsync(r, p, ctx.Aborted),
            history.OrderBy(h => h.At).Select(h => new HistoryLine(h.At, Who(h.Actor, r),
                Glossary.Of<RedemptionStatus>(h.FromState, Glossary.Of), Glossary.Of<RedemptionStatus>(h.ToState, Glossary.Of), Glossary.ChineseOnly(h.Detail), h.PolicyVersion)).ToList());
        return Pages.View<RedemptionPage>($"兑付申请 {r.RedemptionId}", p, model);
    }

    static string PayoutText(RedemptionEntity r) =>
        r.PayoutFen > 0 ? Glossary.Money(r.PayoutFen) : r.PayoutJson is null ? "待核定（进入待结算时核定）" : Glossary.Money(0);

    /// <summary>An approved advance and whether it was paid: it counts as paid only once the finance bureau confirmed it.</summary>
    static string? AdvanceText(RedemptionEntity r) => r.PrepaidFen <= 0 ? null : r.AdvancePaidAt is not null
        ? $"事前兑付 {Glossary.MoneyInProse(r.PrepaidFen)}，市财政局已于 {r.AdvancePaidOn} 拨付"
        : AdvancePayments.IsDue(r.State)
            ? $"核定事前兑付 {Glossary.MoneyInProse(r.PrepaidFen)}，待市财政局拨付"
            : $"核定事前兑付 {Glossary.MoneyInProse(r.PrepaidFen)}，未拨付";

    static string EvidenceLockedReason(RedemptionEntity r) =>
        RedemptionTransitions.IsFinal(r.State) ? "本申请已办结，材料不再修改。" : "已进入待结算，材料已锁定，不能再上传或替换。";

    /// <summary>Who did a step, by name: the enterprise and institution by their names, offices by their role, the system as 系统.</summary>
    public static string Who(string actor, RedemptionEntity r)
    {
        var agency = actor.Contains("agency", StringComparison.OrdinalIgnoreCase) ? "（代理机构代办）" : "";
        if (!RoleNames.TryParse(actor.Split(':', 2)[0], out var role))
        {
            return "系统";
        }

        return role switch
        {
            Role.Enterprise => r.EnterpriseName,
            Role.Institution => r.InstitutionName + agency,
            _ => Glossary.Of(role),
        };
    }

    async Task<RedemptionActionsModel> ActionsAsync(RedemptionEntity r, VoucherPrincipal p, CancellationToken ct)
    {
        var enterprise = p.IsEnterprise(r.Uscc);
        string? withdrawRefusal = !enterprise ? null
            : r.AdvancePaidAt is not null ? $"事前兑付 {Glossary.MoneyInProse(r.PrepaidFen)} 已拨付，不能撤回。"
            : RedemptionTransitions.CanWithdraw(r.State) ? null
            : RedemptionTransitions.IsFinal(r.State) ? "本申请已办结，不能撤回。"
            : "市科技局已开始结算审核，不能撤回。";
        string? bindingHref = null;
        var agencyBinding = false;
        if (p.Role == Role.Institution && p.Scope == r.InstitutionId && r.State == RedemptionStatus.AwaitingBinding && r.BindingDeadline is not null && !r.Bound)
        {
            agencyBinding = p.Agency is not null;
            bindingHref = agencyBinding ? null : $"/binding/{bindingLinks.TokenFor(r, r.BindingRound, DateOnly.Parse(r.BindingDeadline, CultureInfo.InvariantCulture))}";
        }

        var bureau = p.IsBureauOf(r.CityCode);
        var canExtend = bureau && RedemptionTransitions.CanReopenBinding(r.State);
        string? extendRefusal = !bureau || canExtend || RedemptionTransitions.IsFinal(r.State) ? null
            : r.State == RedemptionStatus.AwaitingBinding && !r.Bound
                ? r.BindingDeadline is { } d ? $"服务机构确认期限（{Glossary.DateInSentence(DateOnly.Parse(d, CultureInfo.InvariantCulture))}）未到；期满未确认或机构不予确认后才能重新发起确认。" : "服务机构确认尚在进行中。"
                : r.Bound || r.Binding == BindingMode.Seal ? null : "当前阶段不能重新发起机构确认。";
        IReadOnlyList<ObjectionLine>? objections = null;
        if (bureau && r.State == RedemptionStatus.Objected)
        {
            objections = (await settlements.ObjectionsAsync(r.RedemptionId, ct)).Select(o => new ObjectionLine(o.FiledAt, o.Grounds, Glossary.Of(o.Status))).ToList();
        }

        return new RedemptionActionsModel(enterprise, enterprise && withdrawRefusal is null, withdrawRefusal, bindingHref, agencyBinding, r.BindingRound, canExtend, extendRefusal, objections);
    }

    public async Task<IResult> UploadEvidenceFormAsync(RequestContext ctx)
    {
        var outcome = await RedemptionApi.UploadFileAsync(evidenceService, ctx);
        return Back($"/portal/redemptions/{ctx.RouteValue("id")}", outcome.Failure,
            outcome.Failure is null ? $"已上传：{(outcome.Value.OriginalFileName is { Length: > 0 } name ? name : "文件")}" : "");
    }

    /// <summary>A document for the portal's reader, under its original name (the API's download keeps its own name).</summary>
    public async Task<IResult> DownloadEvidenceAsync(RequestContext ctx)
    {
        var outcome = await evidenceService.DownloadAsync(ctx.Principal!, ctx.RouteValue("id"), ctx.RouteValue("kind"), ctx.Aborted);
        if (outcome.Failure is not null)
        {
            // Another party's redemption is not shown to exist.
            return Pages.NotFound(ctx.Principal, "材料不存在、尚未上传，或您无权查看。");
        }

        ctx.Http.Response.Headers["X-Content-Type-Options"] = "nosniff";
        var download = outcome.Value;
        return Results.Stream(download.Content, download.ContentType, download.OriginalFileName is { Length: > 0 } name ? name : download.FileName);
    }

    /// <summary>The first post answers with the confirmation naming what is released; the confirming post withdraws.</summary>
    public async Task<IResult> WithdrawFormAsync(RequestContext ctx)
    {
        var p = ctx.Principal!;
        var id = ctx.RouteValue("id");
        var back = $"/portal/redemptions/{Uri.EscapeDataString(id)}";
        var form = await JsonBody.FormOrEmptyAsync(ctx.Request, ctx.Aborted);
        if (!ConfirmModel.IsConfirmed(form))
        {
            var view = await redemptionService.ViewAsync(p, id, ctx.Aborted);
            if (view.Failure is not null)
            {
                return PageParts.Back(back, error: "兑付申请不存在，或您无权撤回。");
            }

            var r = view.Value.Redemption;
            if (!p.IsEnterprise(r.Uscc) || r.AdvancePaidAt is not null || !RedemptionTransitions.CanWithdraw(r.State))
            {
                return PageParts.Back(back, error: "当前阶段不能撤回此兑付申请。");
            }

            return Pages.View<ConfirmPage>("撤回兑付申请", p, WithdrawConfirmation(r, form, back));
        }

        var outcome = await redemptionService.WithdrawAsync(p, id, ctx.Durable, ctx.Aborted);
        return Back(back, outcome.Failure, "已提交撤回，兑付申请将在几秒内变为已撤回。");
    }

    /// <summary>What a withdrawal does: the request ends, the reserved annual cap (if any) is released, the institution and bureau are told.</summary>
    public static ConfirmModel WithdrawConfirmation(RedemptionEntity r, IFormCollection form, string back)
    {
        var released = r.CapYear > 0 && r.PayoutFen > 0
            ? $"{r.CapYear}年度补助额度中预留的 {Glossary.MoneyInProse(r.PayoutFen)} 将释放"
            : "尚未预留年度补助额度，无额度需释放";
        return new ConfirmModel(
            $"确认撤回兑付申请 {r.RedemptionId}？",
            [
                ("服务", $"{r.InstitutionName} · {r.ServiceTitle}"),
                ("实际支付", Glossary.MoneyInProse(r.AmountPaidFen)),
                ("释放额度", released),
                ("创新券", $"{r.VoucherId} 可重新用于兑付"),
                ("通知", $"{r.InstitutionName}和市科技局"),
            ],
            $"{back}/withdraw",
            ConfirmModel.Carry(form),
            "确认撤回",
            back,
            Danger: true);
    }

    public async Task<IResult> ExtendFormAsync(RequestContext ctx)
    {
        var form = await JsonBody.FormOrEmptyAsync(ctx.Request, ctx.Aborted);
        int? round = int.TryParse(form["round"], out var parsed) ? parsed : null;
        var outcome = await bindingService.ReopenAsync(ctx.Principal!, new ReopenBinding(ctx.RouteValue("id"), round), ctx.Durable, ctx.Aborted);
        if (outcome.Failure is Failure.NotFound or Failure.Forbidden)
        {
            // Another city's redemption is not shown to exist.
            return Pages.NotFound(ctx.Principal, "兑付申请不存在，或不属于本市。");
        }

        return Back($"/portal/redemptions/{ctx.RouteValue("id")}", outcome.Failure, "已重新发起机构确认，服务机构将收到新的确认通知（5 个工作日）。");
    }

    /// <summary>Back to the redemption's page with the act's message: what was done, or why not (in Chinese).</summary>
    static IResult Back(string path, Failure? failure, string done) =>
        failure is null
            ? PageParts.Back(path, done: done)
            : PageParts.Back(path, error: string.Join("；", Problems.FieldMessages(failure).SelectMany(f => f.Value).Select(Glossary.ChineseOnly)));
}

/// <summary>A line of the audit trail, by name and in Chinese.</summary>
public sealed record HistoryLine(DateTimeOffset At, string Who, string From, string To, string Detail, int PolicyVersion);

/// <summary>An objection filed during publicity, for the bureau resolving it.</summary>
public sealed record ObjectionLine(DateTimeOffset FiledAt, string Grounds, string Status);

/// <summary>
/// The viewer's actions on a redemption and, where an action is not allowed now, why: the enterprise withdraws, the
/// institution confirms (its signed link, or the agency's form), the bureau re-opens the binding or resolves an objection.
/// </summary>
public sealed record RedemptionActionsModel(
    bool IsEnterprise,
    bool CanWithdraw,
    string? WithdrawRefusal,
    string? BindingHref,
    bool AgencyBinding,
    int BindingRound,
    bool CanExtend,
    string? ExtendRefusal,
    IReadOnlyList<ObjectionLine>? Objections)
{
    public bool Any => CanWithdraw || WithdrawRefusal is not null || BindingHref is not null || AgencyBinding || CanExtend || ExtendRefusal is not null || Objections is not null;
}

/// <summary>The redemption page: the entity, its status and progress, the amounts, documents, expert opinions, actions, history.</summary>
public sealed record RedemptionPageModel(
    RedemptionEntity Redemption,
    string StatusName,
    RedemptionProgressView Progress,
    string Payout,
    string? Advance,
    string? CappedNote,
    EvidenceSectionModel Evidence,
    RenderFragment Opinions,
    RedemptionActionsModel Actions,
    IReadOnlyList<HistoryLine> History);
