namespace Voucher.Workflows.Tests.Redemptions;

/// <summary>
/// The annual cap when the pay-out is computed and reserved (the queue step): used up by other redemptions since the
/// request, the redemption is stopped with the reason — not queued as a 0.00 item — and the enterprise told once, also
/// when the step runs again; partly capped, the redemption's page, its API view and the batch review say so.
/// </summary>
public sealed class CapAtQueueTests(SettlementHostFixture fixture) : SettlementHostTests(fixture)
{
    [Fact]
    public async Task CapUsedUpWhenQueued_IsStoppedNotQueued_NothingReserved_TheEnterpriseToldOnce_AlsoWhenTheStepRunsAgain()
    {
        const string city = "xinzhou";
        var s = await BoundAndCompleteAsync(city, 30_000m, takenByOthers: 200_000m);

        await Seed.Client.ScheduleNewOrchestrationInstanceAsync(nameof(RedemptionOrchestrator), new RedemptionWorkflowInput(s.RedemptionId, 1), new StartOrchestrationOptions(s.InstanceId));
        var done = await Seed.WaitForCompletionAsync(s.InstanceId);

        Assert.Equal("\"Stopped\"", done.SerializedOutput);
        var row = await Seed.RedemptionAsync(s.RedemptionId);
        Assert.Equal((RedemptionStatus.Stopped, 0L, s.CapYear), (row.State, row.PayoutFen, row.CapYear));
        Assert.Null(row.QueuedAt);
        Assert.Null(row.StoppedByViolation);
        Assert.Contains($"{s.CapYear} 年度补助限额 ¥200,000.00 已用完（已拨付 ¥0.00，在途预留 ¥200,000.00）", row.RejectReason, StringComparison.Ordinal);
        Assert.DoesNotContain(await Seed.QueueAsync(city), q => q.RedemptionId == s.RedemptionId);
        await AssertLedgerHoldsOnlyOthersAsync(s);

        // The step again with its own time (a retry after a crash): the same end, one message, one audit entry.
        var again = await Get<QueueForSettlement>().RunAsync(new RedemptionStep(s.RedemptionId, row.StoppedAt!.Value.UtcDateTime));
        Assert.True(again.Final);
        Assert.Equal(RedemptionStatus.Stopped, again.Status);
        await AssertLedgerHoldsOnlyOthersAsync(s);
        var told = (await Seed.InboxAsync(Addresses.Enterprise(s.Uscc))).Where(n => n.NotificationId == $"cap-used-up-{s.RedemptionId}").ToList();
        var message = Assert.Single(told);
        Assert.Contains("年度补助限额 ¥200,000.00 已用完", message.Body, StringComparison.Ordinal);
        var trail = await Get<AuditLog>().ReadRedemptionAsync(s.RedemptionId, null);
        Assert.Single(trail, a => a.FromState == nameof(RedemptionStatus.AwaitingEvidence) && a.ToState == nameof(RedemptionStatus.Stopped));
        Assert.DoesNotContain(trail, a => a.ToState == nameof(RedemptionStatus.Queued));
    }

    [Fact]
    public async Task PartlyCapped_ThePageTheApiViewAndTheBatchReviewSaySo()
    {
        const string city = "shuozhou";
        var s = await BoundAndCompleteAsync(city, 80_000m, takenByOthers: 180_000m);
        var at = DateTime.UtcNow;

        var state = await Get<QueueForSettlement>().RunAsync(new RedemptionStep(s.RedemptionId, at));

        Assert.Equal(RedemptionStatus.Queued, state.Status);
        var row = await Seed.RedemptionAsync(s.RedemptionId);
        Assert.Equal((2_000_000L, 6_500_000L), (row.PayoutFen, row.CappedFromFen));
        var note = $"受年度限额影响，核定 ¥20,000.00（实付 ¥80,000.00，{s.CapYear} 年度限额剩余 ¥20,000.00；不受限额时应为 ¥65,000.00）";
        var sme = new VoucherPrincipal("sme", "SME", Role.Enterprise, s.Uscc);

        var api = await Get<RedemptionApi>().GetAsync(Seed.Request(sme, null, ("id", s.RedemptionId)));
        using var view = JsonDocument.Parse(JsonSerializer.Serialize(Assert.IsAssignableFrom<Microsoft.AspNetCore.Http.IValueHttpResult>(api).Value, Voucher.Workflows.Http.JsonBody.Response));
        var cap = view.RootElement.GetProperty("annualCap");
        Assert.True(cap.GetProperty("capped").GetBoolean());
        Assert.Equal(("65000.00", "20000.00", note), (cap.GetProperty("beforeCap").GetString(), cap.GetProperty("payout").GetString(), cap.GetProperty("note").GetString()));

        var page = await PageHtml.RenderAsync(Get<RedemptionPages>().RedemptionPageAsync(Seed.Request(sme, null, ("id", s.RedemptionId))), Fixture.Services);
        Assert.Contains(note, Decode(page), StringComparison.Ordinal);

        var period = await Seed.CurrentPeriodAsync(city);
        var start = await Seed.StartByHandAsync(city, period.Id);
        var batch = await Seed.WaitForBatchAsync(start.BatchId, BatchStage.Reviewing);
        var review = await Get<BatchReviewPages>().ShowAsync(Seed.Request(null, null, ("token", Get<BatchLinks>().ReviewToken(batch))));
        Assert.Contains(note, Decode(await PageHtml.RenderAsync(review, Fixture.Services)), StringComparison.Ordinal);
    }

    [Fact]
    public async Task BoundWithTheCapUsedUp_ACrashBeforeTheStopsEntry_TheBindingStepAgainWritesTheEntryAndTheMessageOnce()
    {
        const string city = "lvliang";
        var s = await BoundAndCompleteAsync(city, 30_000m, takenByOthers: 200_000m, RedemptionStatus.AwaitingBinding);
        await Get<RedemptionStore>().UpdateAsync(s.RedemptionId, e =>
        {
            // Waiting for the institution, the evidence already complete.
            (e.Bound, e.BoundAt, e.BoundBy) = (false, null, null);
            (e.BindingRound, e.BindingDeadline, e.BindingRoundOpenedAt) = (1, "2099-12-31", DateTimeOffset.UtcNow.AddDays(-1));
            return true;
        });
        var institution = (await Seed.RedemptionAsync(s.RedemptionId)).InstitutionId;
        var input = new RedemptionEventInput(s.RedemptionId, new RedemptionEvent(RedemptionEvent.Binding, 1, true, null, $"institution:{institution}"), DateTime.UtcNow);
        bool Stop(AuditEntry a) => a.FromState == nameof(RedemptionStatus.AwaitingEvidence) && a.ToState == nameof(RedemptionStatus.Stopped);
        bool Bound(AuditEntry a) => a.ToState == nameof(RedemptionStatus.AwaitingEvidence) && a.Detail == "服务机构确认 (bound)";
        var notice = $"cap-used-up-{s.RedemptionId}";

        var first = await Get<ApplyRedemptionEvent>().RunAsync(input);
        Assert.Equal((RedemptionStatus.Stopped, true), (first.Status, first.Final));
        var trail = await Get<AuditLog>().ReadRedemptionAsync(s.RedemptionId, null);
        var stop = Assert.Single(trail, Stop);
        Assert.Single(trail, Bound);
        var sent = Assert.Single(await Seed.InboxAsync(Addresses.Enterprise(s.Uscc)), n => n.NotificationId == notice);
        // Bound with the evidence complete: the stop's message is the one the enterprise gets, no "bound" message.
        Assert.DoesNotContain(await Seed.InboxAsync(Addresses.Enterprise(s.Uscc)), n => n.NotificationId.StartsWith("bound-", StringComparison.Ordinal));

        // The crash: the row was stopped, the stop's entry and message were not written.
        var store = Get<VoucherStore>();
        await store.Table(VoucherStore.Audit).DeleteEntityAsync(stop.PartitionKey, stop.RowKey);
        await store.Table(VoucherStore.Inbox).DeleteEntityAsync(sent.PartitionKey, sent.RowKey);

        var again = await Get<ApplyRedemptionEvent>().RunAsync(input);
        Assert.Equal(first, again);
        trail = await Get<AuditLog>().ReadRedemptionAsync(s.RedemptionId, null);
        Assert.Equal(stop.RowKey, Assert.Single(trail, Stop).RowKey);
        Assert.Single(trail, Bound);
        Assert.Single(await Seed.InboxAsync(Addresses.Enterprise(s.Uscc)), n => n.NotificationId == notice);
        await AssertLedgerHoldsOnlyOthersAsync(s);
    }

    static string Decode(string html) => System.Net.WebUtility.HtmlDecode(html);

    async Task AssertLedgerHoldsOnlyOthersAsync(SeededRedemption s)
    {
        var ledger = (await Seed.LedgerAsync(s))!;
        Assert.Equal((0L, 20_000_000L), (ledger.GrantedFen, ledger.ReservedFen));
        Assert.DoesNotContain(s.RedemptionId, ledger.Reservations().Keys);
    }

    /// <summary>A bound redemption with complete evidence, nothing reserved for it yet, and <paramref name="takenByOthers"/> of this year's cap reserved by other redemptions.</summary>
    async Task<SeededRedemption> BoundAndCompleteAsync(string city, decimal paidYuan, decimal takenByOthers, RedemptionStatus status = RedemptionStatus.AwaitingEvidence)
    {
        var s = await Seed.QueuedAsync(city, paidYuan, DateTimeOffset.UtcNow, startOrchestration: false, status: status, enqueue: false);
        var ledger = Get<CapLedger>();
        await ledger.ReleaseAsync(s.Uscc, s.CapYear, s.RedemptionId);
        await Get<RedemptionStore>().UpdateAsync(s.RedemptionId, e =>
        {
            e.QueuedAt = null;
            e.PayoutFen = 0;
            e.PayoutJson = null;
            return true;
        });
        await ledger.ReserveAsync(s.Uscc, s.CapYear, "other-redemption", Cny.FromYuan(200_000m), _ => Cny.FromYuan(takenByOthers));
        return s;
    }
}
