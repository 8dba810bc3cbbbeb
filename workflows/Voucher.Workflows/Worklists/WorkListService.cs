using Voucher.Workflows.Applications;
using Voucher.Workflows.Redemptions;

namespace Voucher.Workflows.Worklists;

/// <summary>
/// Reads a city's work-list rows from one partition of an index table (<c>city:{code}</c> of the application or
/// redemption index), never the records' tables: the index rows are written by the stores on every state change
/// (<see cref="ApplicationStore"/>, <see cref="RedemptionStore"/>). The whole partition is read (page by page of the
/// table service) so that the total and the totals are exact whatever the page asked for.
/// </summary>
public sealed class WorkListService(VoucherStore store, Settlement.SettlementStore settlements)
{
    /// <summary>A ceiling far above a city's year of applications or redemptions; a partition is never truncated below it.</summary>
    public const int MaxRows = 200_000;

    public async Task<IReadOnlyList<ApplicationWorkRow>> ApplicationsAsync(string cityCode, CancellationToken ct) =>
        (await store.PartitionAsync<ApplicationIndexEntity>(VoucherStore.ApplicationIndex, ApplicationStore.CityPartition(cityCode), MaxRows, ct))
            .Select(ApplicationWorkRow.From).ToList();

    public async Task<IReadOnlyList<RedemptionWorkRow>> RedemptionsAsync(string cityCode, CancellationToken ct) =>
        (await store.PartitionAsync<RedemptionIndexEntity>(VoucherStore.RedemptionIndex, RedemptionStore.CityPartition(cityCode), MaxRows, ct))
            .Select(RedemptionWorkRow.From).ToList();

    /// <summary>The city's claw-backs: the city partition of the claw-back table (the finance bureau's list; claims live in their own partitions).</summary>
    public async Task<IReadOnlyList<ClawBackWorkRow>> ClawBacksAsync(string cityCode, CancellationToken ct) =>
        (await store.PartitionAsync<Enforcement.ClawBackEntity>(VoucherStore.ClawBacks, cityCode, MaxRows, ct))
            .Select(ClawBackWorkRow.From).ToList();

    /// <summary>The city's batches (one partition of the batch table) with their counts and pay-out totals from the redemption index.</summary>
    public async Task<IReadOnlyList<BatchWorkRow>> BatchesAsync(string cityCode, CancellationToken ct)
    {
        var batches = settlements.BatchesOfCityAsync(cityCode, ct);
        var redemptions = RedemptionsAsync(cityCode, ct);
        await Task.WhenAll(batches, redemptions);
        return BatchWorkRow.Of(await batches, await redemptions);
    }
}
