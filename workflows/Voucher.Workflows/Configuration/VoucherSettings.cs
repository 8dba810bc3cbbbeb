using Microsoft.Extensions.Configuration;

namespace Voucher.Workflows.Configuration;

/// <summary>Typed view of the settings in <see cref="SettingNames"/>.</summary>
public sealed class VoucherSettings
{
    public required string PublicBaseUrl { get; init; }

    public required string OutboxSchedule { get; init; }

    public required string TaskHubName { get; init; }

    public string SettlementSchedule { get; init; } = "0 5 16 * * *";

    public bool SettlementCutoffNow { get; init; }

    public int PublicityWindowMinutes { get; init; }

    public int PublicRateLimitPerMinute { get; init; } = 30;

    /// <summary>MM-dd from which next year's missing holiday arrangement is reported.</summary>
    public string CalendarNoticeFrom { get; init; } = "11-01";

    public string CalendarCheckSchedule { get; init; } = "0 0 1 * * *";

    /// <summary>Largest evidence file accepted, in bytes (default 20 MB).</summary>
    public long MaxEvidenceBytes { get; init; } = Voucher.Domain.EvidenceRules.DefaultMaxBytes;

    /// <summary>Optional: the help-desk telephone shown in the footer and on the home page (咨询电话); empty: not shown.</summary>
    public const string HelpDeskPhoneSetting = "Voucher__HelpDeskPhone";

    /// <summary>Optional: the notification channels, comma-separated (default <c>inbox</c>, the only built-in one).</summary>
    public const string NotificationChannelsSetting = "Voucher__Notifications__Channels";

    public string HelpDeskPhone { get; init; } = "";

    /// <summary>The notification channels by name, in order (<see cref="Notifications.NotificationChannels"/>).</summary>
    public IReadOnlyList<string> NotificationChannels { get; init; } = [Notifications.InboxChannel.ChannelName];

    /// <summary>Reads an environment-style name (<c>A__B</c>) through .NET configuration (<c>A:B</c>).</summary>
    public static string? Read(IConfiguration configuration, string settingName) =>
        configuration[settingName.Replace("__", ":", StringComparison.Ordinal)] ?? configuration[settingName];

    public static VoucherSettings FromConfiguration(IConfiguration configuration) => new()
    {
        PublicBaseUrl = (Read(configuration, SettingNames.PublicBaseUrl) ?? "http://localhost:7071").TrimEnd('/'),
        OutboxSchedule = Read(configuration, SettingNames.OutboxSchedule) ?? "*/30 * * * * *",
        TaskHubName = Read(configuration, SettingNames.TaskHubName) ?? "voucherlocal",
        SettlementSchedule = Read(configuration, SettingNames.SettlementSchedule) ?? "0 5 16 * * *",
        SettlementCutoffNow = string.Equals(Read(configuration, SettingNames.SettlementCutoff), "now", StringComparison.OrdinalIgnoreCase),
        PublicityWindowMinutes = int.TryParse(Read(configuration, SettingNames.PublicityWindowMinutes), out var minutes) && minutes > 0 ? minutes : 0,
        CalendarNoticeFrom = Read(configuration, SettingNames.CalendarNoticeFrom) is { Length: 5 } from ? from : "11-01",
        CalendarCheckSchedule = Read(configuration, SettingNames.CalendarCheckSchedule) is { Length: > 0 } check ? check : "0 0 1 * * *",
        PublicRateLimitPerMinute = int.TryParse(Read(configuration, SettingNames.PublicRateLimitPerMinute), out var perMinute) && perMinute > 0 ? perMinute : 30,
        HelpDeskPhone = Read(configuration, HelpDeskPhoneSetting)?.Trim() ?? "",
        NotificationChannels = Notifications.NotificationChannels.ParseNames(Read(configuration, NotificationChannelsSetting)),
        MaxEvidenceBytes = long.TryParse(Read(configuration, SettingNames.MaxEvidenceBytes), out var max) && max > 0 ? max : Voucher.Domain.EvidenceRules.DefaultMaxBytes,
    };
}
