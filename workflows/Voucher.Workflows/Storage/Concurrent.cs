namespace Voucher.Workflows.Storage;

/// <summary>Independent storage reads started together, so a request pays one round trip of latency for all of them.</summary>
public static class Concurrent
{
    /// <summary>
    /// Waits for every task, failed or not: the caller then looks at each answer in the order of its rules, and each
    /// one's failure is seen where its result is awaited. No read outlives the request that started it.
    /// </summary>
    public static Task AllSettledAsync(params Task[] tasks) =>
        Task.WhenAll(tasks).ContinueWith(static _ => { }, CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
}
