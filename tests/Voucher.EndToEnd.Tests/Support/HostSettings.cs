namespace Voucher.EndToEnd.Tests.Support;

/// <summary>The settings every local host process runs with in these tests.</summary>
public static class HostSettings
{
    /// <summary>Any 32+ bytes; the same key in every process so links and cookies survive a restart.</summary>
    public static readonly string LinkSigningKey = Convert.ToBase64String("end-to-end-tests-link-signing-key-0123456789"u8.ToArray());

    /// <summary>The known link key, and a public rate limit out of the way of test requests (all from 127.0.0.1).</summary>
    public static LocalSiteSettings Site { get; } = new() { TaskHubPrefix = "e2eflow", LinkSigningKey = LinkSigningKey, PublicRateLimitPerMinute = 10_000 };

    /// <summary>Environment for one host the test starts itself: explicit storage, its own task hub, links pointing at itself.</summary>
    public static Dictionary<string, string> For(AzuriteFixture azurite, string taskHub, int port) => Site.Environment(azurite.ConnectionString, taskHub, port);
}
