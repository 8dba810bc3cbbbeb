using System.Globalization;
using System.Security.Cryptography;

namespace Voucher.Testing;

/// <summary>
/// How a <see cref="LocalSite"/> runs its local host: the environment settings the tests vary (link key, rate limit,
/// settlement timing, evidence size, demo data) and how long start-up may take. Every other
/// setting is the product's default. Storage, task hub and public base URL come from the site itself.
/// </summary>
public sealed record LocalSiteSettings
{
    /// <summary>Prefix of the task hub name (a unique suffix is added).</summary>
    public string TaskHubPrefix { get; init; } = "site";

    /// <summary>The link-signing key (base64 of 32+ bytes); a fresh random key unless a test needs to know it.</summary>
    public string LinkSigningKey { get; init; } = NewLinkSigningKey();

    /// <summary>
    /// Requests per minute and client on the public forms. Every test signs in from 127.0.0.1, so the default keeps
    /// the limiter out of the way; the rate-limit tests set it low.
    /// </summary>
    public int PublicRateLimitPerMinute { get; init; } = 100_000;

    /// <summary>
    /// Networks of proxies whose X-Forwarded-For the host believes (<c>Voucher__ForwardedHeaders__KnownNetworks</c>); null:
    /// the product's default, none. A test that plays the platform's front end from 127.0.0.1 sets "127.0.0.1/32".
    /// </summary>
    public string? ForwardedHeadersKnownNetworks { get; init; }

    /// <summary>The outbox sweep: every 2 seconds, so notifications reach /dev/mailbox quickly.</summary>
    public string OutboxSchedule { get; init; } = "*/2 * * * * *";

    /// <summary>
    /// Settle "now" (the current period, cut when the host starts) with a one-minute publicity window, instead of
    /// the product's period end and seven days.
    /// </summary>
    public bool SettleNow { get; init; }

    /// <summary>
    /// Moves the daily settlement timer (16:05 UTC by default, which would settle every city on its own) to
    /// 1 January, so only the tests start settlements.
    /// </summary>
    public bool OnlyTestsSettle { get; init; }

    /// <summary>The largest evidence file accepted; the product's default when null.</summary>
    public int? MaxEvidenceBytes { get; init; }

    /// <summary>Writes what the local host's <c>--demo</c> seeds (institutions, services, city policies, demo enterprises) once the host is up.</summary>
    public bool SeedDemoData { get; init; }

    /// <summary>How long the host may take to answer /healthz.</summary>
    public TimeSpan StartTimeout { get; init; } = TimeSpan.FromSeconds(90);

    /// <summary>A fresh random link-signing key (base64 of 32 bytes).</summary>
    public static string NewLinkSigningKey() => Convert.ToBase64String(RandomNumberGenerator.GetBytes(32));

    /// <summary>The environment of one host process: explicit storage (no embedded Azurite), its task hub, links pointing at itself.</summary>
    public Dictionary<string, string> Environment(string storageConnectionString, string taskHub, int port)
    {
        var env = new Dictionary<string, string>
        {
            ["VoucherStorage"] = storageConnectionString,
            ["DurableStorage"] = storageConnectionString,
            ["TaskHubName"] = taskHub,
            ["Voucher__PublicBaseUrl"] = BaseUrl(port),
            ["Voucher__LinkSigningKey"] = LinkSigningKey,
            ["Voucher__OutboxSchedule"] = OutboxSchedule,
            ["Voucher__PublicRateLimitPerMinute"] = PublicRateLimitPerMinute.ToString(CultureInfo.InvariantCulture),
        };
        if (SettleNow)
        {
            env["Voucher__SettlementCutoff"] = "now";
            env["Voucher__PublicityWindowMinutes"] = "1";
        }

        if (OnlyTestsSettle)
        {
            env["Voucher__SettlementSchedule"] = "0 0 0 1 1 *";
        }

        if (ForwardedHeadersKnownNetworks is { } networks)
        {
            env["Voucher__ForwardedHeaders__KnownNetworks"] = networks;
        }

        if (MaxEvidenceBytes is { } max)
        {
            env["Voucher__MaxEvidenceBytes"] = max.ToString(CultureInfo.InvariantCulture);
        }

        return env;
    }

    /// <summary>http://127.0.0.1:{port} — no trailing slash, as the product's public base URL.</summary>
    public static string BaseUrl(int port) => "http://127.0.0.1:" + port.ToString(CultureInfo.InvariantCulture);
}
