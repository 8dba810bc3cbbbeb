using Voucher.Testing;

namespace Voucher.EndToEnd.Tests.Support;

/// <summary>
/// The full-flow tests share one running local host (and its Azurite). Its own collection, so it runs in parallel
/// with the crash test, which mostly waits for partition leases to expire.
/// </summary>
[CollectionDefinition(Name)]
public sealed class FlowCollection : ICollectionFixture<FlowHostFixture>
{
    public const string Name = "e2e-flow";
}

/// <summary>The crash test starts and kills its own hosts over an Azurite of its own.</summary>
[CollectionDefinition(Name)]
public sealed class CrashCollection : ICollectionFixture<AzuriteFixture>
{
    public const string Name = "e2e-crash";
}
