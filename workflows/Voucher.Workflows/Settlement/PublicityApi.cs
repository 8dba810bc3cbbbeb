namespace Voucher.Workflows.Settlement;

public sealed record ObjectionRequest(string? Contact, string? Grounds);

public sealed record ResolveObjectionRequest(bool? Uphold, string? Reason);

/// <summary>
/// The publicity API: the public list (no personal data), an objection (rate-limited per client) and the bureau's
/// resolution — JSON in, <see cref="PublicityService"/>, ProblemDetails or JSON out.
/// </summary>
public sealed class PublicityApi(PublicityService publicity, PublicRateLimiter limiter)
{
    /// <summary>The rate limiter's bucket shared by the objection API and the public page's form.</summary>
    public const string ObjectionLimit = "objection";

    public async Task<IResult> ListAsync(RequestContext ctx) => Results.Json(await publicity.ListAsync(ctx.Aborted), JsonBody.Response);

    public async Task<IResult> ObjectAsync(RequestContext ctx)
    {
        if (!limiter.TryAcquire(ctx.Request, ObjectionLimit))
        {
            return PublicRateLimiter.TooMany();
        }

        var (body, error) = await JsonBody.ReadAsync<ObjectionRequest>(ctx.Request, ctx.Aborted);
        if (error is not null)
        {
            return error;
        }

        var outcome = await publicity.FileObjectionAsync(new FileObjection(ctx.RouteValue("redemptionId"), body!.Contact, body.Grounds), ctx.Aborted);
        return outcome.Failure is { } failure
            ? Problems.For(failure)
            : Results.Json(new { redemptionId = outcome.Value.RedemptionId, received = true, receiptNo = outcome.Value.ReceiptNo }, JsonBody.Response, statusCode: StatusCodes.Status201Created);
    }

    public async Task<IResult> ResolveAsync(RequestContext ctx)
    {
        var (body, error) = await JsonBody.ReadAsync<ResolveObjectionRequest>(ctx.Request, ctx.Aborted);
        if (error is not null)
        {
            return error;
        }

        var outcome = await publicity.ResolveObjectionAsync(ctx.Principal!, new ResolveObjection(ctx.RouteValue("redemptionId"), body!.Uphold, body.Reason), ctx.Durable, ctx.Aborted);
        return outcome.Failure is { } failure
            ? Problems.For(failure)
            : Results.Json(new { redemptionId = outcome.Value.RedemptionId, status = outcome.Value.Status }, JsonBody.Response);
    }
}
