using Azure.Data.Tables;
using Voucher.Workflows.Evidence;

namespace Voucher.Workflows.Settlement.Risk;

/// <summary>
/// The SHA-256 → redemption index of the shared-evidence rule. Each use of a file is one row in the file's partition;
/// once a second redemption uses the same file, the file also gets a row in the marker partition
/// (<see cref="EvidenceHashEntity.SharedPartition"/>). A batch check reads that one partition once
/// (<see cref="SharedFilesAsync"/>), and lists the uses only of the rare shared files.
/// </summary>
public sealed class EvidenceHashIndex(VoucherStore store)
{
    /// <summary>Records one use of a file (idempotent), and marks the file shared when another redemption uses it too.</summary>
    public async Task RecordAsync(string sha256, string redemptionId, string kind, CancellationToken ct)
    {
        if (sha256.Length == 0)
        {
            return;
        }

        // The use first, then the look for others: of two redemptions recording the same file at once, the later look
        // sees the other's use, so one of them writes the marker.
        await store.UpsertAsync(RiskTables.EvidenceHashes, EvidenceHashEntity.For(sha256, redemptionId, kind), ct);
        if ((await UsesAsync(sha256, ct)).Any(u => u.RedemptionId != redemptionId))
        {
            await store.UpsertAsync(RiskTables.EvidenceHashes, EvidenceHashEntity.Shared(sha256), ct);
        }
    }

    /// <summary>The SHA-256 of every file used by more than one redemption: one partition.</summary>
    public async Task<IReadOnlySet<string>> SharedFilesAsync(CancellationToken ct)
    {
        var shared = new HashSet<string>(StringComparer.Ordinal);
        var filter = TableClient.CreateQueryFilter($"PartitionKey eq {EvidenceHashEntity.SharedPartition}");
        await foreach (var marker in store.Table(RiskTables.EvidenceHashes).QueryAsync<EvidenceHashEntity>(filter, maxPerPage: 1000, select: ["PartitionKey", "RowKey"], cancellationToken: ct))
        {
            shared.Add(marker.RowKey);
        }

        return shared;
    }

    /// <summary>Every recorded use of a file by another redemption (at most <see cref="RiskCheck.MaxUses"/>).</summary>
    public async Task<IReadOnlyList<EvidenceHashEntity>> OtherUsesAsync(string sha256, string redemptionId, CancellationToken ct) =>
        (await UsesAsync(sha256, ct)).Where(u => u.RedemptionId != redemptionId).ToList();

    async Task<List<EvidenceHashEntity>> UsesAsync(string sha256, CancellationToken ct)
    {
        var filter = TableClient.CreateQueryFilter($"PartitionKey eq {sha256}");
        var uses = new List<EvidenceHashEntity>();
        await foreach (var use in store.Table(RiskTables.EvidenceHashes).QueryAsync<EvidenceHashEntity>(filter, cancellationToken: ct))
        {
            uses.Add(use);
            if (uses.Count >= RiskCheck.MaxUses)
            {
                break;
            }
        }

        return uses;
    }
}

/// <summary>
/// Writes a redemption's <see cref="RiskFactEntity"/>: when it is queued for settlement (so the batch check finds it
/// ready), or, for a redemption queued before facts were written then, by the batch check's first pass, which also
/// records its files' uses in the <see cref="EvidenceHashIndex"/>.
/// </summary>
public sealed class RiskFactWriter(VoucherStore store, EvidenceHashIndex hashes)
{
    /// <summary>Writes the fact; <paramref name="voucher"/> when the caller has just read it (face value and issue date do not change).</summary>
    public async Task<RiskFactEntity> RecordAsync(Redemptions.RedemptionEntity r, bool indexFiles, CancellationToken ct, Vouchers.VoucherEntity? voucher = null)
    {
        voucher ??= await store.GetAsync<Vouchers.VoucherEntity>(VoucherStore.Vouchers, r.Uscc, r.VoucherId, ct);
        var enterprise = await store.GetAsync<Enterprises.EnterpriseEntity>(VoucherStore.Enterprises, r.Uscc, Enterprises.EnterpriseEntity.ProfileRow, ct);
        var files = await store.PartitionAsync<EvidenceEntity>(VoucherStore.Evidence, r.RedemptionId, 10, ct);
        if (indexFiles)
        {
            foreach (var file in files.Where(f => f.Sha256.Length > 0))
            {
                await hashes.RecordAsync(file.Sha256, r.RedemptionId, file.RowKey, ct);
            }
        }

        var fact = RiskFactEntity.Of(r, voucher, files, enterprise);
        await store.UpsertAsync(RiskTables.RiskFacts, fact, ct);
        return fact;
    }
}
