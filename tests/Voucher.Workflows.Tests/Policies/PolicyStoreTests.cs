namespace Voucher.Workflows.Tests.Policies;

[Collection(AzuriteCollection.Name)]
public sealed class PolicyStoreTests(AzuriteFixture azurite)
{
    static readonly DateTimeOffset Now = new(2026, 3, 2, 1, 0, 0, TimeSpan.Zero);

    [Fact]
    public async Task EnsureSeeded_Twice_OneVersionRowAndTheCurrentPointer()
    {
        var (policies, store) = await NewAsync();

        await policies.EnsureSeededAsync(CityPolicy.Default("taiyuan", Now));
        await policies.EnsureSeededAsync(CityPolicy.Default("taiyuan", Now) with { ValidityMonths = 6 });

        var rows = await store.PartitionAsync<PolicyEntity>(VoucherStore.Policies, "taiyuan");
        Assert.Equal(["current", "v000001"], rows.Select(r => r.RowKey).Order(StringComparer.Ordinal));
        Assert.Equal(12, (await policies.GetCurrentAsync("taiyuan")).ValidityMonths);
    }

    [Fact]
    public async Task EnsureSeeded_AfterAPublishedChange_LeavesTheNewVersionInForce()
    {
        var (policies, _) = await NewAsync();
        await policies.EnsureSeededAsync(CityPolicy.Default("datong", Now));
        var v2 = (await policies.GetCurrentAsync("datong")).NextVersion("admin", "ratio raised", Now) with { ExcessRatio = 0.6m };
        Assert.True(await policies.TryPublishAsync(v2));

        await policies.EnsureSeededAsync(CityPolicy.Default("datong", Now));

        var current = await policies.GetCurrentAsync("datong");
        Assert.Equal(2, current.Version);
        Assert.Equal(0.6m, current.ExcessRatio);
    }

    [Fact]
    public async Task TryPublish_NextVersion_BecomesCurrentAndKeepsTheOldVersion()
    {
        var (policies, _) = await NewAsync();
        await policies.EnsureSeededAsync(CityPolicy.Default("linfen", Now));
        var v2 = CityPolicy.Default("linfen", Now).NextVersion("admin", "longer validity", Now) with { ValidityMonths = 24 };

        Assert.True(await policies.TryPublishAsync(v2));

        Assert.Equal(v2, await policies.GetCurrentAsync("linfen"));
        Assert.Equal(12, (await policies.GetVersionAsync("linfen", 1))!.ValidityMonths);
        Assert.Equal(24, (await policies.GetVersionAsync("linfen", 2))!.ValidityMonths);
    }

    [Fact]
    public async Task TryPublish_StaleOrSkippedVersion_IsRefusedAndChangesNothing()
    {
        var (policies, _) = await NewAsync();
        await policies.EnsureSeededAsync(CityPolicy.Default("xinzhou", Now));
        var v1 = await policies.GetCurrentAsync("xinzhou");
        Assert.True(await policies.TryPublishAsync(v1.NextVersion("editor-a", "a", Now) with { ValidityMonths = 18 }));

        // Editor B started from version 1 too: its "version 2" is stale now.
        var stale = await policies.TryPublishAsync(v1.NextVersion("editor-b", "b", Now) with { ValidityMonths = 6 });
        var skipped = await policies.TryPublishAsync(v1 with { Version = 4, ChangedBy = "editor-c", Reason = "c" });

        Assert.False(stale);
        Assert.False(skipped);
        var current = await policies.GetCurrentAsync("xinzhou");
        Assert.Equal((2, 18, "editor-a"), (current.Version, current.ValidityMonths, current.ChangedBy));
        Assert.Null(await policies.GetVersionAsync("xinzhou", 4));
    }

    [Fact]
    public async Task TryPublish_TwoEditorsAtOnce_ExactlyOneWins()
    {
        var (policies, _) = await NewAsync();
        await policies.EnsureSeededAsync(CityPolicy.Default("jincheng", Now));
        var v1 = await policies.GetCurrentAsync("jincheng");

        var results = await Task.WhenAll(Enumerable.Range(0, 6).Select(i => Task.Run(() =>
            policies.TryPublishAsync(v1.NextVersion($"editor-{i}", "concurrent", Now) with { ValidityMonths = 13 + i }))));

        Assert.Single(results, r => r);
        var current = await policies.GetCurrentAsync("jincheng");
        Assert.Equal(2, current.Version);
        Assert.Equal(current, await policies.GetVersionAsync("jincheng", 2));
    }

    [Fact]
    public async Task GetCurrent_CityNeverSeeded_AnswersTheDefaults()
    {
        var (policies, _) = await NewAsync();

        var policy = await policies.GetCurrentAsync("yuncheng");

        Assert.Equal(CityPolicy.Default("yuncheng", Now), policy);
    }

    async Task<(PolicyStore Policies, VoucherStore Store)> NewAsync()
    {
        var store = await StoreFactory.NewAsync(azurite);
        return (new PolicyStore(store, new FakeTimeProvider(Now)), store);
    }
}
