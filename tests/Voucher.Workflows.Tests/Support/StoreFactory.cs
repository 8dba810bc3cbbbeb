using Voucher.Testing;
using Voucher.Workflows.Storage;

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
}
