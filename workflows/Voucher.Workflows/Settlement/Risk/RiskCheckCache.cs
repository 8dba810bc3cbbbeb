using System.Collections.Concurrent;
using Azure.Data.Tables;
using Voucher.Workflows.Enforcement;
using Voucher.Workflows.Marketplace;

namespace Voucher.Workflows.Settlement.Risk;

/// <summary>An institution as the flag pass needs it: its contacts and every fact of its redemptions, by redemption id.</summary>
public sealed record InstitutionRiskHistory(PartyContacts? Contacts, IReadOnlyDictionary<string, RiskFactEntity> Facts)
{
    /// <summary>The facts as the rules compare each redemption with them, indexed once for every item of the institution.</summary>
    public InstitutionHistory Redemptions { get; } = InstitutionHistory.Of(Facts.Values.Select(h => new InstitutionRedemption(h.RowKey, h.Uscc, h.SubmittedAt, h.AtFaceValue)));
}

/// <summary>
/// What one batch check reads whole, once per check and instance, instead of once per item: each institution's facts
/// and contacts, the set of files used by more than one redemption, and the enterprises' violations. Each pass keeps
/// its own entries (keyed by batch, check time and pass): the flag pass starts after every chunk's index pass has
/// written its facts, and nothing the check reads changes until it ends. Entries leave after <see cref="Lifetime"/>;
/// a failed read is not kept, so the activity's retry reads again.
/// </summary>
public sealed class RiskCheckCache(VoucherStore store, EvidenceHashIndex hashes, TimeProvider time)
{
    public static readonly TimeSpan Lifetime = TimeSpan.FromMinutes(15);

    /// <summary>The pass a read belongs to.</summary>
    public enum Pass
    {
        Index,
        Flag,
    }

    readonly ConcurrentDictionary<(string Batch, DateTime At, Pass Pass, string What), (DateTimeOffset Created, Lazy<Task<object>> Value)> entries = new();

    public async Task<InstitutionRiskHistory> InstitutionAsync(RiskChunkInput check, Pass pass, string institutionId, CancellationToken ct) =>
        (InstitutionRiskHistory)await GetAsync(check, pass, $"institution:{institutionId}", async () => await ReadInstitutionAsync(institutionId), ct);

    /// <summary>The SHA-256 of every file more than one redemption uses (<see cref="EvidenceHashIndex.SharedFilesAsync"/>).</summary>
    public async Task<IReadOnlySet<string>> SharedFilesAsync(RiskChunkInput check, CancellationToken ct) =>
        (IReadOnlySet<string>)await GetAsync(check, Pass.Flag, "shared", async () => await hashes.SharedFilesAsync(CancellationToken.None), ct);

    /// <summary>
    /// Every enterprise's violation dates by USCC: the whole <c>ViolationsByUscc</c> table, read by a background batch
    /// step, never by a request. Violations are rare (an enterprise found cheating), so the table stays small where
    /// the batch has thousands of items.
    /// </summary>
    public async Task<IReadOnlyDictionary<string, List<DateOnly>>> ViolationsAsync(RiskChunkInput check, CancellationToken ct) =>
        (IReadOnlyDictionary<string, List<DateOnly>>)await GetAsync(check, Pass.Flag, "violations", async () => await ReadViolationsAsync(), ct);

    async Task<object> GetAsync(RiskChunkInput check, Pass pass, string what, Func<Task<object>> read, CancellationToken ct)
    {
        var now = time.GetUtcNow();
        foreach (var stale in entries.Where(e => now - e.Value.Created > Lifetime).Select(e => e.Key).ToList())
        {
            entries.TryRemove(stale, out _);
        }

        var key = (check.BatchId, check.At, pass, what);
        var entry = entries.GetOrAdd(key, _ => (now, new Lazy<Task<object>>(read)));
        try
        {
            return await entry.Value.Value.WaitAsync(ct);
        }
        catch (Exception) when (!ct.IsCancellationRequested)
        {
            entries.TryRemove(new KeyValuePair<(string, DateTime, Pass, string), (DateTimeOffset, Lazy<Task<object>>)>(key, entry));
            throw;
        }
    }

    async Task<InstitutionRiskHistory> ReadInstitutionAsync(string institutionId)
    {
        var profile = await store.GetAsync<InstitutionEntity>(VoucherStore.Institutions, institutionId, InstitutionEntity.ProfileRow);
        var facts = await store.PartitionAsync<RiskFactEntity>(RiskTables.RiskFacts, institutionId, int.MaxValue);
        // The institution profile has no address field: only phone and contact person can match.
        return new InstitutionRiskHistory(
            profile is null ? null : new PartyContacts(profile.ContactName, profile.ContactPhone, null),
            facts.ToDictionary(f => f.RowKey, StringComparer.Ordinal));
    }

    async Task<Dictionary<string, List<DateOnly>>> ReadViolationsAsync()
    {
        var byUscc = new Dictionary<string, List<DateOnly>>(StringComparer.Ordinal);
        await foreach (var v in store.Table(VoucherStore.ViolationsByUscc).QueryAsync<ViolationIndexEntity>(maxPerPage: 1000, select: ["PartitionKey", "RowKey", nameof(ViolationIndexEntity.DecidedOn)]))
        {
            (byUscc.TryGetValue(v.PartitionKey, out var dates) ? dates : byUscc[v.PartitionKey] = []).Add(ChinaTime.DateOf(v.DecidedOn));
        }

        return byUscc;
    }
}
