using System.Diagnostics;

namespace Voucher.LocalHost.Hosting;

/// <summary>
/// What this host instance's Durable worker has taken from the task hub: orchestration and activity work items, and when
/// the first orchestration work item came after the process started (after a restart, the first resumed orchestration).
/// Written to the console — <c>worker {id}: first orchestration work item {s} s after start</c> once, then
/// <c>worker {id}: {n} orchestration and {m} activity work items</c> every few seconds while the counts change — so an
/// operator (and the scale-out tests) can see which instances of a task hub do the work.
/// It also watches the orchestration work items in hand: an orchestrator episode takes milliseconds, so one locked and
/// neither completed nor abandoned after <see cref="HeldTooLong"/> means its instance is stuck in this process (the gRPC
/// sidecar waits for the worker's answer without a timeout), and every message for it stays invisible while it is held.
/// Each such item is written once: <c>worker {id}: the orchestration work item of {instance} has been held {s} s …</c>.
/// </summary>
public sealed class WorkerTally : IDisposable
{
    static readonly TimeSpan ReportEvery = TimeSpan.FromSeconds(3);

    /// <summary>How long an orchestration work item may stay in hand before it is reported as stuck.</summary>
    public static readonly TimeSpan HeldTooLong = TimeSpan.FromSeconds(60);

    readonly System.Collections.Concurrent.ConcurrentDictionary<object, Held> inHand = new(ReferenceEqualityComparer.Instance);

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

    /// <summary>An orchestration work item of <paramref name="instanceId"/> was locked; <paramref name="workItem"/> identifies it until <see cref="OrchestrationReleased"/>.</summary>
    public void OrchestrationLocked(object workItem, string instanceId)
    {
        inHand[workItem] = new Held(instanceId, Stopwatch.GetTimestamp());
        Interlocked.Increment(ref orchestrations);
        if (Interlocked.Exchange(ref firstSeen, 1) == 0)
        {
            var sinceStart = DateTime.Now - Process.GetCurrentProcess().StartTime;
            Console.WriteLine($"worker {WorkerId}: first orchestration work item {sinceStart.TotalSeconds:0.0} s after start");
        }
    }

    /// <summary>The work item is out of hand (released after completion, or abandoned).</summary>
    public void OrchestrationReleased(object workItem) => inHand.TryRemove(workItem, out _);

    /// <summary>The instances whose orchestration work items have been in hand longer than <paramref name="limit"/>, with how long.</summary>
    public IReadOnlyList<(string InstanceId, TimeSpan Held)> HeldLongerThan(TimeSpan limit) =>
        inHand.Values.Select(h => (h.InstanceId, Held: Stopwatch.GetElapsedTime(h.Since))).Where(h => h.Held > limit).ToList();

    public void ActivityLocked() => Interlocked.Increment(ref activities);

    void Report()
    {
        foreach (var (item, held) in inHand)
        {
            var elapsed = Stopwatch.GetElapsedTime(held.Since);
            if (!held.Reported && elapsed > HeldTooLong && inHand.TryUpdate(item, held with { Reported = true }, held))
            {
                Console.WriteLine($"worker {WorkerId}: the orchestration work item of {held.InstanceId} has been held {elapsed.TotalSeconds:0} s without an answer from the worker; its messages stay invisible until it is released");
            }
        }

        var (o, a) = (Orchestrations, Activities);
        if (Interlocked.Exchange(ref reported, o + a) != o + a)
        {
            Console.WriteLine($"worker {WorkerId}: {o} orchestration and {a} activity work items");
        }
    }

    public void Dispose() => timer.Dispose();

    readonly record struct Held(string InstanceId, long Since, bool Reported = false);
}
