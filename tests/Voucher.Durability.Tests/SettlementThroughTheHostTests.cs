namespace Voucher.Durability.Tests;

/// <summary>
/// Its own Azurite: an every-minute timer starts a settlement in every city, which on a shared Azurite would take
/// other tests' queued redemptions into its batches.
/// </summary>
[CollectionDefinition(Name)]
public sealed class TimerSettlementCollection : ICollectionFixture<AzuriteFixture>
{
    public const string Name = "settlement-timer";
}

[CollectionDefinition(Name)]
public sealed class SettlementScaleCollection : ICollectionFixture<SharedAzurite>
{
    public const string Name = "settlement-scale";
}

/// <summary>
/// The settlement through the local host with its timer driven by configuration: an every-minute schedule starts
/// the period's batch, the bureau approves, publicity runs out, the finance bureau pays.
/// </summary>
[Collection(TimerSettlementCollection.Name)]
public sealed class TimerDrivenSettlementTests(AzuriteFixture azurite, ITestOutputHelper output)
{
    const string City = "jinzhong";

    [Fact]
    public async Task EveryMinuteTimer_QueuedRedemptionsGoToPaid()
    {
        var store = new Store(azurite.ConnectionString);
        var (institutionId, serviceId) = await Seed.InstitutionAsync(store.Tables, City);
        var taskHub = azurite.NewName("timer");
        var port = LocalHostProcess.FreeTcpPort();
        var env = HostEnv.For(azurite.ConnectionString, taskHub, port);
        List<RealRedemption> queued;

        // First the redemptions reach the queue (timer off), then the host runs with an every-minute timer.
        await using (var preparing = await Flows.StartHostAsync(env, port))
        {
            queued = await PayableBatch.QueuedAsync(preparing, store, City, institutionId, serviceId, 80_000m, 30_000m);
            await preparing.StopAsync();
        }

        env["Voucher__SettlementSchedule"] = "0 * * * * *";
        var clock = Stopwatch.StartNew();
        await using var host = await Flows.StartHostAsync(env, port);
        using var bureau = await Api.SignInAsync(host.BaseAddress, "city-bureau", City);
        using var finance = await Api.SignInAsync(host.BaseAddress, "finance-bureau", City);
        var batchId = SettlementIds.BatchId(City, Seed.CurrentPeriod);

        var reviewing = await Flows.WaitStageAsync(bureau, batchId, "Reviewing", TimeSpan.FromMinutes(3));
        output.WriteLine($"timer started {batchId} and froze {reviewing.GetProperty("itemCount").GetInt32()} items after {clock.Elapsed.TotalSeconds:0} s");
        Assert.Equal("timer", (await store.PartitionAsync<BatchEntity>(VoucherStore.Batches, City)).Single(b => b.RowKey == Seed.CurrentPeriod).StartedBy);
        Assert.Equal(queued.Count, reviewing.GetProperty("itemCount").GetInt32());

        await Flows.ApproveAndSubmitAsync(bureau, batchId, queued.Select(q => q.RedemptionId));
        await Flows.WaitStageAsync(bureau, batchId, "Closed", TimeSpan.FromMinutes(4));

        // A later firing of the timer for the same period changes nothing.
        await Task.Delay(TimeSpan.FromSeconds(61));
        Assert.Single(await store.PartitionAsync<BatchEntity>(VoucherStore.Batches, City), b => b.RowKey == Seed.CurrentPeriod);

        foreach (var r in queued)
        {
            var paid = await finance.PostAsync($"api/redemptions/{r.RedemptionId}/payment", Flows.Payment($"CZ-{r.RedemptionId[^6..]}"));
            Assert.True(paid.Status == HttpStatusCode.Accepted, $"payment: {paid}");
        }

        foreach (var r in queued)
        {
            using var enterprise = await Api.SignInAsync(host.BaseAddress, "enterprise", r.Uscc);
            await enterprise.WaitForStatusAsync($"api/redemptions/{r.RedemptionId}", "Paid", Flows.Step);
            await enterprise.WaitAsync($"api/redemptions/{r.RedemptionId}", v => v.GetProperty("stages").GetProperty("paid").ValueKind != JsonValueKind.Null, Flows.Step, "paid stage time recorded");
        }

        await Eventually.UntilAsync(async () => (await Task.WhenAll(queued.Select(q => store.RedemptionAsync(q.RedemptionId)))).All(r => r!.SettledAt is not null), TimeSpan.FromMinutes(2), "the redemptions' orchestrations finish the money side");
        await PayableBatch.AssertPaidOnceAsync(store, queued);
        output.WriteLine($"queued → paid through the timer in {clock.Elapsed.TotalSeconds:0} s");
    }
}

/// <summary>
/// Settlement at scale through the local host: 2,000 queued redemptions in one city-period batch, frozen, approved,
/// published and made payable, each exactly once. Prints time and the host's peak memory (a benchmark figure, not
/// an assertion).
/// </summary>
[Collection(SettlementScaleCollection.Name)]
public sealed class SettlementScaleTests(SharedAzurite shared, ITestOutputHelper output)
{
    const string City = "xinzhou";
    const int Items = 2_000;

    [Fact]
    public async Task TwoThousandRedemptions_EachReachesPayableExactlyOnce()
    {
        var (azurite, store, taskHub, port, env) = HostRun.On(shared.Azurite, "scale");
        var (institutionId, _) = await Seed.InstitutionAsync(store.Tables, City);
        var ids = await Seed.QueuedRedemptionsAsync(store.Tables, City, Items, institutionId);
        await using var host = await Flows.StartHostAsync(env, port);
        using var bureau = await Api.SignInAsync(host.BaseAddress, "city-bureau", City);

        var clock = Stopwatch.StartNew();
        var batchId = await Flows.StartSettlementAsync(bureau, City);
        var reviewing = await Flows.WaitStageAsync(bureau, batchId, "Reviewing", TimeSpan.FromMinutes(6));
        var frozenIn = clock.Elapsed;
        Assert.Equal(Items, reviewing.GetProperty("progress").GetProperty("counts").GetProperty("InBatch").GetInt32());

        await Flows.ApproveAndSubmitAsync(bureau, batchId, ids);
        var decidedAt = clock.Elapsed;
        var closed = await Flows.WaitStageAsync(bureau, batchId, "Closed", TimeSpan.FromMinutes(8));
        var total = clock.Elapsed;
        var metrics = JsonDocument.Parse(await host.Http.GetStringAsync("dev/metrics")).RootElement;
        output.WriteLine($"{Items} redemptions: frozen in {frozenIn.TotalSeconds:0.0} s; decisions saved by {decidedAt.TotalSeconds:0.0} s; closed (incl. the 1-minute publicity) at {total.TotalSeconds:0.0} s; host peak working set {metrics.GetProperty("peakWorkingSetBytes").GetInt64() / (1024 * 1024)} MB; storage transactions table {metrics.GetProperty("table")}, queue {metrics.GetProperty("queue")}, blob {metrics.GetProperty("blob")}");
        Assert.Equal(Items, closed.GetProperty("progress").GetProperty("counts").GetProperty("Payable").GetInt32());

        var rows = await store.QueryAsync<RedemptionEntity>(VoucherStore.Redemptions, TableClient.CreateQueryFilter($"CityCode eq {City}"));
        Assert.Equal(Items, rows.Count);
        Assert.All(rows, r => Assert.Equal(RedemptionStatus.Payable, r.Status));
        foreach (var transition in new[] { "InBatch", "Published", "Payable" })
        {
            var entries = (await store.QueryAsync<AuditEntry>(VoucherStore.Audit, TableClient.CreateQueryFilter($"ToState eq {transition}")))
                .Where(a => ids.Contains(a.Subject["redemption:".Length..])).GroupBy(a => a.Subject).ToList();
            Assert.Equal(Items, entries.Count);
            Assert.All(entries, g => Assert.Single(g));
        }

        Assert.Equal(Items, (await store.PartitionAsync<BatchItemEntity>(VoucherStore.BatchItems, batchId)).Count);
        Assert.Empty(await store.PartitionAsync<SettlementQueueEntity>(VoucherStore.SettlementQueue, City));
    }
}
