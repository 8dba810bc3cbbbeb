using Microsoft.Azure.Functions.Worker;
using Microsoft.DurableTask.Client;
using Voucher.Workflows.Hosting;
using Voucher.Workflows.Settlement;

namespace Voucher.Functions.Timers;

/// <summary>Starts each city's settlement for the period its cadence says is due (deterministic instance ids: a second firing is a no-op).</summary>
public sealed class SettlementTimer(SettlementScheduler scheduler)
{
    [Function("SettlementTimer")]
    public Task RunAsync([TimerTrigger(Schedules.SettlementSetting)] TimerInfo timer, [DurableClient] DurableTaskClient durable, CancellationToken ct) =>
        scheduler.RunScheduledAsync(durable, ct);
}
