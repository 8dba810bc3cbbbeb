namespace Voucher.Workflows.Tests.Enforcement;

/// <summary>
/// A pre-payment (事前兑付) counts as paid only when the finance bureau confirms it, and then once: before, the credit
/// file, the cap ledger, the statistics and the pages show an approved advance, not a paid one; confirmed twice, or with
/// its tail retried after a crash between the row's write and the rest, the money moves once and each message is sent once.
/// </summary>
public sealed class AdvancePaymentTests(SettlementHostFixture fixture) : SettlementHostTests(fixture)
{
    static string Finance(string city) => Addresses.For(Role.FinanceBureau, city);

    [Fact]
    public async Task Queued_TheAdvanceIsApprovedNotPaid_ConfirmedTwice_MovesOnceAndTellsOnce()
    {
        const string City = "lvliang";
        var (s, row) = await QueuedTrustedAsync(City, 80_000m);
        Assert.Equal((6_500_000L, 3_250_000L, (DateTimeOffset?)null), (row.PayoutFen, row.PrepaidFen, row.AdvancePaidAt));

        // Approved, not paid: no credit entry, nothing granted, no statistics, the page says so, the finance bureau has it due.
        Assert.DoesNotContain(await Get<EnforcementStore>().CreditAsync(s.Uscc), c => c.Kind == "prepaid");
        Assert.Equal((0L, 6_500_000L), Ledger(await Seed.LedgerAsync(s)));
        Assert.Equal(0, (await StatsAsync(City, s)).AdvancePaidFen);
        Assert.Contains("核定事前兑付 3.25万元，待市财政局拨付", await PageAsync(s), StringComparison.Ordinal);
        Assert.Contains((await Get<PaymentService>().AdvancesDueAsync(SettlementSeed.FinanceBureau(City), CancellationToken.None)).Value, i => i.RedemptionId == s.RedemptionId);
        Assert.Single(await Seed.InboxAsync(Finance(City)), n => n.NotificationId == $"advance-due-{s.RedemptionId}");

        // Confirmed through the API, then again (a double click, the form, and the step's tail retried).
        var api = Get<AdvanceApi>();
        var body = new { reference = "ADV-2026-1", paidOn = SettlementSeed.Today.ToString("yyyy-MM-dd") };
        Assert.Equal(StatusCodes.Status200OK, SettlementSeed.StatusOf(await api.ConfirmAsync(Seed.Request(SettlementSeed.FinanceBureau(City), body, ("id", s.RedemptionId)))));
        Assert.Equal(StatusCodes.Status409Conflict, SettlementSeed.StatusOf(await api.ConfirmAsync(Seed.Request(SettlementSeed.FinanceBureau(City), body with { reference = "ADV-2026-2" }, ("id", s.RedemptionId)))));
        Assert.Equal(PaymentService.AdvanceAlreadyConfirmed, (await Get<PaymentService>().ConfirmAdvanceAsync(row, "ADV-2026-3", SettlementSeed.Today, Finance(City), CancellationToken.None)).Failure);
        var paid = await Seed.RedemptionAsync(s.RedemptionId);
        await Get<PrepaymentAudit>().AdvancePaidAsync(paid, CancellationToken.None);

        Assert.Equal("ADV-2026-1", paid.AdvanceReference);
        await AssertPaidOnceAsync(City, s, 3_250_000);
        Assert.Contains("财政局已于", await PageAsync(s), StringComparison.Ordinal);
        var api2 = await Get<RedemptionApi>().GetAsync(Seed.Request(new VoucherPrincipal("e", "e", Role.Enterprise, s.Uscc), null, ("id", s.RedemptionId)));
        using (var view = System.Text.Json.JsonDocument.Parse(System.Text.Json.JsonSerializer.Serialize(Assert.IsAssignableFrom<IValueHttpResult>(api2).Value, Voucher.Workflows.Http.JsonBody.Response)))
        {
            var advance = view.RootElement.GetProperty("advance");
            Assert.Equal(("32500.00", true, "ADV-2026-1"), (advance.GetProperty("approved").GetString(), advance.GetProperty("paid").GetBoolean(), advance.GetProperty("reference").GetString()));
        }

        Assert.DoesNotContain((await Get<PaymentService>().AdvancesDueAsync(SettlementSeed.FinanceBureau(City), CancellationToken.None)).Value, i => i.RedemptionId == s.RedemptionId);

        // Paid money cannot be withdrawn.
        var withdraw = await Get<RedemptionApi>().WithdrawAsync(Seed.Request(new VoucherPrincipal("e", "e", Role.Enterprise, s.Uscc), null, ("id", s.RedemptionId)));
        Assert.Equal(StatusCodes.Status409Conflict, SettlementSeed.StatusOf(withdraw));
    }

    [Fact]
    public async Task CrashAfterTheRowWasWritten_ConfirmingAgainFinishesTheTail_MoneyMovesOnce()
    {
        const string City = "yuncheng";
        var (s, _) = await QueuedTrustedAsync(City, 40_000m);

        // The first confirmation wrote the row and stopped (a crash) before the credit file, ledger, statistics and message.
        await Get<RedemptionStore>().UpdateAsync(s.RedemptionId, e =>
        {
            e.AdvancePaidAt = DateTimeOffset.UtcNow;
            e.AdvancePaidOn = SettlementSeed.Today.ToString("yyyy-MM-dd");
            e.AdvanceReference = "ADV-CRASH";
            e.AdvancePaidBy = Finance(City);
            return true;
        });
        Assert.Equal((0L, 4_000_000L), Ledger(await Seed.LedgerAsync(s)));

        // Asked again: already paid (nothing moves a second time), and what the crash left undone is done, once.
        var row = await Seed.RedemptionAsync(s.RedemptionId);
        Assert.Equal(PaymentService.AdvanceAlreadyConfirmed, (await Get<PaymentService>().ConfirmAdvanceAsync(row, "ADV-AGAIN", SettlementSeed.Today, Finance(City), CancellationToken.None)).Failure);
        Assert.Equal(PaymentService.AdvanceAlreadyConfirmed, (await Get<PaymentService>().ConfirmAdvanceAsync(row, "ADV-AGAIN", SettlementSeed.Today, Finance(City), CancellationToken.None)).Failure);
        Assert.Equal("ADV-CRASH", (await Seed.RedemptionAsync(s.RedemptionId)).AdvanceReference);
        await AssertPaidOnceAsync(City, s, 2_000_000);
    }

    [Fact]
    public async Task NeverConfirmed_NotClawedBack_AndTheFinalPaymentPaysTheWholePayout()
    {
        const string City = "jinzhong";
        var s = await Seed.QueuedAsync(City, 60_000m, DateTimeOffset.UtcNow.AddDays(-20), status: RedemptionStatus.Payable, enqueue: false);
        await Get<RedemptionStore>().UpdateAsync(s.RedemptionId, e =>
        {
            e.PrepaidFen = 2_750_000;
            return true;
        });

        // A violation naming it finds nothing paid to claw back.
        var named = await Get<ViolationApi>().RecordAsync(Seed.Request(SettlementSeed.CityBureau(City), new { uscc = s.Uscc, reason = "核查 (check)", redemptionIds = new[] { s.RedemptionId } }));
        Assert.Equal(StatusCodes.Status400BadRequest, SettlementSeed.StatusOf(named));

        var payable = await Seed.RedemptionAsync(s.RedemptionId);
        Assert.True((await Get<PaymentService>().ConfirmPaymentAsync(payable, "BANK-ALL", SettlementSeed.Today, Finance(City), Seed.Client, CancellationToken.None)).Succeeded);
        await Seed.WaitForCompletionAsync(s.InstanceId);
        var paid = await Seed.RedemptionAsync(s.RedemptionId);
        Assert.Equal((5_500_000L, 5_500_000L), (paid.PayoutFen, paid.FinalPaidFen));
        Assert.IsType<Failure.Conflict>((await Get<PaymentService>().ConfirmAdvanceAsync(paid, "ADV-LATE", SettlementSeed.Today, Finance(City), CancellationToken.None)).Failure);
        Assert.Equal((5_500_000L, 0L), Ledger(await Seed.LedgerAsync(s)));
        Assert.Equal(0, (await StatsAsync(City, s)).AdvancePaidFen);
    }

    async Task AssertPaidOnceAsync(string city, SeededRedemption s, long advance)
    {
        Assert.Single(await Get<EnforcementStore>().CreditAsync(s.Uscc), c => c.Kind == "prepaid" && c.AmountFen == advance);
        var ledger = (await Seed.LedgerAsync(s))!;
        Assert.Equal(advance, ledger.GrantedFen);
        Assert.Equal(advance, ledger.Grants()[CapLedger.AdvanceKey(s.RedemptionId)]);
        Assert.Equal(s.Payout.Payout.Fen - advance, ledger.ReservedFen);
        var stats = await StatsAsync(city, s);
        Assert.True((advance, 1L) == (stats.AdvancePaidFen, stats.AdvancePaidCount), $"statistics: {stats.AdvancePaidFen} in {stats.AdvancePaidCount}");
        Assert.Single(await Seed.InboxAsync(Addresses.Enterprise(s.Uscc)), n => n.NotificationId == $"advance-paid-{s.RedemptionId}");
        Assert.Single(await Get<AuditLog>().ReadRedemptionAsync(s.RedemptionId, null), a => a.Detail.StartsWith("财政局确认事前兑付", StringComparison.Ordinal));
    }

    static (long Granted, long Reserved) Ledger(CapLedgerEntity? row) => (row?.GrantedFen ?? 0, row?.ReservedFen ?? 0);

    Task<CityYearStatsEntity> StatsAsync(string city, SeededRedemption s) => Get<StatsReader>().RowAsync(city, s.CapYear, default);

    async Task<string> PageAsync(SeededRedemption s) =>
        System.Net.WebUtility.HtmlDecode(await PageHtml.RenderAsync(await Get<RedemptionPages>().RedemptionPageAsync(
            Seed.Request(new VoucherPrincipal("e", "e", Role.Enterprise, s.Uscc), null, ("id", s.RedemptionId))), Fixture.Services));

    /// <summary>A trusted enterprise (voucher money granted in the two previous years) whose redemption the queue step has just queued.</summary>
    async Task<(SeededRedemption Seeded, RedemptionEntity Row)> QueuedTrustedAsync(string city, decimal paidYuan)
    {
        var s = await Seed.QueuedAsync(city, paidYuan, DateTimeOffset.UtcNow, startOrchestration: false, status: RedemptionStatus.AwaitingEvidence, enqueue: false);
        var ledger = Get<CapLedger>();
        foreach (var y in new[] { s.CapYear - 2, s.CapYear - 1 })
        {
            await ledger.ReserveAsync(s.Uscc, y, $"history-{y}", Cny.FromYuan(200_000m), _ => Cny.FromYuan(10_000m));
            await ledger.GrantAsync(s.Uscc, y, $"history-{y}");
        }

        var state = await Get<QueueForSettlement>().RunAsync(new RedemptionStep(s.RedemptionId, DateTime.UtcNow));
        Assert.Equal(RedemptionStatus.Queued, state.Status);
        return (s, await Seed.RedemptionAsync(s.RedemptionId));
    }
}
