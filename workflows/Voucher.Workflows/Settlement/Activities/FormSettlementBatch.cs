using Voucher.Domain;
using Azure.Data.Tables;
using Voucher.Workflows.Durable;
using Voucher.Workflows.Policies;
using Voucher.Workflows.Redemptions;
using Voucher.Workflows.Storage;

namespace Voucher.Workflows.Settlement;

/// <summary>
/// Freezes every redemption of the city queued before the cut-off into the batch: items first (entity-group
/// transactions), then the batch row, then the queue rows go. A retry finds the batch row and only finishes the
/// clean-up, so nothing is taken twice or lost.
/// </summary>
public sealed class FormSettlementBatch(SettlementStore settlements, RedemptionStore redemptions, PolicyStore policies, TimeProvider time) : IActivity<SettlementInput, BatchSummary>
{
    public async Task<BatchSummary> RunAsync(SettlementInput input, CancellationToken ct = default)
    {
        var batchId = SettlementIds.BatchId(input.CityCode, input.PeriodId);
        var store = settlements.Tables;
        var cutoffKey = $"{new DateTimeOffset(DateTime.SpecifyKind(input.CutoffUtc, DateTimeKind.Utc)).UtcTicks:D19}";
        var queued = new List<SettlementQueueEntity>();
        var filter = TableClient.CreateQueryFilter($"PartitionKey eq {input.CityCode} and RowKey lt {cutoffKey}");
        await foreach (var row in store.Table(VoucherStore.SettlementQueue).QueryAsync<SettlementQueueEntity>(filter, cancellationToken: ct))
        {
            queued.Add(row);
        }

        var batch = await settlements.GetBatchAsync(batchId, ct);
        var stale = new System.Collections.Concurrent.ConcurrentBag<string>();
        if (batch is null)
        {
            var items = new BatchItemEntity?[queued.Count];
            await Parallel.ForEachAsync(Enumerable.Range(0, queued.Count), new ParallelOptions { MaxDegreeOfParallelism = SettlementPhases.ItemConcurrency, CancellationToken = ct }, async (i, token) =>
            {
                var r = await redemptions.GetAsync(queued[i].RedemptionId, token);
                if (r is not null && RedemptionTransitions.IsFinal(r.State))
                {
                    // Withdrawn after this query read the queue (its own dequeue may not have happened yet).
                    stale.Add(queued[i].RowKey);
                }

                items[i] = r is not { State: Voucher.Domain.RedemptionStatus.Queued } ? null : new BatchItemEntity
                {
                    PartitionKey = batchId,
                    RowKey = r.RedemptionId,
                    Uscc = r.Uscc,
                    EnterpriseName = r.EnterpriseName,
                    InstitutionId = r.InstitutionId,
                    InstitutionName = r.InstitutionName,
                    ServiceTitle = r.ServiceTitle,
                    ServiceCategory = r.ServiceCategory,
                    AmountPaidFen = r.AmountPaidFen,
                    PayoutFen = r.PayoutFen,
                    BindingMode = r.BindingMode,
                    BoundBy = r.BoundBy,
                };
            });
            var present = items.Where(i => i is not null).Select((item, index) =>
            {
                item!.Chunk = index / SettlementPhases.ChunkSize;
                return item;
            }).ToList();
            await settlements.UpsertManyAsync(VoucherStore.BatchItems, present, ct);
            var policy = await policies.GetCurrentAsync(input.CityCode, ct);
            batch = new BatchEntity
            {
                PartitionKey = input.CityCode,
                RowKey = input.PeriodId,
                CutoffUtc = new DateTimeOffset(DateTime.SpecifyKind(input.CutoffUtc, DateTimeKind.Utc)),
                ItemCount = present.Count,
                ChunkCount = (present.Count + SettlementPhases.ChunkSize - 1) / SettlementPhases.ChunkSize,
                PolicyVersion = policy.Version,
                StartedBy = input.StartedBy,
                FormedAt = time.GetUtcNow(),
            };
            if (!await store.TryAddAsync(VoucherStore.Batches, batch, ct))
            {
                batch = (await settlements.GetBatchAsync(batchId, ct))!;
            }
        }

        // Only rows frozen into this batch leave the queue (a row queued during a retry stays for the next period).
        var frozen = (await settlements.ItemsAsync(batchId, ct)).Select(i => i.RowKey).ToHashSet();
        await settlements.DeleteManyAsync(VoucherStore.SettlementQueue, input.CityCode, queued.Where(q => frozen.Contains(q.RedemptionId) || stale.Contains(q.RowKey)).Select(q => q.RowKey).ToList(), ct);
        return new BatchSummary(batchId, batch.ItemCount, batch.ChunkCount);
    }
}
