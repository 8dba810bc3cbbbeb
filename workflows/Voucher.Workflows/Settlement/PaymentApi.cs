namespace Voucher.Workflows.Settlement;

public sealed record ConfirmPaymentRequest(string? Reference, string? PaidOn);

/// <summary>A payment confirmed (202): the redemption's workflow records it.</summary>
public sealed record PaymentConfirmed(string RedemptionId, bool Paid);

/// <summary>
/// The finance bureau's payment API: what is payable in its city, and confirming each payment once — JSON in,
/// <see cref="PaymentService"/>, ProblemDetails or JSON out.
/// </summary>
public sealed class PaymentApi(PaymentService payments)
{
    /// <summary>The payables of the caller's city; <c>?batch=</c> and <c>?institution=</c> (the institution's name) narrow them.</summary>
    public async Task<IResult> PayablesAsync(RequestContext ctx)
    {
        var outcome = await payments.PayablesAsync(ctx.Principal!, ctx.Aborted);
        if (outcome.Failure is { } failure)
        {
            return Problems.For(failure);
        }

        var batch = ctx.Request.Query["batch"].ToString().Trim();
        var institution = ctx.Request.Query["institution"].ToString().Trim();
        return Results.Json(
            outcome.Value.Where(p => (batch.Length == 0 || p.BatchId == batch) && (institution.Length == 0 || p.InstitutionName == institution)).ToList(),
            JsonBody.Response);
    }

    /// <summary>
    /// Confirms many payments with one bank reference and day (<see cref="PaymentService.ConfirmManyAsync"/>): what was
    /// paid now, what was paid before, what waits for a bank account, what was refused.
    /// </summary>
    public async Task<IResult> ConfirmManyAsync(RequestContext ctx)
    {
        var (body, error) = await JsonBody.ReadAsync<ConfirmPayments>(ctx.Request, ctx.Aborted);
        if (error is not null)
        {
            return error;
        }

        var outcome = await payments.ConfirmManyAsync(ctx.Principal!, body!, ctx.Durable, ctx.Aborted);
        return outcome.Failure is { } failure ? Problems.For(failure) : Results.Json(outcome.Value, JsonBody.Response);
    }

    public async Task<IResult> ConfirmAsync(RequestContext ctx)
    {
        var (body, error) = await JsonBody.ReadAsync<ConfirmPaymentRequest>(ctx.Request, ctx.Aborted);
        if (error is not null)
        {
            return error;
        }

        var outcome = await payments.ConfirmPaymentAsync(ctx.Principal!, new ConfirmPayment(ctx.RouteValue("id"), body!.Reference, body.PaidOn), ctx.Durable, ctx.Aborted);
        return outcome.Failure is { } failure
            ? Problems.For(failure)
            : Results.Json(new PaymentConfirmed(outcome.Value.RedemptionId, true), JsonBody.Response, statusCode: StatusCodes.Status202Accepted);
    }
}
