using System.Globalization;
using MiniExcelLibs;
using Voucher.Workflows.Enterprises;

namespace Voucher.Workflows.Tests.Settlement;

/// <summary>
/// Finance payments at scale on Azurite with the redemption workflows running: the payables list with its filters and
/// totals equal to the records; a bulk confirmation retried and raced by a single one pays each redemption once;
/// a payable without a bank account is left out; the bank's payment file (.xlsx) opened and checked; the portal's bulk
/// confirmation asks first, naming the count and the total, and pays nothing when the list changed in between.
/// </summary>
public sealed class FinancePaymentsTests(SettlementHostFixture fixture) : SettlementHostTests(fixture)
{
    const string Batch = "yangquan-2026M11";

    static VoucherPrincipal Finance(string city = "yangquan") => SettlementSeed.FinanceBureau(city);

    [Fact]
    public async Task Bulk_confirmation_retried_and_raced_by_a_single_one_pays_each_once_and_leaves_out_the_one_without_an_account()
    {
        var (withAccount, without) = await PayablesAsync("yangquan", 3);
        var payments = Get<PaymentService>();
        var reference = "ICBC-PL-20261127-01";
        var paidOn = SettlementSeed.Today.ToString("yyyy-MM-dd");
        var all = withAccount.Append(without).Select(s => s.RedemptionId).ToList();
        var command = new ConfirmPayments(all, null, reference, paidOn);

        // Two bulk confirmations and a single confirmation of the first at the same time, then the bulk one retried.
        var single = payments.ConfirmPaymentAsync(Finance(), new ConfirmPayment(withAccount[0].RedemptionId, "SINGLE-1", paidOn), Seed.Client, default);
        var bulks = await Task.WhenAll(payments.ConfirmManyAsync(Finance(), command, Seed.Client, default), payments.ConfirmManyAsync(Finance(), command, Seed.Client, default));
        var singleOutcome = await single;
        var retry = (await payments.ConfirmManyAsync(Finance(), command, Seed.Client, default)).Value;

        var paidNow = bulks.SelectMany(b => b.Value.Paid).ToList();
        if (singleOutcome.Succeeded)
        {
            paidNow.Add(withAccount[0].RedemptionId);
        }

        Assert.Equal(withAccount.Select(s => s.RedemptionId).Order(), paidNow.Order());
        Assert.Empty(retry.Paid);
        Assert.Equal(withAccount.Select(s => s.RedemptionId).Order(), retry.AlreadyPaid.Order());
        Assert.Equal([without.RedemptionId], retry.WithoutAccount);
        Assert.All(bulks, b => Assert.Equal([without.RedemptionId], b.Value.WithoutAccount));

        foreach (var s in withAccount)
        {
            var row = await Seed.RedemptionAsync(s.RedemptionId);
            Assert.Equal((RedemptionStatus.Paid, row.PayoutFen), (row.State, row.FinalPaidFen));
            var confirmations = (await Get<AuditLog>().ReadAsync(AuditSubjects.Redemption(s.RedemptionId))).Count(e => e.Detail.StartsWith("财政局确认拨付", StringComparison.Ordinal));
            Assert.Equal(1, confirmations);
            await Seed.WaitForCompletionAsync(s.InstanceId);
        }

        Assert.Equal(RedemptionStatus.Payable, (await Seed.RedemptionAsync(without.RedemptionId)).State);

        // Bad input names the field and pays nothing.
        var invalid = Assert.IsType<Failure.Invalid>((await payments.ConfirmManyAsync(Finance(), new ConfirmPayments([], null, "", "2026-13-01"), Seed.Client, default)).Failure);
        Assert.Equal(["paidOn", "redemptionIds", "reference"], invalid.Errors.Select(e => e.Field).Order());

        // Another city's finance bureau pays nothing here.
        var other = (await payments.ConfirmManyAsync(Finance("datong"), new ConfirmPayments([without.RedemptionId], null, reference, paidOn), Seed.Client, default)).Value;
        Assert.Equal([without.RedemptionId], other.Refused.Select(r => r.RedemptionId));
        Assert.Equal(RedemptionStatus.Payable, (await Seed.RedemptionAsync(without.RedemptionId)).State);
    }

    [Fact]
    public async Task List_totals_and_pages_equal_the_records_and_the_payment_file_has_one_row_per_payable_with_the_full_account_and_the_total()
    {
        var (withAccount, without) = await PayablesAsync("xinzhou", 4, batch: "xinzhou-2026M11");
        var finance = Finance("xinzhou");
        var payments = Get<PaymentService>();
        var ledger = (await payments.LedgerAsync(finance, new PaymentFilter(PaymentLedgerTab.Payable), default)).Value;

        // The counts and money from the records themselves.
        var index = await Get<RedemptionStore>().ForCityAsync("xinzhou");
        var records = new List<RedemptionEntity>();
        foreach (var i in index)
        {
            records.Add(await Seed.RedemptionAsync(i.RowKey));
        }

        var payable = records.Where(r => r.State == RedemptionStatus.Payable).ToList();
        Assert.Equal(payable.Count, ledger.Rows.Count);
        Assert.Equal(payable.Count, ledger.PayableCount);
        Assert.Equal(payable.Sum(r => r.PayoutFen - r.AdvancePaidFen), ledger.AmountFen);
        Assert.Equal(payable.Sum(r => r.PayoutFen), ledger.Batches.Sum(b => b.AmountFen));
        var batch = Assert.Single(ledger.Batches);
        Assert.Equal(("xinzhou-2026M11", 5, 1), (batch.BatchId, batch.Count, batch.WithoutAccount));
        var query = new Voucher.Workflows.Web.Lists.ListQuery("", "payable", null, false, 1, 2, new Dictionary<string, string>());
        var pages = Enumerable.Range(1, 3).Select(n => (query with { Page = n }).PageOf(ledger.Rows)).ToList();
        Assert.All(pages, p => Assert.Equal(payable.Count, p.Total));
        Assert.Equal(ledger.Rows.Select(r => r.RedemptionId), pages.SelectMany(p => p.Items).Select(r => r.RedemptionId));

        // Filters: keyword (an enterprise's name) and institution.
        var one = payable[0];
        Assert.Equal([one.RedemptionId], (await payments.LedgerAsync(finance, new PaymentFilter(PaymentLedgerTab.Payable, Keyword: one.EnterpriseName), default)).Value.Rows.Select(r => r.RedemptionId));
        Assert.Empty((await payments.LedgerAsync(finance, new PaymentFilter(PaymentLedgerTab.Payable, InstitutionName: "别的机构"), default)).Value.Rows);
        Assert.Empty((await payments.LedgerAsync(finance, new PaymentFilter(PaymentLedgerTab.Payable, BatchId: "xinzhou-2026M10"), default)).Value.Rows);

        // The API's payables narrowed by batch.
        foreach (var (asked, expected) in new[] { ("xinzhou-2026M11", payable.Count), ("xinzhou-2026M10", 0) })
        {
            var api = Seed.Request(finance, null);
            api.Request.QueryString = new QueryString("?batch=" + asked);
            var listed = Assert.IsAssignableFrom<IValueHttpResult>(await Get<PaymentApi>().PayablesAsync(api)).Value;
            Assert.Equal(expected, Assert.IsAssignableFrom<System.Collections.ICollection>(listed).Count);
        }

        // The bank's payment file for the batch: one row per payable with an account, the full number, then the total.
        var ctx = Seed.Request(finance, null);
        ctx.Request.QueryString = new QueryString("?batch=xinzhou-2026M11");
        var file = Assert.IsType<Microsoft.AspNetCore.Http.HttpResults.FileContentHttpResult>(await Get<FinancePages>().PaymentFileAsync(ctx));
        Assert.EndsWith(".xlsx", file.FileDownloadName, StringComparison.Ordinal);
        using var stream = new MemoryStream(file.FileContents.ToArray());
        var rows = stream.Query(useHeaderRow: true).Cast<IDictionary<string, object>>().ToList();
        Assert.Equal(withAccount.Count + 1, rows.Count);
        var accounts = await Get<EnterpriseService>().BankAccountsForFinanceAsync(finance, withAccount.Select(s => s.Uscc), default);
        foreach (var s in withAccount)
        {
            var line = Assert.Single(rows, r => r["用途/附言"]?.ToString() == $"创新券兑付 {s.RedemptionId}");
            var account = accounts[s.Uscc];
            Assert.Equal((account.AccountName, account.BankName, account.AccountNumber), (line["户名"].ToString(), line["开户银行"].ToString(), line["账号"].ToString()));
            Assert.Equal(Cny.FromFen((await Seed.RedemptionAsync(s.RedemptionId)).PayoutFen).Yuan, Convert.ToDecimal(line["金额（元）"], CultureInfo.InvariantCulture));
        }

        Assert.DoesNotContain(rows, r => r["用途/附言"]?.ToString()?.Contains(without.RedemptionId, StringComparison.Ordinal) == true);
        var total = rows[^1];
        Assert.Equal($"合计（{withAccount.Count} 笔）", total["户名"].ToString());
        Assert.Equal(Cny.FromFen(ledger.Payable.Sum(r => r.AmountFen)).Yuan, Convert.ToDecimal(total["金额（元）"], CultureInfo.InvariantCulture));

        // The list's own export holds every filtered row.
        var export = Seed.Request(finance, null);
        export.Request.QueryString = new QueryString("?format=xlsx");
        var listFile = Assert.IsType<Microsoft.AspNetCore.Http.HttpResults.FileContentHttpResult>(await Get<FinancePages>().PayablesAsync(export));
        using var listStream = new MemoryStream(listFile.FileContents.ToArray());
        Assert.Equal(payable.Count, listStream.Query(useHeaderRow: true).Count());
    }

    [Fact]
    public async Task Portal_bulk_confirmation_asks_first_naming_count_and_total_then_pays_and_the_paid_tab_shows_amount_date_and_reference()
    {
        var (withAccount, without) = await PayablesAsync("jincheng", 2, batch: "jincheng-2026M11");
        var finance = Finance("jincheng");
        var pages = Get<FinancePages>();
        var form = new Dictionary<string, string> { ["scope"] = "filtered", ["batch"] = "jincheng-2026M11", ["reference"] = "BOC-20261127-7", ["paidOn"] = SettlementSeed.Today.ToString("yyyy-MM-dd") };

        // The first post only asks.
        var asked = await pages.ConfirmPaymentsFormAsync(Seed.FormRequest(finance, form));
        Assert.Equal(StatusCodes.Status200OK, SettlementSeed.StatusOf(asked));
        Assert.All(withAccount, s => Assert.Equal(RedemptionStatus.Payable, Seed.RedemptionAsync(s.RedemptionId).Result.State));

        var total = 0L;
        foreach (var s in withAccount)
        {
            total += (await Seed.RedemptionAsync(s.RedemptionId)).PayoutFen;
        }

        // A confirmation for a count or total that no longer holds pays nothing.
        var stale = await pages.ConfirmPaymentsFormAsync(Seed.FormRequest(finance, new Dictionary<string, string>(form) { ["confirmed"] = "yes", ["count"] = "3", ["total"] = total.ToString(CultureInfo.InvariantCulture) }));
        Assert.Contains("error=", Assert.IsType<Microsoft.AspNetCore.Http.HttpResults.RedirectHttpResult>(stale).Url, StringComparison.Ordinal);
        Assert.All(withAccount, s => Assert.Equal(RedemptionStatus.Payable, Seed.RedemptionAsync(s.RedemptionId).Result.State));

        var done = await pages.ConfirmPaymentsFormAsync(Seed.FormRequest(finance, new Dictionary<string, string>(form) { ["confirmed"] = "yes", ["count"] = "2", ["total"] = total.ToString(CultureInfo.InvariantCulture) }));
        var url = Assert.IsType<Microsoft.AspNetCore.Http.HttpResults.RedirectHttpResult>(done).Url;
        Assert.Contains("done=", url, StringComparison.Ordinal);
        Assert.Contains(Uri.EscapeDataString("已确认拨付 2 笔"), url, StringComparison.Ordinal);

        var paid = (await Get<PaymentService>().LedgerAsync(finance, new PaymentFilter(PaymentLedgerTab.Paid), default)).Value;
        Assert.Equal(withAccount.Select(s => s.RedemptionId).Order(), paid.Rows.Select(r => r.RedemptionId).Order());
        Assert.All(paid.Rows, r => Assert.Equal(("BOC-20261127-7", SettlementSeed.Today.ToString("yyyy-MM-dd")), (r.Reference, r.PaidOn)));
        Assert.Equal(total, paid.AmountFen);
        Assert.Equal(RedemptionStatus.Payable, (await Seed.RedemptionAsync(without.RedemptionId)).State);
    }

    /// <summary><paramref name="withAccounts"/> payables of one batch whose enterprises entered an account, and one whose enterprise did not.</summary>
    async Task<(List<SeededRedemption> WithAccount, SeededRedemption Without)> PayablesAsync(string city, int withAccounts, string batch = Batch)
    {
        var seeded = new List<SeededRedemption>();
        for (var i = 0; i <= withAccounts; i++)
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

        foreach (var s in seeded.Take(withAccounts))
        {
            var name = (await Get<VoucherStore>().GetAsync<EnterpriseEntity>(VoucherStore.Enterprises, s.Uscc, EnterpriseEntity.ProfileRow))!.Name;
            var me = new VoucherPrincipal("u:" + s.Uscc, name, Role.Enterprise, s.Uscc);
            var saved = await Get<EnterpriseService>().SaveBankAccountAsync(me, s.Uscc, new BankAccountRequest("中国建设银行阳泉分行", name, "6217" + s.Uscc[^12..].Select(c => char.IsDigit(c) ? c : '7').Aggregate("", (a, c) => a + c) + "0001", null), default);
            Assert.True(saved.Succeeded, saved.Failure?.Message);
        }

        return ([.. seeded.Take(withAccounts)], seeded[^1]);
    }
}
