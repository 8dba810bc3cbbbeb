using Voucher.Workflows.Redemptions;

namespace Voucher.Workflows.Settlement;

/// <summary>
/// Pre-payments (事前兑付): the advances approved in the finance bureau's city and not yet paid, and confirming that one
/// was paid — once, and only while its redemption is open (<see cref="AdvancePayments.IsDue"/>). Until then the advance
/// is approved money, not paid money: the statistics, the cap ledger, the credit file and the pages count it as paid
/// from the confirmation on; a final payment made before it pays the whole pay-out and the advance lapses.
/// </summary>
public sealed partial class PaymentService
{
    public static readonly Failure AdvanceAlreadyConfirmed = new Failure.Conflict("此笔事前兑付已确认拨付，不能重复确认 (This advance was already confirmed)");

    /// <summary>The approved, unpaid advances of open redemptions in the caller's city (the finance bureau).</summary>
    public async Task<Outcome<AdvanceDue[]>> AdvancesDueAsync(VoucherPrincipal caller, CancellationToken ct)
    {
        if (caller.Role != Role.FinanceBureau)
        {
            return NotFinanceBureau;
        }

        return AdvancesDue(await redemptions.ForCityAsync(caller.Scope ?? "", ct));
    }

    /// <summary>The city's finance bureau confirms that it paid the approved advance of one of its redemptions.</summary>
    public async Task<Outcome<RedemptionEntity>> ConfirmAdvanceAsync(VoucherPrincipal caller, ConfirmPayment command, CancellationToken ct)
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

        return await ConfirmAdvanceAsync(found.Value, command.Reference!.Trim(), paidOn, caller.Address, ct);
    }

    /// <summary>
    /// Records the advance of a redemption the caller may pay as paid, under the row's ETag (so it cannot cross a final
    /// payment or a rejection), then the idempotent tail (<see cref="Enforcement.PrepaymentAudit.AdvancePaidAsync"/>).
    /// Asked again, it finishes that tail and answers <see cref="AdvanceAlreadyConfirmed"/>: the money moved once.
    /// </summary>
    public async Task<Outcome<RedemptionEntity>> ConfirmAdvanceAsync(RedemptionEntity r, string reference, DateOnly paidOn, string actor, CancellationToken ct)
    {
        var moved = false;
        var updated = await redemptions.UpdateAsync(r.RedemptionId, e =>
        {
            moved = false;
            if (e.PrepaidFen <= 0 || e.AdvancePaidAt is not null || !AdvancePayments.IsDue(e.State))
            {
                return false;
            }

            e.AdvancePaidAt = time.GetUtcNow();
            e.AdvancePaidOn = paidOn.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
            e.AdvanceReference = reference;
            e.AdvancePaidBy = actor;
            moved = true;
            return true;
        }, ct);
        if (updated.AdvancePaidAt is null)
        {
            return new Failure.Conflict(updated.PrepaidFen <= 0
                ? "此兑付申请没有核定事前兑付 (No advance was approved for this redemption)"
                : $"当前状态（{RedemptionView.StatusText(updated.State)}）不再拨付事前兑付 (The advance is no longer due)");
        }

        await prepayment.AdvancePaidAsync(updated, ct);
        SettlementLog.AdvanceConfirmed(log, updated.RedemptionId, actor, Cny.FromFen(updated.AdvancePaidFen), moved);
        return moved ? updated : AdvanceAlreadyConfirmed;
    }

    /// <summary>The approved, unpaid advances of open redemptions among a city's listing rows, oldest request first.</summary>
    static AdvanceDue[] AdvancesDue(IEnumerable<RedemptionIndexEntity> index) =>
        index.Where(i => i.PrepaidFen > 0 && !i.AdvancePaid && AdvancePayments.IsDue(i.Status))
            .OrderBy(i => i.SubmittedAt)
            .Select(i => new AdvanceDue(i.RowKey, i.EnterpriseName, i.ServiceTitle, Cny.FromFen(i.PrepaidFen), Cny.FromFen(i.PayoutFen), i.Status))
            .ToArray();
}
