using Microsoft.Azure.Functions.Worker;
using Voucher.Workflows.Hosting;
using Voucher.Workflows.Notifications;

namespace Voucher.Functions.Timers;

/// <summary>Delivers notifications that were recorded but not delivered at once (the local host runs the same schedule).</summary>
public sealed class OutboxTimer(Outbox outbox)
{
    [Function("OutboxSweep")]
    public Task RunAsync([TimerTrigger(Schedules.OutboxSweepSetting)] TimerInfo timer, CancellationToken ct) => outbox.SweepAsync(ct);
}
