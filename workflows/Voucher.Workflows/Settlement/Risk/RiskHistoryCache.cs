using System.Collections.Concurrent;
using Voucher.Workflows.Marketplace;

namespace Voucher.Workflows.Settlement.Risk;

/// <summary>An institution as the flag pass needs it: its contacts and every fact of its redemptions, by redemption id.</summary>
public sealed record InstitutionRiskHistory(PartyContacts? Contacts, IReadOnlyDictionary<string, RiskFactEntity> Facts);

/// <summary>
/// The institutions' histories of one batch check, read once per instance: the flag pass starts after every chunk's
/// facts are written and nothing changes them until it ends, so the chunks of a 10,000-item batch to one institution
/// share one read of its partition instead of one each. Keyed by batch, check time and institution; entries leave after
/// <see cref="Lifetime"/>.
/// </summary>
public sealed class RiskHistoryCache(VoucherStore store, TimeProvider time)
{
    public static readonly TimeSpan Lifetime = TimeSpan.FromMinutes(15);

    readonly ConcurrentDictionary<(string Batch, DateTime At, string Institution), (DateTimeOffset Created, Lazy<Task<InstitutionRiskHistory>> History)> entries = new();

    public async Task<InstitutionRiskHistory> GetAsync(string batchId, DateTime at, string institutionId, CancellationToken ct)
    {
        var now = time.GetUtcNow();
        foreach (var stale in entries.Where(e => now - e.Value.Created > Lifetime).Select(e => e.Key).ToList())
        {
            entries.TryRemove(stale, out _);
        }

        var key = (batchId, at, institutionId);
        var entry = entries.GetOrAdd(key, _ => (now, new Lazy<Task<InstitutionRiskHistory>>(() => ReadAsync(institutionId))));
        try
        {
            return await entry.History.Value.WaitAsync(ct);
        }
        catch (Exception) when (!ct.IsCancellationRequested)
        {
            // A failed read is not kept: the activity's retry reads again.
            entries.TryRemove(new KeyValuePair<(string, DateTime, string), (DateTimeOffset, Lazy<Task<InstitutionRiskHistory>>)>(key, entry));
            throw;
        }
    }

    async Task<InstitutionRiskHistory> ReadAsync(string institutionId)
    {
        var profile = await store.GetAsync<InstitutionEntity>(VoucherStore.Institutions, institutionId, InstitutionEntity.ProfileRow);
        var facts = await store.PartitionAsync<RiskFactEntity>(RiskTables.RiskFacts, institutionId, int.MaxValue);
        // The institution profile has no address field: only phone and contact person can match.
        return new InstitutionRiskHistory(
            profile is null ? null : new PartyContacts(profile.ContactName, profile.ContactPhone, null),
            facts.ToDictionary(f => f.RowKey, StringComparer.Ordinal));
    }
}
