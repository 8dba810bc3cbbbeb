using System.Collections.Concurrent;
using Azure.Data.Tables;
using Voucher.Workflows.Audit;
using Voucher.Workflows.Durable;
using Voucher.Workflows.Policies;
using Voucher.Workflows.Redemptions;

namespace Voucher.Workflows.Settlement;

/// <summary>
/// Forms the batch from every redemption of the city queued before the cut-off and freezes each one (Queued → InBatch,
/// under its ETag) in the same pass: rows first, then their listing and audit rows and the batch items (entity-group
/// transactions), then the batch row, then the queue rows go. A retry moves nothing twice: a row this step already
/// froze (same batch, same freeze time) is taken as it is, and once the batch row exists only the clean-up is left.
/// </summary>
/// <remarks>
/// An input without <see cref="SettlementInput.FormAt"/> (scheduled by an orchestration recorded before the freeze
/// moved here) forms the batch only; that orchestration runs the freeze as a chunk phase.
/// </remarks>
public sealed class FormSettlementBatch(
    SettlementStore settlements,
    RedemptionSteps steps,
    PolicyStore policies,
    Supervision.StatsAggregator stats,
    TimeProvider time,
    Microsoft.Extensions.Logging.ILogger<FormSettlementBatch> log) : IActivity<SettlementInput, BatchSummary>
{
    public async Task<BatchSummary> RunAsync(SettlementInput input, CancellationToken ct = default)
    {
        var batchId = SettlementIds.BatchId(input.CityCode, input.PeriodId);
        var store = settlements.Tables;
        var freezeAt = input.FormAt is { } formAt ? RedemptionSteps.Utc(formAt) : (DateTimeOffset?)null;
        var cutoffKey = $"{new DateTimeOffset(DateTime.SpecifyKind(input.CutoffUtc, DateTimeKind.Utc)).UtcTicks:D19}";
        var queued = new List<SettlementQueueEntity>();
        var filter = TableClient.CreateQueryFilter($"PartitionKey eq {input.CityCode} and RowKey lt {cutoffKey}");
        await foreach (var row in store.Table(VoucherStore.SettlementQueue).QueryAsync<SettlementQueueEntity>(filter, cancellationToken: ct))
        {
            queued.Add(row);
        }

        var batch = await settlements.GetBatchAsync(batchId, ct);
        var stale = new ConcurrentBag<string>();
        var frozen = new ConcurrentBag<RedemptionEntity>();
        if (batch is null)
        {
            var items = new BatchItemEntity?[queued.Count];
            var audit = new ConcurrentBag<(string, AuditEntry)>();
            await Parallel.ForEachAsync(Enumerable.Range(0, queued.Count), new ParallelOptions { MaxDegreeOfParallelism = SettlementPhases.ItemConcurrency, CancellationToken = ct }, async (i, token) =>
            {
                var r = freezeAt is { } at
                    ? await FreezeAsync(queued[i].RedemptionId, batchId, at, frozen, audit, token)
                    : await steps.Store.GetAsync(queued[i].RedemptionId, token);
                if (r is not null && RedemptionTransitions.IsFinal(r.State))
                {
                    // Withdrawn after this query read the queue (its own dequeue may not have happened yet).
                    stale.Add(queued[i].RowKey);
                }

                var taken = freezeAt is null
                    ? r is { State: RedemptionStatus.Queued }
                    : r is { State: RedemptionStatus.InBatch } && r.BatchId == batchId;
                items[i] = !taken ? null : new BatchItemEntity
                {
                    PartitionKey = batchId,
                    RowKey = r!.RedemptionId,
                    Uscc = r.Uscc,
                    EnterpriseName = r.EnterpriseName,
                    InstitutionId = r.InstitutionId,
                    InstitutionName = r.InstitutionName,
                    ServiceTitle = r.ServiceTitle,
                    ServiceCategory = r.ServiceCategory,
                    AmountPaidFen = r.AmountPaidFen,
                    PayoutFen = r.PayoutFen,
                    CappedFromFen = r.CappedFromFen,
                    CapYear = r.CapYear,
                    BindingMode = r.BindingMode,
                    BoundBy = r.BoundBy,
                };
            });

            // The frozen rows' listing and audit rows, 100 per call; both have fixed keys, so a retry rewrites the same rows.
            await steps.Store.UpsertIndexManyAsync(frozen, ct);
            await steps.AuditBatchAsync(batchId, audit, ct);
            // Their money enters review (markers per redemption: a retry before the batch row exists counts nothing twice).
            await stats.CommittedEnteredAsync(frozen, MoneyStage.Review, ct);
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
        var inBatch = (await settlements.ItemsAsync(batchId, ct)).Select(i => i.RowKey).ToHashSet();
        await QueueCount.DequeueAsync(store, input.CityCode, queued.Where(q => inBatch.Contains(q.RedemptionId) || stale.Contains(q.RowKey)).ToList(), ct);
        SettlementLog.Formed(log, batchId, batch.ItemCount, batch.ChunkCount, freezeAt is not null, frozen.Count);
        return new BatchSummary(batchId, batch.ItemCount, batch.ChunkCount, freezeAt is not null, RiskCheck: true);
    }

    /// <summary>Queued → InBatch under the row's ETag; a row this step froze before a crash is recognised by batch and time.</summary>
    async Task<RedemptionEntity?> FreezeAsync(string redemptionId, string batchId, DateTimeOffset at, ConcurrentBag<RedemptionEntity> frozen, ConcurrentBag<(string, AuditEntry)> audit, CancellationToken ct)
    {
        if (await steps.Store.GetAsync(redemptionId, ct) is not { } known)
        {
            return null;
        }

        var moved = false;
        var r = await steps.Store.UpdateAsync(redemptionId, e =>
        {
            var from = ProcessSettlementChunk.Freeze(e, batchId, at);
            if (from is not null)
            {
                // Its entry in the batch's partition follows.
                RedemptionSteps.Announce(e, at.UtcDateTime, from);
            }

            return moved = from is not null;
        }, ct, writeIndex: false, known);
        if (moved || (r.State == RedemptionStatus.InBatch && r.BatchId == batchId && r.InBatchAt == at))
        {
            frozen.Add(r);
            audit.Add(RedemptionSteps.BatchEntry(r, "settlement", at.UtcDateTime, nameof(RedemptionStatus.Queued), ProcessSettlementChunk.FreezeDetail(batchId)));
        }

        return r;
    }
}
