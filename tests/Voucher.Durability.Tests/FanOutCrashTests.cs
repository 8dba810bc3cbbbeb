namespace Voucher.Durability.Tests;

/// <summary>Crash point (c): the host dies in the middle of freezing 1,500 queued redemptions into the settlement batch (the formation step).</summary>
[Collection(FanOutCrashCollection.Name)]
public sealed class FanOutCrashTests(SharedAzurite shared, ITestOutputHelper output)
{
    const string City = "lvliang";
    const int Items = 1_500;
    static readonly TimeSpan ResumeTimeout = TimeSpan.FromMinutes(8);

    [Fact]
    public async Task HostKilledMidFreeze_EveryRedemptionFrozenExactlyOnce()
    {
        var (azurite, store, taskHub, port, env) = HostRun.On(shared.Azurite, "crashfan");
        var (institutionId, _) = await Seed.InstitutionAsync(store.Tables, City);
        var seeding = Stopwatch.StartNew();
        var ids = await Seed.QueuedRedemptionsAsync(store.Tables, City, Items, institutionId);
        output.WriteLine($"seeded {ids.Count} queued redemptions in {seeding.Elapsed.TotalSeconds:0.0} s");
        string batchId;
        int frozenAtKill;

        await using (var first = await Flows.StartHostAsync(env, port))
        {
            using var bureau = await Api.SignInAsync(first.BaseAddress, "city-bureau", City);
            batchId = await Flows.StartSettlementAsync(bureau, City);

            // Kill as soon as some, but not all, redemption rows are InBatch (their listing and audit rows follow in batches).
            var watch = Stopwatch.StartNew();
            frozenAtKill = 0;
            while (watch.Elapsed < TimeSpan.FromSeconds(180))
            {
                frozenAtKill = await store.CountRowsAsync(City, "InBatch");
                if (frozenAtKill > 0)
                {
                    break;
                }

                await Task.Delay(50);
            }

            await first.KillAsync();
            output.WriteLine($"killed with {frozenAtKill} of {Items} InBatch, {watch.Elapsed.TotalSeconds:0.0} s after the start");
        }

        Assert.True(frozenAtKill is > 0 and < Items, $"the kill should land mid fan-out, but {frozenAtKill} of {Items} were InBatch");
        output.WriteLine($"InBatch right after the kill: {await store.CountRowsAsync(City, "InBatch")} rows, {await store.CountIndexAsync(City, "InBatch")} listing rows");

        var sinceKill = Stopwatch.StartNew();
        await using var second = await Flows.StartHostAsync(env, port);
        using var reader = await Api.SignInAsync(second.BaseAddress, "city-bureau", City);
        JsonElement reviewing;
        try
        {
            reviewing = await Flows.WaitStageAsync(reader, batchId, "Reviewing", ResumeTimeout);
        }
        catch (TimeoutException e)
        {
            throw new TimeoutException($"{e.Message}{Environment.NewLine}{await store.DescribeAsync(taskHub, SettlementIds.InstanceId(batchId))}{Flows.Tail(second.Output)}", e);
        }

        var resumed = sinceKill.Elapsed;
        output.WriteLine($"batch reviewing {resumed.TotalSeconds:0.0} s after the kill; progress {reviewing.GetProperty("progress")}");
        Assert.Equal(Items, reviewing.GetProperty("itemCount").GetInt32());
        Assert.Equal(Items, reviewing.GetProperty("progress").GetProperty("counts").GetProperty("InBatch").GetInt32());

        // Every seeded redemption is in the batch exactly once; none is left in the queue, none is lost.
        var items = await store.PartitionAsync<BatchItemEntity>(VoucherStore.BatchItems, batchId);
        Assert.Equal(Items, items.Count);
        Assert.Equal(ids.OrderBy(i => i, StringComparer.Ordinal), items.Select(i => i.RowKey).OrderBy(i => i, StringComparer.Ordinal));
        Assert.Equal(Items, items.Select(i => i.RowKey).Distinct().Count());
        Assert.Equal(Enumerable.Range(0, 3).Select(c => 500), items.GroupBy(i => i.Chunk).OrderBy(g => g.Key).Select(g => g.Count()));
        Assert.Empty(await store.PartitionAsync<SettlementQueueEntity>(VoucherStore.SettlementQueue, City));

        var rows = await store.QueryAsync<RedemptionEntity>(VoucherStore.Redemptions, TableClient.CreateQueryFilter($"CityCode eq {City}"));
        Assert.Equal(Items, rows.Count);
        Assert.All(rows, r =>
        {
            Assert.Equal(RedemptionStatus.InBatch, r.Status);
            Assert.Equal(batchId, r.BatchId);
        });

        Assert.Equal(Items, await store.CountIndexAsync(City, "InBatch"));
        var frozen = await store.QueryAsync<AuditEntry>(VoucherStore.Audit, TableClient.CreateQueryFilter($"ToState eq {"InBatch"}"));
        var perRedemption = frozen.Where(a => ids.Contains(a.Subject["redemption:".Length..])).GroupBy(a => a.Subject).ToList();
        Assert.Equal(Items, perRedemption.Count);
        Assert.All(perRedemption, g =>
        {
            var entry = Assert.Single(g);
            Assert.Equal("Queued", entry.FromState);
        });

        // The reservations are untouched by freezing: one per redemption, the sum of the pay-outs.
        foreach (var uscc in rows.Select(r => r.Uscc).Distinct())
        {
            var ledger = await store.LedgerAsync(uscc, rows[0].CapYear);
            var mine = rows.Where(r => r.Uscc == uscc).ToList();
            Assert.Equal(mine.Sum(r => r.PayoutFen), ledger!.ReservedFen);
            Assert.Equal(mine.Count, ledger.Reservations().Count);
        }

        Tally.CrashPointSurvived(output, $"(c) mid settlement freeze ({frozenAtKill}/{Items} frozen at the kill)", resumed);
    }
}
