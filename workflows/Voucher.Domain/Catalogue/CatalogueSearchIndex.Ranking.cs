namespace Voucher.Domain.Catalogue;

/// <summary>Ranking, sorting and paging: idf, the sort orders with their stable tie-break, the bounded heap of one page.</summary>
public sealed partial class CatalogueSearchIndex
{
    readonly record struct Scored(int Ord, double Score);

    IComparer<Scored> Comparer(SearchSort sort) => sort switch
    {
        SearchSort.Price => Comparer<Scored>.Create((a, b) => Tie(priceFrom[a.Ord].CompareTo(priceFrom[b.Ord]), a, b)),
        SearchSort.Turnaround => Comparer<Scored>.Create((a, b) => Tie(turnaround[a.Ord].CompareTo(turnaround[b.Ord]), a, b)),
        SearchSort.MostUsed => Comparer<Scored>.Create((a, b) => Tie(used[b.Ord].CompareTo(used[a.Ord]), a, b)),
        _ => Comparer<Scored>.Create((a, b) => Tie(b.Score.CompareTo(a.Score), a, b)),
    };

    /// <summary>
    /// Ties go by the entry's key (institution, service), so paging is stable and every instance — whatever order it
    /// loaded the catalogue in — answers the same query with the same order.
    /// </summary>
    int Tie(int primary, Scored a, Scored b) =>
        primary != 0 ? primary : a.Ord == b.Ord ? 0 : string.CompareOrdinal(docs[a.Ord]!.Key, docs[b.Ord]!.Key);

    double Idf(int df) => Math.Log(1 + ((double)Math.Max(1, byKey.Count) / Math.Max(1, df)));

    bool PassesRange(int ord, SearchQuery q) =>
        (q.PriceMinFen is not { } min || priceCeiling[ord] >= min)
        && (q.PriceMaxFen is not { } max || priceFrom[ord] <= max);

    /// <summary>The requested page without sorting everything: a bounded heap keeps the best skip+take.</summary>
    static List<Scored> TopPage(Span<Scored> all, IComparer<Scored> order, long skip, int take)
    {
        if (skip >= all.Length)
        {
            return [];
        }

        var need = (int)Math.Min(all.Length, skip + take);
        if ((long)need * 8 >= all.Length)
        {
            all.Sort(order);
            return [.. all.Slice((int)skip, need - (int)skip)];
        }

        // A max-heap by the order: the worst kept entry on top, replaced when a better one comes.
        var heap = new PriorityQueue<Scored, Scored>(need, Comparer<Scored>.Create((a, b) => order.Compare(b, a)));
        foreach (var h in all)
        {
            if (heap.Count < need)
            {
                heap.Enqueue(h, h);
            }
            else if (order.Compare(h, heap.Peek()) < 0)
            {
                heap.DequeueEnqueue(h, h);
            }
        }

        var best = new List<Scored>(heap.Count);
        while (heap.Count > 0)
        {
            best.Add(heap.Dequeue());
        }

        best.Reverse();
        return best.GetRange((int)skip, best.Count - (int)skip);
    }
}
