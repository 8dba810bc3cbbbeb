using Xunit.Abstractions;

namespace Voucher.Workflows.Tests.Redemptions;

/// <summary>
/// The annual cap of 200,000 per enterprise and year under concurrent redemptions, on Azurite: every change is one
/// conditional write (ETag) retried on conflict, so concurrent reservations can never pass the cap together.
/// </summary>
[Collection(RedemptionStorageCollection.Name)]
public sealed class CapLedgerConcurrencyTests(AzuriteFixture azurite, ITestOutputHelper output)
{
    static readonly Cny Cap = Cny.FromYuan(200_000m);
    static readonly Cny Face = Cny.FromYuan(50_000m);
    static readonly Cny Paid = Cny.FromYuan(80_000m);

    [Fact]
    public async Task FiftyConcurrentReservations_ReserveExactlyTheCap_ThenEveryOneIsGrantedOrReleased()
    {
        const int requests = 50;
        var store = await StoreFactory.NewAsync(azurite);
        var ledger = new CapLedger(store);
        var uscc = TestUscc.New("taiyuan");
        var ids = Enumerable.Range(1, requests).Select(i => $"V-{uscc}-2026-01-R{i}").ToArray();
        var computations = new System.Collections.Concurrent.ConcurrentDictionary<string, PayoutComputation>();
        var start = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var pending = ids.Select(async id =>
        {
            await start.Task;
            var r = await ledger.ReserveAsync(uscc, 2026, id, Cap, remaining =>
            {
                var c = PayoutRules.Compute(Paid, Face, 0.5m, remaining);
                computations[id] = c;
                return c.Payout;
            });
            return (Id: id, Reservation: r);
        }).ToArray();
        var watch = Stopwatch.StartNew();
        start.SetResult();
        var reservations = await Task.WhenAll(pending);
        var reserveTime = watch.Elapsed;

        var conflicts = reservations.Sum(r => r.Reservation.ConflictsRetried);
        var reserved = reservations.Sum(r => r.Reservation.Reserved.Fen);
        Assert.Equal(Cap.Fen, reserved);
        Assert.Equal(
            [0, 0, 0, 0, 500_000, 6_500_000, 6_500_000, 6_500_000],
            reservations.Select(r => r.Reservation.Reserved.Fen).Order().Skip(requests - 8));
        Assert.Equal(requests - 4, reservations.Count(r => r.Reservation.Reserved.IsZero));
        Assert.All(reservations, r => Assert.False(r.Reservation.Existing));
        // Each reservation was computed against what was really left when its write succeeded.
        Assert.All(reservations, r => Assert.Equal(computations[r.Id].Payout, r.Reservation.Reserved));
        Assert.All(reservations, r => Assert.Equal(computations[r.Id].CapRemainingBefore, r.Reservation.CapRemainingBefore));
        var standing = await ledger.GetAsync(uscc, 2026, Cap);
        Assert.Equal(new CapStanding(2026, Cap, Cny.Zero, Cap, Cny.Zero), standing);

        // A retried reservation returns the first one and reserves nothing more.
        var big = reservations.First(r => r.Reservation.Reserved.Fen == 6_500_000);
        var again = await ledger.ReserveAsync(uscc, 2026, big.Id, Cap, _ => Cny.FromYuan(65_000m));
        Assert.True(again.Existing);
        Assert.Equal(big.Reservation.Reserved, again.Reserved);
        Assert.Equal(Cap, (await ledger.GetAsync(uscc, 2026, Cap)).Reserved);

        // The money side, concurrently too: the non-zero reservations are paid (granted), the others released.
        var toGrant = reservations.Where(r => r.Reservation.Reserved.IsPositive).Select(r => r.Id).ToHashSet();
        await Task.WhenAll(ids.Select(id => Task.Run(() => toGrant.Contains(id)
            ? ledger.GrantAsync(uscc, 2026, id)
            : ledger.ReleaseAsync(uscc, 2026, id))));
        // Idempotent: granting or releasing again changes nothing.
        await Task.WhenAll(ids.Take(10).Select(id => ledger.GrantAsync(uscc, 2026, id)));
        await Task.WhenAll(ids.Take(10).Select(id => ledger.ReleaseAsync(uscc, 2026, id)));

        var row = (await store.GetAsync<CapLedgerEntity>(VoucherStore.Ledger, uscc, CapLedger.RowKey(2026)))!;
        var grants = row.Grants();
        Assert.Empty(row.Reservations());
        Assert.Equal(0, row.ReservedFen);
        Assert.Equal(toGrant.Order(), grants.Keys.Order());
        Assert.Equal(grants.Values.Sum(), row.GrantedFen);
        Assert.All(ids, id => Assert.True(grants.ContainsKey(id) ^ !toGrant.Contains(id), $"{id} must be either granted or released"));
        var totalGranted = Cny.FromFen(row.GrantedFen);
        Assert.True(totalGranted <= Cap, $"granted {totalGranted} exceeds the cap");
        Assert.Equal(Cap, totalGranted);
        Assert.Equal(Cny.Zero, (await ledger.GetAsync(uscc, 2026, Cap)).Remaining);

        // Nothing is left for a late redemption in the same year; the next year starts afresh.
        Assert.Equal(Cny.Zero, (await ledger.ReserveAsync(uscc, 2026, $"V-{uscc}-2026-02-R1", Cap, _ => Cny.FromYuan(65_000m))).Reserved);
        Assert.Equal(Cny.FromYuan(65_000m), (await ledger.ReserveAsync(uscc, 2027, $"V-{uscc}-2027-01-R1", Cap, _ => Cny.FromYuan(65_000m))).Reserved);

        output.WriteLine($"cap ledger: requests fired = {requests}, total reserved = {Cny.FromFen(reserved)}, total granted = {totalGranted}, " +
            $"released = {requests - toGrant.Count}, conflicts retried = {conflicts}, reserve phase {reserveTime.TotalMilliseconds:0} ms, total {watch.Elapsed.TotalMilliseconds:0} ms");
        Assert.True(conflicts > 0, "50 writers on one row should have met ETag conflicts; otherwise the test did not exercise concurrency");
    }

    [Fact]
    public async Task ReleasedReservation_GivesItsAmountBackToTheNextRedemption()
    {
        var ledger = new CapLedger(await StoreFactory.NewAsync(azurite));
        var uscc = TestUscc.New("datong");

        foreach (var i in Enumerable.Range(1, 3))
        {
            await ledger.ReserveAsync(uscc, 2026, $"r{i}", Cap, _ => Cny.FromYuan(65_000m));
        }

        Assert.Equal(Cny.FromYuan(5_000m), (await ledger.GetAsync(uscc, 2026, Cap)).Remaining);
        await ledger.ReleaseAsync(uscc, 2026, "r2");
        await ledger.ReleaseAsync(uscc, 2026, "r2");
        var next = await ledger.ReserveAsync(uscc, 2026, "r4", Cap, remaining => PayoutRules.Compute(Paid, Face, 0.5m, remaining).Payout);

        Assert.Equal(Cny.FromYuan(70_000m), next.CapRemainingBefore);
        Assert.Equal(Cny.FromYuan(65_000m), next.Reserved);
        Assert.Equal(new CapStanding(2026, Cap, Cny.Zero, Cny.FromYuan(195_000m), Cny.FromYuan(5_000m)), await ledger.GetAsync(uscc, 2026, Cap));
        await ledger.ReleaseAsync(uscc, 2026, "never-reserved");
        await ledger.GrantAsync(uscc, 2026, "never-reserved");
        Assert.Equal(Cny.FromYuan(195_000m), (await ledger.GetAsync(uscc, 2026, Cap)).Reserved);
    }

    /// <summary>
    /// The same through the production activity: many redemptions of one enterprise reach <see cref="QueueForSettlement"/>
    /// at once (each with its own voucher, paid 80,000 at the default ratio 0.5); the pay-outs recorded on the rows
    /// add up to exactly the cap and match the ledger, and those the cap leaves nothing are stopped, not queued.
    /// </summary>
    [Fact]
    public async Task ConcurrentQueueForSettlement_ForOneEnterprise_PayoutsNeverExceedTheCap_ThoseLeftWithNothingAreStoppedNotQueued()
    {
        const int requests = 12;
        const string city = "shuozhou";
        await using var services = await WorkflowServices.BuildAsync(azurite, azurite.NewName("cap")[..13]);
        var store = services.GetRequiredService<VoucherStore>();
        var uscc = TestUscc.New(city);
        var now = DateTime.UtcNow;
        var today = ChinaTime.DateOf(now);
        var ids = new List<string>();
        for (var i = 1; i <= requests; i++)
        {
            var voucher = A.Voucher(uscc, city).ForApplication($"{uscc}-{today.Year}-{i:D2}").Worth(Face).Build();
            await store.UpsertAsync(VoucherStore.Vouchers, voucher);
            var r = A.Redemption(voucher).AtInstitution("inst-cap", "").UnderContract($"HT-{i}").Paying(Paid).InStatus(RedemptionStatus.AwaitingEvidence).BoundWithEvidence().Build();
            Assert.True(await services.GetRequiredService<RedemptionStore>().TryCreateAsync(r));
            ids.Add(r.RedemptionId);
        }

        var watch = Stopwatch.StartNew();
        var states = await Task.WhenAll(ids.Select(id => Task.Run(() => services.GetRequiredService<QueueForSettlement>().RunAsync(new RedemptionStep(id, now)))));
        var elapsed = watch.Elapsed;

        // Four pay-outs fit (3 × 65,000 + 5,000); the cap leaves the others nothing: they are stopped, not queued as 0.00 items.
        Assert.Equal(4, states.Count(s => s.Status == RedemptionStatus.Queued));
        Assert.All(states.Where(s => s.Status != RedemptionStatus.Queued), s => Assert.Equal((RedemptionStatus.Stopped, true), (s.Status, s.Final)));
        var rows = await services.GetRequiredService<RedemptionStore>().ForEnterpriseAsync(uscc);
        var total = Cny.FromFen(rows.Sum(r => r.PayoutFen));
        Assert.Equal(Cap, total);
        Assert.Equal(3, rows.Count(r => r.PayoutFen == 6_500_000));
        Assert.Equal(1, rows.Count(r => r.PayoutFen == 500_000));
        var stopped = rows.Where(r => r.State == RedemptionStatus.Stopped).ToList();
        Assert.Equal(requests - 4, stopped.Count);
        Assert.All(stopped, r => Assert.Equal((0L, (DateTimeOffset?)null), (r.PayoutFen, r.QueuedAt)));
        Assert.All(stopped, r => Assert.Contains("年度补助限额 ¥200,000.00 已用完", r.RejectReason, StringComparison.Ordinal));
        var ledgerRow = (await store.GetAsync<CapLedgerEntity>(VoucherStore.Ledger, uscc, CapLedger.RowKey(today.Year)))!;
        Assert.Equal(Cap.Fen, ledgerRow.ReservedFen);
        var held = ledgerRow.Reservations();
        Assert.Equal(rows.Where(r => r.State == RedemptionStatus.Queued).Select(r => r.RedemptionId).Order(), held.Keys.Order());
        Assert.All(rows.Where(r => r.State == RedemptionStatus.Queued), r => Assert.Equal(r.PayoutFen, held[r.RedemptionId]));
        Assert.All(rows, r =>
        {
            var c = System.Text.Json.JsonSerializer.Deserialize<PayoutComputation>(r.PayoutJson!)!;
            Assert.Equal(r.PayoutFen, c.Payout.Fen);
            Assert.Equal(Cny.FromYuan(65_000m), c.BeforeCap);
        });
        var queue = await store.PartitionAsync<SettlementQueueEntity>(VoucherStore.SettlementQueue, city, 1000);
        Assert.Equal(rows.Where(r => r.State == RedemptionStatus.Queued).Select(r => r.RedemptionId).Order(), queue.Where(q => q.RedemptionId.Contains(uscc, StringComparison.Ordinal)).Select(q => q.RedemptionId).Order());
        output.WriteLine($"QueueForSettlement: requests fired = {requests}, total reserved for pay-out = {total}, took {elapsed.TotalMilliseconds:0} ms");
    }
}
