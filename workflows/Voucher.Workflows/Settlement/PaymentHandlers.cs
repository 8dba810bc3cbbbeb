using System.Globalization;
using Microsoft.AspNetCore.Http;
using Voucher.Domain;
using Voucher.Workflows.Http;
using Voucher.Workflows.Links;
using Voucher.Workflows.Redemptions;
using Voucher.Workflows.Security;

namespace Voucher.Workflows.Settlement;

public sealed record ConfirmPaymentRequest(string? Reference, string? PaidOn);

public enum PaymentOutcome
{
    Accepted,
    AlreadyPaid,
    NotPayable,
}

/// <summary>The finance bureau: what is payable in its city, and confirming each payment once.</summary>
public sealed class PaymentHandlers(RedemptionStore redemptions, OneTimeActions oneTime, TimeProvider time, Voucher.Workflows.Audit.AuditLog audit)
{
    public const string PayAction = "pay";

    public async Task<IResult> PayablesAsync(RequestContext ctx)
    {
        var city = ctx.Principal!.Scope ?? "";
        var rows = (await redemptions.ForCityAsync(city, ctx.Aborted)).Where(r => r.Status == RedemptionStatus.Payable).ToList();
        var result = new List<object>();
        foreach (var row in rows)
        {
            if (await redemptions.GetAsync(row.RowKey, ctx.Aborted) is { } r)
            {
                // Only an advance the finance bureau confirmed was paid; an approved one not paid by now lapses (the whole pay-out is paid here).
                result.Add(new { redemptionId = r.RedemptionId, r.EnterpriseName, r.Uscc, r.InstitutionName, r.ServiceTitle, payout = Cny.FromFen(r.PayoutFen), advanceApproved = Cny.FromFen(r.PrepaidFen), prepaid = Cny.FromFen(r.AdvancePaidFen), remainder = Cny.FromFen(r.PayoutFen - r.AdvancePaidFen), r.BatchId, r.PayableAt });
            }
        }

        return Results.Json(result, JsonBody.Response);
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

        var (errors, paidOn) = Validate(body!);
        if (errors.Count > 0)
        {
            return Problems.Validation(errors);
        }

        return await ConfirmAsync(r, body!.Reference!.Trim(), paidOn, ctx.Principal.Address, ctx.Durable, ctx.Aborted) switch
        {
            PaymentOutcome.Accepted => Results.Json(new { redemptionId = r.RedemptionId, paid = true }, JsonBody.Response, statusCode: StatusCodes.Status202Accepted),
            PaymentOutcome.AlreadyPaid => Problems.Conflict("此笔兑付已确认拨付，不能重复确认 (This payment was already confirmed)"),
            _ => Problems.Conflict($"当前状态（{RedemptionView.StatusText(r.State)}）不能拨付 (Not payable)"),
        };
    }

    public (List<FieldError> Errors, DateOnly PaidOn) Validate(ConfirmPaymentRequest body)
    {
        var errors = new List<FieldError>();
        JsonBody.Required(body.Reference, "reference", 64, errors);
        var paidOn = default(DateOnly);
        var today = ChinaTime.DateOf(time.GetUtcNow().UtcDateTime);
        if (!DateOnly.TryParseExact(body.PaidOn?.Trim(), "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out paidOn))
        {
            errors.Add(new FieldError("paidOn", "日期格式须为 yyyy-MM-dd (Date as yyyy-MM-dd)"));
        }
        else if (paidOn > today || paidOn < today.AddYears(-1))
        {
            errors.Add(new FieldError("paidOn", "拨付日期不能晚于今天或早于一年前 (Not in the future, not over a year ago)"));
        }

        return (errors, paidOn);
    }

    public async Task<PaymentOutcome> ConfirmAsync(RedemptionEntity r, string reference, DateOnly paidOn, string actor, Microsoft.DurableTask.Client.DurableTaskClient durable, CancellationToken ct)
    {
        var instanceId = RedemptionStore.InstanceId(r.RedemptionId);
        if (r.State == RedemptionStatus.Paid)
        {
            if (r.SettledAt is null)
            {
                // The first confirmation stopped before its event went out: send it again (the redemption ignores a duplicate).
                await durable.RaiseEventAsync(instanceId, RedemptionEvent.EventName, new RedemptionEvent(RedemptionEvent.Settled, 0, true, null, actor), ct);
            }

            return PaymentOutcome.AlreadyPaid;
        }

        if (r.State != RedemptionStatus.Payable)
        {
            return PaymentOutcome.NotPayable;
        }

        if (!await oneTime.TryClaimAsync(instanceId, PayAction, 1, actor, ct))
        {
            return PaymentOutcome.AlreadyPaid;
        }

        var updated = await redemptions.UpdateAsync(r.RedemptionId, e =>
        {
            if (RedemptionSteps.Move(e, RedemptionStatus.Paid) is null)
            {
                return false;
            }

            e.PaymentReference = reference;
            // A pre-paid redemption gets only the rest: advance paid + this payment = the computed pay-out, to the fen. An
            // advance approved but never confirmed as paid moved nothing, so this payment is the whole pay-out.
            e.FinalPaidFen = e.PayoutFen - e.AdvancePaidFen;
            e.PaidOn = paidOn.ToString("yyyy-MM-dd");
            e.PaidAt = time.GetUtcNow();
            e.PaidBy = actor;
            return true;
        }, ct);
        if (updated.State != RedemptionStatus.Paid)
        {
            await oneTime.ReleaseAsync(instanceId, PayAction, 1);
            return PaymentOutcome.NotPayable;
        }

        await audit.AppendAsync(Voucher.Workflows.Audit.AuditSubjects.Redemption(updated.RedemptionId), actor, updated.PaidAt!.Value, nameof(RedemptionStatus.Payable), updated.Status.ToString(), updated.PolicyVersion,
            $"财政局确认拨付 {Cny.FromFen(updated.FinalPaidFen)}{(updated.AdvancePaidFen > 0 ? $"（已事前兑付 {Cny.FromFen(updated.AdvancePaidFen)}）" : updated.PrepaidFen > 0 ? "（核定的事前兑付未拨付，本次全额拨付）" : "")} (payment confirmed)：凭证号 {reference}，{updated.PaidOn}", ct);
        await durable.RaiseEventAsync(instanceId, RedemptionEvent.EventName, new RedemptionEvent(RedemptionEvent.Settled, 0, true, null, actor), ct);
        return PaymentOutcome.Accepted;
    }
}
