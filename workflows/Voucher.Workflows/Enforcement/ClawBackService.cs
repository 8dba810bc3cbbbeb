using Voucher.Workflows.Audit;
using Voucher.Workflows.Configuration;
using Voucher.Workflows.Notifications;

namespace Voucher.Workflows.Enforcement;

/// <summary>The finance bureau confirms a claw-back of its city recovered, with the recovery reference (凭证号).</summary>
public sealed record ConfirmClawBack(string CityCode, string ClawBackId, string? Reference);

/// <summary>
/// Claw-backs (追回): the money a violation claws back, listed for the city's finance bureau (and the province), and
/// confirmed recovered once by that finance bureau (<see cref="ClawBackEntity.Confirm"/>: Due → Confirmed), which also
/// writes the enterprise's credit entry and the redemption's audit entry.
/// </summary>
public sealed class ClawBackService(EnforcementStore enforcement, VoucherStore store, AuditLog audit, Outbox outbox, VoucherSettings settings, TimeProvider time, ILogger<ClawBackService> log)
{
    public const int MaxReferenceLength = 64;

    /// <summary>A city's claw-backs: the finance bureau reads its own city, the province the city it names.</summary>
    public async Task<Outcome<IReadOnlyList<ClawBackEntity>>> ClawBacksAsync(VoucherPrincipal caller, string? cityCode, CancellationToken ct)
    {
        if (caller.Role is not (Role.FinanceBureau or Role.Province))
        {
            return new Failure.Forbidden("只有财政局和省中心可以查看追回 (The finance bureau and the province only)");
        }

        var city = caller.Role == Role.FinanceBureau ? caller.Scope ?? "" : cityCode ?? "";
        if (!Cities.TryGet(city, out var known))
        {
            return new Failure.Invalid("city", "请指定城市代码 ?city=taiyuan (A city code is required)");
        }

        return await enforcement.ClawBacksAsync(known.Code, ct);
    }

    /// <summary>The city's finance bureau confirms that a claw-back was recovered; once.</summary>
    public async Task<Outcome<ClawBackEntity>> ConfirmAsync(VoucherPrincipal caller, ConfirmClawBack command, CancellationToken ct)
    {
        if (caller.Role != Role.FinanceBureau || !string.Equals(caller.Scope, command.CityCode, StringComparison.OrdinalIgnoreCase))
        {
            return new Failure.Forbidden("只有本市财政局可以确认追回 (Only the city's finance bureau confirms a claw-back)");
        }

        var errors = new List<FieldError>();
        var reference = Http.JsonBody.Required(command.Reference, "reference", MaxReferenceLength, errors);
        if (errors.Count > 0)
        {
            return new Failure.Invalid(errors);
        }

        var claw = await enforcement.GetClawBackAsync(command.CityCode, command.ClawBackId, ct);
        if (claw is null)
        {
            return new Failure.NotFound("追回记录不存在 (Claw-back not found)");
        }

        var alreadyConfirmed = new Failure.Conflict("此笔追回已确认 (This claw-back was already confirmed)");
        if (!ClawBackTransitions.IsAllowed(claw.Status, ClawBackStatus.Confirmed))
        {
            return alreadyConfirmed;
        }

        claw.Confirm(reference!, caller.Address, time.GetUtcNow());
        try
        {
            await store.Table(VoucherStore.ClawBacks).UpdateEntityAsync(claw, claw.ETag, Azure.Data.Tables.TableUpdateMode.Replace, ct);
        }
        catch (Azure.RequestFailedException e) when (e.Status == 412)
        {
            // Confirmed by someone else between the read and this write.
            return alreadyConfirmed;
        }

        var at = claw.ConfirmedAt!.Value;
        await enforcement.AddCreditAsync(claw.Uscc, "clawback-confirmed", claw.ClawBackId, at, claw.AmountFen,
            $"财政局确认追回 {Cny.FromFen(claw.AmountFen)}（{claw.RedemptionId}，凭证号 {reference}）(claw-back recovered)", ct);
        await Redemptions.RedemptionViewKey.TouchAsync(store, claw.RedemptionId, time.GetUtcNow(), ct);
        await audit.AppendAsync(AuditSubjects.Redemption(claw.RedemptionId), caller.Address, at, "", "", 0,
            $"财政局确认追回 {Cny.FromFen(claw.AmountFen)}，凭证号 {reference} (claw-back confirmed)", ct);
        // The enterprise is told its repayment was recorded (fixed id: one message per claw-back).
        await outbox.EnqueueAndTryDeliverAsync(new Notification(
            $"clawback-{claw.ClawBackId}-confirmed-ent", Addresses.Enterprise(claw.Uscc),
            $"资金已追回：{Web.Glossary.MoneyInProse(claw.AmountFen)}",
            $"市财政局已确认收回兑付申请 {claw.RedemptionId} 的资金 {Web.Glossary.MoneyInProse(claw.AmountFen)}（追回凭证号 {reference}），已记入本企业信用记录。",
            [new NotificationLink("查看信用记录", $"{settings.PublicBaseUrl}/portal/credit")], at, claw.RedemptionId), ct);
        EnforcementLog.ClawBackConfirmed(log, claw.ClawBackId, command.CityCode, claw.AmountFen, caller.Address);
        return claw;
    }
}
