using System.Threading.RateLimiting;

namespace Voucher.Workflows.Http;

/// <summary>
/// Limits public forms (objections, registration, sign-in) per client address: a fixed window per minute. Per
/// instance: in Azure each instance keeps its own count, which bounds abuse without shared state. The client is the
/// one <see cref="ClientAddress"/> decides (a header the client wrote is never a new client).
/// </summary>
public sealed class PublicRateLimiter(Configuration.VoucherSettings settings, ClientAddress clients) : IDisposable
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
        using var lease = limiter.AttemptAcquire($"{purpose}|{clients.Of(request)}");
        return lease.IsAcquired;
    }

    public static IResult TooMany() =>
        Results.Problem(title: "请求过于频繁，请稍后再试 (Too many requests; try again in a minute)", statusCode: StatusCodes.Status429TooManyRequests);

    public void Dispose() => limiter.Dispose();
}
