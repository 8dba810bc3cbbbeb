namespace Voucher.Durability.Tests.Support;

/// <summary>
/// One Azurite for every crash point and the duplicate tests (each on its own task hub and its own city, so their
/// batches never meet), started once for the test run. The crash points sit in separate collections so xunit runs
/// them side by side: a host killed in the middle of an activity leaves that message invisible for the storage
/// provider's 5-minute visibility timeout, and four such waits in a row would not fit the time budget.
/// </summary>
public sealed class SharedAzurite : IAsyncLifetime
{
    static readonly SemaphoreSlim Gate = new(1, 1);
    static AzuriteFixture? instance;

    public AzuriteFixture Azurite => instance ?? throw new InvalidOperationException("Not initialised.");

    public async Task InitializeAsync()
    {
        await Gate.WaitAsync();
        try
        {
            if (instance is null)
            {
                var started = new AzuriteFixture();
                await started.InitializeAsync();
                instance = started;
            }
        }
        finally
        {
            Gate.Release();
        }
    }

    // Azurite stops with the test process (its watchdog notices the parent's stdin closing).
    public Task DisposeAsync() => Task.CompletedTask;
}

[CollectionDefinition(Name)]
public sealed class BindingCrashCollection : ICollectionFixture<SharedAzurite>
{
    public const string Name = "crash-binding";
}

[CollectionDefinition(Name)]
public sealed class FanOutCrashCollection : ICollectionFixture<SharedAzurite>
{
    public const string Name = "crash-fanout";
}

[CollectionDefinition(Name)]
public sealed class PaymentCrashCollection : ICollectionFixture<SharedAzurite>
{
    public const string Name = "crash-payment";
}

[CollectionDefinition(Name)]
public sealed class PublicityCrashCollection : ICollectionFixture<SharedAzurite>
{
    public const string Name = "crash-publicity";
}

[CollectionDefinition(Name)]
public sealed class DuplicatesCollection : ICollectionFixture<SharedAzurite>
{
    public const string Name = "duplicates";
}

/// <summary>The storage-fault test stops and restarts its own Azurite.</summary>
[CollectionDefinition(Name)]
public sealed class StorageFaultCollection
{
    public const string Name = "storage-fault";
}

[CollectionDefinition(Name)]
public sealed class ReplanCrashCollection : ICollectionFixture<SharedAzurite>
{
    public const string Name = "replan-crash";
}

/// <summary>The retention tests: an Azurite shared with the other collections (their own task hub and table prefix).</summary>
[CollectionDefinition(Name)]
public sealed class RetentionCollection : ICollectionFixture<SharedAzurite>
{
    public const string Name = "retention";
}

/// <summary>Two local hosts on one task hub (scale-out, failover).</summary>
[CollectionDefinition(Name)]
public sealed class ScaleOutCollection : ICollectionFixture<SharedAzurite>
{
    public const string Name = "scale-out";
}
