using Voucher.Workflows.Tests.Support;

namespace Voucher.Workflows.Tests.Settlement;

/// <summary>
/// The settlement queue's kept count on Azurite: the bureau home's queued count and pay-out equal the queue's rows
/// after enqueues raced and retried, dequeues retried and a batch formed; a queue from before the count is counted
/// once from its rows; afterwards the home reads one row however long the queue is.
/// </summary>
public sealed class QueueCountTests(SettlementHostFixture fixture) : SettlementHostTests(fixture)
{
    static readonly DateTimeOffset QueuedAt = new(2026, 11, 20, 2, 0, 0, TimeSpan.Zero);

    static SettlementQueueEntity Row(string city, int i, long fen) => new()
    {
        PartitionKey = city, RowKey = $"{QueuedAt.UtcTicks + i:D19}-V-QC-{i:D5}-R1", RedemptionId = $"V-QC-{i:D5}-R1", PayoutFen = fen, QueuedAt = QueuedAt,
    };

    /// <summary>The count kept equals a count of the queue rows made here.</summary>
    static async Task AssertEqualsRowsAsync(VoucherStore store, string city)
    {
        var rows = (await store.PartitionAsync<SettlementQueueEntity>(VoucherStore.SettlementQueue, city, 100_000)).Where(r => r.RowKey != QueueCount.RowKey).ToList();
        Assert.Equal((rows.Count, rows.Sum(r => r.PayoutFen)), await new SettlementStore(store).QueuedAsync(city));
    }

    [Fact]
    public async Task KeptCount_EqualsTheQueueRows_AfterRacedAndRetriedEnqueuesAndDequeues_AndALongQueueIsReadAsOneRow()
    {
        var (store, metrics) = await StoreFactory.NewCountedAsync(Fixture.Azurite);
        const string City = "changzhi";

        // A queue from before the count: 2,500 rows, no count row. The first read counts them once and keeps the count.
        var legacy = Enumerable.Range(0, 2500).Select(i => Row(City, i, 1_000_000 + i)).ToList();
        await new SettlementStore(store).UpsertManyAsync(VoucherStore.SettlementQueue, legacy, default);
        await AssertEqualsRowsAsync(store, City);

        // From then on the home's figure is one row, however long the queue (the rows take three queries of 1,000).
        var calls = await StoreFactory.TableCallsAsync(metrics, async () => Assert.Equal((2500, legacy.Sum(r => r.PayoutFen)), await new SettlementStore(store).QueuedAsync(City)));
        Assert.Equal(1, calls);

        // Enqueues raced, each one retried: every row counted once.
        var added = Enumerable.Range(3000, 20).Select(i => Row(City, i, 500_000 + i)).ToList();
        await Task.WhenAll(Enumerable.Range(3000, 20).SelectMany(i => new[] { i, i }).Select(i => QueueCount.EnqueueAsync(store, Row(City, i, 500_000 + i), default)));
        await AssertEqualsRowsAsync(store, City);
        Assert.Equal(2520, (await new SettlementStore(store).QueuedAsync(City)).Count);

        // Dequeues raced and retried (one alone, a slice with rows already gone): each counted once.
        await Task.WhenAll(
            QueueCount.DequeueAsync(store, City, [added[0]], default),
            QueueCount.DequeueAsync(store, City, [added[0]], default),
            QueueCount.DequeueAsync(store, City, [.. added.Take(5)], default),
            QueueCount.DequeueAsync(store, City, [.. legacy.Take(150)], default));
        await QueueCount.DequeueAsync(store, City, [.. legacy.Take(200)], default);
        await AssertEqualsRowsAsync(store, City);
        Assert.Equal(2520 - 5 - 200, (await new SettlementStore(store).QueuedAsync(City)).Count);

        // The queue emptied: no count row is left, and the next enqueue counts from nothing.
        await QueueCount.DequeueAsync(store, City, [.. legacy, .. added], default);
        Assert.Empty(await store.PartitionAsync<SettlementQueueEntity>(VoucherStore.SettlementQueue, City));
        await QueueCount.EnqueueAsync(store, Row(City, 9000, 123), default);
        Assert.Equal((1, 123L), await new SettlementStore(store).QueuedAsync(City));
    }

    [Fact]
    public async Task TheBureauHome_ShowsTheQueuedCountAndPayout_OfTheRecords_AndABatchFormedTakesThemOut()
    {
        const string City = "jincheng";
        var seeded = new List<SeededRedemption>();
        for (var i = 0; i < 4; i++)
        {
            seeded.Add(await Seed.QueuedAsync(City, 20_000m + (i * 5_000m), DateTimeOffset.UtcNow.AddDays(-3)));
        }

        // The enqueue step retried: counted once.
        await Get<RedemptionStore>().EnqueueAsync(await Seed.RedemptionAsync(seeded[0].RedemptionId));
        var records = new List<RedemptionEntity>();
        foreach (var s in seeded)
        {
            records.Add(await Seed.RedemptionAsync(s.RedemptionId));
        }

        var home = await Get<BureauSettlementPages>().SectionModelAsync(Cities.Get(City), default);
        Assert.Equal((4, records.Sum(r => r.PayoutFen)), (home.Queued, home.QueuedFen));
        await AssertEqualsRowsAsync(Get<VoucherStore>(), City);

        // Withdrawn from the queue (its dequeue retried): counted out once.
        await Get<RedemptionStore>().DequeueAsync(records[1]);
        await Get<RedemptionStore>().DequeueAsync(records[1]);
        home = await Get<BureauSettlementPages>().SectionModelAsync(Cities.Get(City), default);
        Assert.Equal((3, records.Sum(r => r.PayoutFen) - records[1].PayoutFen), (home.Queued, home.QueuedFen));
    }
}
