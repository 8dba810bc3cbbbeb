using Voucher.Workflows.Audit;

namespace Voucher.Workflows.Tests.Redemptions;

/// <summary>
/// When a redemption's row vouches for its whole status view (<see cref="RedemptionViewKey"/>): the entry a step named
/// is in the history (its own partition or its batch's), a touch has settled, and the files listed are the ones the
/// row names; and the writes that keep it so on real storage — a change that names nothing touches the row, an upload
/// names its file in its own column without disturbing the rest.
/// </summary>
[Collection(RedemptionStorageCollection.Name)]
public sealed class RedemptionViewKeyTests(AzuriteFixture azurite)
{
    static readonly DateTimeOffset Now = new(2026, 12, 7, 6, 0, 0, TimeSpan.Zero);
    const string Id = "V-91140100MA0VIEW01X-2026-01-R1";

    [Fact]
    public void ARowWithoutAKey_NeverVouches()
    {
        Assert.False(RedemptionViewKey.Vouches(new RedemptionEntity { RowKey = Id }, [], [], Now));
    }

    [Fact]
    public void ANamedEntry_VouchesOnlyOnceTheHistoryHoldsIt_InItsOwnPartitionOrItsBatchs()
    {
        var key = AuditLog.KeyOf(Now, "AwaitingBinding", "AwaitingEvidence");
        var r = new RedemptionEntity { RowKey = Id, ViewKey = RedemptionViewKey.Announce(null, key) };

        Assert.False(RedemptionViewKey.Vouches(r, [Entry(AuditLog.KeyOf(Now.AddSeconds(-1), "", "AwaitingBinding"))], [], Now));
        Assert.True(RedemptionViewKey.Vouches(r, [Entry(key)], [], Now));
        Assert.True(RedemptionViewKey.Vouches(r, [Entry($"{Id}|{key}")], [], Now));
        // Only a whole key after the batch's separator counts, not any row key that happens to end the same way.
        Assert.False(RedemptionViewKey.Vouches(r, [Entry("x" + key)], [], Now));
    }

    [Fact]
    public void ALaterEntry_KeepsTheOnesNamedJustBefore_WhichMayStillBeOnTheirWay_UpToThree()
    {
        var keys = Enumerable.Range(0, 4).Select(i => AuditLog.KeyOf(Now.AddSeconds(i), "Queued", "Queued")).ToList();
        var r = new RedemptionEntity { RowKey = Id, ViewKey = RedemptionViewKey.Announce(RedemptionViewKey.Announce(null, keys[0]), keys[1]) };

        // A racing writer's entry (the first) not in yet: the second alone does not vouch.
        Assert.False(RedemptionViewKey.Vouches(r, [Entry(keys[1])], [], Now));
        Assert.True(RedemptionViewKey.Vouches(r, [Entry(keys[0]), Entry(keys[1])], [], Now));

        // Naming the same entry again (a step run again) keeps one of it; the oldest goes once three are named.
        r.ViewKey = RedemptionViewKey.Announce(RedemptionViewKey.Announce(RedemptionViewKey.Announce(r.ViewKey, keys[2]), keys[2]), keys[3]);
        Assert.Equal(string.Join(';', keys.Skip(1).Select(k => "h:" + k)), r.ViewKey);
        Assert.True(RedemptionViewKey.Vouches(r, keys.Skip(1).Select(Entry), [], Now));
    }

    [Fact]
    public void ATouch_VouchesOnlyAfterItSettles_AndANamedEntryKeepsIt()
    {
        var touched = RedemptionViewKey.Touched(null, Now);
        var r = new RedemptionEntity { RowKey = Id, ViewKey = touched };

        Assert.False(RedemptionViewKey.Vouches(r, [], [], Now + RedemptionViewKey.Settle - TimeSpan.FromSeconds(1)));
        Assert.True(RedemptionViewKey.Vouches(r, [], [], Now + RedemptionViewKey.Settle));

        // A step naming its entry keeps the touch: both must hold.
        var key = AuditLog.KeyOf(Now, "Queued", "InBatch");
        r.ViewKey = RedemptionViewKey.Announce(touched, key);
        Assert.False(RedemptionViewKey.Vouches(r, [Entry(key)], [], Now.AddSeconds(1)));
        Assert.True(RedemptionViewKey.Vouches(r, [Entry(key)], [], Now + RedemptionViewKey.Settle));
        Assert.False(RedemptionViewKey.Vouches(r, [], [], Now + RedemptionViewKey.Settle));

        // A later touch keeps the entry named before (it may still be on its way).
        r.ViewKey = RedemptionViewKey.Touched(r.ViewKey, Now + RedemptionViewKey.Settle);
        Assert.False(RedemptionViewKey.Vouches(r, [], [], Now + (RedemptionViewKey.Settle * 2)));
        Assert.True(RedemptionViewKey.Vouches(r, [Entry(key)], [], Now + (RedemptionViewKey.Settle * 2)));
    }

    [Fact]
    public void Files_VouchOnlyWhenEachListedFileIsTheOneItsKindNames()
    {
        var r = new RedemptionEntity { RowKey = Id, ViewKey = RedemptionViewKey.Announce(null, "k"), ViewFileReport = "blob-2" };
        AuditEntry[] history = [Entry("k")];

        Assert.False(RedemptionViewKey.Vouches(r, history, [], Now), "named, not recorded yet");
        Assert.False(RedemptionViewKey.Vouches(r, history, [File("report", "blob-1")], Now), "an earlier file of the kind still listed");
        Assert.True(RedemptionViewKey.Vouches(r, history, [File("report", "blob-2")], Now));
        Assert.False(RedemptionViewKey.Vouches(r, history, [File("report", "blob-2"), File("contract", "blob-3")], Now), "a file no column names");
        r.ViewFileReport = "";
        Assert.True(RedemptionViewKey.Vouches(r, history, [], Now), "none named, none listed (after the retention)");
    }

    [Fact]
    public async Task OnStorage_AChangeNamingNothingTouchesTheRow_AnUploadNamesItsFileAlone_AndANamedChangeKeepsBoth()
    {
        var store = await StoreFactory.NewAsync(azurite);
        var time = new Microsoft.Extensions.Time.Testing.FakeTimeProvider(Now);
        var redemptions = new RedemptionStore(store, time);
        var id = $"V-{TestUscc.New("datong")}-2026-01-R1";
        var key = AuditLog.KeyOf(Now, "", "AwaitingBinding");
        Assert.True(await redemptions.TryCreateAsync(new RedemptionEntity { PartitionKey = RedemptionStore.PartitionOf(id), RowKey = id, CityCode = "datong", ViewKey = RedemptionViewKey.Announce(null, key) }));

        await redemptions.UpdateAsync(id, e => e.TryMoveTo(RedemptionStatus.AwaitingEvidence) is not null);
        var touched = (await redemptions.GetAsync(id))!;
        Assert.Equal(RedemptionViewKey.Touched(RedemptionViewKey.Announce(null, key), Now), touched.ViewKey);

        // Under the ETag the caller read: the new ETag, for the caller's row with the file named.
        var etag = await RedemptionViewKey.AnnounceFileAsync(store, id, "contract", "blob-c", touched.ETag, CancellationToken.None);
        var named = (await redemptions.GetAsync(id))!;
        Assert.Equal(("blob-c", touched.ViewKey, RedemptionStatus.AwaitingEvidence), (named.ViewFileContract, named.ViewKey, named.State));
        Assert.Equal(named.ETag, etag);

        // Under an ETag gone stale: merged all the same, but no ETag to write the stale row on with.
        Assert.Null(await RedemptionViewKey.AnnounceFileAsync(store, id, "report", "blob-r", touched.ETag, CancellationToken.None));
        named = (await redemptions.GetAsync(id))!;
        Assert.Equal(("blob-c", "blob-r"), (named.ViewFileContract, named.ViewFileReport));

        time.Advance(TimeSpan.FromMinutes(1));
        var next = AuditLog.KeyOf(time.GetUtcNow(), "AwaitingEvidence", "Queued");
        await redemptions.UpdateAsync(id, e =>
        {
            e.MoveTo(RedemptionStatus.Queued);
            e.AnnounceEntry(next);
            return true;
        });
        var queued = (await redemptions.GetAsync(id))!;
        Assert.Equal(RedemptionViewKey.Announce(touched.ViewKey, next), queued.ViewKey);
        Assert.Equal(("blob-c", "blob-r"), (queued.ViewFileContract, queued.ViewFileReport));

        // The retention forgets the files and touches the row, in one write.
        await RedemptionViewKey.ForgetFilesAsync(store, id, time.GetUtcNow(), CancellationToken.None);
        var forgotten = (await redemptions.GetAsync(id))!;
        Assert.Equal(("", "", RedemptionViewKey.Touched(null, time.GetUtcNow())), (forgotten.ViewFileContract, forgotten.ViewFileReport, forgotten.ViewKey));

        // Nothing to touch: no error, no row.
        await RedemptionViewKey.TouchAsync(store, $"V-{TestUscc.New("datong")}-2026-01-R9", Now, CancellationToken.None);
    }

    static AuditEntry Entry(string rowKey) => new() { PartitionKey = AuditSubjects.Redemption(Id), RowKey = rowKey };

    static Evidence.EvidenceEntity File(string slug, string blob) => new() { PartitionKey = Id, RowKey = slug, BlobName = blob };
}
