using Azure.Data.Tables;

namespace Voucher.Workflows.Settlement;

/// <summary>Batches, their items, objections and the open-publicity index.</summary>
public sealed class SettlementStore(VoucherStore store)
{
    public VoucherStore Tables => store;

    public Task<BatchEntity?> GetBatchAsync(string batchId, CancellationToken ct = default) =>
        SettlementIds.Split(batchId) is { } key
            ? store.GetAsync<BatchEntity>(VoucherStore.Batches, key.City, key.Period, ct)
            : Task.FromResult<BatchEntity?>(null);

    /// <summary>What a city's next batch would take now: the queued redemptions' count and pay-out, kept with the queue (<see cref="QueueCount"/>).</summary>
    public Task<(int Count, long PayoutFen)> QueuedAsync(string cityCode, CancellationToken ct = default) =>
        QueueCount.ReadAsync(store, cityCode, ct);

    public Task<List<BatchEntity>> BatchesOfCityAsync(string cityCode, CancellationToken ct = default) =>
        store.PartitionAsync<BatchEntity>(VoucherStore.Batches, cityCode, 200, ct);

    /// <summary>
    /// Every item of the batch, in pages of 1,000 (a batch of 100,000 is 100 calls), held at once. No cap: the review
    /// page's filtered views and their totals need the whole batch — a cap of 50,000 left half of a 100,000-item batch
    /// out of its counts. A pass that needs one row at a time reads <see cref="ItemPagesAsync"/> (the publicity's
    /// messages, the totals kept when the review opens, the "every row decided" check on submit, the bulk decisions)
    /// or <see cref="ItemIdsAsync"/> (the formation's dequeue) instead.
    /// </summary>
    public Task<List<BatchItemEntity>> ItemsAsync(string batchId, CancellationToken ct = default) =>
        store.PartitionAsync<BatchItemEntity>(VoucherStore.BatchItems, batchId, int.MaxValue, ct);

    /// <summary>The batch's items a page of 1,000 at a time: a pass over a batch of any size that holds one page at once.</summary>
    public async IAsyncEnumerable<IReadOnlyList<BatchItemEntity>> ItemPagesAsync(string batchId, [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken ct = default)
    {
        var filter = TableClient.CreateQueryFilter($"PartitionKey eq {batchId}");
        await foreach (var page in store.Table(VoucherStore.BatchItems).QueryAsync<BatchItemEntity>(filter, maxPerPage: 1000, cancellationToken: ct).AsPages(pageSizeHint: 1000))
        {
            yield return page.Values;
        }
    }

    /// <summary>How many of the batch's rows are still undecided, counted from the records a page at a time.</summary>
    public async Task<int> UndecidedCountAsync(string batchId, CancellationToken ct = default)
    {
        var undecided = 0;
        await foreach (var page in ItemPagesAsync(batchId, ct))
        {
            undecided += page.Count(i => i.Verdict == RowVerdict.Undecided);
        }

        return undecided;
    }

    /// <summary>The redemption ids of the batch's items (their row keys only), in pages of 1,000.</summary>
    public async Task<HashSet<string>> ItemIdsAsync(string batchId, CancellationToken ct = default)
    {
        var ids = new HashSet<string>(StringComparer.Ordinal);
        var filter = TableClient.CreateQueryFilter($"PartitionKey eq {batchId}");
        await foreach (var row in store.Table(VoucherStore.BatchItems).QueryAsync<TableEntity>(filter, maxPerPage: 1000, select: ["RowKey"], cancellationToken: ct))
        {
            ids.Add(row.RowKey);
        }

        return ids;
    }

    public async Task<List<BatchItemEntity>> ChunkAsync(string batchId, int chunk, CancellationToken ct = default)
    {
        var result = new List<BatchItemEntity>();
        var filter = TableClient.CreateQueryFilter($"PartitionKey eq {batchId} and Chunk eq {chunk}");
        await foreach (var row in store.Table(VoucherStore.BatchItems).QueryAsync<BatchItemEntity>(filter, cancellationToken: ct))
        {
            result.Add(row);
        }

        return result;
    }

    public Task<BatchItemEntity?> GetItemAsync(string batchId, string redemptionId, CancellationToken ct = default) =>
        store.GetAsync<BatchItemEntity>(VoucherStore.BatchItems, batchId, redemptionId, ct);

    /// <summary>
    /// The items of a batch named by <paramref name="redemptionIds"/>: one query of the batch's partition when they are at
    /// least half of it (a small batch saved in one go), otherwise point reads, 16 at a time — reading the whole partition
    /// for every 800 rows of a 20,000-item batch made the review's cost grow with the square of the batch (measured: 64 s
    /// for 20,000).
    /// </summary>
    public async Task<Dictionary<string, BatchItemEntity>> ItemsNamedAsync(BatchEntity batch, IReadOnlyCollection<string> redemptionIds, CancellationToken ct)
    {
        if (redemptionIds.Count > 1 && redemptionIds.Count * 2 >= batch.ItemCount)
        {
            return (await ItemsAsync(batch.BatchId, ct)).ToDictionary(i => i.RowKey, StringComparer.Ordinal);
        }

        var found = new System.Collections.Concurrent.ConcurrentDictionary<string, BatchItemEntity>(StringComparer.Ordinal);
        await Parallel.ForEachAsync(redemptionIds, new ParallelOptions { MaxDegreeOfParallelism = 16, CancellationToken = ct }, async (id, token) =>
        {
            if (await GetItemAsync(batch.BatchId, id, token) is { } item)
            {
                found[id] = item;
            }
        });
        return new Dictionary<string, BatchItemEntity>(found, StringComparer.Ordinal);
    }

    /// <summary>
    /// Replaces batch items under the ETags they were read with, in entity-group transactions of 100; a slice that fails
    /// is written row by row. Returns the items that changed since they were read (not written).
    /// </summary>
    public async Task<IReadOnlyList<BatchItemEntity>> ReplaceItemsAsync(IReadOnlyList<BatchItemEntity> items, CancellationToken ct)
    {
        var table = store.Table(VoucherStore.BatchItems);
        var conflicts = new System.Collections.Concurrent.ConcurrentBag<BatchItemEntity>();

        // Four transactions at a time: a bulk decision on 10,000 rows is 100 of them.
        await Parallel.ForEachAsync(items.Chunk(100), new ParallelOptions { MaxDegreeOfParallelism = 4, CancellationToken = ct }, async (slice, token) =>
        {
            try
            {
                await table.SubmitTransactionAsync(slice.Select(item => new TableTransactionAction(TableTransactionActionType.UpdateReplace, item, item.ETag)), token);
                return;
            }
            catch (TableTransactionFailedException e) when (e.Status == 412)
            {
                // One row changed since it was read: the rest are written one by one below.
            }

            foreach (var item in slice)
            {
                if (!await ReplaceItemAsync(item, token))
                {
                    conflicts.Add(item);
                }
            }
        });

        return [.. conflicts.OrderBy(c => c.RowKey, StringComparer.Ordinal)];
    }

    /// <summary>
    /// Marks the batch's rows as changed without changing its totals (an expert's opinion): a merge of
    /// <c>ReviewChangedAt</c> gives the batch row a new ETag, which is the key of every host's cached copy of the rows
    /// (<see cref="BatchReviewCache"/>), so no instance shows the old ones. Decision saves move the ETag through
    /// <see cref="EndTotalsChangeAsync"/>.
    /// </summary>
    public async Task TouchBatchAsync(string batchId, DateTimeOffset at, CancellationToken ct)
    {
        if (SettlementIds.Split(batchId) is { } key)
        {
            await store.Table(VoucherStore.Batches).UpdateEntityAsync(new TableEntity(key.City, key.Period) { ["ReviewChangedAt"] = at }, Azure.ETag.All, TableUpdateMode.Merge, ct);
        }
    }

    /// <summary>
    /// The first <paramref name="count"/> rows of a batch in redemption-id order (the partition's own order), read page by
    /// page of the table's query until that many are in: the review's unfiltered first page without reading every row.
    /// </summary>
    public async Task<List<BatchItemEntity>> FirstItemsAsync(string batchId, int count, CancellationToken ct)
    {
        var result = new List<BatchItemEntity>(count);
        var filter = TableClient.CreateQueryFilter($"PartitionKey eq {batchId}");
        await foreach (var page in store.Table(VoucherStore.BatchItems).QueryAsync<BatchItemEntity>(filter, maxPerPage: count, cancellationToken: ct).AsPages(pageSizeHint: count))
        {
            result.AddRange(page.Values.Take(count - result.Count));
            if (result.Count >= count)
            {
                break;
            }
        }

        return result;
    }

    /// <summary>
    /// A decision save names itself on the batch row before it writes rows (<see cref="KeptTotals"/>): while named, the
    /// kept totals are not trusted, and a count from the rows made meanwhile cannot be stored (the row's ETag moved).
    /// Returns the name to end the change with.
    /// </summary>
    public async Task<string> BeginTotalsChangeAsync(string batchId, DateTimeOffset at, CancellationToken ct)
    {
        var token = Guid.NewGuid().ToString("N");
        await UpdateBatchAsync(batchId, batch =>
        {
            var pending = KeptTotals.Pending(batch);
            pending[token] = at;
            KeptTotals.SetPending(batch, pending);
            batch.ReviewChangedAt = at;
        }, ct);
        return token;
    }

    /// <summary>
    /// Ends the save named <paramref name="token"/>: its change of the decision counts is added to the kept totals and its
    /// name removed, in one write under the row's ETag (which also moves the review cache's key, as every save must).
    /// When the name is gone (a count from the rows took the save for dead and counted its rows), nothing is added.
    /// </summary>
    public Task EndTotalsChangeAsync(string batchId, string token, (int Approved, int Rejected) change, DateTimeOffset at, CancellationToken ct) =>
        UpdateBatchAsync(batchId, batch =>
        {
            var pending = KeptTotals.Pending(batch);
            if (pending.Remove(token) && batch.TotalsKept)
            {
                batch.TotalApproved += change.Approved;
                batch.TotalRejected += change.Rejected;
            }

            KeptTotals.SetPending(batch, pending);
            batch.ReviewChangedAt = at;
        }, ct);

    /// <summary>
    /// Stores the totals counted from <paramref name="items"/>, read after <paramref name="batch"/> was: only under the
    /// ETag the batch was read with, so a save that began meanwhile keeps the count from being stored. Returns the row's
    /// new ETag when stored, null otherwise (the row changed: the next page counts again).
    /// </summary>
    public async Task<Azure.ETag?> TryRecountAsync(BatchEntity batch, IReadOnlyCollection<BatchItemEntity> items, CancellationToken ct)
    {
        KeptTotals.Count(batch, items);
        try
        {
            var response = await store.Table(VoucherStore.Batches).UpdateEntityAsync(batch, batch.ETag, TableUpdateMode.Replace, ct);
            return response.Headers.ETag;
        }
        catch (Azure.RequestFailedException e) when (e.Status == 412)
        {
            return null;
        }
    }

    /// <summary>Reads the batch row, applies <paramref name="change"/> and replaces it under the ETag it was read with, again on a concurrent change.</summary>
    async Task UpdateBatchAsync(string batchId, Action<BatchEntity> change, CancellationToken ct)
    {
        for (var attempt = 0; ; attempt++)
        {
            var batch = await GetBatchAsync(batchId, ct) ?? throw new DomainException($"Batch {batchId} not found.");
            change(batch);
            try
            {
                await ReplaceBatchAsync(batch, ct);
                return;
            }
            catch (Azure.RequestFailedException e) when (e.Status == 412 && attempt < 50)
            {
                await Task.Delay(Random.Shared.Next(5, 20 * Math.Min(attempt + 1, 10)), ct);
            }
        }
    }

    /// <summary>Replaces one batch item under the ETag it was read with; false when it changed meanwhile.</summary>
    public async Task<bool> ReplaceItemAsync(BatchItemEntity item, CancellationToken ct)
    {
        try
        {
            await store.Table(VoucherStore.BatchItems).UpdateEntityAsync(item, item.ETag, TableUpdateMode.Replace, ct);
            return true;
        }
        catch (Azure.RequestFailedException e) when (e.Status == 412)
        {
            return false;
        }
    }

    /// <summary>Replaces the batch row under the ETag it was read with (throws on a concurrent change).</summary>
    public Task ReplaceBatchAsync(BatchEntity batch, CancellationToken ct) =>
        store.Table(VoucherStore.Batches).UpdateEntityAsync(batch, batch.ETag, TableUpdateMode.Replace, ct);

    /// <summary>Writes rows of one partition in entity-group transactions of up to 100.</summary>
    public async Task UpsertManyAsync<T>(string table, IReadOnlyList<T> rows, CancellationToken ct)
        where T : class, ITableEntity
    {
        foreach (var group in rows.GroupBy(r => r.PartitionKey))
        {
            foreach (var slice in group.Chunk(100))
            {
                await store.Table(table).SubmitTransactionAsync(slice.Select(r => new TableTransactionAction(TableTransactionActionType.UpsertReplace, r)), ct);
            }
        }
    }

    /// <summary>
    /// Deletes rows of one partition in entity-group transactions of up to 100; a slice that fails (a row already gone:
    /// a retried step) is deleted one by one, where a missing row is no error, so a retried step is safe.
    /// </summary>
    public Task DeleteManyAsync(string table, string partitionKey, IReadOnlyList<string> rowKeys, CancellationToken ct) =>
        Parallel.ForEachAsync(rowKeys.Distinct(StringComparer.Ordinal).Chunk(100), new ParallelOptions { MaxDegreeOfParallelism = 4, CancellationToken = ct }, async (slice, token) =>
        {
            var client = store.Table(table);
            try
            {
                await client.SubmitTransactionAsync(slice.Select(rowKey => new TableTransactionAction(TableTransactionActionType.Delete, new TableEntity(partitionKey, rowKey), Azure.ETag.All)), token);
            }
            catch (Azure.RequestFailedException)
            {
                foreach (var rowKey in slice)
                {
                    await client.DeleteEntityAsync(partitionKey, rowKey, cancellationToken: token);
                }
            }
        });

    public Task<List<ObjectionEntity>> ObjectionsAsync(string redemptionId, CancellationToken ct = default) =>
        store.PartitionAsync<ObjectionEntity>(VoucherStore.Objections, redemptionId, 100, ct);

    public Task SaveObjectionAsync(ObjectionEntity objection, CancellationToken ct) =>
        store.UpsertAsync(VoucherStore.Objections, objection, ct);

    public Task<List<PublicityIndexEntity>> OpenPublicityAsync(CancellationToken ct = default) =>
        store.PartitionAsync<PublicityIndexEntity>(VoucherStore.PublicityIndex, "open", 500, ct);
}
