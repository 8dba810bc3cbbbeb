using Voucher.Workflows.Policies;

namespace Voucher.Workflows.Hosting;

/// <summary>
/// Creates the tables and seeds version 1 of every city's policy and of each shipped year's holiday arrangement where
/// none exists, then fills the work lists' indexes with records older than them (once: <see cref="Worklists.IndexBackfill"/>).
/// Safe to run at every start.
/// </summary>
public sealed class StorageInitializer(VoucherStore store, PolicyStore policies, CalendarStore calendars, Worklists.IndexBackfill backfill, TimeProvider time)
{
    public async Task InitializeAsync(CancellationToken ct = default)
    {
        await store.EnsureCreatedAsync(ct);
        foreach (var city in Cities.All)
        {
            await policies.EnsureSeededAsync(CityPolicy.Default(city.Code, time.GetUtcNow()), ct);
        }

        await calendars.EnsureSeededAsync(ct);
        await backfill.RunAsync(ct);
    }
}
