namespace Voucher.Workflows.Tests.Redemptions;

/// <summary>An Azurite of their own for the evidence and cap-ledger tests, so they run beside the other collections.</summary>
[CollectionDefinition(Name)]
public sealed class RedemptionStorageCollection : ICollectionFixture<AzuriteFixture>
{
    public const string Name = "redemption-azurite";
}

/// <summary>A Durable engine (and Azurite) of their own for Flow 2, so city policies changed here touch no other test.</summary>
[CollectionDefinition(Name)]
public sealed class RedemptionDurableCollection : ICollectionFixture<DurableHostFixture>
{
    public const string Name = "redemption-durable";
}
