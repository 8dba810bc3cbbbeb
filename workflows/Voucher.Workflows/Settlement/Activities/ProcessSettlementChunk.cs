using System.Collections.Concurrent;
using Voucher.Workflows.Durable;
using Voucher.Workflows.Redemptions;

namespace Voucher.Workflows.Settlement;

/// <summary>
/// Applies one phase to one chunk of a batch: freeze (Queued → InBatch), decide (→ Published or Rejected) or
/// close publicity (Published → Payable; objected ones stay held). Freeze is a phase only for batches formed by an
/// older orchestration; <see cref="FormSettlementBatch"/> freezes the items now. Each row changes under its ETag and only
/// from the expected state, so a retried chunk changes nothing twice.
/// </summary>
public sealed class ProcessSettlementChunk(
    SettlementStore settlements,
    RedemptionSteps steps,
    Enforcement.PrepaymentAudit prepayment,
    Supervision.StatsAggregator stats,
    SettlementNotices notices,
    Microsoft.Extensions.Logging.ILogger<ProcessSettlementChunk> log) : IActivity<ChunkInput, ChunkResult>
{
    public async Task<ChunkResult> RunAsync(ChunkInput input, CancellationToken ct = default)
    {
        var items = await settlements.ChunkAsync(input.BatchId, input.Chunk, ct);
        var counts = new ConcurrentDictionary<string, int>();
        var rejected = new ConcurrentBag<string>();
        var updated = new ConcurrentBag<RedemptionEntity>();
        var stop = new ConcurrentBag<string>();
        var audit = new ConcurrentBag<(string, Audit.AuditEntry)>();
        var moved = new ConcurrentBag<RedemptionEntity>();
        var at = RedemptionSteps.Utc(input.At);
        await Parallel.ForEachAsync(items, new ParallelOptions { MaxDegreeOfParallelism = SettlementPhases.ItemConcurrency, CancellationToken = ct }, async (item, token) =>
        {
            string? from = null;
            var r = await steps.Store.UpdateAsync(item.RedemptionId, e =>
            {
                from = input.Phase switch
                {
                    SettlementPhase.Freeze => Freeze(e, input.BatchId, at),
                    SettlementPhase.Decide => Decide(e, item, at),
                    SettlementPhase.ClosePublicity => ClosePublicity(e, at),
                    _ => throw new ArgumentException($"Unknown phase {input.Phase}"),
                };
                // The item's entry (in the batch's partition) follows; a pre-paid row's review writes more (its audit): touched instead.
                if (from is not null && !(input.Phase == SettlementPhase.Decide && e.PrepaidFen > 0))
                {
                    RedemptionSteps.Announce(e, input.At, from);
                }

                return from is not null;
            }, token, writeIndex: false);
            updated.Add(r);

            counts.AddOrUpdate(r.Status.ToString(), 1, (_, n) => n + 1);
            if (input.Phase == SettlementPhase.Decide && r.State == RedemptionStatus.Rejected && r.BatchId == input.BatchId)
            {
                rejected.Add(r.RedemptionId);
            }

            // A retry after a crash finds the row already moved by this same step (its time is the step's): the audit
            // row has a fixed key, so it is written again rather than lost (with the chunk's others, after the loop).
            from ??= input.Phase switch
            {
                SettlementPhase.Freeze when r.BatchId == input.BatchId && r.InBatchAt == at => nameof(RedemptionStatus.Queued),
                SettlementPhase.Decide when r.ReviewedAt == at => nameof(RedemptionStatus.InBatch),
                SettlementPhase.ClosePublicity when r.PayableAt == at && r.State == RedemptionStatus.Payable => nameof(RedemptionStatus.Published),
                _ => null,
            };
            if (from is not null)
            {
                audit.Add(RedemptionSteps.BatchEntry(r, item.DecidedBy ?? "settlement", input.At, from, Detail(input.Phase, r, item)));
                moved.Add(r);
            }

            // Publicity over for a row this step made payable (also on a retry: same id and time, the same inbox row).
            if (input.Phase == SettlementPhase.ClosePublicity && r.State == RedemptionStatus.Payable && r.PayableAt == at)
            {
                await notices.PublicityEndedAsync(r, at, token);
            }

            // The batch review of a pre-paid redemption is its audit (fixed keys: a retried chunk writes nothing twice).
            if (input.Phase == SettlementPhase.Decide && r.PrepaidFen > 0 && r.BatchId == input.BatchId && r.ReviewedAt == at)
            {
                foreach (var id in await prepayment.AuditedAsync(r, item, at, token))
                {
                    stop.Add(id);
                }
            }
        });

        // The listing and audit rows of the whole chunk in entity-group transactions, from each row's state as this run
        // left it (also the rows an earlier, crashed run of this step had moved), instead of three single writes per item.
        await steps.Store.UpsertIndexManyAsync(updated, ct);
        await steps.AuditBatchAsync(input.BatchId, audit, ct);

        // The money of the rows this step moved enters its next stage (a rejection is counted with its final outcome).
        var entered = input.Phase switch
        {
            SettlementPhase.Freeze => MoneyStage.Review,
            SettlementPhase.Decide => MoneyStage.Publicity,
            _ => MoneyStage.Payable,
        };
        await stats.CommittedEnteredAsync(moved.Where(r => input.Phase != SettlementPhase.Decide || r.PublishedAt == at), entered, ct);
        var result = new ChunkResult(input.Chunk, new Dictionary<string, int>(counts), rejected.Order(StringComparer.Ordinal).ToList(), stop.Distinct().Order(StringComparer.Ordinal).ToList());
        SettlementLog.ChunkProcessed(log, input.BatchId, input.Chunk, input.Phase.Name(), items.Count, moved.Count, result.Rejected.Count, result.Stop!.Count,
            string.Join(", ", result.Counts.OrderBy(c => c.Key, StringComparer.Ordinal).Select(c => $"{c.Key} {c.Value}")));
        return result;
    }

    /// <summary>Queued → InBatch of <paramref name="batchId"/> at <paramref name="at"/>; null when the row was not queued.</summary>
    internal static string? Freeze(RedemptionEntity e, string batchId, DateTimeOffset at)
    {
        var from = RedemptionSteps.Move(e, RedemptionStatus.InBatch);
        if (from is not null)
        {
            e.BatchId = batchId;
            e.InBatchAt = at;
        }

        return from;
    }

    static string? Decide(RedemptionEntity e, BatchItemEntity item, DateTimeOffset at)
    {
        if (e.State != RedemptionStatus.InBatch || item.Verdict == RowVerdict.Undecided)
        {
            return null;
        }

        e.ReviewedAt = at;
        if (item.Verdict == RowVerdict.Reject)
        {
            e.RejectReason = item.Reason;
            return RedemptionSteps.Move(e, RedemptionStatus.Rejected);
        }

        var from = RedemptionSteps.Move(e, RedemptionStatus.Approved);
        RedemptionSteps.Move(e, RedemptionStatus.Published);
        e.PublishedAt = at;
        return from;
    }

    /// <summary>Only published rows become payable when the window closes; an objected one waits for its resolution.</summary>
    static string? ClosePublicity(RedemptionEntity e, DateTimeOffset at)
    {
        if (e.State != RedemptionStatus.Published)
        {
            return null;
        }

        e.PayableAt = at;
        return RedemptionSteps.Move(e, RedemptionStatus.Payable);
    }

    internal static string FreezeDetail(string batchId) => $"纳入结算批次 {batchId} (frozen into the batch)";

    static string Detail(SettlementPhase phase, RedemptionEntity r, BatchItemEntity item) => phase switch
    {
        SettlementPhase.Freeze => FreezeDetail(r.BatchId!),
        SettlementPhase.Decide when r.State == RedemptionStatus.Rejected => $"批次审核驳回：{item.Reason}",
        SettlementPhase.Decide => $"批次审核通过，进入公示 (approved, published){(item.ExpertOpinion is null ? "" : "；专家意见：" + item.ExpertOpinion)}",
        _ => "公示期满无异议，待拨付 (publicity ended, payable)",
    };
}
