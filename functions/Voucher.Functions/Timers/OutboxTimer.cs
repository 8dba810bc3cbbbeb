using Microsoft.Azure.Functions.Worker;
using Microsoft.DurableTask.Client;
using Voucher.Workflows.Hosting;
using Voucher.Workflows.Notifications;
using Voucher.Workflows.Redemptions;

namespace Voucher.Functions.Timers;

/// <summary>
/// Delivers notifications that were recorded but not delivered at once, and raises again redemption events not applied
/// in time (the local host runs the same schedule).
/// </summary>
public sealed class OutboxTimer(Outbox outbox, PendingRedemptionEvents pendingEvents)
{
    [Function("OutboxSweep")]
    public async Task RunAsync([TimerTrigger(Schedules.OutboxSweepSetting)] TimerInfo timer, [DurableClient] DurableTaskClient durable, CancellationToken ct)
    {
        await outbox.SweepAsync(ct);
        await pendingEvents.RedeliverAsync(durable, ct);
    }
}
