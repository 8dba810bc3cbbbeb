namespace Voucher.Workflows.Tests.Applications;

/// <summary>
/// Optimistic concurrency of application updates on Azurite. Azurite is not a concurrency oracle, but single-entity
/// If-Match (ETag) updates are enforced, which is all <see cref="ApplicationStore.UpdateAsync"/> relies on.
/// </summary>
[Collection(AzuriteCollection.Name)]
public sealed class ApplicationStoreTests(AzuriteFixture azurite)
{
    [Fact]
    public async Task UpdateAsync_TwentyConcurrentWriters_NoChangeIsLost()
    {
        var (applications, id) = await NewApplicationAsync();

        var writers = Enumerable.Range(0, 20).Select(i => Task.Run(() => applications.UpdateAsync(id, a =>
        {
            a.DecisionReason = (a.DecisionReason ?? "") + $"[{i}]";
            return true;
        })));
        await Task.WhenAll(writers);

        var reason = (await applications.GetRequiredAsync(id)).DecisionReason ?? "";
        var missing = Enumerable.Range(0, 20).Where(i => !reason.Contains($"[{i}]", StringComparison.Ordinal)).ToList();
        Assert.True(missing.Count == 0, $"lost updates from writers {string.Join(", ", missing)}; stored: {reason}");
        Assert.Equal(20, reason.Count(c => c == '['));
    }

    [Fact]
    public async Task UpdateAsync_RowChangedBetweenReadAndWrite_ReappliesOnTheFreshRowAndKeepsBoth()
    {
        var (applications, id, store) = await NewApplicationWithStoreAsync();
        var calls = 0;

        var result = await applications.UpdateAsync(id, a =>
        {
            if (Interlocked.Increment(ref calls) == 1)
            {
                // Another writer gets in after our read: our write carries a stale ETag and must be refused (412).
                var other = store.Table(VoucherStore.Applications).GetEntity<ApplicationEntity>(a.PartitionKey, a.RowKey).Value;
                other.DecidedBy = "other-writer";
                store.Table(VoucherStore.Applications).UpdateEntity(other, other.ETag, TableUpdateMode.Replace);
            }

            a.DecisionReason = "mine";
            return true;
        });

        Assert.Equal(2, calls);
        var stored = await applications.GetRequiredAsync(id);
        Assert.Equal("mine", stored.DecisionReason);
        Assert.Equal("other-writer", stored.DecidedBy);
        Assert.Equal("mine", result.DecisionReason);
    }

    [Fact]
    public async Task UpdateAsync_ChangeReportsNothingToDo_WritesNothing()
    {
        var (applications, id) = await NewApplicationAsync();
        var before = await applications.GetRequiredAsync(id);

        var result = await applications.UpdateAsync(id, a =>
        {
            a.DecisionReason = "should not be stored";
            return false;
        });

        var after = await applications.GetRequiredAsync(id);
        Assert.Equal(before.ETag, after.ETag);
        Assert.Null(after.DecisionReason);
        Assert.Equal(before.ETag, result.ETag);
    }

    [Fact]
    public async Task UpdateAsync_StatusChange_KeepsTheCityQueueIndexInStep()
    {
        var (applications, id) = await NewApplicationAsync();

        await applications.UpdateAsync(id, a =>
        {
            a.MoveTo(ApplicationStatus.UnderReview);
            a.Round = 1;
            a.DeadlineDate = "2026-12-10";
            return true;
        });

        var row = Assert.Single(await applications.ForCityAsync("taiyuan"), r => r.RowKey == id);
        Assert.Equal(ApplicationStatus.UnderReview, row.Status);
        Assert.Equal("2026-12-10", row.DeadlineDate);
        Assert.Equal(1, row.Round);
    }

    [Fact]
    public async Task TryCreateAsync_SameIdTwice_SecondIsRefused()
    {
        var (applications, id, _) = await NewApplicationWithStoreAsync();
        var again = A.Application(id[..18], "taiyuan").WithId(id).Named("dup").Build();

        Assert.False(await applications.TryCreateAsync(again));
        Assert.NotEqual("dup", (await applications.GetRequiredAsync(id)).EnterpriseName);
    }

    async Task<(ApplicationStore Applications, string Id)> NewApplicationAsync()
    {
        var (applications, id, _) = await NewApplicationWithStoreAsync();
        return (applications, id);
    }

    async Task<(ApplicationStore Applications, string Id, VoucherStore Store)> NewApplicationWithStoreAsync()
    {
        var store = await StoreFactory.NewAsync(azurite);
        var applications = new ApplicationStore(store);
        var application = A.Application(TestUscc.New(), "taiyuan").Build();
        Assert.True(await applications.TryCreateAsync(application));
        var id = application.ApplicationId;
        return (applications, id, store);
    }
}
