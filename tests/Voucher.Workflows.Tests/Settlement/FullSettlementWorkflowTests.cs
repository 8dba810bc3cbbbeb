namespace Voucher.Workflows.Tests.Settlement;

/// <summary>
/// Flow 2 steps 4–6 on the real Durable engine: one city-period batch of seven queued redemptions goes through
/// freeze, row review (expert opinion, rejection with reason, incomplete and duplicate submissions), publicity with
/// objections (dismissed and upheld during the window, one still open when it closes), the window's end, and the
/// finance bureau's payment (confirmed once). The one-minute publicity window is waited for once, here.
/// </summary>
public sealed class FullSettlementWorkflowTests(SettlementHostFixture fixture) : SettlementHostTests(fixture)
{
    const string City = "taiyuan";
    const string Expert = "expert-0042";

    [Fact]
    public async Task OneBatch_ReviewPublicityObjectionsAndPayment_EachRedemptionEndsRightAndMoneyMovesOnce()
    {
        var watch = Stopwatch.StartNew();
        var queuedAt = DateTimeOffset.UtcNow.AddMinutes(-5);
        // R1 paid above the face value (80,000 → 50,000 + 0.5 × 30,000), asked of an expert, approved, paid.
        var r1 = await Seed.QueuedAsync(City, 80_000m, queuedAt);
        var r2 = await Seed.QueuedAsync(City, 12_000m, queuedAt.AddSeconds(1));   // approved → Payable
        var r3 = await Seed.QueuedAsync(City, 20_000m, queuedAt.AddSeconds(2));   // objection dismissed in the window → Payable
        var r4 = await Seed.QueuedAsync(City, 30_000m, queuedAt.AddSeconds(3));   // objection upheld → Rejected
        var r5 = await Seed.QueuedAsync(City, 40_000m, queuedAt.AddSeconds(4));   // rejected by the bureau
        var r6 = await Seed.QueuedAsync(City, 45_000m, queuedAt.AddSeconds(5));   // approved → Payable
        var r7 = await Seed.QueuedAsync(City, 15_000m, queuedAt.AddSeconds(6));   // objection still open at the close, dismissed after
        var all = new[] { r1, r2, r3, r4, r5, r6, r7 };
        Assert.Equal(6_500_000, r1.Payout.Payout.Fen);
        Assert.Equal(5_000_000, r1.Payout.WithinFace.Fen);

        // --- start by hand; the batch freezes ------------------------------------------------------------
        var period = await Seed.CurrentPeriodAsync(City);
        var start = await Seed.StartByHandAsync(City, period.Id);
        Assert.True(start.Started);
        Assert.Equal($"{City}-{period.Id}", start.BatchId);
        Assert.Equal($"settlement-{City}-{period.Id}", start.InstanceId);
        var again = (await Get<SettlementService>().StartAsync(new VoucherPrincipal("prov", "省中心", Role.Province, null), new StartSettlement(City, period.Id), Seed.Client, CancellationToken.None)).Value;
        Assert.False(again.Started);
        Assert.Equal(start.InstanceId, again.InstanceId);

        var batch = await Seed.WaitForBatchAsync(start.BatchId, BatchStage.Reviewing);
        Assert.Equal(7, batch.ItemCount);
        Assert.Equal(1, batch.ChunkCount);
        foreach (var r in all)
        {
            var frozen = await Seed.WaitForStatusAsync(r.RedemptionId, RedemptionStatus.InBatch);
            Assert.Equal(start.BatchId, frozen.BatchId);
            Assert.NotNull(frozen.InBatchAt);
        }

        Assert.Empty(await Seed.QueueAsync(City));
        var items = await Get<SettlementStore>().ItemsAsync(start.BatchId);
        Assert.Equal(all.Select(r => r.RedemptionId).Order(StringComparer.Ordinal), items.Select(i => i.RedemptionId).Order(StringComparer.Ordinal));
        Assert.Equal(r1.Payout.Payout.Fen, items.Single(i => i.RedemptionId == r1.RedemptionId).PayoutFen);
        Assert.Single(await Seed.InboxAsync(Addresses.CityBureau(City)), n => n.NotificationId == $"batch-review-{start.BatchId}");
        var reviewing = await Eventually.UntilAsync(
            () => StatusAsync(start.InstanceId),
            s => s?.GetProperty("stage").GetString() == "reviewing",
            SettlementSeed.Timeout,
            "custom status says reviewing");
        Assert.Equal(7, reviewing!.Value.GetProperty("items").GetInt32());
        Assert.Equal(7, reviewing.Value.GetProperty("counts").GetProperty("InBatch").GetInt32());

        // --- review ---------------------------------------------------------------------------------------
        var review = Get<SettlementService>();
        var bureau = Addresses.CityBureau(City);
        Assert.Equal(SettlementService.Incomplete(7), (await review.SubmitAsync(batch, bureau, Seed.Client, CancellationToken.None)).Failure);

        // Ask an expert of the pool about R1: deciding it before the opinion needs the override.
        await Get<Voucher.Workflows.Enforcement.EnforcementStore>().UpsertExpertAsync(new Voucher.Workflows.Enforcement.ExpertEntity
        {
            PartitionKey = Voucher.Workflows.Enforcement.ExpertEntity.Pool,
            RowKey = Expert,
            Name = "王专家",
            Fields = "testing",
            AffiliationInstitutionId = "inst-elsewhere",
            UpdatedAt = DateTimeOffset.UtcNow,
        });
        Assert.Empty(SettlementSeed.FieldErrors(await review.SaveDecisionsAsync(batch, [new RowDecision(r1.RedemptionId, "", null, Expert, null)], bureau, CancellationToken.None)));
        var early = SettlementSeed.FieldErrors(await review.SaveDecisionsAsync(batch, [new RowDecision(r1.RedemptionId, "approve", null, null, null)], bureau, CancellationToken.None));
        Assert.Equal("decisions[0].override", Assert.Single(early).Field);
        var item1 = (await Get<SettlementStore>().GetItemAsync(start.BatchId, r1.RedemptionId))!;
        Assert.Equal("", item1.Decision);
        Assert.Equal(Expert, item1.ExpertId);
        Assert.NotNull(item1.ExpertRequestedAt);

        // The expert answers through the signed link in their inbox.
        var request = Assert.Single(await Seed.InboxAsync(Addresses.For(Role.Expert, Expert)), n => n.NotificationId == $"opinion-{start.BatchId}-{r1.RedemptionId}-{Expert}");
        var url = Assert.Single(request.ToNotification().Links).Url;
        var prefix = WorkflowServices.PublicBaseUrl + "/opinions/";
        Assert.StartsWith(prefix, url, StringComparison.Ordinal);
        const string opinion = "成果报告真实完整，检测数据可复核 (The result report is complete and the data can be checked)";
        // The first post asks to confirm (an opinion cannot be changed) and records nothing; the confirming post records it.
        var asked = await Get<OpinionPages>().SubmitAsync(Seed.FormRequest(new Dictionary<string, string> { ["opinion"] = opinion }, ("token", url[prefix.Length..])));
        Assert.Contains("确认提交评审意见", await PageHtml.RenderAsync(asked, Fixture.Services), StringComparison.Ordinal);
        Assert.Null((await Get<SettlementStore>().GetItemAsync(start.BatchId, r1.RedemptionId))!.ExpertOpinion);
        var answered = await Get<OpinionPages>().SubmitAsync(Seed.FormRequest(new Dictionary<string, string> { ["opinion"] = opinion, ["confirmed"] = "yes" }, ("token", url[prefix.Length..])));
        Assert.Equal(StatusCodes.Status200OK, SettlementSeed.StatusOf(answered));
        item1 = (await Get<SettlementStore>().GetItemAsync(start.BatchId, r1.RedemptionId))!;
        Assert.Equal(opinion, item1.ExpertOpinion);
        Assert.NotNull(item1.ExpertOpinionAt);
        Assert.Empty(SettlementSeed.FieldErrors(await review.SaveDecisionsAsync(batch, [new RowDecision(r1.RedemptionId, "approve", null, null, null)], bureau, CancellationToken.None)));

        // A rejection needs its reason.
        const string reason = "合同与付款凭证金额不一致 (Contract and payment proof disagree)";
        var noReason = SettlementSeed.FieldErrors(await review.SaveDecisionsAsync(batch, [new RowDecision(r5.RedemptionId, "reject", "  ", null, null)], bureau, CancellationToken.None));
        Assert.Equal("decisions[0].reason", Assert.Single(noReason).Field);
        Assert.Empty(SettlementSeed.FieldErrors(await review.SaveDecisionsAsync(
            batch,
            [
                new RowDecision(r5.RedemptionId, "reject", reason, null, null),
                new RowDecision(r2.RedemptionId, "approve", null, null, null),
                new RowDecision(r3.RedemptionId, "approve", null, null, null),
                new RowDecision(r4.RedemptionId, "approve", null, null, null),
                new RowDecision(r6.RedemptionId, "approve", null, null, null),
            ],
            bureau,
            CancellationToken.None)));
        Assert.Equal(SettlementService.Incomplete(1), (await review.SubmitAsync(batch, bureau, Seed.Client, CancellationToken.None)).Failure);
        Assert.Empty(SettlementSeed.FieldErrors(await review.SaveDecisionsAsync(batch, [new RowDecision(r7.RedemptionId, "approve", null, null, null)], bureau, CancellationToken.None)));

        Assert.True((await review.SubmitAsync(batch, bureau, Seed.Client, CancellationToken.None)).Succeeded);
        // Again with the same (now stale) batch, and again with a fresh read: once only.
        Assert.Equal(SettlementService.AlreadySubmitted, (await review.SubmitAsync(batch, "city-bureau:taiyuan:someone-else", Seed.Client, CancellationToken.None)).Failure);
        var fresh = (await Get<SettlementStore>().GetBatchAsync(start.BatchId))!;
        Assert.Equal(SettlementService.AlreadySubmitted, (await review.SubmitAsync(fresh, bureau, Seed.Client, CancellationToken.None)).Failure);

        // --- decisions applied; publicity open --------------------------------------------------------------
        var publicity = await Seed.WaitForBatchAsync(start.BatchId, BatchStage.Publicity);
        Assert.NotNull(publicity.PublicityEndsAt);
        Assert.InRange(publicity.PublicityEndsAt!.Value, DateTimeOffset.UtcNow, DateTimeOffset.UtcNow.AddMinutes(SettlementHostFixture.PublicityWindowMinutes));
        Assert.Equal(bureau, publicity.SubmittedBy);
        foreach (var r in new[] { r1, r2, r3, r4, r6, r7 })
        {
            var published = await Seed.WaitForStatusAsync(r.RedemptionId, RedemptionStatus.Published);
            Assert.NotNull(published.PublishedAt);
        }

        // The rejected one: its orchestration heard "settled", gave the reservation back, told the SME, and ended.
        var rejected = await Seed.RedemptionAsync(r5.RedemptionId);
        Assert.Equal(RedemptionStatus.Rejected, rejected.State);
        Assert.Equal(reason, rejected.RejectReason);
        var r5Done = await Seed.WaitForCompletionAsync(r5.InstanceId);
        Assert.Equal(nameof(RedemptionStatus.Rejected), r5Done.ReadOutputAs<string>());
        Assert.NotNull((await Seed.RedemptionAsync(r5.RedemptionId)).SettledAt);
        await AssertReleasedAsync(r5);
        var r5Notice = Assert.Single(await Seed.InboxAsync(Addresses.Enterprise(r5.Uscc)), n => n.NotificationId == $"rejected-{r5.RedemptionId}");
        Assert.Contains(reason, r5Notice.Body, StringComparison.Ordinal);

        var list = await Get<PublicityService>().ListAsync(CancellationToken.None);
        Assert.Equal(
            new[] { r1, r2, r3, r4, r6, r7 }.Select(r => r.RedemptionId).Order(StringComparer.Ordinal),
            list.Where(e => e.CityCode == City).Select(e => e.RedemptionId).Order(StringComparer.Ordinal));

        // --- objections during the window ------------------------------------------------------------------
        var publicityApi = Get<PublicityApi>();
        await ObjectAsync(r3, "公示企业与实际服务对象不符");
        Assert.True((await Get<PublicityService>().ListAsync(CancellationToken.None)).Single(e => e.RedemptionId == r3.RedemptionId).Objected);
        var dismissed = await publicityApi.ResolveAsync(Seed.Request(SettlementSeed.CityBureau(City), new { uphold = false, reason = "经核查，服务对象一致 (checked: same enterprise)" }, ("redemptionId", r3.RedemptionId)));
        Assert.Equal(StatusCodes.Status200OK, SettlementSeed.StatusOf(dismissed));
        Assert.Equal(RedemptionStatus.Published, (await Seed.RedemptionAsync(r3.RedemptionId)).State);
        Assert.Equal(ObjectionStatus.Dismissed, Assert.Single(await Get<SettlementStore>().ObjectionsAsync(r3.RedemptionId)).Status);

        await ObjectAsync(r4, "该企业检测服务未实际发生");
        var upheld = await publicityApi.ResolveAsync(Seed.Request(SettlementSeed.CityBureau(City), new { uphold = true, reason = "经核查，服务未实际发生 (checked: no service)" }, ("redemptionId", r4.RedemptionId)));
        Assert.Equal(StatusCodes.Status200OK, SettlementSeed.StatusOf(upheld));
        var r4Done = await Seed.WaitForCompletionAsync(r4.InstanceId);
        Assert.Equal(nameof(RedemptionStatus.Rejected), r4Done.ReadOutputAs<string>());
        var r4Row = await Seed.RedemptionAsync(r4.RedemptionId);
        Assert.Equal(RedemptionStatus.Rejected, r4Row.State);
        Assert.Contains("服务未实际发生", r4Row.RejectReason, StringComparison.Ordinal);
        Assert.NotNull(r4Row.SettledAt);
        Assert.Equal(ObjectionStatus.Upheld, Assert.Single(await Get<SettlementStore>().ObjectionsAsync(r4.RedemptionId)).Status);
        await AssertReleasedAsync(r4);
        Assert.Single(await Seed.InboxAsync(Addresses.Enterprise(r4.Uscc)), n => n.NotificationId == $"rejected-{r4.RedemptionId}");

        // R7's objection is still open when the window closes.
        await ObjectAsync(r7, "请核查合同金额");
        var windowLeft = publicity.PublicityEndsAt.Value - DateTimeOffset.UtcNow;
        Assert.True(windowLeft > TimeSpan.Zero, $"the objections above must fit in the {SettlementHostFixture.PublicityWindowMinutes}-minute window (took until {watch.Elapsed})");

        // --- the window ends ---------------------------------------------------------------------------------
        var done = await Seed.WaitForCompletionAsync(start.InstanceId, windowLeft + TimeSpan.FromSeconds(60));
        Assert.Equal(new BatchSummary(start.BatchId, 7, 1, Frozen: true, RiskCheck: true), done.ReadOutputAs<BatchSummary>());
        using (var status = JsonDocument.Parse(done.SerializedCustomStatus!))
        {
            var root = status.RootElement;
            Assert.Equal("closed", root.GetProperty("stage").GetString());
            Assert.Equal(7, root.GetProperty("items").GetInt32());
            Assert.Equal(1, root.GetProperty("chunks").GetInt32());
            var counts = root.GetProperty("counts").EnumerateObject().ToDictionary(p => p.Name, p => p.Value.GetInt32());
            Assert.Equal(new Dictionary<string, int> { ["Payable"] = 4, ["Rejected"] = 2, ["Objected"] = 1 }, counts);
        }

        var closed = (await Get<SettlementStore>().GetBatchAsync(start.BatchId))!;
        Assert.Equal(BatchStage.Closed, closed.Stage);
        Assert.NotNull(closed.ClosedAt);
        Assert.DoesNotContain(await Get<SettlementStore>().OpenPublicityAsync(), p => p.RowKey == start.BatchId);
        Assert.Single(await Seed.InboxAsync(Addresses.For(Role.FinanceBureau, City)), n => n.NotificationId == $"payable-{start.BatchId}");

        // The enterprises were told of publicity (approved rows), its end (rows made payable at the close) and each
        // objection and resolution, once each, with links to portal pages only.
        foreach (var r in all)
        {
            var inbox = await Seed.InboxAsync(Addresses.Enterprise(r.Uscc));
            Assert.Equal(r == r5 ? 0 : 1, inbox.Count(n => n.NotificationId == SettlementNotices.PublicityStartedId(r.RedemptionId)));
            Assert.Equal(r == r1 || r == r2 || r == r3 || r == r6 ? 1 : 0, inbox.Count(n => n.NotificationId == SettlementNotices.PublicityEndedId(r.RedemptionId)));
            Assert.Equal(r == r3 || r == r4 || r == r7 ? 1 : 0, inbox.Count(n => n.NotificationId.StartsWith($"objection-filed-{r.RedemptionId}-", StringComparison.Ordinal)));
            Assert.Equal(r == r3 || r == r4 ? 1 : 0, inbox.Count(n => n.NotificationId.StartsWith($"objection-resolved-{r.RedemptionId}-", StringComparison.Ordinal)));
            Assert.All(inbox.Where(n => n.NotificationId.StartsWith("publicity-", StringComparison.Ordinal) || n.NotificationId.StartsWith("objection-", StringComparison.Ordinal)).SelectMany(n => n.ToNotification().Links),
                l => Assert.StartsWith(WorkflowServices.PublicBaseUrl + "/", l.Url, StringComparison.Ordinal));
            Assert.All(inbox.Where(n => n.NotificationId.StartsWith("publicity-", StringComparison.Ordinal) || n.NotificationId.StartsWith("objection-", StringComparison.Ordinal)).SelectMany(n => n.ToNotification().Links),
                l => Assert.DoesNotContain("/api/", l.Url, StringComparison.Ordinal));
        }
        foreach (var r in new[] { r1, r2, r3, r6 })
        {
            Assert.NotNull((await Seed.WaitForStatusAsync(r.RedemptionId, RedemptionStatus.Payable)).PayableAt);
        }

        Assert.Equal(RedemptionStatus.Objected, (await Seed.RedemptionAsync(r7.RedemptionId)).State);
        var late = await publicityApi.ObjectAsync(Seed.Request(null, new { contact = "王某 13900000000", grounds = "too late" }, ("redemptionId", r7.RedemptionId)));
        Assert.Equal(StatusCodes.Status422UnprocessableEntity, SettlementSeed.StatusOf(late));
        var r7Dismissed = await publicityApi.ResolveAsync(Seed.Request(SettlementSeed.CityBureau(City), new { uphold = false, reason = "合同金额无误 (amount checked)" }, ("redemptionId", r7.RedemptionId)));
        Assert.Equal(StatusCodes.Status200OK, SettlementSeed.StatusOf(r7Dismissed));
        var r7Row = await Seed.RedemptionAsync(r7.RedemptionId);
        Assert.Equal(RedemptionStatus.Payable, r7Row.State);
        Assert.NotNull(r7Row.PayableAt);
        var r7Resolved = Assert.Single(await Seed.InboxAsync(Addresses.Enterprise(r7.Uscc)), n => n.NotificationId.StartsWith($"objection-resolved-{r7.RedemptionId}-", StringComparison.Ordinal));
        Assert.Contains("已转太原市财政局拨付", r7Resolved.Body, StringComparison.Ordinal);

        // --- payment, once -----------------------------------------------------------------------------------
        var payments = Get<PaymentApi>();
        var paidOn = SettlementSeed.Today.ToString("yyyy-MM-dd");
        var foreign = await payments.ConfirmAsync(Seed.Request(SettlementSeed.FinanceBureau("datong"), new { reference = "BANK-X", paidOn }, ("id", r1.RedemptionId)));
        Assert.Equal(StatusCodes.Status404NotFound, SettlementSeed.StatusOf(foreign));
        var payable = await Seed.RedemptionAsync(r1.RedemptionId);
        var confirmed = await payments.ConfirmAsync(Seed.Request(SettlementSeed.FinanceBureau(City), new { reference = "BANK-2026-0001", paidOn }, ("id", r1.RedemptionId)));
        Assert.Equal(StatusCodes.Status202Accepted, SettlementSeed.StatusOf(confirmed));

        var r1Done = await Seed.WaitForCompletionAsync(r1.InstanceId);
        Assert.Equal(nameof(RedemptionStatus.Paid), r1Done.ReadOutputAs<string>());
        var paid = await Seed.RedemptionAsync(r1.RedemptionId);
        Assert.Equal(RedemptionStatus.Paid, paid.State);
        Assert.Equal("BANK-2026-0001", paid.PaymentReference);
        Assert.Equal(paidOn, paid.PaidOn);
        Assert.NotNull(paid.SettledAt);
        var ledger = (await Seed.LedgerAsync(r1))!;
        Assert.Equal(r1.Payout.Payout.Fen, ledger.GrantedFen);
        Assert.Equal(0, ledger.ReservedFen);
        Assert.Equal(r1.Payout.Payout.Fen, ledger.Grants()[r1.RedemptionId]);
        Assert.Empty(ledger.Reservations());
        var standing = await Get<CapLedger>().GetAsync(r1.Uscc, r1.CapYear, Cny.FromYuan(200_000m));
        Assert.Equal(Cny.FromYuan(135_000m), standing.Remaining);
        var voucher = (await Get<VoucherRepository>().GetAsync(r1.VoucherId))!;
        Assert.Equal(r1.Payout.WithinFace.Fen, voucher.UsedFen);
        Assert.Equal(5_000_000, voucher.UsedFen);
        Assert.Single(await Seed.InboxAsync(Addresses.Enterprise(r1.Uscc)), n => n.NotificationId == $"paid-{r1.RedemptionId}");

        // Confirming again (HTTP, a fresh read, and the stale Payable snapshot) changes nothing.
        var twice = await payments.ConfirmAsync(Seed.Request(SettlementSeed.FinanceBureau(City), new { reference = "BANK-2026-0002", paidOn }, ("id", r1.RedemptionId)));
        Assert.Equal(StatusCodes.Status409Conflict, SettlementSeed.StatusOf(twice));
        var paymentService = Get<PaymentService>();
        Assert.Equal(PaymentService.PaymentAlreadyConfirmed, (await paymentService.ConfirmPaymentAsync(await Seed.RedemptionAsync(r1.RedemptionId), "BANK-2026-0003", SettlementSeed.Today, Addresses.For(Role.FinanceBureau, City), Seed.Client, CancellationToken.None)).Failure);
        Assert.Equal(PaymentService.PaymentAlreadyConfirmed, (await paymentService.ConfirmPaymentAsync(payable, "BANK-2026-0004", SettlementSeed.Today, Addresses.For(Role.FinanceBureau, City), Seed.Client, CancellationToken.None)).Failure);
        await Task.Delay(1000);
        var after = await Seed.RedemptionAsync(r1.RedemptionId);
        Assert.Equal(("BANK-2026-0001", paid.PaidAt, paid.SettledAt), (after.PaymentReference, after.PaidAt, after.SettledAt));
        // Each step on the way (freeze, decision, end of publicity, payment) named the entry it wrote after the row: the
        // paid row vouches for its whole status view at once, without a settling time (a poll's 304 costs one read).
        Assert.True((await Get<RedemptionService>().DossierOfRowAsync(after, default)).Complete, $"the paid row's view key: {after.ViewKey}");
        Assert.Equal(ledger.GrantedFen, (await Seed.LedgerAsync(r1))!.GrantedFen);
        Assert.Equal(5_000_000, (await Get<VoucherRepository>().GetAsync(r1.VoucherId))!.UsedFen);
        Assert.Single(await Seed.InboxAsync(Addresses.Enterprise(r1.Uscc)), n => n.NotificationId == $"paid-{r1.RedemptionId}");
        // The statistics hook counted each final outcome once (paid r1; rejected r5, and r4 after its upheld objection).
        var statsPartition = Voucher.Workflows.Supervision.CityYearStatsEntity.PartitionOf(City, SettlementSeed.Today.Year);
        foreach (var finished in new[] { r1, r4, r5 })
        {
            Assert.NotNull(await Get<VoucherStore>().GetAsync<Voucher.Workflows.Supervision.StatsMarkerEntity>(Voucher.Workflows.Supervision.SupervisionTables.Stats, statsPartition, "m|red|" + finished.RedemptionId));
        }

        var statsRow = await Get<Voucher.Workflows.Supervision.StatsReader>().RowAsync(City, SettlementSeed.Today.Year, default);
        Assert.True(statsRow.RedemptionsPaid >= 1 && statsRow.PaidFen >= r1.Payout.Payout.Fen && statsRow.RedemptionsRejected >= 2 && statsRow.RedemptionsObjected >= 1, $"stats row: {statsRow.RedemptionsPaid} paid, {statsRow.RedemptionsRejected} rejected, {statsRow.RedemptionsObjected} objected");
        var audit = await Get<AuditLog>().ReadRedemptionAsync(r1.RedemptionId, start.BatchId);
        // The batch steps are in the redemption's audit trail (the payment's own entry is checked in SettlementAuditTests).
        Assert.Equal(["InBatch", "Published", "Payable"], audit.Select(a => a.ToState).Where(s => s is "InBatch" or "Published" or "Payable"));
        Assert.Single(audit, a => a.ToState == "Published" && a.Detail.Contains(opinion, StringComparison.Ordinal));

        // The others are still waiting for the finance bureau, their reservations held.
        foreach (var r in new[] { r2, r3, r6, r7 })
        {
            Assert.Equal(RedemptionStatus.Payable, (await Seed.RedemptionAsync(r.RedemptionId)).State);
            Assert.Equal(r.Payout.Payout.Fen, (await Seed.LedgerAsync(r))!.Reservations()[r.RedemptionId]);
            Assert.Equal(OrchestrationRuntimeStatus.Running, (await Seed.Client.GetInstanceAsync(r.InstanceId))!.RuntimeStatus);
        }

        // Money by stage (cap year), counted by the steps as they moved each row, equals a recount of the records:
        // four payable (r7 after its objection was dismissed late), r1 paid, r4 and r5 released.
        var money = await Get<Voucher.Workflows.Supervision.StatsReader>().RowAsync(City, r1.CapYear, default);
        var records = await Task.WhenAll(all.Select(r => Seed.RedemptionAsync(r.RedemptionId)));
        foreach (var stage in Enum.GetValues<MoneyStage>())
        {
            var inStage = records.Where(r => MoneyStages.Current(Voucher.Workflows.Supervision.StatsAggregator.FactsOf(r)) == stage).ToList();
            Assert.True((inStage.Sum(r => r.PayoutFen), (long)inStage.Count) == money.Stage(stage), $"{stage}: recount {inStage.Sum(r => r.PayoutFen)} in {inStage.Count}, aggregate {money.Stage(stage)}");
        }

        Assert.Equal((new[] { r2, r3, r6, r7 }.Sum(r => r.Payout.Payout.Fen), 4L), money.Stage(MoneyStage.Payable));
        Assert.Equal((r1.Payout.Payout.Fen, 1L), money.Stage(MoneyStage.Paid));
        Assert.Equal((r4.Payout.Payout.Fen + r5.Payout.Payout.Fen, 2L), money.Stage(MoneyStage.Released));
    }

    async Task ObjectAsync(SeededRedemption r, string grounds)
    {
        var filed = await Get<PublicityApi>().ObjectAsync(Seed.Request(null, new { contact = "李某 13800000000", grounds }, ("redemptionId", r.RedemptionId)));
        Assert.Equal(StatusCodes.Status201Created, SettlementSeed.StatusOf(filed));
        Assert.Equal(RedemptionStatus.Objected, (await Seed.RedemptionAsync(r.RedemptionId)).State);
        Assert.Single(await Get<SettlementStore>().ObjectionsAsync(r.RedemptionId), o => o.Status == ObjectionStatus.Open);
    }

    async Task AssertReleasedAsync(SeededRedemption r)
    {
        var ledger = (await Seed.LedgerAsync(r))!;
        Assert.DoesNotContain(r.RedemptionId, ledger.Reservations().Keys);
        Assert.Equal(0, ledger.ReservedFen);
        Assert.Equal(0, ledger.GrantedFen);
        var standing = await Get<CapLedger>().GetAsync(r.Uscc, r.CapYear, Cny.FromYuan(200_000m));
        Assert.Equal(Cny.FromYuan(200_000m), standing.Remaining);
    }

    async Task<JsonElement?> StatusAsync(string instanceId)
    {
        var instance = await Seed.Client.GetInstanceAsync(instanceId, getInputsAndOutputs: true);
        return instance?.SerializedCustomStatus is { } s ? JsonDocument.Parse(s).RootElement.Clone() : null;
    }
}
