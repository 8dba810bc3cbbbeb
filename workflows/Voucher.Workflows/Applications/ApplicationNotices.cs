using Voucher.Workflows.Configuration;
using Voucher.Workflows.Notifications;
using Voucher.Workflows.Vouchers;
using Voucher.Workflows.Web;

namespace Voucher.Workflows.Applications;

/// <summary>
/// The messages of Flow 1, in Chinese, each with links to portal pages (the application's progress page, the voucher's
/// page, the bureau's review page), never to the API. Ids are derived from application, round and kind, so steps that
/// run twice send once. The enterprise is told when its application is accepted for review or found ineligible, when
/// the review first runs over its deadline, and when it is decided (with the voucher, or with the reason).
/// </summary>
/// <remarks>
/// Every message here is sent only from a Durable activity that sends it again when re-run before its completion is
/// recorded (<see cref="Outbox.DeliverFromStepAsync"/>'s contract), so none needs an outbox row unless delivery fails:
/// <see cref="OpenReviewRound"/> (also via <see cref="CheckApplicationEligibility"/>) sends the review request, and in
/// round 1 the enterprise's "accepted", while the application is not final; <see cref="ReplanReviewRound"/> sends the
/// recounted deadline when it finds the row changed by this same step (<c>DeadlineReplannedAt</c> = the step's time);
/// <see cref="SendReviewReminder"/> and <see cref="EscalateApplicationReview"/> send while it is open in that round;
/// <see cref="CheckApplicationEligibility"/> re-sends "ineligible" when it finds the row already Ineligible;
/// <see cref="RecordApplicationDecision"/> re-sends the decision when it finds the row decided by this same step
/// (<c>DecidedAt</c> = the step's time). A new sender of these messages must keep that contract or use the outbox.
/// </remarks>
public sealed class ApplicationNotices(Outbox outbox, ReviewLinks links, VoucherSettings settings, VoucherRepository vouchers)
{
    public Task ReviewRequestedAsync(ApplicationEntity app, int round, DateOnly deadline, DateTime at, CancellationToken ct) =>
        outbox.DeliverFromStepAsync(new Notification(
            $"review-{app.ApplicationId}-r{round}",
            Addresses.CityBureau(app.CityCode),
            round == 1 ? $"待审核：{app.EnterpriseName} 的创新券申请" : $"超期重新审核：{app.EnterpriseName} 的创新券申请（第 {round} 轮）",
            round == 1
                ? $"请于 {Glossary.DateInSentence(deadline)} 前完成资格审核。办件编号：{app.ApplicationId}。"
                : $"上一轮审核已超期，省科技厅已督办。请于 {Glossary.DateInSentence(deadline)} 前完成审核。办件编号：{app.ApplicationId}。",
            [new NotificationLink("审核申请", links.UrlFor(app, round, deadline))],
            Utc(at),
            app.ApplicationId), ct);

    /// <summary>Round 1 opened: the enterprise's application passed the eligibility check and waits for its city's bureau.</summary>
    public Task AcceptedAsync(ApplicationEntity app, DateOnly deadline, DateTime at, CancellationToken ct) =>
        outbox.DeliverFromStepAsync(new Notification(
            $"accepted-{app.ApplicationId}",
            Addresses.Enterprise(app.Uscc),
            "创新券申请已受理，进入市科技局审核",
            $"您的创新券申请（办件编号 {app.ApplicationId}）已通过资格核验，{Bureau(app)}将在 {Glossary.DateInSentence(deadline)} 前完成审核。审核期间无需操作。",
            [ProgressLink(app)],
            Utc(at),
            app.ApplicationId), ct);

    public Task ReminderAsync(ApplicationEntity app, int round, DateOnly deadline, DateTime at, CancellationToken ct) =>
        outbox.DeliverFromStepAsync(new Notification(
            $"reminder-{app.ApplicationId}-r{round}",
            Addresses.CityBureau(app.CityCode),
            $"提醒：{app.EnterpriseName} 的创新券申请审核将于 {Glossary.DateInSentence(deadline)} 到期",
            $"审核期限即将届满，请尽快处理。办件编号：{app.ApplicationId}。",
            [new NotificationLink("审核申请", links.UrlFor(app, round, deadline))],
            Utc(at),
            app.ApplicationId), ct);

    /// <summary>The round's deadline was counted again after a holiday arrangement was published: the date, and a link valid until it.</summary>
    public Task DeadlineRecountedAsync(ApplicationEntity app, int round, DateOnly deadline, DateTime at, CancellationToken ct) =>
        outbox.DeliverFromStepAsync(new Notification(
            $"review-recounted-{app.ApplicationId}-r{round}-{Utc(at).UtcTicks}",
            Addresses.CityBureau(app.CityCode),
            $"审核期限已按节假日安排重新计算：{app.EnterpriseName} 的创新券申请",
            $"节假日安排发布后，申请 {app.ApplicationId} 的审核期限为 {Glossary.DateInSentence(deadline)}。此前通知中的链接可能提前失效，请使用本通知的链接。",
            [new NotificationLink("审核申请", links.UrlFor(app, round, deadline))],
            Utc(at),
            app.ApplicationId), ct);

    /// <summary>The round's deadline passed: the province is asked to supervise; the enterprise is told once (first round) that its application stays open.</summary>
    public async Task EscalatedAsync(ApplicationEntity app, int round, DateTime at, CancellationToken ct)
    {
        await outbox.DeliverFromStepAsync(new Notification(
            $"escalation-{app.ApplicationId}-r{round}",
            Addresses.Province,
            $"督办：{Bureau(app)}逾期未审核 {app.EnterpriseName} 的创新券申请",
            $"申请 {app.ApplicationId} 超过审核期限（{Glossary.DateInSentence(app.DeadlineDate)}）仍未审核，已升级至省科技厅督办；申请继续等待审核。",
            [new NotificationLink("查看申请", ApplicationUrl(app))],
            Utc(at),
            app.ApplicationId), ct);

        if (round == 1)
        {
            await outbox.DeliverFromStepAsync(new Notification(
                $"escalation-{app.ApplicationId}-ent",
                Addresses.Enterprise(app.Uscc),
                "创新券申请审核超期，省科技厅已督办",
                $"您的创新券申请（办件编号 {app.ApplicationId}）已超过审核期限（{Glossary.DateInSentence(app.DeadlineDate)}），省科技厅正在督办{Bureau(app)}尽快审核。申请继续有效，无需重新提交。",
                [ProgressLink(app)],
                Utc(at),
                app.ApplicationId), ct);
        }
    }

    public Task IneligibleAsync(ApplicationEntity app, IReadOnlyList<string> reasons, DateTime at, CancellationToken ct) =>
        outbox.DeliverFromStepAsync(new Notification(
            $"ineligible-{app.ApplicationId}",
            Addresses.Enterprise(app.Uscc),
            "创新券申请不符合申请条件",
            $"您的创新券申请（办件编号 {app.ApplicationId}）不符合申请条件：{string.Join("；", reasons.Select(Glossary.ChineseOnly))}。条件满足后可重新申请。",
            [new NotificationLink("查看申请", ApplicationUrl(app))],
            Utc(at),
            app.ApplicationId), ct);

    /// <summary>The decision, to the enterprise: the voucher issued (<paramref name="issued"/>, read when not given), or the reason of the rejection.</summary>
    public async Task DecidedAsync(ApplicationEntity app, DateTime at, CancellationToken ct, VoucherEntity? issued = null)
    {
        var voucher = issued ?? (app.VoucherId is { } id ? await vouchers.GetAsync(id, ct) : null);
        var approved = app.Approved == true;
        await outbox.DeliverFromStepAsync(new Notification(
            $"decision-{app.ApplicationId}",
            Addresses.Enterprise(app.Uscc),
            approved ? "创新券申请已通过，创新券已发放" : "创新券申请未通过",
            approved ? Issued(app, voucher) : $"您的创新券申请（办件编号 {app.ApplicationId}）未通过审核。驳回理由：{app.DecisionReason}。可按理由完善后重新申请。",
            app.VoucherId is { } voucherId
                ? [new NotificationLink("查看创新券", $"{settings.PublicBaseUrl}/portal/vouchers/{voucherId}"), ProgressLink(app)]
                : [new NotificationLink("查看申请", ApplicationUrl(app))],
            Utc(at),
            app.ApplicationId), ct);
    }

    static string Issued(ApplicationEntity app, VoucherEntity? voucher) =>
        voucher is null
            ? $"您的创新券申请（办件编号 {app.ApplicationId}）已通过审核，创新券已发放。"
            : $"您的创新券申请（办件编号 {app.ApplicationId}）已通过审核，已发放面额 {Glossary.MoneyInProse(voucher.FaceValueFen)} 的创新券，有效期至 {Glossary.DateInSentence(voucher.ExpiresOn)}。向服务机构购买服务后，可凭券提交兑付申请。";

    NotificationLink ProgressLink(ApplicationEntity app) => new("查看办理进度", ApplicationUrl(app));

    string ApplicationUrl(ApplicationEntity app) => $"{settings.PublicBaseUrl}/portal/applications/{app.ApplicationId}";

    static string Bureau(ApplicationEntity app) => Glossary.BureauUnit(Role.CityBureau, app.CityCode) ?? "市科技局";

    static DateTimeOffset Utc(DateTime at) => new(DateTime.SpecifyKind(at, DateTimeKind.Utc));
}
