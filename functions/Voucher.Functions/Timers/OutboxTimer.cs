using Microsoft.Azure.Functions.Worker;
using Microsoft.DurableTask.Client;
using Voucher.Workflows.Hosting;

namespace Voucher.Functions.Timers;

/// <summary>
/// Delivers notifications not delivered at once, starts orchestrations a dead host owed, and raises again redemption
/// events not applied in time: the shared <see cref="OutboxSweep"/> (the local host runs the same on the same schedule).
/// </summary>
public sealed class OutboxTimer(OutboxSweep sweep)
{
    [Function("OutboxSweep")]
    public Task RunAsync([TimerTrigger(Schedules.OutboxSweepSetting)] TimerInfo timer, [DurableClient] DurableTaskClient durable, CancellationToken ct) =>
        sweep.RunAsync(durable, ct);
}
