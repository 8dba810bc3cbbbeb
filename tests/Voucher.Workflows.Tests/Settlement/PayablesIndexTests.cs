namespace Voucher.Workflows.Tests.Settlement;

/// <summary>
/// The finance bureau's payables index on Azurite: a payable redemption is listed from its tab's partition; paid, it
/// moves to the paid tab, once however often the payment is confirmed; a payment that stopped before its listing rows
/// is moved by the retried confirmation; records older than the index are listed once by the backfill; the list's
/// totals per batch and for the city equal the records.
/// </summary>
public sealed class PayablesIndexTests(SettlementHostFixture fixture) : SettlementHostTests(fixture)
{
    static string PaidOn => SettlementSeed.Today.ToString("yyyy-MM-dd");

    async Task<List<SeededRedemption>> PayablesAsync(string city, string batch, int count)
    {
        var seeded = new List<SeededRedemption>();
        for (var i = 0; i < count; i++)
        {
            var s = await Seed.QueuedAsync(city, 20_000m + (i * 1_000m), DateTimeOffset.UtcNow.AddDays(-30), status: RedemptionStatus.Payable, enqueue: false);
            await Get<RedemptionStore>().UpdateAsync(s.RedemptionId, e =>
            {
                e.BatchId = batch;
                e.PayableAt = DateTimeOffset.UtcNow.AddDays(-1);
                return true;
            });
            seeded.Add(s);
        }

        return seeded;
    }

    /// <summary>The list of a tab against the records of <paramref name="ids"/>: rows, city total and totals per batch.</summary>
    async Task AssertListEqualsRecordsAsync(string city, PaymentLedgerTab tab, IEnumerable<string> ids)
    {
        var records = new List<RedemptionEntity>();
        foreach (var id in ids)
        {
            records.Add(await Seed.RedemptionAsync(id));
        }

        var status = tab == PaymentLedgerTab.Payable ? RedemptionStatus.Payable : RedemptionStatus.Paid;
        var mine = records.Where(r => r.State == status).ToList();
        long Amount(RedemptionEntity r) => tab == PaymentLedgerTab.Payable ? r.PayoutFen - r.AdvancePaidFen : r.FinalPaidFen;
        var ledger = (await Get<PaymentService>().LedgerAsync(SettlementSeed.FinanceBureau(city), new PaymentFilter(tab), default)).Value;
        Assert.Equal(mine.Select(r => r.RedemptionId).Order(), ledger.Rows.Select(r => r.RedemptionId).Order());
        Assert.Equal(mine.Sum(Amount), ledger.AmountFen);
        Assert.Equal(records.Count(r => r.State == RedemptionStatus.Payable), ledger.PayableCount);
        Assert.Equal(records.Count(r => r.State == RedemptionStatus.Paid), ledger.PaidCount);
        Assert.Equal(
            mine.GroupBy(r => r.BatchId).Select(g => (g.Key, g.Count(), g.Sum(Amount))).OrderBy(b => b.Key, StringComparer.Ordinal),
            ledger.Batches.Select(b => ((string?)b.BatchId, b.Count, b.AmountFen)));
    }

    [Fact]
    public async Task Payable_IsListed_Paid_MovesOnce_ARetriedConfirmationHealsTheList_AndTotalsPerBatchEqualTheRecords()
    {
        const string City = "linfen";
        var a = await PayablesAsync(City, "linfen-2026M10", 3);
        var b = await PayablesAsync(City, "linfen-2026M11", 2);
        var ids = a.Concat(b).Select(s => s.RedemptionId).ToList();
        var store = Get<VoucherStore>();

        // Listed from the index partition, with what the list shows.
        var listed = await PayablesIndex.ReadAsync(store, City, RedemptionStatus.Payable, null, default);
        Assert.Equal(ids.Order(), listed.Select(r => r.RedemptionId).Order());
        await AssertListEqualsRecordsAsync(City, PaymentLedgerTab.Payable, ids);

        // Paid: moves to the paid tab; confirmed again, nothing is paid twice and it is still listed once.
        var payments = Get<PaymentService>();
        var finance = SettlementSeed.FinanceBureau(City);
        Assert.True((await payments.ConfirmPaymentAsync(finance, new ConfirmPayment(a[0].RedemptionId, "BOC-1", PaidOn), Seed.Client, default)).Succeeded);
        Assert.Equal(PaymentService.PaymentAlreadyConfirmed, (await payments.ConfirmPaymentAsync(finance, new ConfirmPayment(a[0].RedemptionId, "BOC-2", PaidOn), Seed.Client, default)).Failure);
        var paid = Assert.Single(await PayablesIndex.ReadAsync(store, City, RedemptionStatus.Paid, null, default));
        Assert.Equal((a[0].RedemptionId, "BOC-1", PaidOn), (paid.RedemptionId, paid.PaymentReference, paid.PaidOn));
        Assert.DoesNotContain(a[0].RedemptionId, (await PayablesIndex.ReadAsync(store, City, RedemptionStatus.Payable, null, default)).Select(r => r.RedemptionId));
        await AssertListEqualsRecordsAsync(City, PaymentLedgerTab.Payable, ids);
        await AssertListEqualsRecordsAsync(City, PaymentLedgerTab.Paid, ids);

        // A payment that stopped after the record, before its listing rows (put back as they were): the retried
        // confirmation pays nothing and moves it.
        Assert.True((await payments.ConfirmPaymentAsync(finance, new ConfirmPayment(b[0].RedemptionId, "BOC-3", PaidOn), Seed.Client, default)).Succeeded);
        var stale = PayablesIndex.Row(await Seed.RedemptionAsync(b[0].RedemptionId))!;
        stale.PartitionKey = PayablesIndex.Partition(City, RedemptionStatus.Payable);
        await store.UpsertAsync(VoucherStore.RedemptionIndex, stale);
        await store.Table(VoucherStore.RedemptionIndex).DeleteEntityAsync(PayablesIndex.Partition(City, RedemptionStatus.Paid), b[0].RedemptionId);
        Assert.Contains(b[0].RedemptionId, (await PayablesIndex.ReadAsync(store, City, RedemptionStatus.Payable, null, default)).Select(r => r.RedemptionId));
        Assert.Equal(PaymentService.PaymentAlreadyConfirmed, (await payments.ConfirmPaymentAsync(finance, new ConfirmPayment(b[0].RedemptionId, "BOC-4", PaidOn), Seed.Client, default)).Failure);
        await AssertListEqualsRecordsAsync(City, PaymentLedgerTab.Payable, ids);
        await AssertListEqualsRecordsAsync(City, PaymentLedgerTab.Paid, ids);

        // The bulk confirmation of a batch reads that batch's payables from the index.
        Assert.Equal(2, (await payments.ConfirmManyAsync(finance, new ConfirmPayments(null, "linfen-2026M10", "BOC-5", PaidOn), Seed.Client, default)).Value.WithoutAccount.Count);
    }

    [Fact]
    public async Task Backfill_ListsPayableAndPaidRecordsOlderThanTheIndex_Once()
    {
        const string City = "lvliang";
        var seeded = await PayablesAsync(City, "lvliang-2026M09", 3);
        var ids = seeded.Select(s => s.RedemptionId).ToList();
        var finance = SettlementSeed.FinanceBureau(City);
        Assert.True((await Get<PaymentService>().ConfirmPaymentAsync(finance, new ConfirmPayment(ids[0], "CCB-1", PaidOn), Seed.Client, default)).Succeeded);

        // Records from before the index: none of their rows are there.
        var store = Get<VoucherStore>();
        foreach (var id in ids)
        {
            await store.Table(VoucherStore.RedemptionIndex).DeleteEntityAsync(PayablesIndex.Partition(City, RedemptionStatus.Payable), id);
            await store.Table(VoucherStore.RedemptionIndex).DeleteEntityAsync(PayablesIndex.Partition(City, RedemptionStatus.Paid), id);
        }

        // The first list of the city writes them.
        await AssertListEqualsRecordsAsync(City, PaymentLedgerTab.Payable, ids);
        await AssertListEqualsRecordsAsync(City, PaymentLedgerTab.Paid, ids);

        // Once: rows removed afterwards are not written again by a list (the index is kept by the writers from now on).
        await store.Table(VoucherStore.RedemptionIndex).DeleteEntityAsync(PayablesIndex.Partition(City, RedemptionStatus.Payable), ids[1]);
        var ledger = (await Get<PaymentService>().LedgerAsync(finance, new PaymentFilter(PaymentLedgerTab.Payable), default)).Value;
        Assert.Equal([ids[2]], ledger.Rows.Select(r => r.RedemptionId));
    }

    [Fact]
    public async Task AGuardedUpdate_RewritesTheListingRowsOnlyWhenWhatTheyShowChanged_AndHandsBackTheStoredETag()
    {
        var s = await Seed.QueuedAsync("jincheng", 21_000m, DateTimeOffset.UtcNow.AddDays(-10), status: RedemptionStatus.Payable, enqueue: false);
        var redemptions = Get<RedemptionStore>();
        var table = Get<VoucherStore>().Table(VoucherStore.RedemptionIndex);
        var before = await redemptions.GetRequiredAsync(s.RedemptionId);
        await redemptions.UpsertIndexAsync(before, default);
        async Task<Azure.ETag> ListedAsync() =>
            (await table.GetEntityAsync<Azure.Data.Tables.TableEntity>(RedemptionStore.CityPartition(before.CityCode), s.RedemptionId)).Value.ETag;
        var listed = await ListedAsync();

        // The settlement time is not on the lists: the row changes, its listing rows are not written again.
        var settled = await redemptions.UpdateAsync(s.RedemptionId, e =>
        {
            e.SettledAt = DateTimeOffset.UtcNow;
            return true;
        }, known: before);
        Assert.Equal(listed, await ListedAsync());
        Assert.Equal((await redemptions.GetRequiredAsync(s.RedemptionId)).ETag, settled.ETag);

        // The batch is: handed the row it got back (no read, no conflict), the change reaches the lists.
        await redemptions.UpdateAsync(s.RedemptionId, e =>
        {
            e.BatchId = "jincheng-2026M12";
            return true;
        }, known: settled);
        Assert.NotEqual(listed, await ListedAsync());
        var row = (await table.GetEntityAsync<RedemptionIndexEntity>(RedemptionStore.CityPartition(before.CityCode), s.RedemptionId)).Value;
        Assert.Equal("jincheng-2026M12", row.BatchId);
    }
}
