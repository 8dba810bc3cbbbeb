using Voucher.Workflows.Configuration;
using Voucher.Workflows.Notifications;

namespace Voucher.Workflows.Redemptions;

/// <summary>The messages of Flow 2. Ids come from the redemption, round and kind, so a retried step sends once.</summary>
/// <remarks>
/// Two ways out (see <see cref="Outbox.DeliverFromStepAsync"/>): messages whose activity sends them again when re-run
/// before its completion is recorded skip the outbox row — the binding reminder (<see cref="SendBindingReminder"/>: sent
/// while the round is open), the recounted binding deadline (<see cref="ReplanBindingRound"/>: sent while the row shows
/// the change of this same step, <c>BindingReplannedAt</c>), "binding overdue" (<see cref="MarkBindingOverdue"/>: sent while the row is overdue in that
/// round), "rejected" and "paid" (<see cref="ApplyRedemptionEvent"/>'s settled step: sent until <c>SettledAt</c> is
/// recorded, after the message). The others go through the outbox, because their step sends only on the run that
/// moved the state (binding request: a re-run finds the round open and returns; dispute and withdrawal: sent only
/// when this run moved the row; queued: a re-run may find the row already taken into a batch).
/// </remarks>
public sealed class RedemptionNotices(Outbox outbox, BindingLinks links, VoucherSettings settings)
{
    string View(RedemptionEntity r) => $"{settings.PublicBaseUrl}/api/redemptions/{r.RedemptionId}";

    Task SendAsync(string id, string to, string subject, string body, IReadOnlyList<NotificationLink> links, DateTime at, RedemptionEntity r, CancellationToken ct) =>
        outbox.EnqueueAndTryDeliverAsync(Message(id, to, subject, body, links, at, r), ct);

    /// <summary>Only for messages whose activity re-sends them on every re-run (see the remarks on this class).</summary>
    Task SendFromStepAsync(string id, string to, string subject, string body, IReadOnlyList<NotificationLink> links, DateTime at, RedemptionEntity r, CancellationToken ct) =>
        outbox.DeliverFromStepAsync(Message(id, to, subject, body, links, at, r), ct);

    static Notification Message(string id, string to, string subject, string body, IReadOnlyList<NotificationLink> links, DateTime at, RedemptionEntity r) =>
        new(id, to, subject, body, links, new DateTimeOffset(DateTime.SpecifyKind(at, DateTimeKind.Utc)), r.RedemptionId);

    static string Institution(RedemptionEntity r) => Addresses.For(Role.Institution, r.InstitutionId);

    public Task BindingRequestedAsync(RedemptionEntity r, int round, DateOnly deadline, DateTime at, CancellationToken ct) =>
        SendAsync($"binding-{r.RedemptionId}-r{round}", Institution(r),
            $"待确认：{r.EnterpriseName} 的创新券兑付申请",
            $"请于 {deadline:yyyy-MM-dd} 前（5 个工作日内）确认或提出异议：合同 {r.ContractNumber}，实付 {Cny.FromFen(r.AmountPaidFen)}。Please confirm or dispute by {deadline:yyyy-MM-dd}.",
            [new NotificationLink("确认或异议 Confirm or dispute", links.UrlFor(r, round, deadline))], at, r, ct);

    /// <summary>The binding deadline was counted again after a holiday arrangement was published: the date, and a link valid until it.</summary>
    public Task BindingDeadlineRecountedAsync(RedemptionEntity r, int round, DateOnly deadline, DateTime at, CancellationToken ct) =>
        SendFromStepAsync($"binding-recounted-{r.RedemptionId}-r{round}-{RedemptionSteps.Utc(at).UtcTicks}", Institution(r),
            $"确认期限已按节假日安排重新计算：{r.EnterpriseName} 的兑付申请",
            $"节假日安排发布后，兑付申请 {r.RedemptionId} 的确认期限为 {deadline:yyyy-MM-dd}。此前通知中的链接可能提前失效，请使用本通知的链接。The binding deadline is now {deadline:yyyy-MM-dd}.",
            [new NotificationLink("确认或异议 Confirm or dispute", links.UrlFor(r, round, deadline))], at, r, ct);

    public Task BindingReminderAsync(RedemptionEntity r, int round, DateOnly deadline, DateTime at, CancellationToken ct) =>
        SendFromStepAsync($"binding-reminder-{r.RedemptionId}-r{round}", Institution(r),
            $"提醒：{r.EnterpriseName} 的兑付确认将于 {deadline:yyyy-MM-dd} 到期",
            "确认期限即将届满，请尽快处理。Reminder: the binding deadline is near.",
            [new NotificationLink("确认或异议 Confirm or dispute", links.UrlFor(r, round, deadline))], at, r, ct);

    public async Task BindingOverdueAsync(RedemptionEntity r, int round, DateTime at, CancellationToken ct)
    {
        var body = $"服务机构 {r.InstitutionName} 未在期限 {r.BindingDeadline} 内确认兑付申请 {r.RedemptionId}。市科技局可延长确认期限，企业可撤回申请。The institution did not bind in time.";
        await SendFromStepAsync($"binding-overdue-{r.RedemptionId}-r{round}-ent", Addresses.Enterprise(r.Uscc), "兑付申请确认逾期 (Binding overdue)", body, [new NotificationLink("查看 View", View(r))], at, r, ct);
        await SendFromStepAsync($"binding-overdue-{r.RedemptionId}-r{round}-city", Addresses.CityBureau(r.CityCode), $"兑付确认逾期：{r.EnterpriseName}", body, [new NotificationLink("查看 View", View(r))], at, r, ct);
    }

    public async Task DisputedAsync(RedemptionEntity r, int round, DateTime at, CancellationToken ct)
    {
        var body = $"服务机构 {r.InstitutionName} 对兑付申请 {r.RedemptionId} 提出异议：{r.DisputeReason}";
        await SendAsync($"disputed-{r.RedemptionId}-r{round}-ent", Addresses.Enterprise(r.Uscc), "服务机构对兑付申请提出异议 (Disputed)", body, [new NotificationLink("查看 View", View(r))], at, r, ct);
        await SendAsync($"disputed-{r.RedemptionId}-r{round}-city", Addresses.CityBureau(r.CityCode), $"兑付异议：{r.EnterpriseName}", body, [new NotificationLink("查看 View", View(r))], at, r, ct);
    }

    public Task QueuedAsync(RedemptionEntity r, DateTime at, CancellationToken ct) =>
        SendAsync($"queued-{r.RedemptionId}", Addresses.Enterprise(r.Uscc),
            "兑付申请已进入结算队列 (Queued for settlement)",
            $"兑付申请 {r.RedemptionId} 已确认、材料齐全，核定兑付金额 {Cny.FromFen(r.PayoutFen)}，将进入本市下一批次集中审核。",
            [new NotificationLink("查看 View", View(r))], at, r, ct);

    public async Task WithdrawnAsync(RedemptionEntity r, DateTime at, CancellationToken ct)
    {
        var body = $"企业已撤回兑付申请 {r.RedemptionId}。The enterprise withdrew the redemption.";
        await SendAsync($"withdrawn-{r.RedemptionId}-inst", Institution(r), "兑付申请已撤回 (Withdrawn)", body, [], at, r, ct);
        await SendAsync($"withdrawn-{r.RedemptionId}-city", Addresses.CityBureau(r.CityCode), "兑付申请已撤回 (Withdrawn)", body, [], at, r, ct);
    }

    public Task CapUsedUpAsync(RedemptionEntity r, DateTime at, CancellationToken ct) =>
        SendFromStepAsync($"cap-used-up-{r.RedemptionId}", Addresses.Enterprise(r.Uscc),
            "兑付申请终止：年度补助限额已用完 (Stopped: annual cap used up)",
            $"兑付申请 {r.RedemptionId}：{r.RejectReason}",
            [new NotificationLink("查看 View", View(r))], at, r, ct);

    /// <summary>An advance was approved when the redemption was queued: the finance bureau is to pay and confirm it.</summary>
    public Task AdvanceDueAsync(RedemptionEntity r, DateTime at, CancellationToken ct) =>
        SendAsync($"advance-due-{r.RedemptionId}", Addresses.For(Role.FinanceBureau, r.CityCode),
            $"事前兑付待拨付：{r.EnterpriseName} {Cny.FromFen(r.PrepaidFen)}",
            $"守信企业 {r.EnterpriseName} 的兑付申请 {r.RedemptionId} 核定事前兑付 {Cny.FromFen(r.PrepaidFen)}（核定兑付 {Cny.FromFen(r.PayoutFen)}）。拨付后请在工作台确认；确认前不计为已拨付。Confirm the advance once paid.",
            [new NotificationLink("待拨付 Payables", $"{settings.PublicBaseUrl}/")], at, r, ct);

    /// <summary>The finance bureau confirmed paying the advance.</summary>
    public Task AdvancePaidAsync(RedemptionEntity r, CancellationToken ct) =>
        SendAsync($"advance-paid-{r.RedemptionId}", Addresses.Enterprise(r.Uscc),
            $"事前兑付已拨付 {Cny.FromFen(r.PrepaidFen)} (Advance paid)",
            $"兑付申请 {r.RedemptionId} 的事前兑付 {Cny.FromFen(r.PrepaidFen)} 已由财政局拨付（凭证号 {r.AdvanceReference}，{r.AdvancePaidOn}）；其余 {Cny.FromFen(r.PayoutFen - r.PrepaidFen)} 经批次审核、公示后拨付。",
            [new NotificationLink("查看 View", View(r))], r.AdvancePaidAt!.Value.UtcDateTime, r, ct);

    public Task RejectedAsync(RedemptionEntity r, DateTime at, CancellationToken ct) =>
        SendFromStepAsync($"rejected-{r.RedemptionId}", Addresses.Enterprise(r.Uscc),
            "兑付申请未通过 (Redemption rejected)",
            $"兑付申请 {r.RedemptionId} 未通过：{r.RejectReason}。预留的年度额度已释放。The reserved annual cap was released.",
            [new NotificationLink("查看 View", View(r))], at, r, ct);

    public Task PaidAsync(RedemptionEntity r, DateTime at, CancellationToken ct) =>
        SendFromStepAsync($"paid-{r.RedemptionId}", Addresses.Enterprise(r.Uscc),
            $"创新券兑付已拨付 {Cny.FromFen(r.PayoutFen)} (Paid)",
            $"兑付申请 {r.RedemptionId} 已由财政局拨付 {Cny.FromFen(r.PayoutFen)}（凭证号 {r.PaymentReference}，{r.PaidOn}）。",
            [new NotificationLink("查看 View", View(r))], at, r, ct);
}
