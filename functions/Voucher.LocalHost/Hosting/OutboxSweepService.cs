using Voucher.Workflows.Configuration;

namespace Voucher.LocalHost.Hosting;

/// <summary>The local twin of the Functions app's outbox timer (setting Voucher__OutboxSchedule): the same <see cref="Workflows.Hosting.OutboxSweep"/>.</summary>
public sealed class OutboxSweepService(
    Workflows.Hosting.OutboxSweep sweep,
    Microsoft.DurableTask.Client.DurableTaskClient durable,
    VoucherSettings settings,
    TimeProvider time,
    ILogger<OutboxSweepService> log)
    : CronService(settings.OutboxSchedule, time, log)
{
    protected override Task RunOnceAsync(CancellationToken ct) => sweep.RunAsync(durable, ct);
}

/// <summary>The local twin of the Functions app's settlement timer (setting Voucher__SettlementSchedule).</summary>
public sealed class SettlementTimerService(Workflows.Settlement.SettlementScheduler scheduler, Microsoft.DurableTask.Client.DurableTaskClient durable, VoucherSettings settings, TimeProvider time, ILogger<SettlementTimerService> log)
    : CronService(settings.SettlementSchedule, time, log)
{
    protected override Task RunOnceAsync(CancellationToken ct) => scheduler.RunScheduledAsync(durable, ct);
}

/// <summary>The local twin of the Functions app's calendar check (setting Voucher__CalendarCheckSchedule), also run once at start.</summary>
public sealed class CalendarCheckService(Workflows.Policies.CalendarService calendars, Microsoft.DurableTask.Client.DurableTaskClient durable, VoucherSettings settings, TimeProvider time, ILogger<CalendarCheckService> log)
    : CronService(settings.CalendarCheckSchedule, time, log)
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        try
        {
            await RunOnceAsync(stoppingToken);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            // As for a timed run: logged, and the next occurrence runs again.
            log.LogWarning(e, "The calendar check at start failed; the daily check retries");
        }

        await base.ExecuteAsync(stoppingToken);
    }

    protected override Task RunOnceAsync(CancellationToken ct) => calendars.CheckAsync(durable, ct);
}
