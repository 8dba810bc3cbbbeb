using Azure.Storage.Queues;
using Microsoft.Extensions.Configuration;
using Voucher.LocalHost.Hosting;

namespace Voucher.EndToEnd.Tests;

/// <summary>
/// The local host's Durable partition count (real Azurite): one for a new task hub, the count an existing hub was
/// created with (its control queues) otherwise, and the setting over both.
/// </summary>
public sealed class LocalPartitionCountTests(AzuriteFixture azurite) : IClassFixture<AzuriteFixture>
{
    IConfiguration Configuration(string hub, string? configured = null) =>
        new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["DurableStorage"] = azurite.ConnectionString,
            ["TaskHubName"] = hub,
            ["Durable:PartitionCount"] = configured,
        }).Build();

    [Fact]
    public async Task NewHub_OnePartition()
    {
        Assert.Equal(1, await LocalDurableEngine.PartitionCountAsync(Configuration(azurite.NewName("newhub")), CancellationToken.None));
    }

    [Fact]
    public async Task ExistingHub_KeepsTheCountItWasCreatedWith_TheSettingOverridesBoth()
    {
        var hub = azurite.NewName("oldhub");
        var queues = new QueueServiceClient(azurite.ConnectionString);
        for (var i = 0; i < 4; i++)
        {
            await queues.CreateQueueAsync($"{hub.ToLowerInvariant()}-control-{i:D2}");
        }

        // Another hub whose name starts the same is not counted.
        await queues.CreateQueueAsync($"{hub.ToLowerInvariant()}x-control-00");

        Assert.Equal(4, await LocalDurableEngine.PartitionCountAsync(Configuration(hub), CancellationToken.None));
        Assert.Equal(2, await LocalDurableEngine.PartitionCountAsync(Configuration(hub, "2"), CancellationToken.None));
        Assert.Equal(3, await LocalDurableEngine.PartitionCountAsync(Configuration(azurite.NewName("newhub"), "3"), CancellationToken.None));
    }
}
