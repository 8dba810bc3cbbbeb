using System.Globalization;

namespace Voucher.Durability.Tests.Support;

/// <summary>The environment of a local host in these tests.</summary>
public static class HostEnv
{
    /// <summary>The same key in every process, so links and cookies survive a restart.</summary>
    public static readonly string LinkSigningKey = Convert.ToBase64String("durability-tests-link-signing-key-0123456789abcdef"u8.ToArray());

    public static Dictionary<string, string> For(string connectionString, string taskHub, int port) => new()
    {
        ["VoucherStorage"] = connectionString,
        ["DurableStorage"] = connectionString,
        ["TaskHubName"] = taskHub,
        ["Voucher__PublicBaseUrl"] = "http://127.0.0.1:" + port.ToString(CultureInfo.InvariantCulture),
        ["Voucher__LinkSigningKey"] = LinkSigningKey,
        ["Voucher__OutboxSchedule"] = "*/2 * * * * *",
        ["Voucher__SettlementCutoff"] = "now",
        ["Voucher__PublicityWindowMinutes"] = "1",
        ["Voucher__PublicRateLimitPerMinute"] = "100000",
        // The daily settlement timer (16:05 UTC) would start every city's batch in the middle of a test: keep it
        // to New Year's night; the tests start their batches by hand.
        ["Voucher__SettlementSchedule"] = "0 0 0 1 1 *",
    };
}
