using System.Threading.RateLimiting;

namespace Voucher.Workflows.Http;

/// <summary>
/// Limits public forms (objections, registration, sign-in) per client address: a fixed window per minute. Per
/// instance: in Azure each instance keeps its own count, which bounds abuse without shared state.
/// </summary>
public sealed class PublicRateLimiter(Configuration.VoucherSettings settings) : IDisposable
{
    readonly PartitionedRateLimiter<string> limiter = PartitionedRateLimiter.Create<string, string>(key =>
        RateLimitPartition.GetFixedWindowLimiter(key, _ => new FixedWindowRateLimiterOptions
        {
            PermitLimit = settings.PublicRateLimitPerMinute,
            Window = TimeSpan.FromMinutes(1),
            QueueLimit = 0,
        }));

    public bool TryAcquire(HttpRequest request, string purpose)
    {
        // The rightmost entry is the one the platform's front end appended; entries to its left are the client's to invent.
        var client = request.Headers["X-Forwarded-For"].ToString().Split(',')[^1].Trim() is { Length: > 0 } forwarded
            ? forwarded
            : request.HttpContext.Connection.RemoteIpAddress?.ToString() ?? "unknown";
        using var lease = limiter.AttemptAcquire($"{purpose}|{client}");
        return lease.IsAcquired;
    }

    public static IResult TooMany() =>
        Results.Problem(title: "请求过于频繁，请稍后再试 (Too many requests; try again in a minute)", statusCode: StatusCodes.Status429TooManyRequests);

    public void Dispose() => limiter.Dispose();
}
