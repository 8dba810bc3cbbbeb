using System.Globalization;
using Voucher.Testing;

namespace Voucher.EndToEnd.Tests.Support;

/// <summary>The environment a local host process runs with in these tests.</summary>
public static class HostSettings
{
    /// <summary>Any 32+ bytes; the same key in every process so links and cookies survive a restart.</summary>
    public static readonly string LinkSigningKey = Convert.ToBase64String("end-to-end-tests-link-signing-key-0123456789"u8.ToArray());

    /// <summary>Environment for one host: explicit storage (no embedded Azurite), its own task hub, links pointing at itself.</summary>
    public static Dictionary<string, string> For(AzuriteFixture azurite, string taskHub, int port) => new()
    {
        ["VoucherStorage"] = azurite.ConnectionString,
        ["DurableStorage"] = azurite.ConnectionString,
        ["TaskHubName"] = taskHub,
        ["Voucher__PublicBaseUrl"] = BaseUrl(port),
        ["Voucher__LinkSigningKey"] = LinkSigningKey,
        ["Voucher__OutboxSchedule"] = "*/2 * * * * *",
        // Every test request comes from 127.0.0.1: keep the public sign-in limiter out of the way.
        ["Voucher__PublicRateLimitPerMinute"] = "10000",
    };

    public static string BaseUrl(int port) => "http://127.0.0.1:" + port.ToString(CultureInfo.InvariantCulture);
}
