using Azure.Data.Tables;
using Voucher.Workflows.Marketplace;
using Voucher.Workflows.Settlement;

namespace Voucher.Workflows.Worklists;

/// <summary>What one backfill pass added: decided institutions and archived notices (zero on a pass that found them all).</summary>
public sealed record BackfillResult(int DecidedInstitutions, int ArchivedNotices, bool Skipped);

/// <summary>
/// Fills the work lists' newer indexes with the records written before them, once, at start
/// (<see cref="Hosting.StorageInitializer"/>): institutions decided before the province centre's 已审核 index
/// (<see cref="InstitutionDecisionEntity"/>), and notices published before the notice archive
/// (<see cref="PublicityWindows.ArchivePartition"/>). Only rows missing from an index are added, the same rows the
/// decision or the publication writes, so a second pass adds nothing; a marker row per index records that its pass
/// finished, and later starts skip the read. Runs only at start, never on a request path: it reads the institutions'
/// profile rows across the table and every city's batch partition.
/// </summary>
public sealed class IndexBackfill(VoucherStore store, ILogger<IndexBackfill> log)
{
    /// <summary>The marker rows: one partition in each index table, a row per pass (a new version of a pass gets a new row key).</summary>
    public const string MarkerPartition = "backfill";

    public const string DecidedInstitutionsMarker = "decided-institutions-v1";

    public const string NoticeArchiveMarker = "notice-archive-v1";

    public async Task<BackfillResult> RunAsync(CancellationToken ct = default)
    {
        var institutionsDone = await DoneAsync(VoucherStore.MarketIndex, DecidedInstitutionsMarker, ct);
        var noticesDone = await DoneAsync(VoucherStore.PublicityIndex, NoticeArchiveMarker, ct);
        var institutions = institutionsDone ? 0 : await DecidedInstitutionsAsync(ct);
        var notices = noticesDone ? 0 : await NoticeArchiveAsync(ct);
        if (institutions + notices > 0)
        {
            WorkListLog.Backfilled(log, institutions, notices);
        }

        return new BackfillResult(institutions, notices, institutionsDone && noticesDone);
    }

    /// <summary>Every verified or rejected institution missing from the decided index gets its row.</summary>
    async Task<int> DecidedInstitutionsAsync(CancellationToken ct)
    {
        var indexed = (await store.PartitionAsync<InstitutionDecisionEntity>(VoucherStore.MarketIndex, InstitutionDecisionEntity.Partition, int.MaxValue, ct))
            .Select(d => d.RowKey).ToHashSet(StringComparer.Ordinal);
        var added = 0;
        var profiles = store.Table(VoucherStore.Institutions).QueryAsync<InstitutionEntity>(
            TableClient.CreateQueryFilter($"RowKey eq {InstitutionEntity.ProfileRow}"), cancellationToken: ct);
        await foreach (var institution in profiles)
        {
            if (institution.Status != InstitutionStatus.Pending && !indexed.Contains(institution.InstitutionId)
                && await store.TryAddAsync(VoucherStore.MarketIndex, InstitutionDecisionEntity.For(institution), ct))
            {
                added++;
            }
        }

        await MarkDoneAsync(VoucherStore.MarketIndex, DecidedInstitutionsMarker, ct);
        return added;
    }

    /// <summary>Every batch whose notice was published (in publicity or closed) and is missing from the archive gets its row.</summary>
    async Task<int> NoticeArchiveAsync(CancellationToken ct)
    {
        var archived = (await store.PartitionAsync<PublicityIndexEntity>(VoucherStore.PublicityIndex, PublicityWindows.ArchivePartition, int.MaxValue, ct))
            .Select(a => a.RowKey).ToHashSet(StringComparer.Ordinal);
        var added = 0;
        foreach (var city in Cities.All)
        {
            foreach (var batch in await store.PartitionAsync<BatchEntity>(VoucherStore.Batches, city.Code, int.MaxValue, ct))
            {
                if (batch.Stage is BatchStage.Publicity or BatchStage.Closed && batch.PublicityStart is not null && batch.PublicityEnd is not null
                    && !archived.Contains(batch.BatchId)
                    && await store.TryAddAsync(VoucherStore.PublicityIndex, PublicityWindows.IndexRow(PublicityWindows.ArchivePartition, batch), ct))
                {
                    added++;
                }
            }
        }

        await MarkDoneAsync(VoucherStore.PublicityIndex, NoticeArchiveMarker, ct);
        return added;
    }

    async Task<bool> DoneAsync(string table, string marker, CancellationToken ct) =>
        await store.GetAsync<BackfillMarkerEntity>(table, MarkerPartition, marker, ct) is not null;

    Task MarkDoneAsync(string table, string marker, CancellationToken ct) =>
        store.TryAddAsync(table, new BackfillMarkerEntity { PartitionKey = MarkerPartition, RowKey = marker }, ct);
}

/// <summary>That a backfill pass finished (<see cref="IndexBackfill"/>); the row's timestamp says when.</summary>
public sealed class BackfillMarkerEntity : TableRow;
