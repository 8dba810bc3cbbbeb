using System.Collections.Concurrent;
using Azure;
using Azure.Data.Tables;
using Voucher.Workflows.Redemptions;

namespace Voucher.Workflows.Supervision;

/// <summary>One thing to count once in a city-year row: its marker name (unique per redemption) and its change.</summary>
public sealed record MoneyEntry(string CityCode, int Year, string RedemptionId, string Name, long Fen, Action<CityYearStatsEntity> Change);

/// <summary>
/// Money by stage per city and cap year (待结算, 结算审核中, 公示中, 待拨付, 已拨付, and released), kept as the redemptions move.
/// </summary>
/// <remarks>
/// A redemption's pay-out enters each stage of its path (<see cref="MoneyStages.Path"/>) once; entering a stage moves the
/// amount (and a count of one) out of the stage before it on the path and into the new one. Each entry is counted once:
/// its marker row <c>m|c|{redemption}|{stage}</c> is inserted in the same entity-group transaction as the ETag-conditional
/// update of the city-year row (up to 99 entries per transaction), so an entry counted before fails the transaction with
/// 409 and is left out of the retry, and a concurrent writer (412) makes it re-read the row. Because every entry moves the
/// amount out of the previous stage of the same path, the totals come out the same whatever order the entries are counted
/// in. A step counts the entry it has just made (<see cref="CommittedEnteredAsync"/>, no reads first); the final outcome
/// counts every entry the record implies that is not counted yet (<see cref="CommittedSyncAsync"/>: one range read of the
/// redemption's markers first), which also repairs an entry lost to a crash between a row's write and its count. A recount
/// from the records sums <see cref="RedemptionEntity.PayoutFen"/> by <see cref="MoneyStages.Current"/> of
/// <see cref="FactsOf"/>, per city and cap year, and equals these totals once the final outcomes are counted.
/// </remarks>
public sealed partial class StatsAggregator
{
    /// <summary>Marker rows per transaction: the aggregate row is the hundredth action.</summary>
    const int EntriesPerTransaction = 99;

    /// <summary>What a redemption record says about its money stages (queued once it has a queue time and a cap year).</summary>
    public static MoneyFacts FactsOf(RedemptionEntity r) =>
        new(r.State, r.QueuedAt is not null && r.CapYear > 0, r.InBatchAt is not null, r.PublishedAt is not null, r.PayableAt is not null);

    /// <summary>Counts the entry into <paramref name="entered"/> of each row a step has just moved there (rows not on such a path are skipped).</summary>
    public Task CommittedEnteredAsync(IEnumerable<RedemptionEntity> rows, MoneyStage entered, CancellationToken ct = default) =>
        CountAsync(rows.SelectMany(r => MoneyEntries(r).Where(e => e.Name == entered.ToString())).ToList(), checkFirst: false, ct);

    /// <summary>Counts every entry the record implies that is not counted yet (a final outcome, or a repair).</summary>
    public Task CommittedSyncAsync(RedemptionEntity r, CancellationToken ct = default) =>
        CountAsync(MoneyEntries(r).ToList(), checkFirst: true, ct);

    /// <summary>Counts an advance the finance bureau confirmed as paid (once; its marker is <c>m|c|{redemption}|advance</c>).</summary>
    public Task AdvancePaidAsync(RedemptionEntity r, CancellationToken ct = default) =>
        CountAsync(MoneyEntries(r).Where(e => e.Name == AdvanceEntry).ToList(), checkFirst: false, ct);

    const string AdvanceEntry = "advance";

    /// <summary>Every entry a redemption record implies, in its cap year's partition: its stages, and a paid advance.</summary>
    public static IEnumerable<MoneyEntry> MoneyEntries(RedemptionEntity r)
    {
        var path = MoneyStages.Path(FactsOf(r));
        var fen = r.PayoutFen;
        if (path.Count > 0 && r.AdvancePaidFen > 0)
        {
            var advance = r.AdvancePaidFen;
            yield return new MoneyEntry(r.CityCode, r.CapYear, r.RedemptionId, AdvanceEntry, advance, s =>
            {
                s.AdvancePaidFen += advance;
                s.AdvancePaidCount++;
            });
        }

        foreach (var stage in path)
        {
            var left = MoneyStages.Before(path, stage);
            yield return new MoneyEntry(r.CityCode, r.CapYear, r.RedemptionId, stage.ToString(), fen, s =>
            {
                s.AddToStage(stage, fen, 1);
                if (left is { } before)
                {
                    s.AddToStage(before, -fen, -1);
                }
            });
        }
    }

    static string MarkerPrefix(string redemptionId) => "m|" + Safe($"c|{redemptionId}|");

    static string Marker(MoneyEntry e) => MarkerPrefix(e.RedemptionId) + Safe(e.Name);

    async Task CountAsync(IReadOnlyList<MoneyEntry> entries, bool checkFirst, CancellationToken ct)
    {
        foreach (var group in entries.GroupBy(e => (e.CityCode, e.Year)))
        {
            var pk = CityYearStatsEntity.PartitionOf(group.Key.CityCode, group.Key.Year);
            var pending = group.DistinctBy(Marker).ToList();
            if (checkFirst)
            {
                pending = await UncountedAsync(pk, pending, ct);
            }

            foreach (var slice in pending.Chunk(EntriesPerTransaction))
            {
                await CountSliceAsync(pk, slice.ToList(), ct);
            }
        }
    }

    async Task CountSliceAsync(string pk, List<MoneyEntry> pending, CancellationToken ct)
    {
        var table = store.Table(SupervisionTables.Stats);
        for (var attempt = 0; attempt < MaxAttempts; attempt++)
        {
            if (pending.Count == 0)
            {
                return;
            }

            var totals = attempt == 0 && lastWritten.TryGetValue(pk, out var known)
                ? known.Copy()
                : await store.GetAsync<CityYearStatsEntity>(SupervisionTables.Stats, pk, CityYearStatsEntity.TotalsRow, ct);
            var isNewRow = totals is null;
            totals ??= new CityYearStatsEntity { PartitionKey = pk, RowKey = CityYearStatsEntity.TotalsRow };
            foreach (var e in pending)
            {
                e.Change(totals);
            }

            var now = time.GetUtcNow();
            totals.UpdatedAt = now;
            var actions = pending.Select(e => new TableTransactionAction(TableTransactionActionType.Add, new StatsMarkerEntity { PartitionKey = pk, RowKey = Marker(e), At = now })).ToList();
            actions.Add(isNewRow
                ? new TableTransactionAction(TableTransactionActionType.Add, totals)
                : new TableTransactionAction(TableTransactionActionType.UpdateReplace, totals, totals.ETag));
            var rowChanged = false;
            try
            {
                var written = await table.SubmitTransactionAsync(actions, ct);
                Remember(pk, totals, written.Value.Count == actions.Count ? written.Value[^1].Headers.ETag : null);
                if (attempt + 1 >= ContendedAttempts)
                {
                    SupervisionLog.StatsContended(log, pk, $"{pending.Count} money entries", attempt + 1);
                }

                return;
            }
            catch (TableTransactionFailedException e) when (e.Status is 409 or 412)
            {
                // 412: only the aggregate row has a condition, so someone else wrote it; 409: a marker exists (counted
                // before) or another writer created the row first — the markers tell which.
                rowChanged = e.Status == 412;
            }
            catch (RequestFailedException e) when (e.Status is 409 or 412)
            {
                rowChanged = e.Status == 412;
            }

            lastWritten.TryRemove(pk, out _);
            if (!rowChanged)
            {
                pending = await UncountedAsync(pk, pending, ct);
            }

            await Task.Delay(Random.Shared.Next(5, 20 + attempt * 10), ct);
        }

        SupervisionLog.StatsGaveUp(log, pk, $"{pending.Count} money entries", MaxAttempts);
        throw new InvalidOperationException($"Statistics row {pk} is too busy to count {pending.Count} money entries.");
    }

    void Remember(string pk, CityYearStatsEntity totals, ETag? etag)
    {
        if (etag is { } tag)
        {
            var copy = totals.Copy();
            copy.ETag = tag;
            lastWritten[pk] = copy;
        }
        else
        {
            lastWritten.TryRemove(pk, out _);
        }
    }

    /// <summary>The entries whose markers are not in the partition yet: one range read per redemption (its few markers).</summary>
    async Task<List<MoneyEntry>> UncountedAsync(string pk, List<MoneyEntry> entries, CancellationToken ct)
    {
        var table = store.Table(SupervisionTables.Stats);
        var counted = new ConcurrentDictionary<string, bool>(StringComparer.Ordinal);
        await Parallel.ForEachAsync(entries.Select(e => e.RedemptionId).Distinct(StringComparer.Ordinal), new ParallelOptions { MaxDegreeOfParallelism = 8, CancellationToken = ct }, async (id, token) =>
        {
            var from = MarkerPrefix(id);
            var filter = TableClient.CreateQueryFilter($"PartitionKey eq {pk} and RowKey ge {from} and RowKey lt {from[..^1] + "}"}");
            await foreach (var row in table.QueryAsync<TableEntity>(filter, select: ["RowKey"], cancellationToken: token))
            {
                counted[row.RowKey] = true;
            }
        });

        return entries.Where(e => !counted.ContainsKey(Marker(e))).ToList();
    }
}
