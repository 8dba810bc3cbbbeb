namespace Voucher.Workflows.Tests.Support;

/// <summary>One Azurite for the repository and outbox tests (classes in this collection run one after another).</summary>
[CollectionDefinition(Name)]
public sealed class AzuriteCollection : ICollectionFixture<AzuriteFixture>
{
    public const string Name = "azurite";
}

/// <summary>One in-process Durable engine (with its own Azurite) for the application workflow tests.</summary>
[CollectionDefinition(Name)]
public sealed class DurableCollection : ICollectionFixture<DurableHostFixture>
{
    public const string Name = "durable";
}

/// <summary>An in-process Durable engine whose calendar has no published year (deadlines provisional until published).</summary>
[CollectionDefinition(Name)]
public sealed class UnpublishedCalendarCollection : ICollectionFixture<UnpublishedCalendarHostFixture>
{
    public const string Name = "unpublished-calendar";
}

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
