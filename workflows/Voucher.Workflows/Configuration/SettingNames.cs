namespace Voucher.Workflows.Configuration;

/// <summary>
/// Every setting the application reads, in one place. The infrastructure tests check that each one
/// is present in local.settings.sample.json and in the Bicep app settings.
/// Connection names are prefixes: in Azure they are identity-based (<c>Name__accountName</c>,
/// <c>Name__credential</c>, <c>Name__clientId</c>); locally they are connection strings.
/// </summary>
public static class SettingNames
{
    /// <summary>Storage connection of the Durable task hub (queues, history and instance tables).</summary>
    public const string DurableStorage = "DurableStorage";

    /// <summary>Storage connection for application data (tables) and evidence (blobs).</summary>
    public const string VoucherStorage = "VoucherStorage";

    /// <summary>Name of the Durable task hub; explicit per environment.</summary>
    public const string TaskHubName = "TaskHubName";

    /// <summary>Absolute base URL used to build links in notifications.</summary>
    public const string PublicBaseUrl = "Voucher__PublicBaseUrl";

    /// <summary>Base64 HMAC key that signs reviewer and institution links (Key Vault in Azure).</summary>
    public const string LinkSigningKey = "Voucher__LinkSigningKey";

    /// <summary>
    /// During a key rotation only: the previous link key(s), base64, comma-separated; they verify links and sign-in cookies
    /// signed before the rotation, never sign new ones (empty = none). Tokens name their key by id (<c>LinkKey.IdOf</c>).
    /// </summary>
    public const string LinkSigningKeyPrevious = "Voucher__LinkSigningKeyPrevious";

    /// <summary>Six-field CRON schedule of the outbox sweep (notifications not delivered at once).</summary>
    public const string OutboxSchedule = "Voucher__OutboxSchedule";

    /// <summary>Largest evidence file accepted, in bytes (default 20971520 = 20 MB).</summary>
    public const string MaxEvidenceBytes = "Voucher__MaxEvidenceBytes";

    /// <summary>Six-field CRON of the settlement timer (default daily at 00:05 China time = 16:05 UTC).</summary>
    public const string SettlementSchedule = "Voucher__SettlementSchedule";

    /// <summary>"period-end" (default: settle the last ended period at its end) or "now" (demos and tests: the current period, cut now).</summary>
    public const string SettlementCutoff = "Voucher__SettlementCutoff";

    /// <summary>Demos and tests only: publicity lasts this many minutes instead of the policy's working days (empty = off).</summary>
    public const string PublicityWindowMinutes = "Voucher__PublicityWindowMinutes";

    /// <summary>Requests per minute and client address on public forms: objections, registration, sign-in (default 30).</summary>
    public const string PublicRateLimitPerMinute = "Voucher__PublicRateLimitPerMinute";

    /// <summary>From this day of the year (MM-dd, default 11-01) a missing arrangement of next year's holidays is reported.</summary>
    public const string CalendarNoticeFrom = "Voucher__CalendarNoticeFrom";

    /// <summary>Six-field CRON (UTC) of the daily calendar check (default 01:00 UTC = 09:00 China time): warnings and re-plans.</summary>
    public const string CalendarCheckSchedule = "Voucher__CalendarCheckSchedule";

    /// <summary>Six-field CRON (UTC) of the daily table export (default 19:30 UTC = 03:30 China time), <see cref="Backups.DailyBackup"/>.</summary>
    public const string BackupSchedule = "Voucher__BackupSchedule";

    /// <summary>Days an export is kept before the daily run removes it (default 35); Bicep sets the backup container's immutability to the same days.</summary>
    public const string BackupRetentionDays = "Voucher__BackupRetentionDays";

    /// <summary>Where the local host sends its traces: empty (none), <c>console</c>, or <c>otlp</c> (OTEL_EXPORTER_OTLP_ENDPOINT). The Functions app exports to Azure Monitor.</summary>
    public const string TraceExporter = "Voucher__TraceExporter";

    /// <summary>
    /// The sign-in the deployment configured (written by Bicep together with <c>authsettingsV2</c>, e.g. <c>aad</c> or
    /// <c>oidc</c>); empty or missing means none, and the Functions app then trusts no principal header.
    /// The readiness endpoint reports it. (Issue #22: the trust rule and Bicep use this one name.)
    /// </summary>
    public const string SignInProvider = "Voucher__SignInProvider";

    /// <summary>Six-field CRON (UTC) of the daily retention run (default 18:30 UTC = 02:30 China time).</summary>
    public const string RetentionSchedule = "Voucher__RetentionSchedule";

    /// <summary>Finished Durable instances and their history are purged this many days after they were created (default 90).</summary>
    public const string RetentionDurableHistoryDays = "Voucher__Retention__DurableHistoryDays";

    /// <summary>A paid redemption's evidence is kept this many years after the payment, then deleted (default 10).</summary>
    public const string RetentionEvidenceYears = "Voucher__Retention__EvidenceYears";

    /// <summary>
    /// Networks (CIDR list, comma-separated) of the proxies whose <c>X-Forwarded-For</c> is believed when they are the
    /// direct peer (<see cref="Http.ClientAddress"/>). Empty (default): none, the peer is the client. Azure: empty too (the
    /// Functions worker already applies its host's header); list a Front Door or gateway's networks only when one is in front.
    /// </summary>
    public const string ForwardedHeadersKnownNetworks = "Voucher__ForwardedHeaders__KnownNetworks";

    /// <summary>Every setting above, for consistency tests.</summary>
    public static IReadOnlyList<string> All { get; } =
        [DurableStorage, VoucherStorage, TaskHubName, PublicBaseUrl, LinkSigningKey, LinkSigningKeyPrevious, OutboxSchedule, MaxEvidenceBytes, SettlementSchedule, SettlementCutoff, PublicityWindowMinutes, PublicRateLimitPerMinute,
         CalendarNoticeFrom, CalendarCheckSchedule, TraceExporter, SignInProvider, RetentionSchedule, RetentionDurableHistoryDays, RetentionEvidenceYears, ForwardedHeadersKnownNetworks, BackupSchedule, BackupRetentionDays];
}
