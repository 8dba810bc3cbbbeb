using System.Diagnostics;
using System.Security.Cryptography;
using Voucher.Domain;
using Voucher.Testing;
using Xunit;

namespace Voucher.Browser.Tests;

/// <summary>
/// One in-memory Azurite and one local host process (the built <c>Voucher.LocalHost.dll</c>, the same workflow code
/// the Functions app runs) for the portal browser tests. The host gets its own task hub, a fresh link-signing key,
/// its real address as the public base URL (so the review links in the mailbox point back to it) and a 2-second
/// outbox sweep.
/// </summary>
public sealed class LocalSiteFixture : IAsyncLifetime
{
    private const string UsccBodyAlphabet = "0123456789ABCDEFGHJKLMNPQRTUWXY";

    private readonly AzuriteFixture _azurite = new();
    private LocalHostProcess? _host;

    /// <summary>The running local host.</summary>
    public LocalHostProcess Host => _host ?? throw new InvalidOperationException("LocalSiteFixture is not initialised.");

    /// <summary>http://127.0.0.1:{port} — no trailing slash, as the product's public base URL.</summary>
    public string BaseUrl => Host.BaseAddress.ToString().TrimEnd('/');

    /// <summary>How long Azurite plus the local host took to come up.</summary>
    public TimeSpan StartupTime { get; private set; }

    /// <summary>A fresh, valid Taiyuan (1401xx) USCC: "91140100" + 9 random characters + the GB 32100 check character.</summary>
    public static string NewTaiyuanUscc()
    {
        var body = string.Concat(Enumerable.Range(0, 9).Select(_ => UsccBodyAlphabet[RandomNumberGenerator.GetInt32(UsccBodyAlphabet.Length)]));
        var first17 = "91140100" + body;
        return first17 + Uscc.ComputeCheckCharacter(first17);
    }

    /// <summary>The last <paramref name="maxChars"/> characters of the host's output, for failure messages.</summary>
    public string OutputTail(int maxChars = 6000)
    {
        if (_host is null)
        {
            return "(host not started)";
        }

        var output = _host.Output;
        return output.Length <= maxChars ? output : "…" + output[^maxChars..];
    }

    /// <inheritdoc />
    public async Task InitializeAsync()
    {
        var watch = Stopwatch.StartNew();
        await _azurite.InitializeAsync();
        var port = LocalHostProcess.FreeTcpPort();
        var env = new Dictionary<string, string>
        {
            ["VoucherStorage"] = _azurite.ConnectionString,
            ["DurableStorage"] = _azurite.ConnectionString,
            ["TaskHubName"] = AzuriteFixture.UniqueName("browser"),
            ["Voucher__PublicBaseUrl"] = $"http://127.0.0.1:{port}",
            ["Voucher__LinkSigningKey"] = Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)),
            ["Voucher__OutboxSchedule"] = "*/2 * * * * *",
            // Every browser signs in from 127.0.0.1: the per-address limit on public forms would trip the suite.
            ["Voucher__PublicRateLimitPerMinute"] = "100000",
        };
        _host = await LocalHostProcess.StartAsync(env, port);
        StartupTime = watch.Elapsed;
    }

    /// <inheritdoc />
    public async Task DisposeAsync()
    {
        if (_host is not null)
        {
            await _host.StopAsync();
            await _host.DisposeAsync();
        }

        await _azurite.DisposeAsync();
    }
}
