namespace Voucher.Durability.Tests.Support;

/// <summary>
/// One test's local host on a fresh task hub of an Azurite: the store its assertions read, the hub's name, the host's
/// port and its environment. Deconstructs into those, so a test names only what it uses.
/// </summary>
public sealed record HostRun(AzuriteFixture Azurite, Store Store, string TaskHub, int Port, Dictionary<string, string> Env)
{
    /// <summary>A run on <paramref name="azurite"/> with a task hub named after <paramref name="hubPrefix"/>.</summary>
    public static HostRun On(AzuriteFixture azurite, string hubPrefix)
    {
        var taskHub = azurite.NewName(hubPrefix);
        var port = LocalHostProcess.FreeTcpPort();
        return new(azurite, new Store(azurite.ConnectionString), taskHub, port, HostEnv.For(azurite.ConnectionString, taskHub, port));
    }
}
