using System.Diagnostics;

namespace Voucher.Testing;

/// <summary>Polling helpers for conditions that become true asynchronously (orchestrations, queues, processes).</summary>
public static class Eventually
{
    /// <summary>How often conditions are evaluated.</summary>
    public static readonly TimeSpan PollInterval = TimeSpan.FromMilliseconds(250);

    /// <summary>
    /// Evaluates <paramref name="condition"/> every 250 ms until it returns true. An exception thrown by the condition
    /// counts as "not yet" and is reported as the inner exception if the time runs out.
    /// </summary>
    /// <exception cref="TimeoutException">The condition was not true within <paramref name="timeout"/>; the message starts with <paramref name="because"/>.</exception>
    public static async Task UntilAsync(Func<Task<bool>> condition, TimeSpan timeout, string because)
    {
        ArgumentNullException.ThrowIfNull(condition);
        await UntilAsync(condition, static ok => ok, timeout, because).ConfigureAwait(false);
    }

    /// <summary>
    /// Evaluates <paramref name="probe"/> every 250 ms until <paramref name="accept"/> holds for its result, and returns
    /// that result (e.g. wait for an orchestration status and get the metadata).
    /// </summary>
    /// <exception cref="TimeoutException">No accepted value within <paramref name="timeout"/>; the message includes the last value seen.</exception>
    public static async Task<T> UntilAsync<T>(Func<Task<T>> probe, Func<T, bool> accept, TimeSpan timeout, string because)
    {
        ArgumentNullException.ThrowIfNull(probe);
        ArgumentNullException.ThrowIfNull(accept);
        var watch = Stopwatch.StartNew();
        Exception? lastError = null;
        var attempts = 0;
        var hasValue = false;
        T? lastValue = default;
        while (true)
        {
            attempts++;
            try
            {
                var value = await probe().ConfigureAwait(false);
                lastValue = value;
                hasValue = true;
                lastError = null;
                if (accept(value))
                {
                    return value;
                }
            }
            catch (Exception e) when (e is not OutOfMemoryException)
            {
                lastError = e;
            }

            if (watch.Elapsed >= timeout)
            {
                var last = lastError is not null
                    ? $"last attempt threw {lastError.GetType().Name}: {lastError.Message}"
                    : hasValue && typeof(T) != typeof(bool) ? $"last value: {lastValue}" : "the condition stayed false";
                throw new TimeoutException(
                    $"{because} — not satisfied within {timeout.TotalSeconds:0.#} s ({attempts} attempts; {last}).", lastError);
            }

            var remaining = timeout - watch.Elapsed;
            await Task.Delay(remaining < PollInterval ? remaining : PollInterval).ConfigureAwait(false);
        }
    }
}
