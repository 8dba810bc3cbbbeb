using Microsoft.Azure.Functions.Worker;
using Microsoft.DurableTask.Client;
using Voucher.Workflows.Hosting;
using Voucher.Workflows.Retention;

namespace Voucher.Functions.Timers;

/// <summary>
/// Daily: purges finished Durable instances past their age, trims the catalogue change log and deletes evidence past its
/// years after payment (<see cref="RetentionRun"/>; the local host runs the same schedule).
/// </summary>
public sealed class RetentionTimer(RetentionRun retention)
{
    [Function("Retention")]
    public Task RunAsync([TimerTrigger(Schedules.RetentionSetting)] TimerInfo timer, [DurableClient] DurableTaskClient durable, CancellationToken ct) =>
        retention.RunAsync(durable, ct);
}
