using Voucher.Testing;

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
