using Azure.Data.Tables;
using Voucher.Workflows.Redemptions;

namespace Voucher.Workflows.Settlement;

/// <summary>The count and pay-out of a city's settlement queue, kept in the queue's own partition (RowKey <see cref="QueueCount.RowKey"/>).</summary>
public sealed class QueueCountEntity : TableRow
{
    public int Count { get; set; }

    public long PayoutFen { get; set; }
}

/// <summary>
/// What a city's next batch would take now, kept as a count row in the city's partition of the settlement queue, so the
/// bureau's home reads one row instead of the queue. A queue row is added or deleted in one entity-group transaction
/// with the count row's change (under its ETag), so the count is the rows' count whatever is retried or raced: a row
/// already there (a retried enqueue) or already gone (a retried dequeue) fails the transaction and changes nothing.
/// The count row goes when the queue empties; a partition without it is counted from its rows by the next enqueue or
/// read (an empty queue, or rows queued before the count was kept), which then adds it.
/// </summary>
public static class QueueCount
{
    /// <summary>After every queue row key (<c>{ticks}-{id}</c>), so a cut-off range query of the queue never reads it.</summary>
    public const string RowKey = "~count";

    const int MaxAttempts = 50;

    /// <summary>The city's queued count and pay-out: the count row, or (none yet) the rows counted and the count row added.</summary>
    public static async Task<(int Count, long PayoutFen)> ReadAsync(VoucherStore store, string cityCode, CancellationToken ct)
    {
        if (await store.GetAsync<QueueCountEntity>(VoucherStore.SettlementQueue, cityCode, RowKey, ct) is { } kept)
        {
            return (kept.Count, kept.PayoutFen);
        }

        var rows = await RowsAsync(store, cityCode, ct);
        var counted = (rows.Count, rows.Sum(r => r.PayoutFen));
        if (rows.Count > 0)
        {
            // A concurrent enqueue may add it first (then it counted the same rows and its own): this add fails, harmlessly.
            await store.TryAddAsync(VoucherStore.SettlementQueue, new QueueCountEntity { PartitionKey = cityCode, RowKey = RowKey, Count = counted.Item1, PayoutFen = counted.Item2 }, ct);
        }

        return counted;
    }

    /// <summary>Adds <paramref name="row"/> to the queue with the count; a row already queued changes nothing.</summary>
    public static async Task EnqueueAsync(VoucherStore store, SettlementQueueEntity row, CancellationToken ct)
    {
        var table = store.Table(VoucherStore.SettlementQueue);
        for (var attempt = 0; ; attempt++)
        {
            var kept = await store.GetAsync<QueueCountEntity>(VoucherStore.SettlementQueue, row.PartitionKey, RowKey, ct);
            TableTransactionAction count;
            if (kept is null)
            {
                var rows = await RowsAsync(store, row.PartitionKey, ct);
                if (rows.Any(r => r.RowKey == row.RowKey))
                {
                    return;
                }

                count = new(TableTransactionActionType.Add, new QueueCountEntity { PartitionKey = row.PartitionKey, RowKey = RowKey, Count = rows.Count + 1, PayoutFen = rows.Sum(r => r.PayoutFen) + row.PayoutFen });
            }
            else
            {
                count = new(TableTransactionActionType.UpdateReplace, new QueueCountEntity { PartitionKey = row.PartitionKey, RowKey = RowKey, Count = kept.Count + 1, PayoutFen = kept.PayoutFen + row.PayoutFen }, kept.ETag);
            }

            try
            {
                await table.SubmitTransactionAsync([new TableTransactionAction(TableTransactionActionType.Add, row), count], ct);
                return;
            }
            catch (TableTransactionFailedException) when (attempt < MaxAttempts)
            {
                // The row was queued already (a retry: nothing to do), or the count changed meanwhile (read it again).
                if (await store.GetAsync<SettlementQueueEntity>(VoucherStore.SettlementQueue, row.PartitionKey, row.RowKey, ct) is not null)
                {
                    return;
                }
            }
        }
    }

    /// <summary>
    /// Deletes queue rows (as read, with their pay-out) with the count, up to 99 in one transaction; a slice that fails
    /// because a row is already gone (a retried step) is deleted one by one.
    /// </summary>
    public static async Task DequeueAsync(VoucherStore store, string cityCode, IReadOnlyList<SettlementQueueEntity> rows, CancellationToken ct)
    {
        foreach (var slice in rows.DistinctBy(r => r.RowKey).Chunk(99))
        {
            if (!await TryDequeueAsync(store, cityCode, slice, ct))
            {
                foreach (var row in slice)
                {
                    await TryDequeueAsync(store, cityCode, [row], ct);
                }
            }
        }
    }

    /// <summary>Deletes the rows with the count; false when a row was already gone (nothing deleted).</summary>
    static async Task<bool> TryDequeueAsync(VoucherStore store, string cityCode, IReadOnlyList<SettlementQueueEntity> rows, CancellationToken ct)
    {
        var table = store.Table(VoucherStore.SettlementQueue);
        for (var attempt = 0; ; attempt++)
        {
            if (await store.GetAsync<QueueCountEntity>(VoucherStore.SettlementQueue, cityCode, RowKey, ct) is not { } kept)
            {
                // No count kept (rows from before it): the rows go without it.
                foreach (var row in rows)
                {
                    await table.DeleteEntityAsync(cityCode, row.RowKey, cancellationToken: ct);
                }

                return true;
            }

            var left = kept.Count - rows.Count;
            var count = left <= 0
                ? new TableTransactionAction(TableTransactionActionType.Delete, kept, kept.ETag)
                : new TableTransactionAction(TableTransactionActionType.UpdateReplace, new QueueCountEntity { PartitionKey = cityCode, RowKey = RowKey, Count = left, PayoutFen = kept.PayoutFen - rows.Sum(r => r.PayoutFen) }, kept.ETag);
            try
            {
                await table.SubmitTransactionAsync([.. rows.Select(r => new TableTransactionAction(TableTransactionActionType.Delete, new TableEntity(cityCode, r.RowKey), Azure.ETag.All)), count], ct);
                return true;
            }
            catch (TableTransactionFailedException) when (attempt < MaxAttempts)
            {
                // A row already gone (a retried step: one alone is done, a slice goes row by row), or the count changed
                // meanwhile (read it again).
                foreach (var row in rows)
                {
                    if (await store.GetAsync<SettlementQueueEntity>(VoucherStore.SettlementQueue, cityCode, row.RowKey, ct) is null)
                    {
                        return rows.Count == 1;
                    }
                }
            }
        }
    }

    /// <summary>The queue rows of a city (without the count row).</summary>
    static async Task<List<SettlementQueueEntity>> RowsAsync(VoucherStore store, string cityCode, CancellationToken ct)
    {
        var rows = new List<SettlementQueueEntity>();
        var filter = TableClient.CreateQueryFilter($"PartitionKey eq {cityCode} and RowKey lt {RowKey}");
        await foreach (var row in store.Table(VoucherStore.SettlementQueue).QueryAsync<SettlementQueueEntity>(filter, maxPerPage: 1000, select: ["RowKey", "PayoutFen"], cancellationToken: ct))
        {
            rows.Add(row);
        }

        return rows;
    }
}
