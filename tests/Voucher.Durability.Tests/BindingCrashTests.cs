namespace Voucher.Durability.Tests;

/// <summary>Crash point (b): the host dies while a redemption waits for the institution's binding.</summary>
[Collection(BindingCrashCollection.Name)]
public sealed class BindingCrashTests(SharedAzurite shared, ITestOutputHelper output)
{
    const string City = "shuozhou";
    static readonly TimeSpan ResumeTimeout = TimeSpan.FromMinutes(7);

    [Fact]
    public async Task HostKilledWhileAwaitingBinding_BindAfterRestart_QueuedOnceWithOneReservation()
    {
        var (azurite, store, taskHub, port, env) = HostRun.On(shared.Azurite, "crashbind");
        var (institutionId, serviceId) = await Seed.InstitutionAsync(store.Tables, City);
        var (uscc, voucherId) = await Seed.EnterpriseWithVoucherAsync(store.Tables, City);
        string redemptionId;

        await using (var first = await Flows.StartHostAsync(env, port))
        {
            using var enterprise = await Api.SignInAsync(first.BaseAddress, "enterprise", uscc);
            redemptionId = await Flows.RedemptionWithEvidenceAsync(enterprise, voucherId, institutionId, serviceId, 30_000m, "HT-BIND-0001");
            await Flows.WaitAwaitingBindingAsync(enterprise, redemptionId);
            await store.WaitUntilIdleAsync(taskHub, RedemptionStore.InstanceId(redemptionId), "AwaitingBinding", TimeSpan.FromSeconds(60));
            await first.KillAsync();
            Assert.True(first.HasExited);
        }

        var sinceKill = Stopwatch.StartNew();
        await using var second = await Flows.StartHostAsync(env, port);
        using var institution = await Api.SignInAsync(second.BaseAddress, "institution", institutionId);
        using var owner = await Api.SignInAsync(second.BaseAddress, "enterprise", uscc);

        // The state written before the crash is there; the binding is accepted by the new process.
        var waiting = await owner.JsonAsync($"api/redemptions/{redemptionId}");
        Assert.Equal("AwaitingBinding", waiting.GetProperty("status").GetString());
        await Flows.BindAsync(institution, redemptionId);

        try
        {
            await Flows.WaitQueuedAsync(owner, store, redemptionId, ResumeTimeout);
        }
        catch (TimeoutException e)
        {
            throw new TimeoutException($"{e.Message}{Environment.NewLine}{await store.DescribeAsync(taskHub, RedemptionStore.InstanceId(redemptionId))}{Flows.Tail(second.Output)}", e);
        }

        var resumed = sinceKill.Elapsed;

        // A second answer to the same round is refused clearly.
        var again = await institution.PostAsync($"api/redemptions/{redemptionId}/binding", new { round = 1, confirm = true });
        Assert.True(again.Status == HttpStatusCode.Conflict && again.IsProblem, $"second binding: {again}");
        Tally.Duplicates(output, "binding answered again after the restart", 1);

        // Exactly one reservation, of the pay-out recorded on the row; exactly one queue row; one Queued transition.
        var row = await store.RedemptionAsync(redemptionId);
        Assert.NotNull(row);
        Assert.Equal(3_000_000L, row!.PayoutFen);
        var ledger = await store.LedgerAsync(uscc, row.CapYear);
        Assert.NotNull(ledger);
        var reservation = Assert.Single(ledger!.Reservations());
        Assert.Equal(redemptionId, reservation.Key);
        Assert.Equal(row.PayoutFen, reservation.Value);
        Assert.Equal(row.PayoutFen, ledger.ReservedFen);
        Assert.Equal(0L, ledger.GrantedFen);
        var queue = await store.PartitionAsync<SettlementQueueEntity>(VoucherStore.SettlementQueue, City);
        Assert.Single(queue, q => q.RedemptionId == redemptionId);
        var audit = await store.AuditAsync("redemption:" + redemptionId);
        Assert.Single(audit, a => a.ToState == "Queued");
        Assert.Single(audit, a => a.FromState == "AwaitingBinding" && a.ToState == "AwaitingEvidence");
        Tally.CrashPointSurvived(output, "(b) redemption awaiting binding", resumed);
    }
}
