using System.Collections.Concurrent;
using Azure.Data.Tables;
using Voucher.Workflows.Durable;
using Voucher.Workflows.Enforcement;
using Voucher.Workflows.Enterprises;
using Voucher.Workflows.Evidence;
using Voucher.Workflows.Marketplace;
using Voucher.Workflows.Policies;
using Voucher.Workflows.Redemptions;
using Voucher.Workflows.Vouchers;

namespace Voucher.Workflows.Settlement.Risk;

/// <summary>The province policy version the batch's risk check uses (fixed once, so every chunk uses the same rules).</summary>
public sealed class BeginRiskCheck(ProvincePolicyStore province) : IActivity<BatchStep, int>
{
    public async Task<int> RunAsync(BatchStep input, CancellationToken ct = default) => (await province.ReadCurrentAsync(ct)).Version;
}

/// <summary>
/// First pass over a chunk: every item's <see cref="RiskFactEntity"/> is there in the current shape (written when the
/// redemption was queued; checked against the institution's facts, read once per check and instance), and for an item
/// queued before facts were written, or written in an older shape, the fact and its files' uses are written now
/// (<see cref="RiskFactWriter"/>). Upserts of fixed keys: a retry writes the same rows. Every chunk runs this pass
/// before any chunk is flagged, so items of one batch see each other.
/// </summary>
public sealed class IndexRiskChunk(SettlementStore settlements, RedemptionStore redemptions, RiskFactWriter facts, RiskCheckCache cache) : IActivity<RiskChunkInput, int>
{
    /// <summary>Returns how many facts this pass had to write.</summary>
    public async Task<int> RunAsync(RiskChunkInput input, CancellationToken ct = default)
    {
        var items = await settlements.ChunkAsync(input.BatchId, input.Chunk, ct);
        var written = 0;
        await Parallel.ForEachAsync(items, new ParallelOptions { MaxDegreeOfParallelism = RiskCheck.Concurrency, CancellationToken = ct }, async (item, token) =>
        {
            var institution = await cache.InstitutionAsync(input, RiskCheckCache.Pass.Index, item.InstitutionId, token);
            if (institution.Facts.TryGetValue(item.RedemptionId, out var fact) && fact.Shape >= RiskFactEntity.CurrentShape)
            {
                return;
            }

            if (await redemptions.GetAsync(item.RedemptionId, token) is { } r)
            {
                await facts.RecordAsync(r, indexFiles: true, token);
                Interlocked.Increment(ref written);
            }
        });
        return written;
    }
}

/// <summary>
/// Second pass over a chunk: each item checked against the rules of the policy version the batch fixed, its flags,
/// reasons, check time and version merged into its row (100 per transaction), and the province's list row written or
/// removed. The check time is the orchestration's, so a retry writes exactly the same values. What every item needs is
/// read once per batch check and instance (<see cref="RiskCheckCache"/>): the institution's history whole (the item's
/// own fact is in it), the shared files and the violations. Per item it reads only the uses of a shared file and the
/// enterprise's profile when its contact prints match the institution's: rare, so 10,000 items cost a few hundred calls.
/// </summary>
public sealed class FlagRiskChunk(SettlementStore settlements, VoucherStore store, ProvincePolicyStore province, EvidenceHashIndex hashes, RiskCheckCache cache) : IActivity<RiskChunkInput, int>
{
    public async Task<int> RunAsync(RiskChunkInput input, CancellationToken ct = default)
    {
        var policy = (await province.GetVersionAsync(input.PolicyVersion, ct) ?? await province.ReadCurrentAsync(ct)).Risk;
        var batch = await settlements.GetBatchAsync(input.BatchId, ct) ?? throw new DomainException($"Batch {input.BatchId} not found.");
        var items = await settlements.ChunkAsync(input.BatchId, input.Chunk, ct);
        var at = new DateTimeOffset(DateTime.SpecifyKind(input.At, DateTimeKind.Utc));
        var today = ChinaTime.DateOf(at);
        var patches = new ConcurrentBag<BatchItemRiskPatch>();
        var listed = new ConcurrentBag<FlaggedItemEntity>();
        var unlisted = new ConcurrentBag<string>();
        var previouslyListed = items.Where(i => i.RiskCheckedAt is not null && i.RiskFlags.Length > 0).Select(i => i.RedemptionId).ToHashSet(StringComparer.Ordinal);
        await Parallel.ForEachAsync(items, new ParallelOptions { MaxDegreeOfParallelism = RiskCheck.Concurrency, CancellationToken = ct }, async (item, token) =>
        {
            var institution = await cache.InstitutionAsync(input, RiskCheckCache.Pass.Flag, item.InstitutionId, token);
            institution.Facts.TryGetValue(item.RedemptionId, out var fact);
            var subject = await SubjectAsync(input, item, fact, institution, policy, token);
            var findings = RiskEngine.Evaluate(policy, subject, today);
            var flags = RiskRules.FormatList(findings.Select(f => f.Rule));
            var reasons = RiskEngine.ReasonsJson(findings);
            patches.Add(new BatchItemRiskPatch
            {
                PartitionKey = item.PartitionKey, RowKey = item.RowKey, RiskFlags = flags, RiskReasons = reasons, RiskCheckedAt = at, RiskPolicyVersion = input.PolicyVersion,
            });
            if (findings.Count == 0)
            {
                if (previouslyListed.Contains(item.RedemptionId))
                {
                    unlisted.Add(FlaggedItemEntity.Key(input.BatchId, item.RedemptionId));
                }

                return;
            }

            listed.Add(new FlaggedItemEntity
            {
                PartitionKey = batch.CityCode,
                RowKey = FlaggedItemEntity.Key(input.BatchId, item.RedemptionId),
                BatchId = input.BatchId,
                PeriodId = batch.PeriodId,
                RedemptionId = item.RedemptionId,
                EnterpriseName = item.EnterpriseName,
                InstitutionName = item.InstitutionName,
                ServiceTitle = item.ServiceTitle,
                AmountPaidFen = item.AmountPaidFen,
                PayoutFen = item.PayoutFen,
                RiskFlags = flags,
                RiskReasons = reasons,
                RiskCheckedAt = at,
                RiskPolicyVersion = input.PolicyVersion,
            });
        });

        // The province's list first, the items' rows last: an item's recorded flags say whether a list row may exist, so a
        // step retried after a crash between the two still removes a row its item no longer earns.
        await settlements.UpsertManyAsync(RiskTables.FlaggedItems, listed.ToList(), ct);
        await settlements.DeleteManyAsync(RiskTables.FlaggedItems, batch.CityCode, unlisted.ToList(), ct);
        var table = store.Table(VoucherStore.BatchItems);
        foreach (var slice in patches.OrderBy(p => p.RowKey, StringComparer.Ordinal).Chunk(100))
        {
            await table.SubmitTransactionAsync(slice.Select(p => new TableTransactionAction(TableTransactionActionType.UpsertMerge, p)), ct);
        }

        return listed.Count;
    }

    async Task<RiskSubject> SubjectAsync(RiskChunkInput check, BatchItemEntity item, RiskFactEntity? fact, InstitutionRiskHistory institution, RiskPolicy policy, CancellationToken ct)
    {
        var shared = new List<SharedFile>();
        if (policy.IsOn(RiskRule.SharedEvidence) && fact is not null)
        {
            var sharedFiles = await cache.SharedFilesAsync(check, ct);
            foreach (var file in fact.Files.Split(',', StringSplitOptions.RemoveEmptyEntries))
            {
                var (kind, sha) = (file[..file.IndexOf(':')], file[(file.IndexOf(':') + 1)..]);
                if (!sharedFiles.Contains(sha))
                {
                    continue;
                }

                foreach (var use in await hashes.OtherUsesAsync(sha, item.RedemptionId, ct))
                {
                    shared.Add(new SharedFile(kind, sha, use.RedemptionId, use.Kind));
                }
            }
        }

        PartyContacts? enterprise = null;
        if (policy.IsOn(RiskRule.RelatedParty) && institution.Contacts is { } contacts && fact is not null
            && ContactPrints.AnyShared(fact.EnterprisePrints, ContactPrints.Of(contacts)))
        {
            // The rule itself compares the profile as it is now, and names the shared value.
            var profile = await store.GetAsync<EnterpriseEntity>(VoucherStore.Enterprises, item.Uscc, EnterpriseEntity.ProfileRow, ct);
            enterprise = profile is null ? null : new PartyContacts(profile.ContactName, profile.ContactPhone, profile.Address);
        }

        var violations = policy.IsOn(RiskRule.RecentViolation) && (await cache.ViolationsAsync(check, ct)).TryGetValue(item.Uscc, out var dates)
            ? dates
            : [];

        return new RiskSubject(
            item.RedemptionId,
            item.Uscc,
            item.InstitutionId,
            fact?.SubmittedAt ?? DateTimeOffset.MinValue,
            item.AmountPaidFen,
            fact?.FaceValueFen ?? 0,
            Date(fact?.VoucherIssuedOn),
            Date(fact?.PaidOn),
            enterprise,
            institution.Contacts,
            shared,
            institution.Redemptions,
            violations);
    }

    static DateOnly? Date(string? text) =>
        DateOnly.TryParseExact(text, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var d) ? d : null;
}
