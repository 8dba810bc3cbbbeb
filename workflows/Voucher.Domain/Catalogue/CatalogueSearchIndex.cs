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
    int PageSize = 20,
    IReadOnlyCollection<string>? EligibleCategories = null)
{
    public const int MaxPageSize = 50;

    /// <summary>
    /// Whether vouchers may pay for <paramref name="category"/> under this query's <see cref="EligibleCategories"/> —
    /// the province policy's list, which the caller passes; without one, the scheme's built-in default.
    /// </summary>
    public bool IsEligible(string category) =>
        EligibleCategories is { } list ? list.Contains(category, StringComparer.Ordinal) : ServiceCategories.IsEligible(category);
}

/// <summary>A found service, its score, and whether vouchers may pay for it under the query's eligible categories.</summary>
public sealed record SearchHit(CatalogueDoc Doc, double Score, bool VoucherEligible);

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

    // Per-ordinal columns read by every query (filters, sorts, facet counts) without touching the document objects.
    readonly List<long> priceFrom = [];
    readonly List<long> priceCeiling = [];
    readonly List<int> turnaround = [];
    readonly List<int> used = [];
    readonly List<double> popularity = [];
    readonly List<int> docCategory = [];
    readonly List<int> docCity = [];
    readonly List<int> docType = [];
    readonly List<string> categoryNames = [];
    readonly List<string> cityNames = [];
    readonly List<string> typeNames = [];
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
            var keywordLists = keywords.Select(t => text.TryGetValue(t, out var l) ? l : null).ToList();
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
                candidates = keywordLists.Any(l => l is null) ? [] : Intersect([.. keywordLists.OfType<List<int>>(), .. facetLists]);
                if (candidates.Count == 0 && keywords.Count >= 2)
                {
                    candidates = AtLeastHalf(keywordLists, facetLists);
                    relaxed = candidates.Count > 0;
                }
            }

            // Score every candidate in one pass over ascending ordinals: each keyword's text and title posting
            // lists are walked with a cursor (merge), not searched, and facets are counted into small arrays.
            var normalizedQuery = new string(ChineseTokens.Normalize(q.Keywords).Where(c => !char.IsWhiteSpace(c)).ToArray());
            var k = keywords.Count;
            var idf = new double[k];
            var textLists = new List<int>?[k];
            var titleLists = new List<int>?[k];
            var textAt = new int[k];
            var titleAt = new int[k];
            for (var i = 0; i < k; i++)
            {
                textLists[i] = keywordLists[i];
                titleLists[i] = title.TryGetValue(keywords[i], out var tl) ? tl : null;
                idf[i] = Idf(keywordLists[i]?.Count ?? 0);
            }

            // Eligibility is policy data that changes without the catalogue changing: judged per query, once per category.
            var categoryEligible = new bool[categoryNames.Count];
            for (var c = 0; c < categoryEligible.Length; c++)
            {
                categoryEligible[c] = q.IsEligible(categoryNames[c]);
            }

            var scored = new Scored[candidates.Count];
            var count = 0;
            var categoryCounts = new int[categoryNames.Count];
            var cityCounts = new int[cityNames.Count];
            var typeCounts = new int[typeNames.Count];
            foreach (var ord in candidates)
            {
                var doc = docs[ord];
                if (doc is null || !PassesRange(ord, q) || (q.VoucherEligible is { } wanted && categoryEligible[docCategory[ord]] != wanted))
                {
                    continue;
                }

                var score = 0.0;
                for (var i = 0; i < k; i++)
                {
                    if (Advance(textLists[i], ref textAt[i], ord))
                    {
                        score += idf[i] * (Advance(titleLists[i], ref titleAt[i], ord) ? 3 : 1);
                    }
                }

                if (k > 0 && normalizedQuery.Length > 0 && normalizedTitles[ord].Contains(normalizedQuery, StringComparison.Ordinal))
                {
                    score *= 1.5;
                }

                scored[count++] = new Scored(ord, score + popularity[ord]);
                categoryCounts[docCategory[ord]]++;
                cityCounts[docCity[ord]]++;
                typeCounts[docType[ord]]++;
            }

            var skip = (long)(page - 1) * pageSize;
            var top = TopPage(scored.AsSpan(0, count), Comparer(q.Sort), skip, pageSize);
            return new SearchResult(
                count,
                top.Select(x => new SearchHit(docs[x.Ord]!, x.Score, categoryEligible[docCategory[x.Ord]])).ToList(),
                Counts(categoryNames, categoryCounts),
                Counts(cityNames, cityCounts),
                Counts(typeNames, typeCounts),
                relaxed);
        }
        finally
        {
            gate.ExitReadLock();
        }
    }

    readonly record struct Scored(int Ord, double Score);

    /// <summary>Moves a cursor over an ascending list up to <paramref name="ord"/>; true when the list holds it.</summary>
    static bool Advance(List<int>? list, ref int at, int ord)
    {
        if (list is null)
        {
            return false;
        }

        var span = CollectionsMarshal.AsSpan(list);
        while (at < span.Length && span[at] < ord)
        {
            at++;
        }

        return at < span.Length && span[at] == ord;
    }

    static Dictionary<string, int> Counts(List<string> names, int[] counts)
    {
        var result = new Dictionary<string, int>(StringComparer.Ordinal);
        for (var i = 0; i < counts.Length; i++)
        {
            if (counts[i] > 0)
            {
                result[names[i]] = counts[i];
            }
        }

        return result;
    }

    IComparer<Scored> Comparer(SearchSort sort) => sort switch
    {
        SearchSort.Price => Comparer<Scored>.Create((a, b) => Tie(priceFrom[a.Ord].CompareTo(priceFrom[b.Ord]), a, b)),
        SearchSort.Turnaround => Comparer<Scored>.Create((a, b) => Tie(turnaround[a.Ord].CompareTo(turnaround[b.Ord]), a, b)),
        SearchSort.MostUsed => Comparer<Scored>.Create((a, b) => Tie(used[b.Ord].CompareTo(used[a.Ord]), a, b)),
        _ => Comparer<Scored>.Create((a, b) => Tie(b.Score.CompareTo(a.Score), a, b)),
    };

    /// <summary>Ties go to the older entry (lower ordinal), so paging is stable.</summary>
    static int Tie(int primary, Scored a, Scored b) => primary != 0 ? primary : a.Ord.CompareTo(b.Ord);

    /// <summary>
    /// Services like this one: those sharing the most distinctive title tokens (idf-weighted), favouring the same
    /// category and city; when none share a token, the most used of the same category. Tokens held by more than
    /// a tenth of the catalogue say little and are skipped, which also bounds the work.
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
                if (token.Length < 2 || !title.TryGetValue(token, out var list) || list.Count > Math.Max(50, n / 10))
                {
                    continue;
                }

                var w = Idf(list.Count);
                foreach (var ord in list)
                {
                    if (ord != self && docs[ord] is not null)
                    {
                        ref var slot = ref CollectionsMarshal.GetValueRefOrAddDefault(scores, ord, out _);
                        slot += w;
                    }
                }
            }

            var candidates = new Scored[scores.Count];
            var c = 0;
            foreach (var (ord, s) in scores)
            {
                candidates[c++] = new Scored(ord, s * (docCategory[ord] == docCategory[self] ? 1.5 : 1) * (docCity[ord] == docCity[self] ? 1.2 : 1) + popularity[ord]);
            }

            var ranked = TopPage(candidates.AsSpan(0, c), Comparer(SearchSort.Relevance), 0, max).Select(x => docs[x.Ord]!).ToList();
            if (ranked.Count < max && facets.TryGetValue("cat:" + doc.Category, out var same))
            {
                ranked.AddRange(same.Where(o => o != self && docs[o] is not null).Select(o => docs[o]!)
                    .Where(d => !ranked.Contains(d)).OrderByDescending(d => d.UsedCount).Take(max - ranked.Count));
            }

            return ranked;
        }
        finally
        {
            gate.ExitReadLock();
        }
    }

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
        priceFrom.Add(doc.PriceFromFen);
        priceCeiling.Add(doc.PriceCeilingFen);
        turnaround.Add(doc.TurnaroundDays);
        used.Add(doc.UsedCount);
        popularity.Add(Math.Log(1 + Math.Max(0, doc.UsedCount)) * 0.1);
        docCategory.Add(FacetId(categoryNames, doc.Category));
        docCity.Add(FacetId(cityNames, doc.CityCode));
        docType.Add(FacetId(typeNames, doc.InstitutionType));
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

    static int FacetId(List<string> names, string value)
    {
        var at = names.IndexOf(value);
        if (at >= 0)
        {
            return at;
        }

        names.Add(value);
        return names.Count - 1;
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
        priceFrom.Clear();
        priceCeiling.Clear();
        turnaround.Clear();
        used.Clear();
        popularity.Clear();
        docCategory.Clear();
        docCity.Clear();
        docType.Clear();
        categoryNames.Clear();
        cityNames.Clear();
        typeNames.Clear();
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
