namespace Voucher.EndToEnd.Tests.Support;

/// <summary>The shared <see cref="LocalSite"/> of the flow collection, with the end-to-end <see cref="HostSettings.Site"/>.</summary>
public sealed class FlowHostFixture() : LocalSite(HostSettings.Site);

/// <summary>
/// The full-flow tests share one running local host (and its Azurite). Its own collection, so it runs in parallel
/// with the crash test, which mostly waits for partition leases to expire. The crash test starts and kills its own
/// hosts over an Azurite of its own (<see cref="CrashCollection"/>).
/// </summary>
[CollectionDefinition(Name)]
public sealed class FlowCollection : ICollectionFixture<FlowHostFixture>
{
    public const string Name = "e2e-flow";
}

/// <summary>The crash and trace tests: an Azurite on which they start, kill and restart their own hosts.</summary>
[CollectionDefinition(Name)]
public sealed class CrashCollection : ICollectionFixture<AzuriteFixture>
{
    public const string Name = "e2e-crash";
}
