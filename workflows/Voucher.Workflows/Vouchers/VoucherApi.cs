namespace Voucher.Workflows.Vouchers;

/// <summary><c>GET /api/vouchers/{id}</c> over <see cref="VoucherService"/>.</summary>
public sealed class VoucherApi(VoucherService vouchers)
{
    public async Task<IResult> GetAsync(RequestContext ctx)
    {
        var outcome = await vouchers.ViewAsync(ctx.Principal!, ctx.RouteValue("id"), ctx.Aborted);
        return outcome.Failure is { } failure ? Problems.For(failure) : Results.Json(outcome.Value, JsonBody.Response);
    }
}
