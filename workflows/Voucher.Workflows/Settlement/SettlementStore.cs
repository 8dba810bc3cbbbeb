using Azure.Data.Tables;
using Voucher.Workflows.Storage;

namespace Voucher.Workflows.Settlement;

/// <summary>Batches, their items, objections and the open-publicity index.</summary>
public sealed class SettlementStore(VoucherStore store)
{
    public VoucherStore Tables => store;

    public Task<BatchEntity?> GetBatchAsync(string batchId, CancellationToken ct = default) =>
        SettlementIds.Split(batchId) is { } key
            ? store.GetAsync<BatchEntity>(VoucherStore.Batches, key.City, key.Period, ct)
            : Task.FromResult<BatchEntity?>(null);

    public Task<List<BatchEntity>> BatchesOfCityAsync(string cityCode, CancellationToken ct = default) =>
        store.PartitionAsync<BatchEntity>(VoucherStore.Batches, cityCode, 200, ct);

    public Task<List<BatchItemEntity>> ItemsAsync(string batchId, CancellationToken ct = default) =>
        store.PartitionAsync<BatchItemEntity>(VoucherStore.BatchItems, batchId, 50_000, ct);

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

    public Task<List<PublicityIndexEntity>> OpenPublicityAsync(CancellationToken ct = default) =>
        store.PartitionAsync<PublicityIndexEntity>(VoucherStore.PublicityIndex, "open", 500, ct);
}
