using System.Text.Json;

namespace Voucher.Workflows.Settlement;

/// <summary>
/// The review's totals kept on the batch row, so the unfiltered first page of a 10,000-row batch reads the batch row
/// and one page of rows instead of every row. They are counted from the rows once (when the review opens, or on the
/// first page of a batch formed before they were kept) and then moved by each decision save, which names itself in
/// <see cref="BatchEntity.TotalsPending"/> before writing rows and adds its change after (<see cref="SettlementStore.EndTotalsChangeAsync"/>).
/// A save that died between the two leaves its name: after <see cref="StaleAfter"/> the next page counts the rows
/// again (<see cref="SettlementStore.TryRecountAsync"/>), so the totals always come back to the counts of the records.
/// </summary>
public static class KeptTotals
{
    /// <summary>A save named this long ago without finishing is taken as dead (a bulk step of 2,000 rows takes seconds).</summary>
    public static readonly TimeSpan StaleAfter = TimeSpan.FromMinutes(15);

    /// <summary>The whole batch's totals when they can be trusted: kept, and no save under way.</summary>
    public static BatchReviewTotals? Kept(BatchEntity batch) =>
        batch.TotalsKept && Pending(batch).Count == 0
            ? new BatchReviewTotals(batch.TotalCount, batch.TotalPayoutFen, batch.TotalPaidFen, batch.TotalApproved, batch.TotalRejected, batch.TotalFlagged)
            : null;

    /// <summary>
    /// The totals should be counted again from the rows: never kept (and no save under way), or every save still named
    /// is dead. A save under way is never counted past: its rows may be half written.
    /// </summary>
    public static bool NeedsRecount(BatchEntity batch, DateTimeOffset now)
    {
        var pending = Pending(batch);
        return pending.Count == 0 ? !batch.TotalsKept : pending.Values.All(at => now - at >= StaleAfter);
    }

    /// <summary>Counts the totals and filter choices from <paramref name="items"/> onto the batch row; no save is left named.</summary>
    public static void Count(BatchEntity batch, IReadOnlyCollection<BatchItemEntity> items) =>
        new Tally().Add(items).StoreOn(batch);

    /// <summary>
    /// The same count from the batch's rows a page at a time (<see cref="SettlementStore.ItemPagesAsync"/>), so opening
    /// the review of a 100,000-item batch holds one page of rows, not the batch.
    /// </summary>
    public static async Task CountAsync(BatchEntity batch, IAsyncEnumerable<IReadOnlyList<BatchItemEntity>> pages, CancellationToken ct = default)
    {
        var tally = new Tally();
        await foreach (var page in pages.WithCancellation(ct))
        {
            tally.Add(page);
        }

        tally.StoreOn(batch);
    }

    /// <summary>The institutions of the rows (id, name), by name.</summary>
    public static IReadOnlyList<(string Id, string Name)> Institutions(IReadOnlyCollection<BatchItemEntity> items) => new Tally().AddChoices(items).Institutions;

    public static IReadOnlyList<string> Categories(IReadOnlyCollection<BatchItemEntity> items) => new Tally().AddChoices(items).Categories;

    /// <summary>The kept institutions of the review's filter (empty when none are kept).</summary>
    public static IReadOnlyList<(string Id, string Name)> KeptInstitutions(BatchEntity batch) =>
        Parse<string[][]>(batch.ReviewInstitutions) is { } pairs ? [.. pairs.Where(p => p.Length == 2).Select(p => (p[0], p[1]))] : [];

    public static IReadOnlyList<string> KeptCategories(BatchEntity batch) => Parse<string[]>(batch.ReviewCategories) ?? [];

    /// <summary>The saves under way, by token.</summary>
    public static Dictionary<string, DateTimeOffset> Pending(BatchEntity batch) =>
        Parse<Dictionary<string, DateTimeOffset>>(batch.TotalsPending) ?? new(StringComparer.Ordinal);

    public static void SetPending(BatchEntity batch, Dictionary<string, DateTimeOffset> pending) =>
        batch.TotalsPending = pending.Count == 0 ? null : JsonSerializer.Serialize(pending);

    /// <summary>What a save changed in the decision counts: each written row's verdict before and after.</summary>
    public static (int Approved, int Rejected) Change(IEnumerable<(RowVerdict Before, RowVerdict After)> rows)
    {
        int approved = 0, rejected = 0;
        foreach (var (before, after) in rows)
        {
            approved += (after == RowVerdict.Approve ? 1 : 0) - (before == RowVerdict.Approve ? 1 : 0);
            rejected += (after == RowVerdict.Reject ? 1 : 0) - (before == RowVerdict.Reject ? 1 : 0);
        }

        return (approved, rejected);
    }

    /// <summary>Totals and filter choices added up over rows given in any number of parts (one place for both counts above).</summary>
    sealed class Tally
    {
        BatchReviewTotals totals = BatchReviewTotals.None;

        // An institution's name as its first row gives it; insertion order breaks ties between equal names.
        readonly Dictionary<string, string> institutions = new(StringComparer.Ordinal);
        readonly HashSet<string> categories = new(StringComparer.Ordinal);

        public IReadOnlyList<(string Id, string Name)> Institutions =>
            [.. institutions.Select(p => (p.Key, p.Value)).OrderBy(x => x.Value, StringComparer.Ordinal)];

        public IReadOnlyList<string> Categories => [.. categories.Order(StringComparer.Ordinal)];

        public Tally Add(IReadOnlyCollection<BatchItemEntity> items)
        {
            totals += BatchReviewTotals.Of(items);
            return AddChoices(items);
        }

        /// <summary>The filter's choices only (the page counts its totals itself).</summary>
        public Tally AddChoices(IReadOnlyCollection<BatchItemEntity> items)
        {
            foreach (var item in items)
            {
                institutions.TryAdd(item.InstitutionId, item.InstitutionName);
                categories.Add(item.ServiceCategory);
            }

            return this;
        }

        public void StoreOn(BatchEntity batch)
        {
            batch.TotalsKept = true;
            batch.TotalCount = totals.Count;
            batch.TotalPayoutFen = totals.PayoutFen;
            batch.TotalPaidFen = totals.PaidFen;
            batch.TotalApproved = totals.Approved;
            batch.TotalRejected = totals.Rejected;
            batch.TotalFlagged = totals.Flagged;
            batch.ReviewInstitutions = JsonSerializer.Serialize(Institutions.Select(i => new[] { i.Id, i.Name }));
            batch.ReviewCategories = JsonSerializer.Serialize(Categories);
            batch.TotalsPending = null;
        }
    }

    static T? Parse<T>(string? json)
        where T : class
    {
        if (string.IsNullOrWhiteSpace(json))
        {
            return null;
        }

        try
        {
            return JsonSerializer.Deserialize<T>(json);
        }
        catch (JsonException)
        {
            return null;
        }
    }
}
