namespace Voucher.Domain.Catalogue;

/// <summary>Facets: the filter lists of a query, the counts over the matching set, an institution's documents.</summary>
public sealed partial class CatalogueSearchIndex
{
    /// <summary>
    /// The posting lists of the query's facet filters (category, city, institution type).
    /// <paramref name="missing"/>: a filter names a value no document has, so nothing matches.
    /// </summary>
    List<List<int>> FacetFiltersLocked(SearchQuery q, out bool missing)
    {
        var lists = new List<List<int>>();
        missing = false;
        foreach (var key in new[] { Key("cat:", q.Category), Key("city:", q.CityCode), Key("type:", q.InstitutionType) })
        {
            if (key is null)
            {
                continue;
            }

            if (facets.TryGetValue(key, out var list))
            {
                lists.Add(list);
            }
            else
            {
                missing = true;
            }
        }

        return lists;

        static string? Key(string prefix, string? value) => string.IsNullOrEmpty(value) ? null : prefix + value;
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
}
