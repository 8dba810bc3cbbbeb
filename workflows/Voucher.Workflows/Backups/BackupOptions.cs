using Microsoft.Extensions.Configuration;
using Voucher.Workflows.Configuration;

namespace Voucher.Workflows.Backups;

/// <summary>The backups' settings (<see cref="SettingNames.BackupSchedule"/>, <see cref="SettingNames.BackupRetentionDays"/>).</summary>
public sealed record BackupOptions(string Schedule, int RetentionDays)
{
    public const string DefaultSchedule = "0 30 19 * * *";

    public const int DefaultRetentionDays = 35;

    public static BackupOptions FromConfiguration(IConfiguration configuration) => new(
        VoucherSettings.Read(configuration, SettingNames.BackupSchedule) is { Length: > 0 } schedule ? schedule : DefaultSchedule,
        int.TryParse(VoucherSettings.Read(configuration, SettingNames.BackupRetentionDays), NumberStyles.None, CultureInfo.InvariantCulture, out var days) && days >= 1
            ? days
            : DefaultRetentionDays);
}
