namespace Voucher.Durability.Tests;

/// <summary>
/// Crash point (d2): the host dies while the settlement's close-publicity fan-out turns published redemptions into
/// payable ones (600 seeded plus 2 real, so the phase lasts long enough to be hit).
/// </summary>
[Collection(PublicityCrashCollection.Name)]
public sealed class PublicityCrashTests(SharedAzurite shared, ITestOutputHelper output)
{
    const string City = "yangquan";
    const int Seeded = 600;
    static readonly TimeSpan ResumeTimeout = TimeSpan.FromMinutes(8);

    [Fact]
    public async Task HostKilledDuringClosePublicity_AllPayableOnce_PaymentsCountedOnce()
    {
        var (azurite, store, taskHub, port, env) = HostRun.On(shared.Azurite, "crashpub");
        var (institutionId, serviceId) = await Seed.InstitutionAsync(store.Tables, City);
        var seeded = await Seed.QueuedRedemptionsAsync(store.Tables, City, Seeded, institutionId);
        List<RealRedemption> real;
        string batchId;
        int payableAtKill;
        var total = Seeded + 2;

        await using (var first = await Flows.StartHostAsync(env, port))
        {
            real = await PayableBatch.QueuedAsync(first, store, City, institutionId, serviceId, 20_000m, 60_000m);
            using var bureau = await Api.SignInAsync(first.BaseAddress, "city-bureau", City);
            batchId = await Flows.StartSettlementAsync(bureau, City);
            await Flows.WaitStageAsync(bureau, batchId, "Reviewing", Flows.Forming);
            await Flows.ApproveAndSubmitAsync(bureau, batchId, seeded.Concat(real.Select(r => r.RedemptionId)));
            await Flows.WaitStageAsync(bureau, batchId, "Publicity", TimeSpan.FromMinutes(2));

            var watch = Stopwatch.StartNew();
            payableAtKill = 0;
            while (watch.Elapsed < TimeSpan.FromMinutes(3))
            {
                payableAtKill = await store.CountIndexAsync(City, "Payable");
                if (payableAtKill > 0)
                {
                    break;
                }

                await Task.Delay(50);
            }

            await first.KillAsync();
            output.WriteLine($"killed with {payableAtKill} of {total} Payable");
        }

        Assert.True(payableAtKill is > 0 and < Seeded + 2, $"the kill should land during close-publicity, but {payableAtKill} of {total} were Payable");
        var sinceKill = Stopwatch.StartNew();
        await using var second = await Flows.StartHostAsync(env, port);
        using var reader = await Api.SignInAsync(second.BaseAddress, "city-bureau", City);
        try
        {
            await Flows.WaitStageAsync(reader, batchId, "Closed", ResumeTimeout);
        }
        catch (TimeoutException e)
        {
            throw new TimeoutException($"{e.Message}{Environment.NewLine}{await store.DescribeAsync(taskHub, SettlementIds.InstanceId(batchId))}{Flows.Tail(second.Output)}", e);
        }

        var resumed = sinceKill.Elapsed;
        var rows = await store.QueryAsync<RedemptionEntity>(VoucherStore.Redemptions, TableClient.CreateQueryFilter($"CityCode eq {City}"));
        Assert.Equal(total, rows.Count);
        Assert.All(rows, r => Assert.True(r.Status == RedemptionStatus.Payable, $"{r.RedemptionId} is {r.Status}"));
        var payable = await store.QueryAsync<AuditEntry>(VoucherStore.Audit, TableClient.CreateQueryFilter($"ToState eq {"Payable"}"));
        var mine = rows.Select(r => "redemption:" + r.RedemptionId).ToHashSet();
        var perRedemption = payable.Where(a => mine.Contains(a.Subject)).GroupBy(a => a.Subject).ToList();
        Assert.Equal(total, perRedemption.Count);
        Assert.All(perRedemption, g => Assert.Equal("Published", Assert.Single(g).FromState));

        // Pay the two real ones on the new host; a repeated confirmation of each is refused.
        using var finance = await Api.SignInAsync(second.BaseAddress, "finance-bureau", City);
        foreach (var (r, i) in real.Select((r, i) => (r, i)))
        {
            var paid = await finance.PostAsync($"api/redemptions/{r.RedemptionId}/payment", Flows.Payment($"BANK-PUB-{i}"));
            Assert.True(paid.Status == HttpStatusCode.Accepted, $"payment: {paid}");
            var again = await finance.PostAsync($"api/redemptions/{r.RedemptionId}/payment", Flows.Payment($"BANK-PUB-{i}"));
            Assert.True(again.Status == HttpStatusCode.Conflict && again.IsProblem, $"repeated payment: {again}");
        }

        Tally.Duplicates(output, "payment confirmation repeated", real.Count);
        foreach (var r in real)
        {
            await Eventually.UntilAsync(async () => (await store.RedemptionAsync(r.RedemptionId))?.SettledAt is not null, TimeSpan.FromMinutes(3), $"{r.RedemptionId} settled");
        }

        await PayableBatch.AssertPaidOnceAsync(store, real);
        Tally.CrashPointSurvived(output, $"(d2) during close-publicity ({payableAtKill}/{total} payable at the kill)", resumed);
    }
}
