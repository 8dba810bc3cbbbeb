using Microsoft.Azure.Functions.Worker;
using Microsoft.DurableTask.Client;
using Voucher.Workflows.Durable;
using Voucher.Workflows.Hosting;
using Voucher.Workflows.Notifications;
using Voucher.Workflows.Redemptions;

namespace Voucher.Functions.Timers;

/// <summary>
/// Delivers notifications that were recorded but not delivered at once, starts orchestrations a dead host owed
/// (<see cref="PendingStarts"/>), and raises again redemption events not applied in time (the local host runs the same
/// schedule and the same three steps).
/// </summary>
public sealed class OutboxTimer(Outbox outbox, PendingStarts pendingStarts, PendingRedemptionEvents pendingEvents)
{
    [Function("OutboxSweep")]
    public async Task RunAsync([TimerTrigger(Schedules.OutboxSweepSetting)] TimerInfo timer, [DurableClient] DurableTaskClient durable, CancellationToken ct)
    {
        await outbox.SweepAsync(ct);
        await pendingStarts.HealAsync(durable, ct);
        await pendingEvents.RedeliverAsync(durable, ct);
    }
}
