using System.Collections.Concurrent;
using Azure.Data.Tables;
using Voucher.Workflows.Audit;
using Voucher.Workflows.Durable;
using Voucher.Workflows.Policies;
using Voucher.Workflows.Redemptions;

namespace Voucher.Workflows.Settlement;

/// <summary>
/// Forms the batch from every redemption of the city queued before the cut-off and freezes each one (Queued → InBatch,
/// under its ETag) in the same pass, one page of the queue (<see cref="PageSize"/> rows) at a time: the page's rows
/// first, then their listing and audit rows and the batch items (entity-group transactions); after the last page the
/// batch row, then the queue rows go. What the step holds at once is a page of redemptions, whatever the batch's size
/// (and the queue rows' keys and amounts, for the dequeue). A retry moves nothing twice: a row this step already froze
/// (same batch, same freeze time) is taken as it is, and once the batch row exists only the clean-up is left.
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
    Microsoft.Extensions.Logging.ILogger<FormSettlementBatch> log,
    int pageSize = FormSettlementBatch.PageSize) : IActivity<SettlementInput, BatchSummary>
{
    /// <summary>Queue rows read, frozen and written per pass: a table query's largest page.</summary>
    public const int PageSize = 1000;

    public async Task<BatchSummary> RunAsync(SettlementInput input, CancellationToken ct = default)
    {
        var batchId = SettlementIds.BatchId(input.CityCode, input.PeriodId);
        var store = settlements.Tables;
        var freezeAt = input.FormAt is { } formAt ? RedemptionSteps.Utc(formAt) : (DateTimeOffset?)null;
        var cutoffKey = $"{new DateTimeOffset(DateTime.SpecifyKind(input.CutoffUtc, DateTimeKind.Utc)).UtcTicks:D19}";
        var batch = await settlements.GetBatchAsync(batchId, ct);
        var queued = new List<SettlementQueueEntity>();
        var stale = new HashSet<string>(StringComparer.Ordinal);
        var (present, frozen) = (0, 0);
        var filter = TableClient.CreateQueryFilter($"PartitionKey eq {input.CityCode} and RowKey lt {cutoffKey}");
        await foreach (var page in store.Table(VoucherStore.SettlementQueue).QueryAsync<SettlementQueueEntity>(filter, maxPerPage: pageSize, cancellationToken: ct).AsPages(pageSizeHint: pageSize))
        {
            queued.AddRange(page.Values);
            if (batch is null)
            {
                // The queue rows stay until the batch row exists, so the pages read on stay where they were.
                var formed = await FormPageAsync(page.Values, batchId, freezeAt, present, stale, ct);
                present += formed.Taken;
                frozen += formed.Frozen;
            }
        }

        if (batch is null)
        {
            var policy = await policies.GetCurrentAsync(input.CityCode, ct);
            batch = new BatchEntity
            {
                PartitionKey = input.CityCode,
                RowKey = input.PeriodId,
                CutoffUtc = new DateTimeOffset(DateTime.SpecifyKind(input.CutoffUtc, DateTimeKind.Utc)),
                ItemCount = present,
                ChunkCount = (present + SettlementPhases.ChunkSize - 1) / SettlementPhases.ChunkSize,
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
        var inBatch = await settlements.ItemIdsAsync(batchId, ct);
        await QueueCount.DequeueAsync(store, input.CityCode, queued.Where(q => inBatch.Contains(q.RedemptionId) || stale.Contains(q.RowKey)).ToList(), ct);
        SettlementLog.Formed(log, batchId, batch.ItemCount, batch.ChunkCount, freezeAt is not null, frozen);
        return new BatchSummary(batchId, batch.ItemCount, batch.ChunkCount, freezeAt is not null, RiskCheck: true);
    }

    /// <summary>
    /// Freezes one page of queue rows and writes what follows from it; the items are numbered on from
    /// <paramref name="offset"/> (the items of the pages before), which puts each in its chunk. Adds the keys of
    /// queue rows whose redemption ended meanwhile to <paramref name="stale"/>.
    /// </summary>
    async Task<(int Taken, int Frozen)> FormPageAsync(IReadOnlyList<SettlementQueueEntity> queued, string batchId, DateTimeOffset? freezeAt, int offset, HashSet<string> stale, CancellationToken ct)
    {
        var items = new BatchItemEntity?[queued.Count];
        var ended = new ConcurrentBag<string>();
        var frozen = new ConcurrentBag<RedemptionEntity>();
        var audit = new ConcurrentBag<(string, AuditEntry)>();
        await Parallel.ForEachAsync(Enumerable.Range(0, queued.Count), new ParallelOptions { MaxDegreeOfParallelism = SettlementPhases.ItemConcurrency, CancellationToken = ct }, async (i, token) =>
        {
            var r = freezeAt is { } at
                ? await FreezeAsync(queued[i].RedemptionId, batchId, at, frozen, audit, token)
                : await steps.Store.GetAsync(queued[i].RedemptionId, token);
            if (r is not null && RedemptionTransitions.IsFinal(r.State))
            {
                // Withdrawn after this query read the queue (its own dequeue may not have happened yet).
                ended.Add(queued[i].RowKey);
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

        stale.UnionWith(ended);
        // The frozen rows' listing and audit rows, 100 per call; both have fixed keys, so a retry rewrites the same rows.
        await steps.Store.UpsertIndexManyAsync(frozen, ct);
        await steps.AuditBatchAsync(batchId, audit, ct);
        // Their money enters review (markers per redemption: a retry before the batch row exists counts nothing twice).
        await stats.CommittedEnteredAsync(frozen, MoneyStage.Review, ct);
        var present = items.Where(i => i is not null).Select((item, index) =>
        {
            item!.Chunk = (offset + index) / SettlementPhases.ChunkSize;
            return item;
        }).ToList();
        await settlements.UpsertManyAsync(VoucherStore.BatchItems, present, ct);
        return (present.Count, frozen.Count);
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
