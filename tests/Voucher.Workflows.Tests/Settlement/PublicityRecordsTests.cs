namespace Voucher.Workflows.Tests.Settlement;

/// <summary>
/// Publicity and payment with the batch state seeded in the store (no one-minute wait): what the public list shows
/// after an objection is upheld, and that objections and payments leave the same audit trail as the other
/// redemption steps (actor, time, before/after).
/// </summary>
public sealed class PublicityRecordsTests(SettlementHostFixture fixture) : SettlementHostTests(fixture)
{
    [Fact]
    public async Task ObjectionUpheld_TheRedemptionLeavesThePublicList()
    {
        const string city = "lvliang";
        var (batchId, kept, struck) = await Seed.PublicityBatchAsync(city);

        await ObjectAsync(struck.RedemptionId);
        var upheld = await Get<PublicityApi>().ResolveAsync(Seed.Request(SettlementSeed.CityBureau(city), new { uphold = true, reason = "发票重复使用 (invoice used twice)" }, ("redemptionId", struck.RedemptionId)));
        Assert.Equal(StatusCodes.Status200OK, SettlementSeed.StatusOf(upheld));
        await Seed.WaitForCompletionAsync(struck.InstanceId);
        Assert.Equal(RedemptionStatus.Rejected, (await Seed.RedemptionAsync(struck.RedemptionId)).State);

        var list = (await Get<PublicityService>().ListAsync(CancellationToken.None)).Where(e => e.CityCode == city).ToList();
        Assert.Equal([kept.RedemptionId], list.Select(e => e.RedemptionId));
        Assert.All(list, e => Assert.False(e.Objected));
        Assert.Contains(await Get<SettlementStore>().OpenPublicityAsync(), p => p.RowKey == batchId);
    }

    [Fact]
    public async Task ObjectionUpheld_OnAPrepaidRedemption_FailsItsAudit_TheAdvanceIsClawedBackOnce()
    {
        const string city = "jincheng";
        var (batchId, plain, prepaid) = await Seed.PublicityBatchAsync(city);
        var bureau = SettlementSeed.CityBureau(city);
        var audit = Get<PrepaymentAudit>();

        // The trusted enterprise's advance approved when it was queued and paid by the finance bureau, and the batch
        // review that approved the redemption (the audit passed).
        var row = await Get<RedemptionStore>().UpdateAsync(prepaid.RedemptionId, e =>
        {
            e.PrepaidFen = Prepayment.Split(Cny.FromFen(e.PayoutFen), 0.5m).Prepaid.Fen;
            return true;
        });
        await audit.RecordAdvanceAsync(row, DateTime.UtcNow.AddDays(-1), CancellationToken.None);
        Assert.True((await Get<PaymentService>().ConfirmAdvanceAsync(row, "ADV-9", SettlementSeed.Today, Addresses.For(Role.FinanceBureau, city), CancellationToken.None)).Succeeded);
        row = await Seed.RedemptionAsync(prepaid.RedemptionId);
        await audit.AuditedAsync(row, (await Get<SettlementStore>().GetItemAsync(batchId, prepaid.RedemptionId))!, DateTimeOffset.UtcNow.AddHours(-1), CancellationToken.None);

        await ObjectAsync(prepaid.RedemptionId);
        const string reason = "服务未实际发生 (no service took place)";
        Assert.Equal(StatusCodes.Status200OK, SettlementSeed.StatusOf(await Get<PublicityApi>().ResolveAsync(Seed.Request(bureau, new { uphold = true, reason }, ("redemptionId", prepaid.RedemptionId)))));
        await Seed.WaitForCompletionAsync(prepaid.InstanceId);
        var store = Get<EnforcementStore>();
        Assert.Single(await store.ClawBacksAsync(city), c => c.Uscc == prepaid.Uscc);

        // Resolved again (a double click) and the step retried: still one claw-back and one violation.
        Assert.Equal(StatusCodes.Status409Conflict, SettlementSeed.StatusOf(await Get<PublicityApi>().ResolveAsync(Seed.Request(bureau, new { uphold = true, reason }, ("redemptionId", prepaid.RedemptionId)))));
        var rejected = await Seed.RedemptionAsync(prepaid.RedemptionId);
        Assert.Equal(RedemptionStatus.Rejected, rejected.State);
        await audit.ObjectionUpheldAsync(rejected, reason, bureau.Address, DateTimeOffset.UtcNow, Seed.Client, CancellationToken.None);

        var claw = Assert.Single(await store.ClawBacksAsync(city), c => c.Uscc == prepaid.Uscc);
        Assert.Equal((ClawBackEntity.IdFor(PrepaymentAudit.ViolationIdFor(prepaid.RedemptionId), prepaid.RedemptionId), rejected.PrepaidFen, "prepaid", ClawBackStatus.Due), (claw.ClawBackId, claw.AmountFen, claw.Kind, claw.Status));
        var violation = Assert.Single(await store.ViolationsInCityAsync(city), v => v.Uscc == prepaid.Uscc);
        Assert.Equal((PrepaymentAudit.ViolationIdFor(prepaid.RedemptionId), "audit", bureau.Address), (violation.ViolationId, violation.Source, violation.DecidedBy));
        Assert.Contains(reason, violation.Reason, StringComparison.Ordinal);
        Assert.Equal(ViolationRules.BarEnd(SettlementSeed.Today), await store.BarredUntilAsync(prepaid.Uscc, SettlementSeed.Today));
        Assert.Equal(["audit-failed", "audit-passed", "prepaid", "violation"], (await store.CreditAsync(prepaid.Uscc)).Select(c => c.Kind).Order(StringComparer.Ordinal));
        Assert.Equal(0, (await Seed.LedgerAsync(prepaid))!.ReservedFen);
        Assert.Equal(rejected.PrepaidFen, (await Seed.LedgerAsync(prepaid))!.GrantedFen);

        // An upheld objection on a redemption without an advance rejects it and records no violation.
        await ObjectAsync(plain.RedemptionId);
        Assert.Equal(StatusCodes.Status200OK, SettlementSeed.StatusOf(await Get<PublicityApi>().ResolveAsync(Seed.Request(bureau, new { uphold = true, reason }, ("redemptionId", plain.RedemptionId)))));
        await Seed.WaitForCompletionAsync(plain.InstanceId);
        Assert.Empty(await store.ViolationsOfAsync(plain.Uscc));
        Assert.DoesNotContain(await store.ClawBacksAsync(city), c => c.Uscc == plain.Uscc);
    }

    [Fact]
    public async Task UpheldResolution_StoppedAfterTheRowWasWritten_AskedAgain_SettlesAndTellsTheEnterpriseOnce()
    {
        const string city = "taiyuan";
        var (_, _, struck) = await Seed.PublicityBatchAsync(city);
        var bureau = SettlementSeed.CityBureau(city);
        const string reason = "合同与发票不符 (contract and invoice differ)";
        await ObjectAsync(struck.RedemptionId);

        // The first resolution wrote the row and stopped: no audit entry, objection still open, no settled event.
        var now = DateTimeOffset.UtcNow;
        await Get<RedemptionStore>().UpdateAsync(struck.RedemptionId, e =>
        {
            e.MoveTo(RedemptionStatus.Rejected);
            e.RejectReason = "公示异议成立：" + reason;
            e.ObjectionResolvedAt = now;
            e.ObjectionResolvedBy = bureau.Address;
            e.ObjectionResolution = reason;
            e.ObjectionResolvedTo = nameof(RedemptionStatus.Rejected);
            return true;
        });
        Assert.Equal(struck.Payout.Payout.Fen, (await Seed.LedgerAsync(struck))!.ReservedFen);

        // Asked again, and again (a double click): no open objection (409), but what the resolution owes is done, once.
        for (var i = 0; i < 2; i++)
        {
            Assert.Equal(StatusCodes.Status409Conflict, SettlementSeed.StatusOf(await Get<PublicityApi>().ResolveAsync(Seed.Request(bureau, new { uphold = true, reason }, ("redemptionId", struck.RedemptionId)))));
        }

        await Seed.WaitForCompletionAsync(struck.InstanceId);
        Assert.Equal(0, (await Seed.LedgerAsync(struck))!.ReservedFen);
        Assert.NotNull((await Seed.RedemptionAsync(struck.RedemptionId)).SettledAt);
        Assert.Single(await Seed.InboxAsync(Addresses.Enterprise(struck.Uscc)), n => n.NotificationId == $"rejected-{struck.RedemptionId}");
        Assert.Single(await TrailAsync(struck.RedemptionId), a => a.FromState == "Objected" && a.ToState == "Rejected");
        Assert.All(await Get<SettlementStore>().ObjectionsAsync(struck.RedemptionId), o => Assert.Equal(ObjectionStatus.Upheld, o.Status));
        Assert.Empty(await Get<EnforcementStore>().ViolationsOfAsync(struck.Uscc)); // no advance: no failed audit
    }

    [Fact]
    public async Task UpheldOnAPaidAdvance_StoppedBeforeTheSettledEvent_AskedAgain_RepairsAndSendsWhatItOwes_EachOnce()
    {
        const string city = "yuncheng";
        var (batchId, _, prepaid) = await Seed.PublicityBatchAsync(city);
        var bureau = SettlementSeed.CityBureau(city);
        var row = await Get<RedemptionStore>().UpdateAsync(prepaid.RedemptionId, e =>
        {
            e.PrepaidFen = Prepayment.Split(Cny.FromFen(e.PayoutFen), 0.5m).Prepaid.Fen;
            return true;
        });
        Assert.True((await Get<PaymentService>().ConfirmAdvanceAsync(row, "ADV-7", SettlementSeed.Today, Addresses.For(Role.FinanceBureau, city), CancellationToken.None)).Succeeded);
        row = await Seed.RedemptionAsync(prepaid.RedemptionId);
        await Get<PrepaymentAudit>().AuditedAsync(row, (await Get<SettlementStore>().GetItemAsync(batchId, prepaid.RedemptionId))!, DateTimeOffset.UtcNow.AddHours(-1), CancellationToken.None);
        await ObjectAsync(prepaid.RedemptionId);
        row = await Seed.RedemptionAsync(prepaid.RedemptionId);
        const string reason = "服务未实际发生 (no service took place)";

        // The first resolution dies when it raises the settled event (after the claw-back and the violation).
        var dying = new Mock<DurableTaskClient>("dying");
        dying.Setup(c => c.RaiseEventAsync(It.IsAny<string>(), It.IsAny<string>(), It.IsAny<object?>(), It.IsAny<CancellationToken>())).ThrowsAsync(new IOException("process died"));
        await Assert.ThrowsAsync<IOException>(() => Get<PublicityService>().ResolveObjectionAsync(bureau, new ResolveObjection(row.RedemptionId, true, reason), dying.Object, CancellationToken.None));
        Assert.DoesNotContain(await Seed.InboxAsync(Addresses.Enterprise(prepaid.Uscc)), n => n.NotificationId == $"rejected-{prepaid.RedemptionId}");

        // Asked again: the claw-back is not repeated, the settled event goes out, every message lands once.
        Assert.Equal(StatusCodes.Status409Conflict, SettlementSeed.StatusOf(await Get<PublicityApi>().ResolveAsync(Seed.Request(bureau, new { uphold = true, reason }, ("redemptionId", prepaid.RedemptionId)))));
        await Seed.WaitForCompletionAsync(prepaid.InstanceId);
        Assert.Equal(StatusCodes.Status409Conflict, SettlementSeed.StatusOf(await Get<PublicityApi>().ResolveAsync(Seed.Request(bureau, new { uphold = true, reason }, ("redemptionId", prepaid.RedemptionId)))));

        var claw = Assert.Single(await Get<EnforcementStore>().ClawBacksAsync(city), c => c.RedemptionId == prepaid.RedemptionId);
        Assert.Equal((row.PrepaidFen, "prepaid"), (claw.AmountFen, claw.Kind));
        Assert.Single(await Get<EnforcementStore>().ViolationsOfAsync(prepaid.Uscc));
        var ent = await Seed.InboxAsync(Addresses.Enterprise(prepaid.Uscc));
        Assert.Single(ent, n => n.NotificationId == $"rejected-{prepaid.RedemptionId}");
        Assert.Single(ent, n => n.NotificationId == $"clawback-{claw.ClawBackId}-ent");
        Assert.Single(await Seed.InboxAsync(Addresses.For(Role.FinanceBureau, city)), n => n.NotificationId == $"clawback-{claw.ClawBackId}");
        Assert.Single(await TrailAsync(prepaid.RedemptionId), a => a.FromState == "Objected" && a.ToState == "Rejected");
        var ledger = (await Seed.LedgerAsync(prepaid))!;
        Assert.Equal((0L, row.PrepaidFen), (ledger.ReservedFen, ledger.GrantedFen)); // the paid advance stays granted until recovered
        Assert.Equal(["audit-failed", "audit-passed", "prepaid", "violation"], (await Get<EnforcementStore>().CreditAsync(prepaid.Uscc)).Select(c => c.Kind).Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task ObjectionFiledAndResolved_AreInTheRedemptionsAuditTrail()
    {
        const string city = "shuozhou";
        var (_, dismissedOne, upheldOne) = await Seed.PublicityBatchAsync(city);
        var bureau = SettlementSeed.CityBureau(city);

        await ObjectAsync(dismissedOne.RedemptionId);
        Assert.Equal(StatusCodes.Status200OK, SettlementSeed.StatusOf(await Get<PublicityApi>().ResolveAsync(Seed.Request(bureau, new { uphold = false, reason = "无依据 (unfounded)" }, ("redemptionId", dismissedOne.RedemptionId)))));
        await ObjectAsync(upheldOne.RedemptionId);
        Assert.Equal(StatusCodes.Status200OK, SettlementSeed.StatusOf(await Get<PublicityApi>().ResolveAsync(Seed.Request(bureau, new { uphold = true, reason = "成立 (founded)" }, ("redemptionId", upheldOne.RedemptionId)))));
        await Seed.WaitForCompletionAsync(upheldOne.InstanceId);

        var dismissedTrail = await TrailAsync(dismissedOne.RedemptionId);
        Assert.Equal([("Published", "Objected"), ("Objected", "Published")], dismissedTrail.Select(a => (a.FromState, a.ToState)));
        Assert.Equal(bureau.Address, dismissedTrail[^1].Actor);
        var upheldTrail = await TrailAsync(upheldOne.RedemptionId);
        Assert.Equal([("Published", "Objected"), ("Objected", "Rejected")], upheldTrail.Select(a => (a.FromState, a.ToState)));
        Assert.Equal(bureau.Address, upheldTrail[^1].Actor);
    }

    [Fact]
    public async Task PaymentConfirmed_IsInTheRedemptionsAuditTrail()
    {
        const string city = "xinzhou";
        var r = await Seed.QueuedAsync(city, 18_000m, DateTimeOffset.UtcNow.AddDays(-20), status: RedemptionStatus.Payable, enqueue: false);
        var finance = Addresses.For(Role.FinanceBureau, city);

        var outcome = await Get<PaymentService>().ConfirmPaymentAsync(await Seed.RedemptionAsync(r.RedemptionId), "BANK-77", SettlementSeed.Today, finance, Seed.Client, CancellationToken.None);

        Assert.True(outcome.Succeeded, outcome.Failure?.Message);
        await Seed.WaitForCompletionAsync(r.InstanceId);
        Assert.Equal(1_800_000, (await Seed.LedgerAsync(r))!.GrantedFen);
        var paid = Assert.Single(await TrailAsync(r.RedemptionId));
        Assert.Equal(("Payable", "Paid", finance), (paid.FromState, paid.ToState, paid.Actor));
        Assert.Contains("BANK-77", paid.Detail, StringComparison.Ordinal);
    }

    async Task ObjectAsync(string redemptionId)
    {
        var filed = await Get<PublicityApi>().ObjectAsync(Seed.Request(null, new { contact = "张某 zhang@example.com", grounds = "服务未实际发生" }, ("redemptionId", redemptionId)));
        Assert.Equal(StatusCodes.Status201Created, SettlementSeed.StatusOf(filed));
        Assert.Equal(RedemptionStatus.Objected, (await Seed.RedemptionAsync(redemptionId)).State);
    }

    async Task<List<AuditEntry>> TrailAsync(string redemptionId) =>
        (await Get<AuditLog>().ReadRedemptionAsync(redemptionId, (await Get<RedemptionStore>().GetAsync(redemptionId))?.BatchId)).ToList();
}
