namespace Voucher.Workflows.Hosting;

/// <summary>Timer-driven work. The Functions app binds these settings in its timer triggers; the local host runs the same CRON expressions.</summary>
public static class Schedules
{
    /// <summary>The outbox sweep's schedule comes from this setting (six-field CRON, seconds first).</summary>
    public const string OutboxSweepSetting = "%Voucher__OutboxSchedule%";

    /// <summary>The settlement timer's schedule setting.</summary>
    public const string SettlementSetting = "%Voucher__SettlementSchedule%";

    /// <summary>The daily calendar check's schedule setting.</summary>
    public const string CalendarCheckSetting = "%Voucher__CalendarCheckSchedule%";

    /// <summary>The daily retention run's schedule setting.</summary>
    public const string RetentionSetting = "%Voucher__RetentionSchedule%";
    /// <summary>The daily table export's schedule setting (<see cref="Backups.DailyBackup"/>).</summary>
    public const string BackupSetting = "%Voucher__BackupSchedule%";
}
