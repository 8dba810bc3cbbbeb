namespace Voucher.Domain.Catalogue;

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
/// <remarks>The parts by concern: postings (<c>.Postings.cs</c>), facets (<c>.Facets.cs</c>), ranking and paging
/// (<c>.Ranking.cs</c>), similar services (<c>.Similar.cs</c>).</remarks>
public sealed partial class CatalogueSearchIndex
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

    public SearchResult Search(SearchQuery q)
    {
        var pageSize = Math.Clamp(q.PageSize, 1, SearchQuery.MaxPageSize);
        var page = Math.Max(1, q.Page);
        var keywords = ChineseTokens.ForQuery(q.Keywords);
        gate.EnterReadLock();
        try
        {
            var facetLists = FacetFiltersLocked(q, out var facetMissing);
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
}
