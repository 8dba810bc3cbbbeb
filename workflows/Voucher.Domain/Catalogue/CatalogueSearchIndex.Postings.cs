using System.Runtime.InteropServices;

namespace Voucher.Domain.Catalogue;

/// <summary>The posting lists: adding, retiring and compacting documents; intersecting lists.</summary>
public sealed partial class CatalogueSearchIndex
{
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
}
