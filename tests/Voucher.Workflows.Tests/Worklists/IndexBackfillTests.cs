using Azure.Data.Tables;
using Voucher.Workflows.Marketplace;
using Voucher.Workflows.Settlement;
using Voucher.Workflows.Worklists;

namespace Voucher.Workflows.Tests.Worklists;

/// <summary>
/// The start-up backfill of the work lists' indexes over Azurite: an institution decided and a notice published before
/// the indexes existed (records without index rows) appear on the province's 已审核 list and in the notice archive after
/// the pass; a second start skips it (its markers), and a pass run again without the markers adds nothing and rewrites
/// nothing (the index rows keep their ETags). A pending institution and a batch never published stay off the lists.
/// </summary>
[Collection(AzuriteCollection.Name)]
public sealed class IndexBackfillTests(AzuriteFixture azurite)
{
    static readonly VoucherPrincipal Province = new("dev:province:p1", "王芳", Role.Province, null);

    [Fact]
    public async Task Old_records_appear_on_the_new_lists_after_the_backfill_and_a_second_run_changes_nothing()
    {
        await using var sp = await WorkflowServices.BuildAsync(azurite, azurite.NewName("bf")[..13]);
        var store = sp.GetRequiredService<VoucherStore>();
        var backfill = sp.GetRequiredService<IndexBackfill>();
        var institutions = sp.GetRequiredService<InstitutionService>();
        var publicity = sp.GetRequiredService<PublicityService>();

        // Records from before the indexes: a verified and a pending institution, a closed batch whose notice was
        // published and a batch still in review; no index rows for any of them.
        var decidedAt = new DateTimeOffset(2025, 3, 4, 2, 0, 0, TimeSpan.Zero);
        await store.UpsertAsync(VoucherStore.Institutions, new InstitutionEntity
        {
            PartitionKey = "inst-old-verified", Name = "晋中老牌检测中心", CityCode = "jinzhong", Type = "testing", Code = "12140700MB0000001X",
            SharingPlatformId = "SX-OLD-1", Status = InstitutionStatus.Verified, RegisteredAt = decidedAt.AddDays(-10), DecidedAt = decidedAt,
        });
        await store.UpsertAsync(VoucherStore.Institutions, new InstitutionEntity
        {
            PartitionKey = "inst-old-pending", Name = "晋中待审机构", CityCode = "jinzhong", Type = "testing", Status = InstitutionStatus.Pending, RegisteredAt = decidedAt,
        });
        var closed = A.Batch("jinzhong", "2025Q1").InStage(BatchStage.Closed).WithItems(3)
            .InPublicity("2025-04-07", "2025-04-11", new DateTimeOffset(2025, 4, 11, 16, 0, 0, TimeSpan.Zero)).Build();
        await store.UpsertAsync(VoucherStore.Batches, closed);
        await store.UpsertAsync(VoucherStore.Batches, A.Batch("jinzhong", "2025Q2").InStage(BatchStage.Reviewing).WithItems(2).Build());

        // The host started before these records were written; the next start is the one after the upgrade.
        await DeleteMarkersAsync(store);
        Assert.DoesNotContain((await institutions.DecidedAsync(Province, default)).Value, d => d.RowKey == "inst-old-verified");
        Assert.DoesNotContain(await publicity.ArchiveAsync("jinzhong", default), n => n.BatchId == closed.BatchId);

        var first = await backfill.RunAsync();

        Assert.Equal((1, 1, false), (first.DecidedInstitutions, first.ArchivedNotices, first.Skipped));
        var decided = Assert.Single((await institutions.DecidedAsync(Province, default)).Value, d => d.RowKey == "inst-old-verified");
        Assert.Equal(("晋中老牌检测中心", "Verified", decidedAt), (decided.Name, decided.Status, decided.DecidedAt));
        Assert.DoesNotContain((await institutions.DecidedAsync(Province, default)).Value, d => d.RowKey == "inst-old-pending");
        var notice = Assert.Single(await publicity.ArchiveAsync("jinzhong", default));
        Assert.Equal((closed.BatchId, "2025-04-07", "2025-04-11", false), (notice.BatchId, notice.Start, notice.End, notice.Current));
        var etags = await IndexETagsAsync(store);

        // The next start: skipped by its markers, nothing written.
        var second = await backfill.RunAsync();
        Assert.Equal((0, 0, true), (second.DecidedInstitutions, second.ArchivedNotices, second.Skipped));
        Assert.Equal(etags, await IndexETagsAsync(store));

        // Without the markers (a pass interrupted before writing them): it adds nothing and rewrites nothing.
        await DeleteMarkersAsync(store);
        var again = await backfill.RunAsync();
        Assert.Equal((0, 0, false), (again.DecidedInstitutions, again.ArchivedNotices, again.Skipped));
        Assert.Equal(etags, await IndexETagsAsync(store));
    }

    static async Task DeleteMarkersAsync(VoucherStore store)
    {
        await store.Table(VoucherStore.MarketIndex).DeleteEntityAsync(IndexBackfill.MarkerPartition, IndexBackfill.DecidedInstitutionsMarker);
        await store.Table(VoucherStore.PublicityIndex).DeleteEntityAsync(IndexBackfill.MarkerPartition, IndexBackfill.NoticeArchiveMarker);
    }

    /// <summary>Every index row the backfill may write, by key, with its ETag (a rewrite changes it).</summary>
    static async Task<Dictionary<string, string>> IndexETagsAsync(VoucherStore store)
    {
        var decided = await store.PartitionAsync<TableEntity>(VoucherStore.MarketIndex, InstitutionDecisionEntity.Partition, 1000);
        var archive = await store.PartitionAsync<TableEntity>(VoucherStore.PublicityIndex, PublicityWindows.ArchivePartition, 1000);
        return decided.Concat(archive).ToDictionary(e => $"{e.PartitionKey}/{e.RowKey}", e => e.ETag.ToString());
    }
}
