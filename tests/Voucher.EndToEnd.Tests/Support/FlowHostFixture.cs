using System.Diagnostics;
using Voucher.Testing;

namespace Voucher.EndToEnd.Tests.Support;

/// <summary>One Azurite and one local host process (its own task hub) for the flow collection.</summary>
public sealed class FlowHostFixture : IAsyncLifetime
{
    public AzuriteFixture Azurite { get; } = new();

    public LocalHostProcess Host { get; private set; } = null!;

    public string TaskHub { get; } = AzuriteFixture.UniqueName("e2eflow");

    /// <summary>Azurite start plus host start until /healthz answered.</summary>
    public TimeSpan StartupTime { get; private set; }

    public async Task InitializeAsync()
    {
        var watch = Stopwatch.StartNew();
        await Azurite.InitializeAsync();
        var port = LocalHostProcess.FreeTcpPort();
        Host = await LocalHostProcess.StartAsync(HostSettings.For(Azurite, TaskHub, port), port);
        StartupTime = watch.Elapsed;
    }

    public async Task DisposeAsync()
    {
        if (Host is not null)
        {
            await Host.DisposeAsync();
        }

        await Azurite.DisposeAsync();
    }
}
