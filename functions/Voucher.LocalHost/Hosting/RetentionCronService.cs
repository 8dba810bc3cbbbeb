using Voucher.Workflows.Retention;

namespace Voucher.LocalHost.Hosting;

/// <summary>The local twin of the Functions app's retention timer (setting Voucher__RetentionSchedule).</summary>
public sealed class RetentionCronService(RetentionRun retention, Microsoft.DurableTask.Client.DurableTaskClient durable, RetentionSettings settings, TimeProvider time, ILogger<RetentionCronService> log)
    : CronService(settings.Schedule, time, log)
{
    protected override Task RunOnceAsync(CancellationToken ct) => retention.RunAsync(durable, ct);
}
