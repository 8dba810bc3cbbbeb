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
/// First pass over a chunk: for each item, its evidence files' hash rows (the backfill for files recorded before the
/// index existed) and its row in the institution's history (<see cref="RiskFactEntity"/>). Upserts of fixed keys: a
/// retry writes the same rows. Every chunk runs this pass before any chunk is flagged, so items of one batch see each other.
/// </summary>
public sealed class IndexRiskChunk(SettlementStore settlements, RedemptionStore redemptions, VoucherStore store) : IActivity<RiskChunkInput, int>
{
    public async Task<int> RunAsync(RiskChunkInput input, CancellationToken ct = default)
    {
        var items = await settlements.ChunkAsync(input.BatchId, input.Chunk, ct);
        var facts = new ConcurrentBag<RiskFactEntity>();
        var hashes = store.Table(RiskTables.EvidenceHashes);
        await Parallel.ForEachAsync(items, new ParallelOptions { MaxDegreeOfParallelism = RiskCheck.Concurrency, CancellationToken = ct }, async (item, token) =>
        {
            var r = await redemptions.GetAsync(item.RedemptionId, token);
            if (r is null)
            {
                return;
            }

            var voucher = await store.GetAsync<VoucherEntity>(VoucherStore.Vouchers, r.Uscc, r.VoucherId, token);
            var files = await store.PartitionAsync<EvidenceEntity>(VoucherStore.Evidence, r.RedemptionId, 10, token);
            foreach (var file in files.Where(f => f.Sha256.Length > 0))
            {
                await hashes.UpsertEntityAsync(EvidenceHashEntity.For(file.Sha256, r.RedemptionId, file.RowKey), TableUpdateMode.Replace, token);
            }

            facts.Add(new RiskFactEntity
            {
                PartitionKey = r.InstitutionId,
                RowKey = r.RedemptionId,
                Uscc = r.Uscc,
                SubmittedAt = r.SubmittedAt,
                FaceValueFen = voucher?.FaceValueFen ?? 0,
                AtFaceValue = voucher is { FaceValueFen: > 0 } v && r.AmountPaidFen == v.FaceValueFen,
                VoucherIssuedOn = voucher?.IssuedOn is { Length: > 0 } issued ? issued : null,
                PaidOn = files.FirstOrDefault(f => f.RowKey == EvidenceRules.Slug(EvidenceKind.Payment))?.PaidOn,
                Files = string.Join(',', files.Where(f => f.Sha256.Length > 0).OrderBy(f => f.RowKey, StringComparer.Ordinal).Select(f => $"{f.RowKey}:{f.Sha256}")),
            });
        });
        await settlements.UpsertManyAsync(RiskTables.RiskFacts, facts.ToList(), ct);
        return facts.Count;
    }
}

/// <summary>
/// Second pass over a chunk: each item checked against the rules of the policy version the batch fixed, its flags,
/// reasons, check time and version merged into its row (100 per transaction), and the province's list row written or
/// removed. The check time is the orchestration's, so a retry writes exactly the same values.
/// </summary>
public sealed class FlagRiskChunk(SettlementStore settlements, VoucherStore store, ProvincePolicyStore province) : IActivity<RiskChunkInput, int>
{
    public async Task<int> RunAsync(RiskChunkInput input, CancellationToken ct = default)
    {
        var policy = (await province.GetVersionAsync(input.PolicyVersion, ct) ?? await province.ReadCurrentAsync(ct)).Risk;
        var batch = await settlements.GetBatchAsync(input.BatchId, ct) ?? throw new DomainException($"Batch {input.BatchId} not found.");
        var items = await settlements.ChunkAsync(input.BatchId, input.Chunk, ct);
        var at = new DateTimeOffset(DateTime.SpecifyKind(input.At, DateTimeKind.Utc));
        var today = ChinaTime.DateOf(at);
        var institutions = new ConcurrentDictionary<string, Lazy<Task<(PartyContacts? Contacts, Dictionary<string, RiskFactEntity> History)>>>(StringComparer.Ordinal);
        var patches = new ConcurrentBag<BatchItemRiskPatch>();
        var listed = new ConcurrentBag<FlaggedItemEntity>();
        var unlisted = new ConcurrentBag<string>();
        await Parallel.ForEachAsync(items, new ParallelOptions { MaxDegreeOfParallelism = RiskCheck.Concurrency, CancellationToken = ct }, async (item, token) =>
        {
            var institution = await institutions.GetOrAdd(item.InstitutionId, id => new(() => InstitutionAsync(id, token))).Value;
            institution.History.TryGetValue(item.RedemptionId, out var fact);
            var subject = await SubjectAsync(item, fact, institution.Contacts, institution.History.Values, policy, token);
            var findings = RiskEngine.Evaluate(policy, subject, today);
            var flags = RiskRules.FormatList(findings.Select(f => f.Rule));
            var reasons = RiskEngine.ReasonsJson(findings);
            patches.Add(new BatchItemRiskPatch
            {
                PartitionKey = item.PartitionKey, RowKey = item.RowKey, RiskFlags = flags, RiskReasons = reasons, RiskCheckedAt = at, RiskPolicyVersion = input.PolicyVersion,
            });
            if (findings.Count == 0)
            {
                unlisted.Add(FlaggedItemEntity.Key(input.BatchId, item.RedemptionId));
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

        var table = store.Table(VoucherStore.BatchItems);
        foreach (var slice in patches.OrderBy(p => p.RowKey, StringComparer.Ordinal).Chunk(100))
        {
            await table.SubmitTransactionAsync(slice.Select(p => new TableTransactionAction(TableTransactionActionType.UpsertMerge, p)), ct);
        }

        await settlements.UpsertManyAsync(RiskTables.FlaggedItems, listed.ToList(), ct);
        await settlements.DeleteManyAsync(RiskTables.FlaggedItems, batch.CityCode, unlisted.ToList(), ct);
        return listed.Count;

        async Task<(PartyContacts?, Dictionary<string, RiskFactEntity>)> InstitutionAsync(string id, CancellationToken token)
        {
            var profile = await store.GetAsync<InstitutionEntity>(VoucherStore.Institutions, id, InstitutionEntity.ProfileRow, token);
            var history = await store.PartitionAsync<RiskFactEntity>(RiskTables.RiskFacts, id, RiskCheck.MaxHistory, token);
            // The institution profile has no address field: only phone and contact person can match.
            return (profile is null ? null : new PartyContacts(profile.ContactName, profile.ContactPhone, null),
                history.ToDictionary(h => h.RowKey, StringComparer.Ordinal));
        }
    }

    async Task<RiskSubject> SubjectAsync(BatchItemEntity item, RiskFactEntity? fact, PartyContacts? institution, IEnumerable<RiskFactEntity> history, RiskPolicy policy, CancellationToken ct)
    {
        var shared = new List<SharedFile>();
        if (policy.IsOn(RiskRule.SharedEvidence) && fact is not null)
        {
            foreach (var file in fact.Files.Split(',', StringSplitOptions.RemoveEmptyEntries))
            {
                var (kind, sha) = (file[..file.IndexOf(':')], file[(file.IndexOf(':') + 1)..]);
                foreach (var use in await store.PartitionAsync<EvidenceHashEntity>(RiskTables.EvidenceHashes, sha, RiskCheck.MaxHistory, ct))
                {
                    if (use.RedemptionId != item.RedemptionId)
                    {
                        shared.Add(new SharedFile(kind, sha, use.RedemptionId, use.Kind));
                    }
                }
            }
        }

        PartyContacts? enterprise = null;
        if (policy.IsOn(RiskRule.RelatedParty) && institution is not null)
        {
            var profile = await store.GetAsync<EnterpriseEntity>(VoucherStore.Enterprises, item.Uscc, EnterpriseEntity.ProfileRow, ct);
            enterprise = profile is null ? null : new PartyContacts(profile.ContactName, profile.ContactPhone, profile.Address);
        }

        var violations = new List<DateOnly>();
        if (policy.IsOn(RiskRule.RecentViolation))
        {
            violations.AddRange((await store.PartitionAsync<ViolationIndexEntity>(VoucherStore.ViolationsByUscc, item.Uscc, 200, ct)).Select(v => ChinaTime.DateOf(v.DecidedOn)));
        }

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
            institution,
            shared,
            history.Select(h => new InstitutionRedemption(h.RowKey, h.Uscc, h.SubmittedAt, h.AtFaceValue)).ToList(),
            violations);
    }

    static DateOnly? Date(string? text) =>
        DateOnly.TryParseExact(text, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var d) ? d : null;
}
