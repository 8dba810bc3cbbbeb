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
