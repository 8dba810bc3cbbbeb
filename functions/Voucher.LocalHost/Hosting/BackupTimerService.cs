using Voucher.Workflows.Backups;

namespace Voucher.LocalHost.Hosting;

/// <summary>The local twin of the Functions app's table backup timer (setting Voucher__BackupSchedule).</summary>
public sealed class BackupTimerService(DailyBackup backup, BackupOptions options, TimeProvider time, ILogger<BackupTimerService> log)
    : CronService(options.Schedule, time, log)
{
    protected override Task RunOnceAsync(CancellationToken ct) => backup.RunAsync(ct);
}
