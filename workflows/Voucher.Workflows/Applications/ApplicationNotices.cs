using Voucher.Workflows.Configuration;
using Voucher.Workflows.Notifications;

namespace Voucher.Workflows.Applications;

/// <summary>The messages of Flow 1. Ids are derived from application, round and kind, so steps that run twice send once.</summary>
/// <remarks>
/// Every message here is sent only from a Durable activity that sends it again when re-run before its completion is
/// recorded (<see cref="Outbox.DeliverFromStepAsync"/>'s contract), so none needs an outbox row unless delivery fails:
/// <see cref="OpenReviewRound"/> (also via <see cref="CheckApplicationEligibility"/>) sends the review request while the
/// application is not final; <see cref="ReplanReviewRound"/> sends the recounted deadline when it finds the row changed by
/// this same step (<c>DeadlineReplannedAt</c> = the step's time); <see cref="SendReviewReminder"/> and <see cref="EscalateApplicationReview"/> send while it
/// is open in that round; <see cref="CheckApplicationEligibility"/> re-sends "ineligible" when it finds the row already
/// Ineligible; <see cref="RecordApplicationDecision"/> re-sends the decision when it finds the row decided by this same
/// step (<c>DecidedAt</c> = the step's time). A new sender of these messages must keep that contract or use the outbox.
/// </remarks>
public sealed class ApplicationNotices(Outbox outbox, ReviewLinks links, VoucherSettings settings)
{
    public Task ReviewRequestedAsync(ApplicationEntity app, int round, DateOnly deadline, DateTime at, CancellationToken ct) =>
        outbox.DeliverFromStepAsync(new Notification(
            $"review-{app.ApplicationId}-r{round}",
            Addresses.CityBureau(app.CityCode),
            round == 1 ? $"待审核：{app.EnterpriseName} 的创新券申请" : $"逾期重新审核：{app.EnterpriseName} 的创新券申请（第 {round} 轮）",
            $"请于 {deadline:yyyy-MM-dd} 前完成资格审核（{(round == 1 ? "10 个工作日内" : "已逾期，省中心已知悉")}）。Please review application {app.ApplicationId} by {deadline:yyyy-MM-dd}.",
            [new NotificationLink("审核申请 Review", links.UrlFor(app, round, deadline))],
            Utc(at),
            app.ApplicationId), ct);

    public Task ReminderAsync(ApplicationEntity app, int round, DateOnly deadline, DateTime at, CancellationToken ct) =>
        outbox.DeliverFromStepAsync(new Notification(
            $"reminder-{app.ApplicationId}-r{round}",
            Addresses.CityBureau(app.CityCode),
            $"提醒：{app.EnterpriseName} 的创新券申请审核将于 {deadline:yyyy-MM-dd} 到期",
            $"审核期限即将届满，请尽快处理。Reminder: the review deadline of {app.ApplicationId} is {deadline:yyyy-MM-dd}.",
            [new NotificationLink("审核申请 Review", links.UrlFor(app, round, deadline))],
            Utc(at),
            app.ApplicationId), ct);

    /// <summary>The round's deadline was counted again after a holiday arrangement was published: the date, and a link valid until it.</summary>
    public Task DeadlineRecountedAsync(ApplicationEntity app, int round, DateOnly deadline, DateTime at, CancellationToken ct) =>
        outbox.DeliverFromStepAsync(new Notification(
            $"review-recounted-{app.ApplicationId}-r{round}-{Utc(at).UtcTicks}",
            Addresses.CityBureau(app.CityCode),
            $"审核期限已按节假日安排重新计算：{app.EnterpriseName} 的创新券申请",
            $"节假日安排发布后，申请 {app.ApplicationId} 的审核期限为 {deadline:yyyy-MM-dd}。此前通知中的链接可能提前失效，请使用本通知的链接。The review deadline is now {deadline:yyyy-MM-dd}.",
            [new NotificationLink("审核申请 Review", links.UrlFor(app, round, deadline))],
            Utc(at),
            app.ApplicationId), ct);

    public Task EscalatedAsync(ApplicationEntity app, int round, DateTime at, CancellationToken ct) =>
        outbox.DeliverFromStepAsync(new Notification(
            $"escalation-{app.ApplicationId}-r{round}",
            Addresses.Province,
            $"督办：{Cities.Get(app.CityCode).NameZh}科技局逾期未审核 {app.EnterpriseName} 的申请",
            $"申请 {app.ApplicationId} 超过审核期限（{app.DeadlineDate}）仍未审核，已升级至省中心督办；申请继续等待审核。The review deadline passed; the case keeps waiting.",
            [new NotificationLink("查看申请 View", $"{settings.PublicBaseUrl}/api/applications/{app.ApplicationId}")],
            Utc(at),
            app.ApplicationId), ct);

    public Task IneligibleAsync(ApplicationEntity app, IReadOnlyList<string> reasons, DateTime at, CancellationToken ct) =>
        outbox.DeliverFromStepAsync(new Notification(
            $"ineligible-{app.ApplicationId}",
            Addresses.Enterprise(app.Uscc),
            "创新券申请未通过资格条件 (Application not eligible)",
            string.Join("；", reasons),
            [new NotificationLink("查看申请 View", $"{settings.PublicBaseUrl}/api/applications/{app.ApplicationId}")],
            Utc(at),
            app.ApplicationId), ct);

    public Task DecidedAsync(ApplicationEntity app, DateTime at, CancellationToken ct) =>
        outbox.DeliverFromStepAsync(new Notification(
            $"decision-{app.ApplicationId}",
            Addresses.Enterprise(app.Uscc),
            app.Approved == true ? "创新券申请已通过，创新券已发放 (Voucher issued)" : "创新券申请未通过 (Application rejected)",
            app.Approved == true
                ? $"创新券 {app.VoucherId} 已发放。Voucher {app.VoucherId} has been issued."
                : $"驳回理由：{app.DecisionReason}",
            app.VoucherId is null
                ? [new NotificationLink("查看申请 View", $"{settings.PublicBaseUrl}/api/applications/{app.ApplicationId}")]
                : [new NotificationLink("查看创新券 View voucher", $"{settings.PublicBaseUrl}/api/vouchers/{app.VoucherId}")],
            Utc(at),
            app.ApplicationId), ct);

    static DateTimeOffset Utc(DateTime at) => new(DateTime.SpecifyKind(at, DateTimeKind.Utc));
}
