using System.Collections.Concurrent;

namespace Voucher.Workflows.Settlement;

/// <summary>
/// The rows of the batches under review, read once per batch version: the key is the batch row's ETag, which every
/// decision save changes (<see cref="SettlementStore.EndTotalsChangeAsync"/>), so a second host instance never serves rows
/// older than the last save it can see; an expert's opinion touches the batch too, and the risk flags are written
/// before the review opens. <see cref="MaxAge"/> only bounds how long a copy lives if a writer were ever missed: an
/// officer who reads a page for a few minutes must not pay for the whole batch again on the next one. One entry per
/// batch; the rows are shared and read-only — a decision reads its rows afresh.
/// </summary>
public sealed class BatchReviewCache(SettlementStore settlements, TimeProvider time)
{
    public static readonly TimeSpan MaxAge = TimeSpan.FromMinutes(10);

    /// <summary>Batches kept at once (each a few MB at 10,000 rows); the oldest goes first.</summary>
    const int MaxBatches = 8;

    sealed record Entry(string ETag, DateTimeOffset LoadedAt, IReadOnlyList<BatchItemEntity> Items);

    readonly ConcurrentDictionary<string, Entry> entries = new(StringComparer.Ordinal);

    public async Task<IReadOnlyList<BatchItemEntity>> ItemsAsync(BatchEntity batch, CancellationToken ct)
    {
        var etag = batch.ETag.ToString();
        var now = time.GetUtcNow();
        if (entries.TryGetValue(batch.BatchId, out var hit) && hit.ETag == etag && now - hit.LoadedAt < MaxAge)
        {
            return hit.Items;
        }

        var items = await settlements.ItemsAsync(batch.BatchId, ct);
        entries[batch.BatchId] = new Entry(etag, now, items);
        while (entries.Count > MaxBatches && entries.MinBy(e => e.Value.LoadedAt) is { Key: { } oldest })
        {
            entries.TryRemove(oldest, out _);
        }

        return items;
    }

    /// <summary>
    /// The batch row was written with nothing in its rows changed (their totals counted and stored): the rows cached
    /// under <paramref name="from"/> stay good under the row's new ETag.
    /// </summary>
    public void Rekey(string batchId, string from, string to)
    {
        if (entries.TryGetValue(batchId, out var hit) && hit.ETag == from)
        {
            entries.TryUpdate(batchId, hit with { ETag = to }, hit);
        }
    }
}
