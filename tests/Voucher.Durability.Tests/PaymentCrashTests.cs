namespace Voucher.Durability.Tests;

/// <summary>Crash point (d1): the host dies right after the finance bureau's payment confirmation was answered.</summary>
[Collection(PaymentCrashCollection.Name)]
public sealed class PaymentCrashTests(SharedAzurite shared, ITestOutputHelper output)
{
    const string City = "changzhi";
    static readonly TimeSpan ResumeTimeout = TimeSpan.FromMinutes(7);

    [Fact]
    public async Task HostKilledRightAfterPaymentConfirmed_PaidOnceLedgerEqualsPayouts()
    {
        var (azurite, store, taskHub, port, env) = HostRun.On(shared.Azurite, "crashpay");
        var (institutionId, serviceId) = await Seed.InstitutionAsync(store.Tables, City);
        List<RealRedemption> redemptions;

        await using (var first = await Flows.StartHostAsync(env, port))
        {
            // 30,000 paid: within the face value; 80,000 paid: the whole face value plus half of the excess.
            redemptions = await PayableBatch.QueuedAsync(first, store, City, institutionId, serviceId, 30_000m, 80_000m);
            using var bureau = await Api.SignInAsync(first.BaseAddress, "city-bureau", City);
            var batchId = await Flows.StartSettlementAsync(bureau, City);
            await Flows.WaitStageAsync(bureau, batchId, "Reviewing", Flows.Forming);
            await Flows.ApproveAndSubmitAsync(bureau, batchId, redemptions.Select(r => r.RedemptionId));
            await Flows.WaitStageAsync(bureau, batchId, "Closed", TimeSpan.FromMinutes(3));
            foreach (var r in redemptions)
            {
                await bureau.WaitForStatusAsync($"api/redemptions/{r.RedemptionId}", "Payable", Flows.Step);
            }

            using var finance = await Api.SignInAsync(first.BaseAddress, "finance-bureau", City);
            var paid = await finance.PostAsync($"api/redemptions/{redemptions[0].RedemptionId}/payment", Flows.Payment("BANK-PAY-0001"));
            await first.KillAsync();
            Assert.True(paid.Status == HttpStatusCode.Accepted, $"payment: {paid}");
        }

        var sinceKill = Stopwatch.StartNew();
        await using var second = await Flows.StartHostAsync(env, port);
        using var finance2 = await Api.SignInAsync(second.BaseAddress, "finance-bureau", City);
        var first0 = redemptions[0];
        try
        {
            await Eventually.UntilAsync(async () => (await store.RedemptionAsync(first0.RedemptionId))?.SettledAt is not null,
                ResumeTimeout, $"the money side of {first0.RedemptionId} is done after the restart");
        }
        catch (TimeoutException e)
        {
            throw new TimeoutException($"{e.Message}{Environment.NewLine}{await store.DescribeAsync(taskHub, RedemptionStore.InstanceId(first0.RedemptionId))}{Flows.Tail(second.Output)}", e);
        }

        var resumed = sinceKill.Elapsed;

        // A repeated confirmation is refused clearly and changes nothing.
        var again = await finance2.PostAsync($"api/redemptions/{first0.RedemptionId}/payment", Flows.Payment("BANK-PAY-0001"));
        Assert.True(again.Status == HttpStatusCode.Conflict && again.IsProblem, $"repeated payment: {again}");
        Assert.Contains("already", again.Body, StringComparison.OrdinalIgnoreCase);
        Tally.Duplicates(output, "payment confirmation repeated after the restart", 1);

        // The second one is paid on the new host.
        var paid2 = await finance2.PostAsync($"api/redemptions/{redemptions[1].RedemptionId}/payment", Flows.Payment("BANK-PAY-0002"));
        Assert.True(paid2.Status == HttpStatusCode.Accepted, $"payment 2: {paid2}");
        await Eventually.UntilAsync(async () => (await store.RedemptionAsync(redemptions[1].RedemptionId))?.SettledAt is not null,
            TimeSpan.FromMinutes(2), "the second payment is settled");

        await PayableBatch.AssertPaidOnceAsync(store, redemptions);
        var r1 = await store.RedemptionAsync(redemptions[1].RedemptionId);
        Assert.Equal(6_500_000L, r1!.PayoutFen);
        Assert.Equal(5_000_000L, (await store.VoucherAsync(redemptions[1].VoucherId))!.UsedFen);
        Tally.CrashPointSurvived(output, "(d1) right after the payment confirmation was answered", resumed);
    }
}
