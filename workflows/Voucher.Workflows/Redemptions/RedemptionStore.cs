using System.Text.RegularExpressions;
using Azure;
using Azure.Data.Tables;

namespace Voucher.Workflows.Redemptions;

/// <summary>Redemptions with optimistic concurrency; keeps the institution and city listings and the settlement queue in step.</summary>
public sealed partial class RedemptionStore(VoucherStore store, TimeProvider? time = null)
{
    readonly TimeProvider clock = time ?? TimeProvider.System;

    public static string NewId(string voucherId, int sequence) => $"{voucherId}-R{sequence}";

    public static string InstanceId(string redemptionId) => $"redemption-{redemptionId}";

    public static bool IsWellFormedId(string? id) => id is not null && IdPattern().IsMatch(id);

    public static string InstitutionPartition(string institutionId) => $"inst:{institutionId}";

    public static string CityPartition(string cityCode) => $"city:{cityCode}";

    public static string QueueRowKey(RedemptionEntity r) => $"{r.QueuedAt!.Value.UtcTicks:D19}-{r.RedemptionId}";

    /// <summary>The row's partition: the enterprise's USCC, which the id carries.</summary>
    public static string PartitionOf(string redemptionId) => redemptionId.Substring(2, 18);

    public Task<RedemptionEntity?> GetAsync(string redemptionId, CancellationToken ct = default) =>
        IsWellFormedId(redemptionId)
            ? store.GetAsync<RedemptionEntity>(VoucherStore.Redemptions, PartitionOf(redemptionId), redemptionId, ct)
            : Task.FromResult<RedemptionEntity?>(null);

    public async Task<RedemptionEntity> GetRequiredAsync(string redemptionId, CancellationToken ct = default) =>
        await GetAsync(redemptionId, ct) ?? throw new DomainException($"兑付申请 {redemptionId} 不存在 (Redemption not found)");

    public Task<List<RedemptionEntity>> ForEnterpriseAsync(string uscc, CancellationToken ct = default) =>
        store.PartitionAsync<RedemptionEntity>(VoucherStore.Redemptions, uscc, 500, ct);

    public Task<List<RedemptionIndexEntity>> ForInstitutionAsync(string institutionId, CancellationToken ct = default) =>
        store.PartitionAsync<RedemptionIndexEntity>(VoucherStore.RedemptionIndex, InstitutionPartition(institutionId), 1000, ct);

    public Task<List<RedemptionIndexEntity>> ForCityAsync(string cityCode, CancellationToken ct = default) =>
        store.PartitionAsync<RedemptionIndexEntity>(VoucherStore.RedemptionIndex, CityPartition(cityCode), 5000, ct);

    /// <summary>
    /// Inserts the row (false when a row with its id exists), then writes its listing rows at the same time as
    /// <paramref name="next"/>: the caller's next step, which must not depend on them (a listing row is written again
    /// by every later step that changes what it shows). Returns when both are done; the first failure is thrown.
    /// </summary>
    public async Task<bool> TryCreateAsync(RedemptionEntity entity, CancellationToken ct = default, Func<Task>? next = null)
    {
        if (!await store.TryAddAsync(VoucherStore.Redemptions, entity, ct))
        {
            return false;
        }

        await Task.WhenAll(UpsertIndexAsync(entity, ct), next?.Invoke() ?? Task.CompletedTask);
        return true;
    }

    /// <summary>
    /// Applies a change under optimistic concurrency; the change returns false when there is nothing to do. With
    /// <paramref name="writeIndex"/> false the caller writes the listing rows itself (<see cref="UpsertIndexManyAsync"/>);
    /// otherwise they are written when the change altered what they show (a change of the evidence flag or the
    /// settlement time alone leaves them as they are).
    /// <paramref name="known"/>: the row the caller has just read (with its ETag), used for the first attempt instead of a read.
    /// </summary>
    public async Task<RedemptionEntity> UpdateAsync(string redemptionId, Func<RedemptionEntity, bool> change, CancellationToken ct = default, bool writeIndex = true, RedemptionEntity? known = null)
    {
        for (var attempt = 0; ; attempt++)
        {
            var entity = attempt == 0 && known is not null ? known : await GetRequiredAsync(redemptionId, ct);
            var listed = writeIndex ? ListingOf(entity) : null;
            entity.TakeAnnounced();
            if (!change(entity))
            {
                return entity;
            }

            // A change that named no history entry may be followed by writes the view shows: the row vouches again once they are in.
            if (!entity.TakeAnnounced())
            {
                entity.ViewKey = RedemptionViewKey.Touched(entity.ViewKey, clock.GetUtcNow());
            }

            try
            {
                var written = await store.Table(VoucherStore.Redemptions).UpdateEntityAsync(entity, entity.ETag, TableUpdateMode.Replace, ct);
                // The row as stored now: a caller may hand it to the next guarded update as the row it knows.
                entity.ETag = written.Headers.ETag ?? default;
                if (writeIndex && ListingOf(entity) != listed)
                {
                    await UpsertIndexAsync(entity, ct);
                }

                return entity;
            }
            catch (RequestFailedException e) when (e.Status == 412 && attempt < 30)
            {
                // Another writer won: read again and re-apply, after a short random pause.
                await Task.Delay(Random.Shared.Next(5, 20 * Math.Min(attempt + 1, 10)), ct);
            }
        }
    }

    /// <summary>Queues the redemption for its city's next batch, with the queue's kept count (a row already queued changes nothing).</summary>
    public Task EnqueueAsync(RedemptionEntity r, CancellationToken ct = default) =>
        Settlement.QueueCount.EnqueueAsync(store, new SettlementQueueEntity
        {
            PartitionKey = r.CityCode, RowKey = QueueRowKey(r), RedemptionId = r.RedemptionId, PayoutFen = r.PayoutFen, QueuedAt = r.QueuedAt!.Value,
        }, ct);

    public async Task DequeueAsync(RedemptionEntity r, CancellationToken ct = default)
    {
        if (r.QueuedAt is not null && await store.GetAsync<SettlementQueueEntity>(VoucherStore.SettlementQueue, r.CityCode, QueueRowKey(r), ct) is { } row)
        {
            await Settlement.QueueCount.DequeueAsync(store, r.CityCode, [row], ct);
        }
    }

    /// <summary>The redemption's listing rows (institution, city, and the finance bureau's payables index) from its state as it is.</summary>
    public async Task UpsertIndexAsync(RedemptionEntity e, CancellationToken ct)
    {
        foreach (var row in IndexRows(e))
        {
            await store.UpsertAsync(VoucherStore.RedemptionIndex, row, ct);
        }

        await Settlement.PayablesIndex.WriteAsync(store, e, ct);
    }

    /// <summary>
    /// The listing rows of many redemptions, in entity-group transactions of up to 100 rows per partition (a city's
    /// settlement chunk shares one city partition and a few institution partitions): a few calls instead of two per row.
    /// </summary>
    public async Task UpsertIndexManyAsync(IEnumerable<RedemptionEntity> redemptions, CancellationToken ct = default)
    {
        var table = store.Table(VoucherStore.RedemptionIndex);
        var all = redemptions as IReadOnlyCollection<RedemptionEntity> ?? [.. redemptions];
        IEnumerable<ITableEntity> rows = all.SelectMany(IndexRows).Concat<ITableEntity>(all.Select(Settlement.PayablesIndex.Row).OfType<Settlement.PayableIndexEntity>());
        foreach (var partition in rows.GroupBy(r => r.PartitionKey))
        {
            foreach (var slice in partition.DistinctBy(r => r.RowKey).Chunk(100))
            {
                await table.SubmitTransactionAsync(slice.Select(r => new TableTransactionAction(TableTransactionActionType.UpsertReplace, r)), ct);
            }
        }

        // A paid one's payable row goes (one by one: a transaction fails on a row already gone).
        foreach (var left in all.Select(Settlement.PayablesIndex.Left).OfType<(string PartitionKey, string RowKey)>())
        {
            await table.DeleteEntityAsync(left.PartitionKey, left.RowKey, cancellationToken: ct);
        }
    }

    /// <summary>Everything the listing rows of <paramref name="e"/> show, as one string (the rows <see cref="UpsertIndexAsync"/> writes).</summary>
    static string ListingOf(RedemptionEntity e) =>
        System.Text.Json.JsonSerializer.Serialize(new { rows = IndexRows(e), payable = Settlement.PayablesIndex.Row(e), left = Settlement.PayablesIndex.Left(e) });

    static IEnumerable<RedemptionIndexEntity> IndexRows(RedemptionEntity e) =>
        new[] { InstitutionPartition(e.InstitutionId), CityPartition(e.CityCode) }.Select(partition => new RedemptionIndexEntity
        {
            PartitionKey = partition,
            RowKey = e.RedemptionId,
            EnterpriseName = e.EnterpriseName,
            InstitutionName = e.InstitutionName,
            ServiceTitle = e.ServiceTitle,
            AmountPaidFen = e.AmountPaidFen,
            PayoutFen = e.PayoutFen,
            PaidOn = e.PaidOn,
            Status = e.Status,
            BindingDeadline = e.BindingDeadline,
            BindingProvisional = BindingDeadlines.Of(e)?.Basis.Provisional == true,
            BindingRound = e.BindingRound,
            SubmittedAt = e.SubmittedAt,
            PrepaidFen = e.PrepaidFen,
            AdvancePaid = e.AdvancePaidAt is not null,
            BatchId = e.BatchId,
        });

    [GeneratedRegex("^V-[0-9A-HJ-NPQRTUWXY]{18}-20[0-9]{2}-[0-9]{2,3}-R[0-9]{1,3}$")]
    private static partial Regex IdPattern();
}
