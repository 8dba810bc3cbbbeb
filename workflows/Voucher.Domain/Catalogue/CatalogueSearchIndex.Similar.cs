using System.Runtime.InteropServices;

namespace Voucher.Domain.Catalogue;

/// <summary>Services like a given one.</summary>
public sealed partial class CatalogueSearchIndex
{
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
}
