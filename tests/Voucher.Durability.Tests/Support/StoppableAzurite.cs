using Voucher.LocalHost.Azurite;

namespace Voucher.Durability.Tests.Support;

/// <summary>
/// An Azurite of a test's own, on free ports and in a data folder of its own, that the test stops and starts again on the
/// same ports and data: storage going away and coming back. The connection string stays the same throughout.
/// </summary>
public sealed class StoppableAzurite : IAsyncDisposable
{
    readonly string location;
    readonly AzuriteOptions options;
    readonly string script;
    AzuriteInstance? instance;

    StoppableAzurite(string location, AzuriteOptions options, string script, AzuriteInstance instance)
    {
        this.location = location;
        this.options = options;
        this.script = script;
        this.instance = instance;
        ConnectionString = instance.ConnectionString;
    }

    public string ConnectionString { get; }

    /// <summary>Installs Azurite when missing and starts one in a new folder (named after <paramref name="purpose"/>).</summary>
    public static async Task<StoppableAzurite> StartAsync(string purpose)
    {
        var location = Path.Combine(Path.GetTempPath(), $"voucher-{purpose}-" + Guid.NewGuid().ToString("N")[..8]);
        var options = new AzuriteOptions
        {
            Location = location,
            BlobPort = LocalHostProcess.FreeTcpPort(),
            QueuePort = LocalHostProcess.FreeTcpPort(),
            TablePort = LocalHostProcess.FreeTcpPort(),
        };
        using var cts = new CancellationTokenSource(TimeSpan.FromMinutes(10));
        var script = await AzuriteInstaller.EnsureInstalledAsync(RepoRoot.Find(), null, cts.Token);
        return new StoppableAzurite(location, options, script, await AzuriteInstance.StartAsync(script, options, null, cts.Token));
    }

    /// <summary>Stops the process; its data stays in the folder.</summary>
    public async Task StopAsync()
    {
        if (instance is not null)
        {
            await instance.DisposeAsync();
            instance = null;
        }
    }

    /// <summary>Starts it again on the same ports and data.</summary>
    public async Task StartAgainAsync() =>
        instance ??= await AzuriteInstance.StartAsync(script, options, null, CancellationToken.None);

    public async ValueTask DisposeAsync()
    {
        await StopAsync();
        try
        {
            Directory.Delete(location, recursive: true);
        }
        catch (IOException)
        {
        }
    }
}
