namespace Voucher.Workflows.Tests.Settlement;

/// <summary>
/// The settlement timer ("now" cut-off) over all eleven cities on its own engine: the timer firing again (also twice at
/// once) starts one settlement per city and period; a city with nothing queued closes at once.
/// </summary>
public sealed class SettlementSchedulerTests(SettlementHostFixture fixture) : SettlementHostTests(fixture)
{
    const string BusyCity = "jincheng";

    [Fact]
    public async Task TimerFiresTwice_OneSettlementPerCityAndPeriod_EmptyCitiesCloseWithNoItems()
    {
        var queued = await Seed.QueuedAsync(BusyCity, 33_000m, DateTimeOffset.UtcNow.AddMinutes(-1), startOrchestration: false);
        var scheduler = Get<SettlementScheduler>();

        // The timer fires, then fires again (a past-due run after a restart), then twice at the same moment.
        var first = await scheduler.RunScheduledAsync(Seed.Client, CancellationToken.None);
        var second = await scheduler.RunScheduledAsync(Seed.Client, CancellationToken.None);
        var both = await Task.WhenAll(scheduler.RunScheduledAsync(Seed.Client, CancellationToken.None), scheduler.RunScheduledAsync(Seed.Client, CancellationToken.None));

        foreach (var city in Cities.All)
        {
            var period = await Seed.CurrentPeriodAsync(city.Code);
            var batchId = $"{city.Code}-{period.Id}";
            var started = Assert.Single(first, s => s.BatchId == batchId);
            Assert.True(started.Started, batchId);
            Assert.Equal($"settlement-{city.Code}-{period.Id}", started.InstanceId);
            Assert.Equal(period.Id, started.PeriodId);
            foreach (var later in both.Prepend(second).Select(run => Assert.Single(run, s => s.BatchId == batchId)))
            {
                // Not started again, and it reports the cut-off the running settlement took.
                Assert.Equal((started.InstanceId, false, started.CutoffUtc), (later.InstanceId, later.Started, later.CutoffUtc));
            }
        }

        Assert.Equal(Cities.All.Count, first.Count);
        Assert.All(both.Prepend(second), run => Assert.Equal(Cities.All.Count, run.Count));
        var instances = new List<string>();
        await foreach (var instance in Seed.Client.GetAllInstancesAsync(new OrchestrationQuery { InstanceIdPrefix = "settlement-" }))
        {
            instances.Add(instance.InstanceId);
        }

        Assert.Equal(Cities.All.Count, instances.Count(i => !i.Contains("-freeze-", StringComparison.Ordinal) && !i.Contains("-decide-", StringComparison.Ordinal) && !i.Contains("-close-publicity-", StringComparison.Ordinal)));

        foreach (var city in Cities.All.Where(c => c.Code != BusyCity))
        {
            var period = await Seed.CurrentPeriodAsync(city.Code);
            var batchId = $"{city.Code}-{period.Id}";
            var done = await Seed.WaitForCompletionAsync(SettlementIds.InstanceId(batchId));
            Assert.Equal(new BatchSummary(batchId, 0, 0, Frozen: true, RiskCheck: true), done.ReadOutputAs<BatchSummary>());
            Assert.Contains("\"stage\":\"closed\"", done.SerializedCustomStatus, StringComparison.Ordinal);
            var batch = (await Get<SettlementStore>().GetBatchAsync(batchId))!;
            Assert.Equal(BatchStage.Closed, batch.Stage);
            Assert.Equal(0, batch.ItemCount);
            Assert.Equal("timer", batch.StartedBy);
            Assert.Single(await Get<SettlementStore>().BatchesOfCityAsync(city.Code));
            Assert.DoesNotContain(await Seed.InboxAsync(Addresses.CityBureau(city.Code)), n => n.NotificationId == $"batch-review-{batchId}");
            Assert.DoesNotContain(await Seed.InboxAsync(Addresses.For(Role.FinanceBureau, city.Code)), n => n.NotificationId == $"payable-{batchId}");
        }

        var busyPeriod = await Seed.CurrentPeriodAsync(BusyCity);
        var busy = await Seed.WaitForBatchAsync($"{BusyCity}-{busyPeriod.Id}", BatchStage.Reviewing);
        Assert.Equal(1, busy.ItemCount);
        Assert.Single(await Get<SettlementStore>().BatchesOfCityAsync(BusyCity));
        Assert.Equal(busy.BatchId, (await Seed.RedemptionAsync(queued.RedemptionId)).BatchId);
        Assert.Equal(OrchestrationRuntimeStatus.Running, (await Seed.Client.GetInstanceAsync(SettlementIds.InstanceId(busy.BatchId)))!.RuntimeStatus);
    }
}
