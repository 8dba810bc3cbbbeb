using System.Runtime.InteropServices;

namespace Voucher.Domain.Catalogue;

/// <summary>What the search index knows of one published service (a copy of the table row's searchable part).</summary>
public sealed record CatalogueDoc(
    string InstitutionId,
    string ServiceId,
    string Title,
    string Description,
    string Specifications,
    string Category,
    string CityCode,
    string InstitutionType,
    string InstitutionName,
    long PriceFromFen,
    long PriceToFen,
    int TurnaroundDays,
    int UsedCount)
{
    public string Key => KeyOf(InstitutionId, ServiceId);

    public bool VoucherEligible => ServiceCategories.IsEligible(Category);

    /// <summary>The upper end of the price range; a fixed price has none.</summary>
    public long PriceCeilingFen => Math.Max(PriceFromFen, PriceToFen);

    public static string KeyOf(string institutionId, string serviceId) => institutionId + "/" + serviceId;
}

public enum SearchSort
{
    Relevance,
    Price,
    Turnaround,
    MostUsed,
}

public sealed record SearchQuery(
    string? Keywords = null,
    string? Category = null,
    string? CityCode = null,
    string? InstitutionType = null,
    long? PriceMinFen = null,
    long? PriceMaxFen = null,
    bool? VoucherEligible = null,
    SearchSort Sort = SearchSort.Relevance,
    int Page = 1,
    int PageSize = 20)
{
    public const int MaxPageSize = 50;
}

public sealed record SearchHit(CatalogueDoc Doc, double Score);

/// <summary>
/// One page of hits, the total, and facet counts over the whole matching set. <see cref="Relaxed"/> says that no
/// service held every keyword, so services holding at least half of them are shown instead.
/// </summary>
public sealed record SearchResult(
    int Total,
    IReadOnlyList<SearchHit> Hits,
    IReadOnlyDictionary<string, int> Categories,
    IReadOnlyDictionary<string, int> Cities,
    IReadOnlyDictionary<string, int> InstitutionTypes,
    bool Relaxed);

/// <summary>
/// An in-memory inverted index of the service catalogue. Each document gets an ordinal; posting lists (token →
/// ordinals, ascending) exist for the text tokens of title, description and specifications
/// (<see cref="ChineseTokens"/>), separately for the title (it weighs more), and for the facets
/// (category, city, institution type, institution). A query intersects the posting lists of its keywords and
/// its facet filters, starting from the shortest, so the work grows with the smallest list, not with the catalogue.
/// An update retires the old ordinal (a tombstone) and appends a new one, which keeps every list sorted by
/// appending; the index compacts itself when tombstones outnumber live documents.
/// Ranking: the sum over the query's tokens of idf (ln(1 + N/df)), three times for a token in the title, ×1.5
/// when the title holds the query as a phrase, plus a small popularity term (orders taken).
/// Thread-safe: many readers, one writer.
/// </summary>
public sealed class CatalogueSearchIndex
{
    readonly List<CatalogueDoc?> docs = [];
    readonly List<string> normalizedTitles = [];
    readonly Dictionary<string, int> byKey = new(StringComparer.Ordinal);
    readonly Dictionary<string, List<int>> text = new(StringComparer.Ordinal);
    readonly Dictionary<string, List<int>> title = new(StringComparer.Ordinal);
    readonly Dictionary<string, List<int>> facets = new(StringComparer.Ordinal);
    readonly ReaderWriterLockSlim gate = new(LockRecursionPolicy.NoRecursion);
    int dead;

    public int Count
    {
        get
        {
            gate.EnterReadLock();
            try
            {
                return byKey.Count;
            }
            finally
            {
                gate.ExitReadLock();
            }
        }
    }

    /// <summary>Adds or replaces a document (by institution and service id).</summary>
    public void Upsert(CatalogueDoc doc)
    {
        gate.EnterWriteLock();
        try
        {
            RemoveLocked(doc.Key);
            AddLocked(doc);
            CompactIfNeededLocked();
        }
        finally
        {
            gate.ExitWriteLock();
        }
    }

    public bool Remove(string institutionId, string serviceId)
    {
        gate.EnterWriteLock();
        try
        {
            var removed = RemoveLocked(CatalogueDoc.KeyOf(institutionId, serviceId));
            CompactIfNeededLocked();
            return removed;
        }
        finally
        {
            gate.ExitWriteLock();
        }
    }

    /// <summary>Replaces the whole content (the first load, or a full reload).</summary>
    public void Load(IEnumerable<CatalogueDoc> all)
    {
        gate.EnterWriteLock();
        try
        {
            ClearLocked();
            foreach (var doc in all)
            {
                RemoveLocked(doc.Key);
                AddLocked(doc);
            }

            CompactIfNeededLocked();
        }
        finally
        {
            gate.ExitWriteLock();
        }
    }

    public CatalogueDoc? Get(string institutionId, string serviceId)
    {
        gate.EnterReadLock();
        try
        {
            return byKey.TryGetValue(CatalogueDoc.KeyOf(institutionId, serviceId), out var ord) ? docs[ord] : null;
        }
        finally
        {
            gate.ExitReadLock();
        }
    }

    /// <summary>The documents of one institution (from its facet posting list).</summary>
    public IReadOnlyList<CatalogueDoc> OfInstitution(string institutionId)
    {
        gate.EnterReadLock();
        try
        {
            return facets.TryGetValue("inst:" + institutionId, out var list)
                ? list.Select(o => docs[o]).OfType<CatalogueDoc>().ToList()
                : [];
        }
        finally
        {
            gate.ExitReadLock();
        }
    }

    public SearchResult Search(SearchQuery q)
    {
        var pageSize = Math.Clamp(q.PageSize, 1, SearchQuery.MaxPageSize);
        var page = Math.Max(1, q.Page);
        var keywords = ChineseTokens.ForQuery(q.Keywords);
        gate.EnterReadLock();
        try
        {
            var facetLists = new List<List<int>>();
            var facetMissing = false;
            void Facet(string prefix, string? value)
            {
                if (string.IsNullOrEmpty(value))
                {
                    return;
                }

                if (facets.TryGetValue(prefix + value, out var list))
                {
                    facetLists.Add(list);
                }
                else
                {
                    facetMissing = true;
                }
            }

            Facet("cat:", q.Category);
            Facet("city:", q.CityCode);
            Facet("type:", q.InstitutionType);

            var relaxed = false;
            List<int> candidates;
            if (facetMissing)
            {
                candidates = [];
            }
            else if (keywords.Count == 0)
            {
                candidates = facetLists.Count == 0 ? AllLiveLocked() : Intersect(facetLists);
            }
            else
            {
                var keywordLists = keywords.Select(t => text.TryGetValue(t, out var l) ? l : null).ToList();
                candidates = keywordLists.Any(l => l is null) ? [] : Intersect([.. keywordLists.OfType<List<int>>(), .. facetLists]);
                if (candidates.Count == 0 && keywords.Count >= 2)
                {
                    candidates = AtLeastHalf(keywordLists, facetLists);
                    relaxed = candidates.Count > 0;
                }
            }

            var normalizedQuery = new string(ChineseTokens.Normalize(q.Keywords).Where(c => !char.IsWhiteSpace(c)).ToArray());
            var idf = keywords.ToDictionary(t => t, t => Idf(text.TryGetValue(t, out var l) ? l.Count : 0), StringComparer.Ordinal);
            var hits = new List<SearchHit>(candidates.Count);
            var categories = new Dictionary<string, int>(StringComparer.Ordinal);
            var cities = new Dictionary<string, int>(StringComparer.Ordinal);
            var types = new Dictionary<string, int>(StringComparer.Ordinal);
            foreach (var ord in candidates)
            {
                var doc = docs[ord];
                if (doc is null || !PassesRange(doc, q))
                {
                    continue;
                }

                double score = 0;
                if (keywords.Count > 0)
                {
                    foreach (var t in keywords)
                    {
                        if (text.TryGetValue(t, out var tl) && Contains(tl, ord))
                        {
                            score += idf[t] * (title.TryGetValue(t, out var ttl) && Contains(ttl, ord) ? 3 : 1);
                        }
                    }

                    if (normalizedQuery.Length > 0 && normalizedTitles[ord].Contains(normalizedQuery, StringComparison.Ordinal))
                    {
                        score *= 1.5;
                    }
                }

                score += Math.Log(1 + doc.UsedCount) * 0.1;
                hits.Add(new SearchHit(doc, score));
                Tally(categories, doc.Category);
                Tally(cities, doc.CityCode);
                Tally(types, doc.InstitutionType);
            }

            Comparison<SearchHit> order = q.Sort switch
            {
                SearchSort.Price => (a, b) => Tie(a.Doc.PriceFromFen.CompareTo(b.Doc.PriceFromFen), a, b),
                SearchSort.Turnaround => (a, b) => Tie(a.Doc.TurnaroundDays.CompareTo(b.Doc.TurnaroundDays), a, b),
                SearchSort.MostUsed => (a, b) => Tie(b.Doc.UsedCount.CompareTo(a.Doc.UsedCount), a, b),
                _ => (a, b) => Tie(b.Score.CompareTo(a.Score), a, b),
            };
            var skip = (long)(page - 1) * pageSize;
            var pageHits = TopPage(hits, order, skip, pageSize);
            return new SearchResult(hits.Count, pageHits, categories, cities, types, relaxed);
        }
        finally
        {
            gate.ExitReadLock();
        }
    }

    /// <summary>
    /// Services like this one: those sharing the most distinctive title tokens (idf-weighted), favouring the same
    /// category and city; when none share a token, the most used of the same category.
    /// </summary>
    public IReadOnlyList<CatalogueDoc> Similar(string institutionId, string serviceId, int max = 5)
    {
        gate.EnterReadLock();
        try
        {
            if (!byKey.TryGetValue(CatalogueDoc.KeyOf(institutionId, serviceId), out var self))
            {
                return [];
            }

            var doc = docs[self]!;
            var n = byKey.Count;
            var scores = new Dictionary<int, double>();
            foreach (var token in ChineseTokens.ForIndex(doc.Title))
            {
                if (token.Length < 2 || !title.TryGetValue(token, out var list) || list.Count > Math.Max(50, n / 4))
                {
                    continue; // single characters and very common tokens say little and would cost a lot
                }

                var w = Idf(list.Count);
                foreach (var ord in list)
                {
                    if (ord != self && docs[ord] is not null)
                    {
                        scores[ord] = scores.GetValueOrDefault(ord) + w;
                    }
                }
            }

            var ranked = scores.Select(kv =>
                {
                    var other = docs[kv.Key]!;
                    var s = kv.Value * (other.Category == doc.Category ? 1.5 : 1) * (other.CityCode == doc.CityCode ? 1.2 : 1);
                    return (Doc: other, Score: s);
                })
                .OrderByDescending(x => x.Score).ThenByDescending(x => x.Doc.UsedCount).ThenBy(x => x.Doc.Key, StringComparer.Ordinal)
                .Take(max).Select(x => x.Doc).ToList();
            if (ranked.Count < max && facets.TryGetValue("cat:" + doc.Category, out var same))
            {
                ranked.AddRange(same.Where(o => o != self && docs[o] is not null).Select(o => docs[o]!)
                    .Where(d => !ranked.Contains(d)).OrderByDescending(d => d.UsedCount).ThenBy(d => d.Key, StringComparer.Ordinal).Take(max - ranked.Count));
            }

            return ranked;
        }
        finally
        {
            gate.ExitReadLock();
        }
    }

    double Idf(int df) => Math.Log(1 + ((double)Math.Max(1, byKey.Count) / Math.Max(1, df)));

    static int Tie(int primary, SearchHit a, SearchHit b) =>
        primary != 0 ? primary : string.CompareOrdinal(a.Doc.Key, b.Doc.Key);

    static void Tally(Dictionary<string, int> counts, string key) => counts[key] = counts.GetValueOrDefault(key) + 1;

    static bool PassesRange(CatalogueDoc doc, SearchQuery q) =>
        (q.PriceMinFen is not { } min || doc.PriceCeilingFen >= min)
        && (q.PriceMaxFen is not { } max || doc.PriceFromFen <= max)
        && (q.VoucherEligible is not { } eligible || doc.VoucherEligible == eligible);

    /// <summary>The requested page without sorting everything: a partial selection of the first skip+take.</summary>
    static List<SearchHit> TopPage(List<SearchHit> hits, Comparison<SearchHit> order, long skip, int take)
    {
        if (skip >= hits.Count)
        {
            return [];
        }

        var need = (int)Math.Min(hits.Count, skip + take);
        if (need * 4 >= hits.Count)
        {
            hits.Sort(order);
            return hits.GetRange((int)skip, need - (int)skip);
        }

        // Keep the best 'need' in a max-heap keyed by the order (worst at the top).
        var heap = new PriorityQueue<SearchHit, SearchHit>(Comparer<SearchHit>.Create((a, b) => order(b, a)));
        foreach (var h in hits)
        {
            if (heap.Count < need)
            {
                heap.Enqueue(h, h);
            }
            else if (order(h, heap.Peek()) < 0)
            {
                heap.DequeueEnqueue(h, h);
            }
        }

        var best = new List<SearchHit>(heap.Count);
        while (heap.Count > 0)
        {
            best.Add(heap.Dequeue());
        }

        best.Reverse();
        return best.GetRange((int)skip, best.Count - (int)skip);
    }

    List<int> AllLiveLocked()
    {
        var all = new List<int>(byKey.Count);
        for (var i = 0; i < docs.Count; i++)
        {
            if (docs[i] is not null)
            {
                all.Add(i);
            }
        }

        return all;
    }

    static bool Contains(List<int> sorted, int value) => CollectionsMarshal.AsSpan(sorted).BinarySearch(value) >= 0;

    /// <summary>Intersection of ascending lists: walk the shortest, binary-search the others from a moving lower bound.</summary>
    static List<int> Intersect(List<List<int>> lists)
    {
        if (lists.Count == 0)
        {
            return [];
        }

        lists.Sort((a, b) => a.Count.CompareTo(b.Count));
        var result = new List<int>();
        var starts = new int[lists.Count];
        foreach (var value in lists[0])
        {
            var all = true;
            for (var k = 1; k < lists.Count; k++)
            {
                var span = CollectionsMarshal.AsSpan(lists[k])[starts[k]..];
                var at = span.BinarySearch(value);
                if (at < 0)
                {
                    starts[k] += ~at;
                    all = false;
                    break;
                }

                starts[k] += at;
            }

            if (all)
            {
                result.Add(value);
            }
        }

        return result;
    }

    /// <summary>Documents holding at least half of the keywords (rounded up) and every facet filter.</summary>
    static List<int> AtLeastHalf(List<List<int>?> keywordLists, List<List<int>> facetLists)
    {
        var need = (keywordLists.Count + 1) / 2;
        var counts = new Dictionary<int, int>();
        foreach (var list in keywordLists)
        {
            if (list is null)
            {
                continue;
            }

            foreach (var ord in list)
            {
                counts[ord] = counts.GetValueOrDefault(ord) + 1;
            }
        }

        var result = counts.Where(kv => kv.Value >= need && facetLists.All(f => Contains(f, kv.Key))).Select(kv => kv.Key).ToList();
        result.Sort();
        return result;
    }

    void AddLocked(CatalogueDoc doc)
    {
        var ord = docs.Count;
        docs.Add(doc);
        normalizedTitles.Add(ChineseTokens.Normalize(doc.Title).Replace(" ", "", StringComparison.Ordinal));
        byKey[doc.Key] = ord;
        var all = ChineseTokens.ForIndex(doc.Title);
        foreach (var t in all)
        {
            Append(title, t, ord);
        }

        all.UnionWith(ChineseTokens.ForIndex(doc.Description));
        all.UnionWith(ChineseTokens.ForIndex(doc.Specifications));
        foreach (var t in all)
        {
            Append(text, t, ord);
        }

        Append(facets, "cat:" + doc.Category, ord);
        Append(facets, "city:" + doc.CityCode, ord);
        Append(facets, "type:" + doc.InstitutionType, ord);
        Append(facets, "inst:" + doc.InstitutionId, ord);
    }

    static void Append(Dictionary<string, List<int>> postings, string token, int ord)
    {
        if (!postings.TryGetValue(token, out var list))
        {
            postings[token] = list = [];
        }

        list.Add(ord);
    }

    bool RemoveLocked(string key)
    {
        if (!byKey.Remove(key, out var ord))
        {
            return false;
        }

        docs[ord] = null;
        normalizedTitles[ord] = "";
        dead++;
        return true;
    }

    void ClearLocked()
    {
        docs.Clear();
        normalizedTitles.Clear();
        byKey.Clear();
        text.Clear();
        title.Clear();
        facets.Clear();
        dead = 0;
    }

    void CompactIfNeededLocked()
    {
        if (dead < 1000 || dead < byKey.Count)
        {
            return;
        }

        var live = docs.OfType<CatalogueDoc>().ToList();
        ClearLocked();
        foreach (var d in live)
        {
            AddLocked(d);
        }
    }
}
