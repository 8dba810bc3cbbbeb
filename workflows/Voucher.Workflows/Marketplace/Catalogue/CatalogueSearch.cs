using Voucher.Domain.Catalogue;

namespace Voucher.Workflows.Marketplace;

/// <summary>
/// Searching the catalogue through this instance's index (<see cref="CatalogueIndex"/>), with "voucher-eligible" (the
/// filter and each hit's flag) judged by the current province policy, and services like a given one.
/// </summary>
public sealed class CatalogueSearch(CatalogueIndex index, Policies.ProvincePolicyStore policies)
{
    public async Task<SearchResult> SearchAsync(SearchQuery query, CancellationToken ct)
    {
        var eligible = await EligibleCategoriesAsync(ct);
        return (await index.CurrentAsync(ct)).Search(query with { EligibleCategories = eligible });
    }

    public async Task<IReadOnlyList<CatalogueDoc>> SimilarAsync(string institutionId, string serviceId, CancellationToken ct) =>
        (await index.CurrentAsync(ct)).Similar(institutionId, serviceId);

    /// <summary>
    /// The categories vouchers may pay for: the current province policy's (cached as the policy is), the same list the
    /// redemption request is checked against, so the catalogue never promises what a redemption would refuse.
    /// </summary>
    public async Task<IReadOnlySet<string>> EligibleCategoriesAsync(CancellationToken ct) =>
        (await policies.GetCurrentAsync(ct)).EligibleCategories.ToHashSet(StringComparer.Ordinal);
}
