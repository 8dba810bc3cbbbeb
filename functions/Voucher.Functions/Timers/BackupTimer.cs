using Microsoft.Azure.Functions.Worker;
using Voucher.Workflows.Backups;
using Voucher.Workflows.Hosting;

namespace Voucher.Functions.Timers;

/// <summary>
/// Daily: exports the application's tables to the immutable backup container (one complete export a day; a retried firing
/// is a no-op) and removes exports older than the retention (the local host runs the same schedule).
/// </summary>
public sealed class BackupTimer(DailyBackup backup)
{
    [Function("TableBackup")]
    public Task RunAsync([TimerTrigger(Schedules.BackupSetting)] TimerInfo timer, CancellationToken ct) => backup.RunAsync(ct);
}
