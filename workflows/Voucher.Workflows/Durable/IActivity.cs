namespace Voucher.Workflows.Durable;

/// <summary>
/// An activity's logic, host-neutral: the Functions app wraps it in an <c>[ActivityTrigger]</c> function, the
/// local host in a <c>TaskActivity</c>. Activities may run more than once: each must be idempotent.
/// </summary>
public interface IActivity<TInput, TOutput>
{
    Task<TOutput> RunAsync(TInput input, CancellationToken ct = default);
}
