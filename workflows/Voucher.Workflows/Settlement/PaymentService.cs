using Microsoft.DurableTask.Client;
using Voucher.Workflows.Audit;
using Voucher.Workflows.Links;
using Voucher.Workflows.Redemptions;

namespace Voucher.Workflows.Settlement;

/// <summary>The finance bureau confirms that it paid a redemption, or its advance: the bank reference and the day.</summary>
public sealed record ConfirmPayment(string RedemptionId, string? Reference, string? PaidOn);

/// <summary>
/// A payable redemption: the pay-out, the advance approved for it (<paramref name="AdvanceApproved"/>), the advance the
/// finance bureau confirmed as paid (<paramref name="Prepaid"/>) and what is left to pay now (<paramref name="Remainder"/>).
/// </summary>
public sealed record Payable(
    string RedemptionId, string EnterpriseName, string Uscc, string InstitutionName, string ServiceTitle,
    Cny Payout, Cny AdvanceApproved, Cny Prepaid, Cny Remainder, string? BatchId, DateTimeOffset? PayableAt);

/// <summary>An approved advance (事前兑付) of an open redemption, not paid yet.</summary>
public sealed record AdvanceDue(string RedemptionId, string EnterpriseName, string ServiceTitle, Cny Advance, Cny Payout, RedemptionStatus Status);

/// <summary>
/// The finance bureau's acts: what is payable in its city and the advances to pay, and confirming each payment and each
/// advance once. The money moves once however often a confirmation is asked: the row changes under its ETag and every
/// step after it has a fixed key. The HTTP API and the finance bureau's page call these.
/// </summary>
public sealed partial class PaymentService(
    VoucherStore store,
    RedemptionStore redemptions,
    Enforcement.PrepaymentAudit prepayment,
    AuditLog audit,
    Enterprises.EnterpriseService enterprises,
    TimeProvider time,
    ILogger<PaymentService> log)
{
    const int MaxReferenceLength = 64;

    public static readonly Failure PaymentAlreadyConfirmed = new Failure.Conflict("此笔兑付已确认拨付，不能重复确认 (This payment was already confirmed)");

    static readonly Failure NotFinanceBureau = new Failure.Forbidden("只有本市财政局可以确认拨付 (Only the city's finance bureau confirms payments)");

    /// <summary>The payable redemptions of the caller's city (the finance bureau).</summary>
    public async Task<Outcome<Payable[]>> PayablesAsync(VoucherPrincipal caller, CancellationToken ct)
    {
        if (caller.Role != Role.FinanceBureau)
        {
            return NotFinanceBureau;
        }

        var city = caller.Scope ?? "";
        await PayablesIndex.BackfillAsync(store, redemptions, city, ct);
        return (await PayablesIndex.ReadAsync(store, city, RedemptionStatus.Payable, null, ct))
            .Select(r => new Payable(r.RedemptionId, r.EnterpriseName, r.Uscc, r.InstitutionName, r.ServiceTitle, Cny.FromFen(r.PayoutFen), Cny.FromFen(r.PrepaidFen),
                Cny.FromFen(r.AdvancePaidFen), Cny.FromFen(r.PayoutFen - r.AdvancePaidFen), r.BatchId, r.PayableAt))
            .ToArray();
    }

    /// <summary>The city's finance bureau confirms the payment of one of its payable redemptions.</summary>
    public async Task<Outcome<RedemptionEntity>> ConfirmPaymentAsync(VoucherPrincipal caller, ConfirmPayment command, DurableTaskClient durable, CancellationToken ct)
    {
        var found = await ToPayAsync(caller, command.RedemptionId, ct);
        if (found.Failure is { } failure)
        {
            return failure;
        }

        if (Validate(command, out var paidOn) is { } invalid)
        {
            return invalid;
        }

        return await ConfirmPaymentAsync(found.Value, command.Reference!.Trim(), paidOn, caller.Address, durable, ct);
    }

    /// <summary>
    /// Confirms the payment of a redemption the caller may pay, once: Payable → Paid under the row's ETag (a pre-paid one
    /// gets only the rest of its pay-out), its audit entry, and the settled event to its orchestration, which grants the
    /// cap, uses the voucher and tells the enterprise. Asked again, it answers <see cref="PaymentAlreadyConfirmed"/>,
    /// sending the event again when the first confirmation stopped before it.
    /// </summary>
    public async Task<Outcome<RedemptionEntity>> ConfirmPaymentAsync(RedemptionEntity r, string reference, DateOnly paidOn, string actor, DurableTaskClient durable, CancellationToken ct)
    {
        var instanceId = RedemptionStore.InstanceId(r.RedemptionId);
        if (r.State == RedemptionStatus.Paid)
        {
            // The first confirmation may have stopped before the listing rows: the paid one moves to the paid tab now.
            await redemptions.UpsertIndexAsync(r, ct);
            if (r.SettledAt is null)
            {
                // The first confirmation stopped before its event went out: send it again (the redemption ignores a duplicate).
                await durable.RaiseEventAsync(instanceId, RedemptionEvent.EventName, new RedemptionEvent(RedemptionEvent.Settled, 0, true, null, actor), ct);
            }

            return PaymentAlreadyConfirmed;
        }

        if (r.State != RedemptionStatus.Payable)
        {
            return NotPayable(r.State);
        }

        // The move under the row's ETag is the one guard: of two confirmations at once, one moves it; the other finds it paid.
        var moved = false;
        var updated = await redemptions.UpdateAsync(r.RedemptionId, e =>
        {
            moved = false; // an attempt whose write lost the race (412) must not count as the move
            if (RedemptionSteps.Move(e, RedemptionStatus.Paid) is null)
            {
                return false;
            }

            e.PaymentReference = reference;
            // A pre-paid redemption gets only the rest: advance paid + this payment = the computed pay-out, to the fen. An
            // advance approved but never confirmed as paid moved nothing, so this payment is the whole pay-out.
            e.FinalPaidFen = e.PayoutFen - e.AdvancePaidFen;
            e.PaidOn = paidOn.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
            e.PaidAt = time.GetUtcNow();
            e.PaidBy = actor;
            e.AnnounceEntry(AuditLog.KeyOf(e.PaidAt.Value, nameof(RedemptionStatus.Payable), e.Status.ToString()));
            return moved = true;
        }, ct, known: r);
        if (!moved)
        {
            return updated.State == RedemptionStatus.Paid ? PaymentAlreadyConfirmed : NotPayable(updated.State);
        }

        await audit.AppendAsync(AuditSubjects.Redemption(updated.RedemptionId), actor, updated.PaidAt!.Value, nameof(RedemptionStatus.Payable), updated.Status.ToString(), updated.PolicyVersion,
            $"财政局确认拨付 {Cny.FromFen(updated.FinalPaidFen)}{(updated.AdvancePaidFen > 0 ? $"（已事前兑付 {Cny.FromFen(updated.AdvancePaidFen)}）" : updated.PrepaidFen > 0 ? "（核定的事前兑付未拨付，本次全额拨付）" : "")} (payment confirmed)：凭证号 {reference}，{updated.PaidOn}", ct);
        await durable.RaiseEventAsync(instanceId, RedemptionEvent.EventName, new RedemptionEvent(RedemptionEvent.Settled, 0, true, null, actor), ct);
        SettlementLog.PaymentConfirmed(log, updated.RedemptionId, actor, Cny.FromFen(updated.FinalPaidFen), Cny.FromFen(updated.AdvancePaidFen));
        return updated;
    }

    static Failure NotPayable(RedemptionStatus state) => new Failure.Conflict($"当前状态（{RedemptionView.StatusText(state)}）不能拨付 (Not payable)");

    /// <summary>The redemption, if the caller is the finance bureau of its city.</summary>
    async Task<Outcome<RedemptionEntity>> ToPayAsync(VoucherPrincipal caller, string redemptionId, CancellationToken ct)
    {
        var r = await redemptions.GetAsync(redemptionId, ct);
        if (r is null)
        {
            return RedemptionService.NotFound(redemptionId);
        }

        return caller.Role == Role.FinanceBureau && string.Equals(caller.Scope, r.CityCode, StringComparison.OrdinalIgnoreCase)
            ? r
            : Failure.Deny(RedemptionService.CanRead(caller, r), RedemptionService.NotFound(redemptionId), NotFinanceBureau.Message);
    }

    /// <summary>The fields of a payment or advance confirmation checked before the page asks to confirm it; null when they hold.</summary>
    public Failure.Invalid? Check(ConfirmPayment command) => Validate(command, out _);

    /// <summary>A payment's fields: a bank reference, and the day it was paid (not in the future, not over a year ago).</summary>
    Failure.Invalid? Validate(ConfirmPayment command, out DateOnly paidOn)
    {
        var errors = new List<FieldError>();
        JsonBody.Required(command.Reference, "reference", MaxReferenceLength, errors);
        var today = ChinaTime.DateOf(time.GetUtcNow().UtcDateTime);
        if (!DateOnly.TryParseExact(command.PaidOn?.Trim(), "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out paidOn))
        {
            errors.Add(new FieldError("paidOn", "日期格式须为 yyyy-MM-dd (Date as yyyy-MM-dd)"));
        }
        else if (paidOn > today || paidOn < today.AddYears(-1))
        {
            errors.Add(new FieldError("paidOn", "拨付日期不能晚于今天或早于一年前 (Not in the future, not over a year ago)"));
        }

        return errors.Count > 0 ? new Failure.Invalid(errors) : null;
    }
}
