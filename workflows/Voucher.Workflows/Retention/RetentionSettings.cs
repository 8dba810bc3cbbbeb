using Microsoft.Extensions.Configuration;
using Voucher.Workflows.Configuration;

namespace Voucher.Workflows.Retention;

/// <summary>
/// How long things are kept (settings <c>Voucher__Retention__*</c>) and when the daily retention run starts
/// (<c>Voucher__RetentionSchedule</c>).
/// </summary>
public sealed record RetentionSettings
{
    public const string DefaultSchedule = "0 30 18 * * *";

    public const int DefaultDurableHistoryDays = 90;

    public const int DefaultEvidenceYears = 10;

    /// <summary>Six-field CRON (UTC) of the daily run (default 18:30 UTC = 02:30 China time, a quiet hour).</summary>
    public string Schedule { get; init; } = DefaultSchedule;

    /// <summary>Completed, failed and terminated orchestrations (and their history) created longer ago than this are purged.</summary>
    public int DurableHistoryDays { get; init; } = DefaultDurableHistoryDays;

    /// <summary>Evidence of a paid redemption is kept this many years after the payment, then deleted (the deletion audited).</summary>
    public int EvidenceYears { get; init; } = DefaultEvidenceYears;

    /// <summary>
    /// Catalogue change-log entries younger than this are kept. A search index reads the log only while it refreshes at least
    /// daily (<see cref="Marketplace.CatalogueIndex.ReloadAfterIdle"/>; one idle longer reloads the tables instead), so a
    /// week leaves ample margin; not a setting, since nothing is gained by changing it.
    /// </summary>
    public static readonly TimeSpan CatalogueChangesKept = TimeSpan.FromDays(7);

    public static RetentionSettings FromConfiguration(IConfiguration configuration) => new()
    {
        Schedule = VoucherSettings.Read(configuration, SettingNames.RetentionSchedule) is { Length: > 0 } s ? s : DefaultSchedule,
        DurableHistoryDays = int.TryParse(VoucherSettings.Read(configuration, SettingNames.RetentionDurableHistoryDays), NumberStyles.None, CultureInfo.InvariantCulture, out var days) && days >= 1
            ? days : DefaultDurableHistoryDays,
        EvidenceYears = int.TryParse(VoucherSettings.Read(configuration, SettingNames.RetentionEvidenceYears), NumberStyles.None, CultureInfo.InvariantCulture, out var years) && years >= 1
            ? years : DefaultEvidenceYears,
    };
}
