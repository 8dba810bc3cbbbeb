using System.Diagnostics;

namespace Voucher.LocalHost.Hosting;

/// <summary>
/// What this host instance's Durable worker has taken from the task hub: orchestration and activity work items, and when
/// the first orchestration work item came after the process started (after a restart, the first resumed orchestration).
/// Written to the console — <c>worker {id}: first orchestration work item {s} s after start</c> once, then
/// <c>worker {id}: {n} orchestration and {m} activity work items</c> every few seconds while the counts change — so an
/// operator (and the scale-out tests) can see which instances of a task hub do the work.
/// </summary>
public sealed class WorkerTally : IDisposable
{
    static readonly TimeSpan ReportEvery = TimeSpan.FromSeconds(3);

    readonly Timer timer;
    long orchestrations;
    long activities;
    long reported = -1;
    int firstSeen;

    public WorkerTally(string workerId)
    {
        WorkerId = workerId;
        timer = new Timer(_ => Report(), null, ReportEvery, ReportEvery);
    }

    public string WorkerId { get; }

    public long Orchestrations => Interlocked.Read(ref orchestrations);

    public long Activities => Interlocked.Read(ref activities);

    public void OrchestrationLocked()
    {
        Interlocked.Increment(ref orchestrations);
        if (Interlocked.Exchange(ref firstSeen, 1) == 0)
        {
            var sinceStart = DateTime.Now - Process.GetCurrentProcess().StartTime;
            Console.WriteLine($"worker {WorkerId}: first orchestration work item {sinceStart.TotalSeconds:0.0} s after start");
        }
    }

    public void ActivityLocked() => Interlocked.Increment(ref activities);

    void Report()
    {
        var (o, a) = (Orchestrations, Activities);
        if (Interlocked.Exchange(ref reported, o + a) != o + a)
        {
            Console.WriteLine($"worker {WorkerId}: {o} orchestration and {a} activity work items");
        }
    }

    public void Dispose() => timer.Dispose();
}
