namespace Voucher.Contract.Tests;

/// <summary>The local host (a real process on its own Azurite) the contract tests read and drive, with the demo data.</summary>
public sealed class ContractSite() : LocalSite(new LocalSiteSettings { TaskHubPrefix = "contract", SeedDemoData = true, SettleNow = true, OnlyTestsSettle = true });

[CollectionDefinition(Name)]
public sealed class ContractCollection : ICollectionFixture<ContractSite>
{
    public const string Name = "contract site";
}
