using Microsoft.DurableTask;

namespace Voucher.Workflows.Settlement;

/// <summary>
/// How the settlement's activities are retried. Every one of them is idempotent (fixed keys, the orchestration's time),
/// so a transient storage failure (a timeout against a busy storage emulator, a throttled account) is retried with
/// back-off instead of failing a 10,000-item batch. A rule the activity refuses (<see cref="DomainException"/>) would
/// refuse again: it is not retried.
/// </summary>
public static class SettlementRetry
{
    public const int MaxAttempts = 6;

    public static TaskOptions Options { get; } = TaskOptions.FromRetryPolicy(new RetryPolicy(
        MaxAttempts, firstRetryInterval: TimeSpan.FromSeconds(5), backoffCoefficient: 2, maxRetryInterval: TimeSpan.FromMinutes(2))
    {
        HandleFailure = failure => failure.ErrorType != typeof(DomainException).FullName,
    });
}
