using Microsoft.AspNetCore.Http;
using Voucher.Domain;
using Voucher.Workflows.Http;
using Voucher.Workflows.Redemptions;
using Voucher.Workflows.Security;

namespace Voucher.Workflows.Settlement;

public enum AdvanceOutcome
{
    Accepted,
    AlreadyPaid,
    NotDue,
}

/// <summary>
/// The finance bureau and pre-payments (事前兑付): the advances approved in its city and not yet paid, and confirming that
/// one was paid — once, and only while its redemption is open (queued up to payable). Until then the advance is approved
/// money, not paid money: the statistics, the cap ledger, the credit file and the pages count it as paid from the
/// confirmation on; a final payment made before it pays the whole pay-out and the advance lapses.
/// </summary>
public sealed class AdvanceHandlers(RedemptionStore redemptions, PaymentHandlers payments, Enforcement.PrepaymentAudit prepayment, TimeProvider time)
{
    /// <summary>The states in which an approved advance can still be paid.</summary>
    public static bool IsDue(RedemptionStatus s) =>
        s is RedemptionStatus.Queued or RedemptionStatus.InBatch or RedemptionStatus.Approved or RedemptionStatus.Published or RedemptionStatus.Objected or RedemptionStatus.Payable;

    /// <summary>The city's approved, unpaid advances of open redemptions (from the city's listing partition).</summary>
    public async Task<IReadOnlyList<RedemptionIndexEntity>> DueAsync(string cityCode, CancellationToken ct) => Due(await redemptions.ForCityAsync(cityCode, ct));

    /// <summary>The approved, unpaid advances of open redemptions among a city's listing rows.</summary>
    public static IReadOnlyList<RedemptionIndexEntity> Due(IEnumerable<RedemptionIndexEntity> index) =>
        index.Where(i => i.PrepaidFen > 0 && !i.AdvancePaid && IsDue(i.Status))
            .OrderBy(i => i.SubmittedAt)
            .ToList();

    public async Task<IResult> ListDueAsync(RequestContext ctx)
    {
        var due = await DueAsync(ctx.Principal!.Scope ?? "", ctx.Aborted);
        return Results.Json(due.Select(i => new { redemptionId = i.RowKey, i.EnterpriseName, i.ServiceTitle, advance = Cny.FromFen(i.PrepaidFen), payout = Cny.FromFen(i.PayoutFen), i.Status }), JsonBody.Response);
    }

    public async Task<IResult> ConfirmAsync(RequestContext ctx)
    {
        var (body, error) = await JsonBody.ReadAsync<ConfirmPaymentRequest>(ctx.Request, ctx.Aborted);
        if (error is not null)
        {
            return error;
        }

        var r = await redemptions.GetAsync(ctx.RouteValue("id"), ctx.Aborted);
        if (r is null)
        {
            return Problems.NotFound("兑付申请不存在 (Redemption not found)");
        }

        if (ctx.Principal!.Role != Role.FinanceBureau || !string.Equals(ctx.Principal.Scope, r.CityCode, StringComparison.OrdinalIgnoreCase))
        {
            return Problems.Forbidden("只有本市财政局可以确认拨付 (Only the city's finance bureau confirms payments)");
        }

        var (errors, paidOn) = payments.Validate(body!);
        if (errors.Count > 0)
        {
            return Problems.Validation(errors);
        }

        return await ConfirmAsync(r, body!.Reference!.Trim(), paidOn, ctx.Principal.Address, ctx.Aborted) switch
        {
            AdvanceOutcome.Accepted => Results.Json(new { redemptionId = r.RedemptionId, advancePaid = Cny.FromFen(r.PrepaidFen) }, JsonBody.Response),
            AdvanceOutcome.AlreadyPaid => Problems.Conflict("此笔事前兑付已确认拨付，不能重复确认 (This advance was already confirmed)"),
            _ => Problems.Conflict(r.PrepaidFen <= 0
                ? "此兑付申请没有核定事前兑付 (No advance was approved for this redemption)"
                : $"当前状态（{RedemptionView.StatusText(r.State)}）不再拨付事前兑付 (The advance is no longer due)"),
        };
    }

    /// <summary>
    /// Records the advance as paid under the row's ETag (so it cannot cross a final payment or a rejection), then the
    /// idempotent tail (<see cref="Enforcement.PrepaymentAudit.AdvancePaidAsync"/>). Asked again, it finishes that tail and
    /// answers <see cref="AdvanceOutcome.AlreadyPaid"/>: the money moved once.
    /// </summary>
    public async Task<AdvanceOutcome> ConfirmAsync(RedemptionEntity r, string reference, DateOnly paidOn, string actor, CancellationToken ct)
    {
        var moved = false;
        var updated = await redemptions.UpdateAsync(r.RedemptionId, e =>
        {
            moved = false;
            if (e.PrepaidFen <= 0 || e.AdvancePaidAt is not null || !IsDue(e.State))
            {
                return false;
            }

            e.AdvancePaidAt = time.GetUtcNow();
            e.AdvancePaidOn = paidOn.ToString("yyyy-MM-dd");
            e.AdvanceReference = reference;
            e.AdvancePaidBy = actor;
            moved = true;
            return true;
        }, ct);
        if (updated.AdvancePaidAt is null)
        {
            return AdvanceOutcome.NotDue;
        }

        await prepayment.AdvancePaidAsync(updated, ct);
        return moved ? AdvanceOutcome.Accepted : AdvanceOutcome.AlreadyPaid;
    }
}
