using Voucher.Workflows.Configuration;
using Voucher.Workflows.Notifications;

namespace Voucher.LocalHost.Hosting;

/// <summary>The local twin of the Functions app's outbox timer (setting Voucher__OutboxSchedule).</summary>
public sealed class OutboxSweepService(
    Outbox outbox,
    Workflows.Redemptions.PendingRedemptionEvents pendingEvents,
    Microsoft.DurableTask.Client.DurableTaskClient durable,
    VoucherSettings settings,
    TimeProvider time,
    ILogger<OutboxSweepService> log)
    : CronService(settings.OutboxSchedule, time, log)
{
    protected override async Task RunOnceAsync(CancellationToken ct)
    {
        await outbox.SweepAsync(ct);
        await pendingEvents.RedeliverAsync(durable, ct);
    }
}

/// <summary>The local twin of the Functions app's settlement timer (setting Voucher__SettlementSchedule).</summary>
public sealed class SettlementTimerService(Workflows.Settlement.SettlementScheduler scheduler, Microsoft.DurableTask.Client.DurableTaskClient durable, VoucherSettings settings, TimeProvider time, ILogger<SettlementTimerService> log)
    : CronService(settings.SettlementSchedule, time, log)
{
    protected override Task RunOnceAsync(CancellationToken ct) => scheduler.RunScheduledAsync(durable, ct);
}
