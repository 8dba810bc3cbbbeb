using Microsoft.AspNetCore.Http;
using Voucher.Domain;
using Voucher.Workflows.Evidence;
using Voucher.Workflows.Http;
using Voucher.Workflows.Security;

namespace Voucher.Workflows.Redemptions;

/// <summary>The redemption API's actions: the SME's withdrawal, the bureau's extension, the institution's binding.</summary>
public sealed partial class RedemptionHandlers
{
    public async Task<IResult> WithdrawAsync(RequestContext ctx)
    {
        var r = await redemptions.GetAsync(ctx.RouteValue("id"), ctx.Aborted);
        if (r is null)
        {
            return Problems.NotFound($"兑付申请 {ctx.RouteValue("id")} 不存在 (Redemption not found)");
        }

        if (!ctx.Principal!.IsEnterprise(r.Uscc))
        {
            return Problems.Forbidden("只有申请企业可以撤回 (Only the enterprise withdraws its redemption)");
        }

        if (r.AdvancePaidAt is not null)
        {
            return Problems.Conflict($"事前兑付 {Cny.FromFen(r.PrepaidFen)} 已拨付，不能撤回 (The advance was paid: the redemption cannot be withdrawn)");
        }

        if (!RedemptionTransitions.CanWithdraw(r.State))
        {
            return Problems.Conflict($"当前状态（{RedemptionView.StatusText(r.State)}）不能撤回 (Cannot withdraw now)");
        }

        await events.RaiseAsync(r.RedemptionId, new RedemptionEvent(RedemptionEvent.Withdraw, r.BindingRound, true, null, ctx.Principal.Actor), ctx.Durable, ctx.Aborted);
        return Results.Json(new { redemptionId = r.RedemptionId, accepted = true, statusUrl = StatusUrl(r.RedemptionId) }, JsonBody.Response, statusCode: StatusCodes.Status202Accepted);
    }

    public async Task<IResult> ExtendBindingAsync(RequestContext ctx)
    {
        var (body, error) = await JsonBody.ReadAsync<ExtendBindingRequest>(ctx.Request, ctx.Aborted);
        if (error is not null)
        {
            return error;
        }

        var r = await redemptions.GetAsync(ctx.RouteValue("id"), ctx.Aborted);
        if (r is null)
        {
            return Problems.NotFound($"兑付申请 {ctx.RouteValue("id")} 不存在 (Redemption not found)");
        }

        if (!ctx.Principal!.IsBureauOf(r.CityCode))
        {
            return Problems.Forbidden("只有所在地市科技局可以延期 (Only the bureau of the redemption's city extends)");
        }

        if (body!.Round is null || body.Round != r.BindingRound)
        {
            return Problems.Validation("round", $"须为当前确认轮次 {r.BindingRound} (Must be the current binding round)");
        }

        if (r.State is not (RedemptionStatus.BindingOverdue or RedemptionStatus.Disputed))
        {
            return Problems.Conflict("只有确认逾期或有异议的申请可以重新发起确认 (Only overdue or disputed bindings can be re-opened)");
        }

        if (!await events.ClaimAsync(r.RedemptionId, "extend", r.BindingRound, ctx.Principal.Address, ctx.Aborted))
        {
            return Problems.Conflict("本轮已延期 (Already extended for this round)");
        }

        await events.RaiseAsync(r.RedemptionId, new RedemptionEvent(RedemptionEvent.ExtendBinding, r.BindingRound, true, null, ctx.Principal.Address), ctx.Durable, ctx.Aborted);
        return Results.Json(new { redemptionId = r.RedemptionId, accepted = true }, JsonBody.Response, statusCode: StatusCodes.Status202Accepted);
    }

    /// <summary>The signed-in institution confirms or disputes from its own list (the link does the same).</summary>
    public async Task<IResult> BindAsync(RequestContext ctx)
    {
        var (body, error) = await JsonBody.ReadAsync<BindingDecisionRequest>(ctx.Request, ctx.Aborted);
        if (error is not null)
        {
            return error;
        }

        var errors = new List<FieldError>();
        if (body!.Round is null or < 1)
        {
            errors.Add(new FieldError("round", "必填：当前确认轮次 (Required: the binding round)"));
        }

        if (body.Confirm is null)
        {
            errors.Add(new FieldError("confirm", "必填：true 确认，false 异议 (Required: true or false)"));
        }

        var reason = body.Reason?.Trim();
        if (body.Confirm == false && string.IsNullOrEmpty(reason))
        {
            errors.Add(new FieldError("reason", "提出异议须填写理由 (A reason is required to dispute)"));
        }

        if (reason is { Length: > 500 })
        {
            errors.Add(new FieldError("reason", "理由不能超过 500 字 (At most 500 characters)"));
        }

        if (errors.Count > 0)
        {
            return Problems.Validation(errors);
        }

        var r = await redemptions.GetAsync(ctx.RouteValue("id"), ctx.Aborted);
        if (r is null)
        {
            return Problems.NotFound($"兑付申请 {ctx.RouteValue("id")} 不存在 (Redemption not found)");
        }

        if (ctx.Principal!.Role != Role.Institution || ctx.Principal.Scope != r.InstitutionId)
        {
            return Problems.Forbidden("只有被选择的服务机构可以确认 (Only the institution named in the redemption binds it)");
        }

        return await events.BindAsync(r, body.Round!.Value, body.Confirm!.Value, reason, ctx.Principal.Actor, ctx.Durable, ctx.Aborted) switch
        {
            BindingOutcome.Accepted => Results.Json(new { redemptionId = r.RedemptionId, accepted = true }, JsonBody.Response, statusCode: StatusCodes.Status202Accepted),
            BindingOutcome.AlreadyDone => Problems.Conflict("本轮已确认或已提出异议 (Already answered for this round)"),
            _ => Problems.Conflict("当前不在等待机构确认（可能已逾期）(Not awaiting binding in this round; it may be overdue)"),
        };
    }
}
