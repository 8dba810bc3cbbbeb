using Voucher.Workflows.Configuration;
using Voucher.Workflows.Notifications;
using Voucher.Workflows.Web;

namespace Voucher.Workflows.Redemptions;

/// <summary>The messages of Flow 2. Ids come from the redemption, round and kind, so a retried step sends once.</summary>
/// <remarks>
/// Two ways out (see <see cref="Outbox.DeliverFromStepAsync"/>): messages whose activity sends them again when re-run
/// before its completion is recorded skip the outbox row —
/// <list type="bullet">
/// <item>the binding request (<see cref="BindingRounds"/>: sent again while the row shows the round opened by this same
/// step, <c>BindingRoundOpenedAt</c>; round 1 opened by the request is sent again by the start that follows a crash,
/// <see cref="RedemptionStarts"/>);</item>
/// <item>the binding reminder (<see cref="SendBindingReminder"/>: sent while the round is open);</item>
/// <item>the recounted binding deadline (<see cref="ReplanBindingRound"/>: sent while the row shows the change of this same
/// step, <c>BindingReplannedAt</c>);</item>
/// <item>"binding overdue" (<see cref="MarkBindingOverdue"/>: sent while the row is overdue in that round);</item>
/// <item>"bound" (<see cref="ApplyRedemptionEvent"/>'s binding step: sent again while the row shows this same step's
/// binding, <c>BoundAt</c> and <c>BoundBy</c>);</item>
/// <item>"queued" (<see cref="QueueForSettlement"/>: sent again while the row shows this same step's <c>QueuedAt</c>, queued
/// or since taken into a batch);</item>
/// <item>"rejected" and "paid" (<see cref="ApplyRedemptionEvent"/>'s settled step: sent until <c>SettledAt</c> is recorded,
/// after the message).</item>
/// </list>
/// The others go through the outbox, because their step sends only on the run that moved the state (dispute and
/// withdrawal: sent only when this run moved the row).
/// </remarks>
public sealed class RedemptionNotices(Outbox outbox, BindingLinks links, VoucherSettings settings)
{
    /// <summary>The redemption's portal page (its 办件进度), never the API.</summary>
    string View(RedemptionEntity r) => $"{settings.PublicBaseUrl}/portal/redemptions/{Uri.EscapeDataString(r.RedemptionId)}";

    const string ViewText = "查看办件进度";

    const string BindText = "确认或不予确认";

    Task SendAsync(string id, string to, string subject, string body, IReadOnlyList<NotificationLink> links, DateTime at, RedemptionEntity r, CancellationToken ct) =>
        outbox.EnqueueAndTryDeliverAsync(Message(id, to, subject, body, links, at, r), ct);

    /// <summary>Only for messages whose activity re-sends them on every re-run (see the remarks on this class).</summary>
    Task SendFromStepAsync(string id, string to, string subject, string body, IReadOnlyList<NotificationLink> links, DateTime at, RedemptionEntity r, CancellationToken ct) =>
        outbox.DeliverFromStepAsync(Message(id, to, subject, body, links, at, r), ct);

    static Notification Message(string id, string to, string subject, string body, IReadOnlyList<NotificationLink> links, DateTime at, RedemptionEntity r) =>
        new(id, to, subject, body, links, new DateTimeOffset(DateTime.SpecifyKind(at, DateTimeKind.Utc)), r.RedemptionId);

    static string Institution(RedemptionEntity r) => Addresses.For(Role.Institution, r.InstitutionId);

    static string ServiceOf(RedemptionEntity r) => r.CooperativeRd ? "合作研发" : r.ServiceTitle;

    static string Day(DateOnly day) => Glossary.DateInSentence(day);

    public Task BindingRequestedAsync(RedemptionEntity r, int round, DateOnly deadline, DateTime at, CancellationToken ct) =>
        SendFromStepAsync($"binding-{r.RedemptionId}-r{round}", Institution(r),
            $"待确认：{r.EnterpriseName} 的创新券兑付申请",
            $"{r.EnterpriseName}使用创新券申请兑付贵单位提供的服务（{ServiceOf(r)}，合同 {r.ContractNumber}，实付 {Glossary.MoneyInProse(r.AmountPaidFen)}）。请于 {Day(deadline)} 前（5 个工作日内）确认或不予确认。",
            [new NotificationLink(BindText, links.UrlFor(r, round, deadline))], at, r, ct);

    /// <summary>The binding deadline was counted again after a holiday arrangement was published: the date, and a link valid until it.</summary>
    public Task BindingDeadlineRecountedAsync(RedemptionEntity r, int round, DateOnly deadline, DateTime at, CancellationToken ct) =>
        SendFromStepAsync($"binding-recounted-{r.RedemptionId}-r{round}-{RedemptionSteps.Utc(at).UtcTicks}", Institution(r),
            $"确认期限已按节假日安排重新计算：{r.EnterpriseName} 的兑付申请",
            $"节假日安排发布后，兑付申请 {r.RedemptionId} 的确认期限为 {Day(deadline)}。此前通知中的链接可能提前失效，请使用本通知的链接。",
            [new NotificationLink(BindText, links.UrlFor(r, round, deadline))], at, r, ct);

    public Task BindingReminderAsync(RedemptionEntity r, int round, DateOnly deadline, DateTime at, CancellationToken ct) =>
        SendFromStepAsync($"binding-reminder-{r.RedemptionId}-r{round}", Institution(r),
            $"提醒：{r.EnterpriseName} 的兑付确认将于 {Day(deadline)} 到期",
            $"{r.EnterpriseName}的兑付申请 {r.RedemptionId} 确认期限即将届满（{Day(deadline)}），请尽快确认或不予确认。",
            [new NotificationLink(BindText, links.UrlFor(r, round, deadline))], at, r, ct);

    public async Task BindingOverdueAsync(RedemptionEntity r, int round, DateTime at, CancellationToken ct)
    {
        var deadline = r.BindingDeadline is { } d ? $"（{Day(DateOnly.Parse(d, CultureInfo.InvariantCulture))}）" : "";
        var body = $"服务机构{r.InstitutionName}未在确认期限{deadline}内确认兑付申请 {r.RedemptionId}。市科技局可延长确认期限，企业也可撤回申请。";
        await SendFromStepAsync($"binding-overdue-{r.RedemptionId}-r{round}-ent", Addresses.Enterprise(r.Uscc), "兑付申请机构确认超期", body, [new NotificationLink(ViewText, View(r))], at, r, ct);
        await SendFromStepAsync($"binding-overdue-{r.RedemptionId}-r{round}-city", Addresses.CityBureau(r.CityCode), $"兑付申请机构确认超期：{r.EnterpriseName}", body, [new NotificationLink(ViewText, View(r))], at, r, ct);
    }

    public async Task DisputedAsync(RedemptionEntity r, int round, DateTime at, CancellationToken ct)
    {
        var body = $"服务机构{r.InstitutionName}对兑付申请 {r.RedemptionId} 不予确认，理由：{r.DisputeReason}。市科技局可重新发起确认，企业也可撤回申请。";
        await SendAsync($"disputed-{r.RedemptionId}-r{round}-ent", Addresses.Enterprise(r.Uscc), "服务机构对兑付申请不予确认", body, [new NotificationLink(ViewText, View(r))], at, r, ct);
        await SendAsync($"disputed-{r.RedemptionId}-r{round}-city", Addresses.CityBureau(r.CityCode), $"机构不予确认：{r.EnterpriseName}", body, [new NotificationLink(ViewText, View(r))], at, r, ct);
    }

    public Task QueuedAsync(RedemptionEntity r, DateTime at, CancellationToken ct) =>
        SendFromStepAsync($"queued-{r.RedemptionId}", Addresses.Enterprise(r.Uscc),
            "兑付申请已进入待结算",
            $"兑付申请 {r.RedemptionId} 已经服务机构确认、材料齐全，核定兑付金额 {Glossary.MoneyInProse(r.PayoutFen)}，将纳入本市下一结算批次集中审核。",
            [new NotificationLink(ViewText, View(r))], at, r, ct);

    public async Task WithdrawnAsync(RedemptionEntity r, DateTime at, CancellationToken ct)
    {
        var body = $"{r.EnterpriseName}已撤回兑付申请 {r.RedemptionId}（{ServiceOf(r)}），无需再办理。";
        await SendAsync($"withdrawn-{r.RedemptionId}-inst", Institution(r), "兑付申请已撤回", body, [], at, r, ct);
        await SendAsync($"withdrawn-{r.RedemptionId}-city", Addresses.CityBureau(r.CityCode), "兑付申请已撤回", body, [new NotificationLink(ViewText, View(r))], at, r, ct);
    }

    /// <summary>
    /// The institution confirmed while documents are still missing: the enterprise is told and asked for them. (Bound with
    /// the evidence complete, the redemption is queued in the same step, and the queued message says both.) Sent again
    /// by a re-run of the binding step, under the same id.
    /// </summary>
    public Task BoundAsync(RedemptionEntity r, int round, DateTime at, CancellationToken ct) =>
        SendFromStepAsync($"bound-{r.RedemptionId}-r{round}", Addresses.Enterprise(r.Uscc),
            "服务机构已确认兑付申请，请补齐材料",
            $"服务机构{r.InstitutionName}已确认兑付申请 {r.RedemptionId}。材料尚未齐全：请上传成果（检测）报告、服务合同和支付凭证中缺少的材料，齐全后进入待结算。",
            [new NotificationLink("上传材料", View(r))], at, r, ct);

    public Task CapUsedUpAsync(RedemptionEntity r, DateTime at, CancellationToken ct) =>
        SendFromStepAsync($"cap-used-up-{r.RedemptionId}", Addresses.Enterprise(r.Uscc),
            "兑付申请终止：年度补助额度已用完",
            $"兑付申请 {r.RedemptionId}：{Glossary.ChineseOnly(r.RejectReason ?? "")}",
            [new NotificationLink(ViewText, View(r))], at, r, ct);

    /// <summary>An advance was approved when the redemption was queued: the finance bureau is to pay and confirm it.</summary>
    public Task AdvanceDueAsync(RedemptionEntity r, DateTime at, CancellationToken ct) =>
        SendAsync($"advance-due-{r.RedemptionId}", Addresses.For(Role.FinanceBureau, r.CityCode),
            $"事前兑付待拨付：{r.EnterpriseName} {Glossary.MoneyInProse(r.PrepaidFen)}",
            $"守信企业{r.EnterpriseName}的兑付申请 {r.RedemptionId} 核定事前兑付 {Glossary.MoneyInProse(r.PrepaidFen)}（核定兑付 {Glossary.MoneyInProse(r.PayoutFen)}）。拨付后请在工作台确认；确认前不计为已拨付。",
            [new NotificationLink("待拨付", $"{settings.PublicBaseUrl}/"), new NotificationLink(ViewText, View(r))], at, r, ct);

    /// <summary>The finance bureau confirmed paying the advance.</summary>
    public Task AdvancePaidAsync(RedemptionEntity r, CancellationToken ct) =>
        SendAsync($"advance-paid-{r.RedemptionId}", Addresses.Enterprise(r.Uscc),
            $"事前兑付已拨付 {Glossary.MoneyInProse(r.PrepaidFen)}",
            $"兑付申请 {r.RedemptionId} 的事前兑付 {Glossary.MoneyInProse(r.PrepaidFen)} 已由市财政局拨付（凭证号 {r.AdvanceReference}，{r.AdvancePaidOn}）；其余 {Glossary.MoneyInProse(r.PayoutFen - r.PrepaidFen)} 经结算审核、公示后拨付。",
            [new NotificationLink(ViewText, View(r))], r.AdvancePaidAt!.Value.UtcDateTime, r, ct);

    public Task RejectedAsync(RedemptionEntity r, DateTime at, CancellationToken ct) =>
        SendFromStepAsync($"rejected-{r.RedemptionId}", Addresses.Enterprise(r.Uscc),
            "兑付申请未通过",
            $"兑付申请 {r.RedemptionId} 未通过，原因：{r.RejectReason}。预留的年度补助额度已释放。",
            [new NotificationLink(ViewText, View(r))], at, r, ct);

    public Task PaidAsync(RedemptionEntity r, DateTime at, CancellationToken ct) =>
        SendFromStepAsync($"paid-{r.RedemptionId}", Addresses.Enterprise(r.Uscc),
            $"创新券兑付已拨付 {Glossary.MoneyInProse(r.PayoutFen)}",
            $"兑付申请 {r.RedemptionId} 已由市财政局拨付 {Glossary.MoneyInProse(r.PayoutFen)}（凭证号 {r.PaymentReference}，{r.PaidOn}）。",
            [new NotificationLink(ViewText, View(r))], at, r, ct);
}
