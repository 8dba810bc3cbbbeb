namespace Voucher.Workflows.Settlement;

/// <summary>
/// The finance bureau's pre-payment API (事前兑付): the approved advances of its city not yet paid, and confirming that
/// one was paid — JSON in, <see cref="PaymentService"/>, ProblemDetails or JSON out.
/// </summary>
public sealed class AdvanceApi(PaymentService payments)
{
    public async Task<IResult> ListDueAsync(RequestContext ctx)
    {
        var outcome = await payments.AdvancesDueAsync(ctx.Principal!, ctx.Aborted);
        return outcome.Failure is { } failure ? Problems.For(failure) : Results.Json(outcome.Value, JsonBody.Response);
    }

    public async Task<IResult> ConfirmAsync(RequestContext ctx)
    {
        var (body, error) = await JsonBody.ReadAsync<ConfirmPaymentRequest>(ctx.Request, ctx.Aborted);
        if (error is not null)
        {
            return error;
        }

        var outcome = await payments.ConfirmAdvanceAsync(ctx.Principal!, new ConfirmPayment(ctx.RouteValue("id"), body!.Reference, body.PaidOn), ctx.Aborted);
        return outcome.Failure is { } failure
            ? Problems.For(failure)
            : Results.Json(new { redemptionId = outcome.Value.RedemptionId, advancePaid = Cny.FromFen(outcome.Value.PrepaidFen) }, JsonBody.Response);
    }
}
