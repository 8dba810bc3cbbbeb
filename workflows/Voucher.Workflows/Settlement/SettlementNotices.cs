using Voucher.Workflows.Configuration;
using Voucher.Workflows.Notifications;
using Voucher.Workflows.Redemptions;
using Voucher.Workflows.Web;

namespace Voucher.Workflows.Settlement;

/// <summary>
/// What the enterprise is told as its redemption goes through settlement: approved and in publicity, publicity over
/// (payable), an objection filed against it, and the objection's resolution. (The bureau's rejection and the payment are
/// told by <see cref="RedemptionNotices"/>, from the redemption's own orchestration.) Ids come from the redemption and the
/// business event, and the time is the step's, so a step that runs again writes the same inbox row instead of a second one.
/// Every link opens a portal page.
/// </summary>
/// <remarks>
/// <see cref="PublicityStartedAsync"/> (from <see cref="OpenPublicity"/>) and <see cref="PublicityEndedAsync"/> (from the
/// close-publicity chunk) are sent again whenever their activity runs again before its completion is recorded
/// (<see cref="Outbox.DeliverFromStepAsync"/>'s contract); the objection messages come from requests and go through the outbox.
/// </remarks>
public sealed class SettlementNotices(Outbox outbox, VoucherSettings settings)
{
    string RedemptionPage(string id) => $"{settings.PublicBaseUrl}/portal/redemptions/{id}";

    string PublicityPage => $"{settings.PublicBaseUrl}/publicity";

    public static string PublicityStartedId(string redemptionId) => $"publicity-start-{redemptionId}";

    public static string PublicityEndedId(string redemptionId) => $"publicity-end-{redemptionId}";

    public static string ObjectionFiledId(string redemptionId, string objectionKey) => $"objection-filed-{redemptionId}-{objectionKey}";

    public static string ObjectionResolvedId(string redemptionId, DateTimeOffset resolvedAt) => $"objection-resolved-{redemptionId}-{resolvedAt.UtcTicks}";

    /// <summary>The bureau approved the row and the batch's publicity opened: the window, and what follows it.</summary>
    public Task PublicityStartedAsync(BatchEntity batch, BatchItemEntity item, DateTimeOffset at, CancellationToken ct) =>
        outbox.DeliverFromStepAsync(new Notification(
            PublicityStartedId(item.RedemptionId),
            Addresses.Enterprise(item.Uscc),
            "兑付申请已通过结算审核，现予公示",
            $"您的兑付申请 {item.RedemptionId}（{item.InstitutionName} · {item.ServiceTitle}）已通过{SettlementText.Bureau(batch.CityCode)}结算审核，核定兑付 {Glossary.MoneyInProse(item.PayoutFen)}。"
                + $"公示期为 {Glossary.DateInSentence(batch.PublicityStart)}至{Glossary.DateInSentence(batch.PublicityEnd)}{(PublicityWindows.IsProvisional(batch) ? "（推定，节假日安排发布后可能调整）" : "")}；"
                + $"公示期满无异议的，由{SettlementText.FinanceBureau(batch.CityCode)}拨付。",
            [new NotificationLink("查看兑付申请", RedemptionPage(item.RedemptionId)), new NotificationLink("查看公示", PublicityPage)],
            at,
            item.RedemptionId), ct);

    /// <summary>The window closed without an open objection: payable, the finance bureau pays next.</summary>
    public Task PublicityEndedAsync(RedemptionEntity r, DateTimeOffset at, CancellationToken ct) =>
        outbox.DeliverFromStepAsync(new Notification(
            PublicityEndedId(r.RedemptionId),
            Addresses.Enterprise(r.Uscc),
            "公示期满，兑付申请待拨付",
            $"您的兑付申请 {r.RedemptionId} 公示期满，未收到异议，现转{SettlementText.FinanceBureau(r.CityCode)}拨付 {Glossary.MoneyInProse(r.PayoutFen - r.AdvancePaidFen)}。拨付后将另行通知。",
            [new NotificationLink("查看兑付申请", RedemptionPage(r.RedemptionId))],
            at,
            r.RedemptionId), ct);

    /// <summary>Someone objected during publicity: the payment is held while the bureau checks (the objector is not named).</summary>
    public Task ObjectionFiledAsync(RedemptionEntity r, string objectionKey, DateTimeOffset at, CancellationToken ct) =>
        outbox.EnqueueAndTryDeliverAsync(new Notification(
            ObjectionFiledId(r.RedemptionId, objectionKey),
            Addresses.Enterprise(r.Uscc),
            "您的兑付申请在公示期内收到异议",
            $"您的兑付申请 {r.RedemptionId}（{r.InstitutionName} · {r.ServiceTitle}）在公示期内收到异议。{SettlementText.Bureau(r.CityCode)}将核查处理，核查期间暂停拨付；处理结果将另行通知。",
            [new NotificationLink("查看兑付申请", RedemptionPage(r.RedemptionId))],
            at,
            r.RedemptionId), ct);

    /// <summary>The bureau resolved the objections: upheld (not paid) or dismissed (goes on), with its reason.</summary>
    public Task ObjectionResolvedAsync(RedemptionEntity r, bool upheld, string reason, DateTimeOffset at, CancellationToken ct) =>
        outbox.EnqueueAndTryDeliverAsync(new Notification(
            ObjectionResolvedId(r.RedemptionId, at),
            Addresses.Enterprise(r.Uscc),
            upheld ? "公示异议成立，兑付申请不予兑付" : "公示异议不成立，兑付继续办理",
            upheld
                ? $"{SettlementText.Bureau(r.CityCode)}核查认为对您的兑付申请 {r.RedemptionId} 的异议成立，理由：{reason}。该兑付申请不予兑付，预留的年度额度将释放。"
                : $"{SettlementText.Bureau(r.CityCode)}核查认为对您的兑付申请 {r.RedemptionId} 的异议不成立，理由：{reason}。"
                    + (r.State == RedemptionStatus.Payable ? $"该兑付申请已转{SettlementText.FinanceBureau(r.CityCode)}拨付。" : "该兑付申请恢复公示，公示期满无异议的转财政局拨付。"),
            [new NotificationLink("查看兑付申请", RedemptionPage(r.RedemptionId))],
            at,
            r.RedemptionId), ct);

    /// <summary>The city bureau is asked to check an objection (one message per objection filed).</summary>
    public Task ObjectionForBureauAsync(RedemptionEntity r, DateTimeOffset at, CancellationToken ct) =>
        outbox.EnqueueAndTryDeliverAsync(new Notification(
            $"objection-{r.RedemptionId}-{at.UtcTicks}",
            Addresses.CityBureau(r.CityCode),
            $"公示异议待核查：{r.EnterpriseName}",
            $"{r.EnterpriseName} 的兑付申请 {r.RedemptionId}（{r.InstitutionName} · {r.ServiceTitle}，核定兑付 {Glossary.MoneyInProse(r.PayoutFen)}）在公示期内收到异议，已暂停拨付。请核查后在兑付申请页处理：异议成立则不予兑付，异议不成立则继续办理。",
            [new NotificationLink("处理异议", RedemptionPage(r.RedemptionId))],
            at,
            r.RedemptionId), ct);
}
