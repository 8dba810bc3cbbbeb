using System.Diagnostics;
using Voucher.Workflows.Storage;
using Xunit;

namespace Voucher.Testing;

/// <summary>
/// The one local-host fixture of the test projects: an in-memory Azurite of its own and the built local host
/// (<see cref="LocalHostProcess"/>, the same workflow code the Functions app runs) on it, with its own task hub, its
/// real address as the public base URL (so links in /dev/mailbox point back to it) and the environment
/// <see cref="LocalSiteSettings"/> describes. A project's fixture is this class with its settings — a derived class
/// whose constructor states them, overriding <see cref="SeedAsync"/> when it arranges a scenario through the API.
/// </summary>
public class LocalSite(LocalSiteSettings settings) : IAsyncLifetime
{
    private LocalHostProcess? _host;

    /// <summary>How this site's host runs.</summary>
    public LocalSiteSettings Settings { get; } = settings;

    /// <summary>The site's Azurite (tables, blobs, connection string).</summary>
    public AzuriteFixture Azurite { get; } = new();

    /// <summary>The host's task hub.</summary>
    public string TaskHub { get; } = AzuriteFixture.UniqueName(settings.TaskHubPrefix);

    /// <summary>The link-signing key the host runs with, as bytes.</summary>
    public byte[] LinkKeyBytes => Convert.FromBase64String(Settings.LinkSigningKey);

    /// <summary>The running local host.</summary>
    public LocalHostProcess Host => _host ?? throw new InvalidOperationException($"{GetType().Name} is not initialised: use it as an xunit fixture.");

    /// <summary>http://127.0.0.1:{port} — no trailing slash, as the product's public base URL.</summary>
    public string BaseUrl => Host.BaseAddress.ToString().TrimEnd('/');

    /// <summary>The product's tables and blobs in this site's Azurite (for arranging what cannot happen in test time).</summary>
    public VoucherStore Store => new(Azurite.Tables, Azurite.Blobs);

    /// <summary>How long Azurite, the local host and the demo seed took to come up.</summary>
    public TimeSpan StartupTime { get; private set; }

    /// <summary>How long <see cref="SeedAsync"/> took.</summary>
    public TimeSpan ScenarioTime { get; private set; }

    /// <summary>The first demo enterprise's USCC (with <see cref="LocalSiteSettings.SeedDemoData"/>).</summary>
    public static string FirstDemoEnterpriseUscc => Voucher.Demo.DemoData.Enterprises[0].Uscc;

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

    /// <summary>A client of the site signed in through /dev/signin (own cookies).</summary>
    public Task<SiteClient> SignInAsync(string role, string scope, string name) => SiteClient.SignInAsync(Host.BaseAddress, role, scope, name);

    /// <inheritdoc />
    public async Task InitializeAsync()
    {
        var watch = Stopwatch.StartNew();
        await Azurite.InitializeAsync().ConfigureAwait(false);
        var port = LocalHostProcess.FreeTcpPort();
        _host = await LocalHostProcess.StartAsync(Settings.Environment(Azurite.ConnectionString, TaskHub, port), port, Settings.StartTimeout).ConfigureAwait(false);
        if (Settings.SeedDemoData)
        {
            // What `--demo` seeds (the host has created the tables by the time /healthz answers).
            await Voucher.Demo.DemoData.Over(Store, TimeProvider.System).SeedAsync().ConfigureAwait(false);
        }

        StartupTime = watch.Elapsed;
        watch.Restart();
        try
        {
            await SeedAsync().ConfigureAwait(false);
        }
        catch (Exception e)
        {
            throw new InvalidOperationException(
                $"{GetType().Name}: the scenario could not be arranged: {e.Message}{Environment.NewLine}Host output (tail):{Environment.NewLine}{OutputTail(8000)}", e);
        }

        ScenarioTime = watch.Elapsed;
    }

    /// <summary>Arranges the scenario the tests share, once the host is up; nothing by default.</summary>
    protected virtual Task SeedAsync() => Task.CompletedTask;

    /// <summary>Releases what the scenario holds (clients), before the host stops.</summary>
    protected virtual void ReleaseScenario()
    {
    }

    /// <inheritdoc />
    public async Task DisposeAsync()
    {
        ReleaseScenario();
        if (_host is not null)
        {
            await _host.StopAsync().ConfigureAwait(false);
            await _host.DisposeAsync().ConfigureAwait(false);
        }

        await Azurite.DisposeAsync().ConfigureAwait(false);
    }
}
