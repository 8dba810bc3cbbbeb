using Azure.Data.Tables;
using Azure.Storage.Blobs.Models;
using Voucher.Workflows.Audit;
using Voucher.Workflows.Enforcement;
using Voucher.Workflows.Evidence;

namespace Voucher.Workflows.Retention;

/// <summary>
/// The evidence retention rule: a paid redemption's evidence files (report, contract, payment proof) are kept for
/// <see cref="RetentionSettings.EvidenceYears"/> years after the payment (<c>PaidAt</c>), then deleted — every version of
/// each blob, and its evidence row — and the deletion is recorded on the redemption's audit trail (which files: kind,
/// name, size, SHA-256). A redemption a claw-back names keeps its evidence (the enforcement case may still need it).
/// Redemptions that ended unpaid are not touched by this rule. The audit entry is keyed on the day the retention ended,
/// so a run repeated after a crash writes the same entry again.
/// </summary>
public sealed class EvidenceRetention(VoucherStore store, AuditLog audit, RetentionSettings settings)
{
    public const string Actor = "retention";

    public async Task<(int Redemptions, int Files)> ApplyAsync(DateTimeOffset now, CancellationToken ct)
    {
        var cutoff = now.AddYears(-settings.EvidenceYears);
        // A scan with the filter on the server: a daily timer's read, never a request's.
        var filter = TableClient.CreateQueryFilter($"PaidAt lt {cutoff}");
        var due = new List<(string RedemptionId, DateTimeOffset PaidAt, int PolicyVersion)>();
        await foreach (var row in store.Table(VoucherStore.Redemptions).QueryAsync<TableEntity>(filter, maxPerPage: 1000, select: ["PartitionKey", "RowKey", "PaidAt", "PolicyVersion"], cancellationToken: ct))
        {
            if (row.GetDateTimeOffset("PaidAt") is { } paidAt)
            {
                due.Add((row.RowKey, paidAt, row.GetInt32("PolicyVersion") ?? 0));
            }
        }

        int redemptions = 0, files = 0;
        foreach (var (id, paidAt, version) in due)
        {
            var deleted = await DeleteAsync(id, paidAt, version, now, ct);
            redemptions += deleted > 0 ? 1 : 0;
            files += deleted;
        }

        return (redemptions, files);
    }

    async Task<int> DeleteAsync(string redemptionId, DateTimeOffset paidAt, int policyVersion, DateTimeOffset now, CancellationToken ct)
    {
        var rows = await store.PartitionAsync<EvidenceEntity>(VoucherStore.Evidence, redemptionId, 20, ct);
        if (rows.Count == 0)
        {
            return 0;
        }

        if ((await store.PartitionAsync<TableEntity>(VoucherStore.ClawBacks, ClawBackClaimEntity.PartitionFor(redemptionId), 1, ct)).Count > 0)
        {
            return 0;
        }

        var retainedUntil = paidAt.AddYears(settings.EvidenceYears);
        // The entry and the files' going change the redemption's status view: its row says so first.
        await Redemptions.RedemptionViewKey.ForgetFilesAsync(store, redemptionId, now, ct);
        var listed = string.Join("；", rows.Select(r => $"{r.RowKey} {r.OriginalFileName} {r.Size} 字节 SHA-256 {r.Sha256}"));
        await audit.AppendAsync(AuditSubjects.Redemption(redemptionId), Actor, retainedUntil, nameof(RedemptionStatus.Paid), nameof(RedemptionStatus.Paid), policyVersion,
            $"凭证材料保存期满（拨付后 {settings.EvidenceYears} 年，至 {ChinaTime.DateOf(retainedUntil.UtcDateTime):yyyy-MM-dd}），已于 {ChinaTime.DateOf(now.UtcDateTime):yyyy-MM-dd} 删除 " +
            $"(evidence retention ended; files deleted)：{listed}", ct);

        foreach (var row in rows)
        {
            await DeleteEveryVersionAsync(row.BlobName, ct);
        }

        await store.Table(VoucherStore.Evidence).SubmitTransactionAsync(rows.Select(r => new TableTransactionAction(TableTransactionActionType.Delete, r, Azure.ETag.All)), ct);
        return rows.Count;
    }

    /// <summary>The blob and, where versioning keeps them (Azure), its earlier versions; soft delete then holds them for its days.</summary>
    async Task DeleteEveryVersionAsync(string blobName, CancellationToken ct)
    {
        var container = store.EvidenceBlobs;
        await container.GetBlobClient(blobName).DeleteIfExistsAsync(DeleteSnapshotsOption.IncludeSnapshots, cancellationToken: ct);
        await foreach (var item in container.GetBlobsAsync(BlobTraits.None, BlobStates.Version, blobName, ct))
        {
            if (item.Name == blobName && item.VersionId is { Length: > 0 } version)
            {
                await container.GetBlobClient(blobName).WithVersion(version).DeleteIfExistsAsync(cancellationToken: ct);
            }
        }
    }
}
