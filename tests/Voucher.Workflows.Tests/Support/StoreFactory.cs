namespace Voucher.Workflows.Tests.Support;

public static class StoreFactory
{
    /// <summary>A store with its own table prefix on the shared Azurite, tables created.</summary>
    public static async Task<VoucherStore> NewAsync(AzuriteFixture azurite)
    {
        var store = new VoucherStore(azurite.Tables, azurite.Blobs, azurite.NewName("t")[..13]);
        await store.EnsureCreatedAsync();
        return store;
    }

    /// <summary>As <see cref="NewAsync"/>, with every table call counted (the host's <see cref="StorageMetrics"/>).</summary>
    public static async Task<(VoucherStore Store, StorageMetrics Metrics)> NewCountedAsync(AzuriteFixture azurite)
    {
        var metrics = new StorageMetrics();
        var store = new VoucherStore(new TableServiceClient(azurite.ConnectionString, metrics.TableOptions()), azurite.Blobs, azurite.NewName("t")[..13]);
        await store.EnsureCreatedAsync();
        return (store, metrics);
    }

    /// <summary>The table calls <paramref name="action"/> makes.</summary>
    public static async Task<long> TableCallsAsync(StorageMetrics metrics, Func<Task> action)
    {
        var before = metrics.Snapshot().Table;
        await action();
        return metrics.Snapshot().Table - before;
    }
}
