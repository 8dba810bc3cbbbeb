namespace Voucher.Workflows.Tests.Enforcement;

/// <summary>
/// Pre-payment (事前兑付) on the real Durable engine over Azurite: trusted enterprises (voucher money granted in the two
/// previous years) have half their pay-out approved as an advance when queued, an untrusted one none; the advance counts
/// as paid only when the finance bureau confirms it. The batch review is the audit — the approved one is recorded as
/// passed and later paid only the remainder (advance + remainder = pay-out, to the fen), the rejected one has its paid
/// advance clawed back and a violation recorded; an approved advance never confirmed is not paid, and the final payment
/// pays the whole pay-out. Experts are picked from the pool with the conflict-of-interest check on the way.
/// </summary>
public sealed class PrepaymentWorkflowTests(SettlementHostFixture fixture) : SettlementHostTests(fixture)
{
    const string City = "jinzhong";

    [Fact]
    public async Task TrustedRedemptions_ArePrepaid_AuditPassPaysTheRemainder_AuditFailClawsBackTheAdvance()
    {
        var year = SettlementSeed.Today.Year;
        var policy = await Get<PolicyStore>().GetCurrentAsync(City);
        Assert.Equal(0.5m, policy.PrepaymentShare);
        var pass = await TrustedAsync(80_000m, [year - 2, year - 1]);        // pay-out 65,000.00
        var fail = await TrustedAsync(33_333.33m, [year - 2, year - 1]);     // pay-out 33,333.33: an odd fen
        var untrusted = await TrustedAsync(20_000m, [year - 1]);             // one year only: no advance
        var unconfirmed = await TrustedAsync(30_000m, [year - 2, year - 1]); // advance approved, never confirmed

        var passRow = await Seed.WaitForStatusAsync(pass.RedemptionId, RedemptionStatus.Queued);
        var failRow = await Seed.WaitForStatusAsync(fail.RedemptionId, RedemptionStatus.Queued);
        var untrustedRow = await Seed.WaitForStatusAsync(untrusted.RedemptionId, RedemptionStatus.Queued);
        Assert.Equal(6_500_000, passRow.PayoutFen);
        Assert.Equal(3_250_000, passRow.PrepaidFen);
        Assert.Equal(3_333_333, failRow.PayoutFen);
        Assert.Equal(1_666_667, failRow.PrepaidFen);
        Assert.Equal(Prepayment.Split(Cny.FromFen(failRow.PayoutFen), 0.5m).Prepaid.Fen, failRow.PrepaidFen);
        Assert.Equal(0, untrustedRow.PrepaidFen);
        var unconfirmedRow = await Seed.WaitForStatusAsync(unconfirmed.RedemptionId, RedemptionStatus.Queued);
        Assert.Equal(1_500_000, unconfirmedRow.PrepaidFen);

        // Approved, not paid: nothing in the credit file, nothing granted; the finance bureau has them in its list.
        Assert.Empty(await Get<EnforcementStore>().CreditAsync(pass.Uscc));
        Assert.Empty(await Get<EnforcementStore>().CreditAsync(untrusted.Uscc));
        Assert.Equal(0, (await Seed.LedgerAsync(pass))!.GrantedFen);
        var advances = Get<PaymentService>();
        Assert.Equal(
            new[] { pass.RedemptionId, fail.RedemptionId, unconfirmed.RedemptionId }.Order(),
            (await advances.AdvancesDueAsync(SettlementSeed.FinanceBureau(City), CancellationToken.None)).Value.Select(i => i.RedemptionId).Where(id => id != untrusted.RedemptionId).Order());

        // The finance bureau pays two of the advances: from now they count as paid.
        var finance = Addresses.For(Role.FinanceBureau, City);
        Assert.True((await advances.ConfirmAdvanceAsync(passRow, "ADV-1", SettlementSeed.Today, finance, CancellationToken.None)).Succeeded);
        Assert.True((await advances.ConfirmAdvanceAsync(failRow, "ADV-2", SettlementSeed.Today, finance, CancellationToken.None)).Succeeded);
        Assert.Contains(await Get<EnforcementStore>().CreditAsync(pass.Uscc), c => c.Kind == "prepaid" && c.AmountFen == 3_250_000);
        Assert.Equal(3_250_000, (await Seed.LedgerAsync(pass))!.GrantedFen);
        Assert.Equal(6_500_000 - 3_250_000, (await Seed.LedgerAsync(pass))!.ReservedFen);

        // --- the batch: its review is the audit ------------------------------------------------------------
        var period = await Seed.CurrentPeriodAsync(City);
        var start = await Seed.StartByHandAsync(City, period.Id);
        var batch = await Seed.WaitForBatchAsync(start.BatchId, BatchStage.Reviewing);
        var review = Get<SettlementService>();
        var bureau = Addresses.CityBureau(City);

        // Experts come from the pool; a conflict of interest is refused with its reason.
        var store = Get<EnforcementStore>();
        await store.UpsertExpertAsync(Expert("exp-own-inst", "inst-settlement-test", []));
        await store.UpsertExpertAsync(Expert("exp-tied", "inst-other", [fail.Uscc]));
        await store.UpsertExpertAsync(Expert("exp-clear", "inst-other", []));
        var own = SettlementSeed.FieldErrors(await review.SaveDecisionsAsync(batch, [new RowDecision(pass.RedemptionId, "", null, "exp-own-inst", null)], bureau, CancellationToken.None));
        Assert.Contains("Conflict of interest", Assert.Single(own, e => e.Field == "decisions[0].expertId").Message, StringComparison.Ordinal);
        var tied = SettlementSeed.FieldErrors(await review.SaveDecisionsAsync(batch, [new RowDecision(fail.RedemptionId, "", null, "exp-tied", null)], bureau, CancellationToken.None));
        Assert.Contains(fail.Uscc, Assert.Single(tied, e => e.Field == "decisions[0].expertId").Message, StringComparison.Ordinal);
        var ghost = SettlementSeed.FieldErrors(await review.SaveDecisionsAsync(batch, [new RowDecision(pass.RedemptionId, "", null, "ghost", null)], bureau, CancellationToken.None));
        Assert.Contains("expert pool", Assert.Single(ghost).Message, StringComparison.Ordinal);
        Assert.Null((await Get<SettlementStore>().GetItemAsync(start.BatchId, pass.RedemptionId))!.ExpertId);
        Assert.Empty(SettlementSeed.FieldErrors(await review.SaveDecisionsAsync(batch, [new RowDecision(fail.RedemptionId, "", null, "exp-clear", null)], bureau, CancellationToken.None)));
        var asked = Assert.Single(await store.OpinionsForRedemptionAsync(fail.RedemptionId));
        Assert.Equal(("exp-clear", "testing", bureau), (asked.ExpertId, asked.Field, asked.RequestedBy));
        Assert.Single(await store.OpinionsForExpertAsync("exp-clear"), o => o.RedemptionId == fail.RedemptionId);

        // The expert's home lists the request with a signed link to the opinion page and the evidence.
        var home = await Get<ExpertPages>().ExpertHomeAsync(Seed.Request(new VoucherPrincipal("x", "专家", Role.Expert, "exp-clear"), null));
        var html = await PageHtml.RenderAsync(home, Fixture.Services);
        Assert.Contains(fail.RedemptionId, html, StringComparison.Ordinal);
        Assert.Contains(Voucher.Workflows.Tests.Support.WorkflowServices.PublicBaseUrl + "/opinions/", html, StringComparison.Ordinal);
        Assert.Contains("/evidence/report", html, StringComparison.Ordinal);

        // The request is shown with the redemption to reviewers, not to the enterprise.
        var asReviewer = Seed.Request(SettlementSeed.CityBureau(City), null);
        asReviewer.Http.RequestServices = Fixture.Services;
        Assert.Contains("exp-clear", await Rendered(await ExpertOpinionsSection.OpinionsSectionAsync(asReviewer, fail.RedemptionId)), StringComparison.Ordinal);
        var asEnterprise = Seed.Request(new VoucherPrincipal("e", "e", Role.Enterprise, fail.Uscc), null);
        asEnterprise.Http.RequestServices = Fixture.Services;
        Assert.Equal("", await Rendered(await ExpertOpinionsSection.OpinionsSectionAsync(asEnterprise, fail.RedemptionId)));

        const string reason = "服务未实际发生，报告系拼凑 (the service did not take place)";
        Assert.Empty(SettlementSeed.FieldErrors(await review.SaveDecisionsAsync(
            batch,
            [
                new RowDecision(pass.RedemptionId, "approve", null, null, null),
                new RowDecision(fail.RedemptionId, "reject", reason, null, true),
                new RowDecision(untrusted.RedemptionId, "approve", null, null, null),
                new RowDecision(unconfirmed.RedemptionId, "approve", null, null, null),
            ],
            bureau,
            CancellationToken.None)));
        Assert.True((await review.SubmitAsync(batch, bureau, Seed.Client, CancellationToken.None)).Succeeded);

        // Failed audit: the advance is clawed back, a violation bars the enterprise, the reservation goes back.
        await Seed.WaitForStatusAsync(fail.RedemptionId, RedemptionStatus.Rejected);
        await Seed.WaitForCompletionAsync(fail.InstanceId);
        var claw = await Eventually.UntilAsync(
            () => store.GetClawBackAsync(City, ClawBackEntity.IdFor(PrepaymentAudit.ViolationIdFor(fail.RedemptionId), fail.RedemptionId)),
            c => c is not null,
            SettlementSeed.Timeout,
            "the failed audit's claw-back");
        Assert.Equal((failRow.PrepaidFen, "prepaid", ClawBackStatus.Due), (claw!.AmountFen, claw.Kind, claw.Status));
        var violation = (await store.GetViolationAsync(City, PrepaymentAudit.ViolationIdFor(fail.RedemptionId)))!;
        Assert.Equal(("audit", fail.Uscc, bureau), (violation.Source, violation.Uscc, violation.DecidedBy));
        Assert.Contains(reason, violation.Reason, StringComparison.Ordinal);
        Assert.Equal(ViolationRules.BarEnd(SettlementSeed.Today), await store.BarredUntilAsync(fail.Uscc, SettlementSeed.Today));
        Assert.Equal(0, (await Seed.LedgerAsync(fail))!.ReservedFen);
        Assert.Equal(failRow.PrepaidFen, (await Seed.LedgerAsync(fail))!.GrantedFen); // the advance was paid (and is due back)
        Assert.Equal(["audit-failed", "prepaid", "violation"], (await store.CreditAsync(fail.Uscc)).Select(c => c.Kind).Order(StringComparer.Ordinal));
        Assert.Equal(PaymentService.AdvanceAlreadyConfirmed, (await advances.ConfirmAdvanceAsync(failRow, "ADV-LATE", SettlementSeed.Today, finance, CancellationToken.None)).Failure);
        Assert.Equal(failRow.PrepaidFen, (await Seed.LedgerAsync(fail))!.GrantedFen);

        // Passed audit: recorded in the credit file; after publicity the finance bureau pays only the remainder.
        await Seed.WaitForStatusAsync(pass.RedemptionId, RedemptionStatus.Published);
        Assert.Equal(["audit-passed", "prepaid"], (await store.CreditAsync(pass.Uscc)).Select(c => c.Kind).Order(StringComparer.Ordinal));
        var payable = await Seed.WaitForStatusAsync(pass.RedemptionId, RedemptionStatus.Payable, TimeSpan.FromMinutes(3));
        Assert.True((await Get<PaymentService>().ConfirmPaymentAsync(payable, "BANK-PRE-1", SettlementSeed.Today, Addresses.For(Role.FinanceBureau, City), Seed.Client, CancellationToken.None)).Succeeded);
        await Seed.WaitForCompletionAsync(pass.InstanceId);
        var paid = await Seed.RedemptionAsync(pass.RedemptionId);
        Assert.Equal(3_250_000, paid.FinalPaidFen);
        Assert.Equal(paid.PayoutFen, paid.PrepaidFen + paid.FinalPaidFen);
        Assert.Equal(Prepayment.Split(Cny.FromFen(paid.PayoutFen), 0.5m).Remainder.Fen, paid.FinalPaidFen);
        Assert.Equal(6_500_000, (await Seed.LedgerAsync(pass))!.GrantedFen);

        var untrustedPayable = await Seed.WaitForStatusAsync(untrusted.RedemptionId, RedemptionStatus.Payable);
        Assert.True((await Get<PaymentService>().ConfirmPaymentAsync(untrustedPayable, "BANK-PRE-2", SettlementSeed.Today, Addresses.For(Role.FinanceBureau, City), Seed.Client, CancellationToken.None)).Succeeded);
        Assert.Equal(untrustedPayable.PayoutFen, (await Seed.WaitForStatusAsync(untrusted.RedemptionId, RedemptionStatus.Paid)).FinalPaidFen);

        // The advance never confirmed moved nothing: the final payment pays the whole pay-out, and the advance lapses.
        var unconfirmedPayable = await Seed.WaitForStatusAsync(unconfirmed.RedemptionId, RedemptionStatus.Payable);
        Assert.True((await Get<PaymentService>().ConfirmPaymentAsync(unconfirmedPayable, "BANK-PRE-3", SettlementSeed.Today, finance, Seed.Client, CancellationToken.None)).Succeeded);
        await Seed.WaitForCompletionAsync(unconfirmed.InstanceId);
        var unconfirmedPaid = await Seed.RedemptionAsync(unconfirmed.RedemptionId);
        Assert.Equal((3_000_000L, 3_000_000L, (DateTimeOffset?)null), (unconfirmedPaid.PayoutFen, unconfirmedPaid.FinalPaidFen, unconfirmedPaid.AdvancePaidAt));
        Assert.IsType<Failure.Conflict>((await advances.ConfirmAdvanceAsync(unconfirmedPaid, "ADV-LATE", SettlementSeed.Today, finance, CancellationToken.None)).Failure);
        Assert.Equal(3_000_000, (await Seed.LedgerAsync(unconfirmed))!.GrantedFen);
        Assert.DoesNotContain(await store.CreditAsync(unconfirmed.Uscc), c => c.Kind == "prepaid");

        // Statistics: the two confirmed advances, in the cap year.
        var money = await Get<Voucher.Workflows.Supervision.StatsReader>().RowAsync(City, pass.CapYear, default);
        Assert.Equal((passRow.PrepaidFen + failRow.PrepaidFen, 2L), (money.AdvancePaidFen, money.AdvancePaidCount));
    }

    /// <summary>A bound, complete redemption of a new enterprise that was granted voucher money in <paramref name="yearsOfUse"/>; its orchestration queues it.</summary>
    async Task<SeededRedemption> TrustedAsync(decimal paidYuan, int[] yearsOfUse)
    {
        var seeded = await Seed.QueuedAsync(City, paidYuan, DateTimeOffset.UtcNow.AddMinutes(-2), startOrchestration: false, status: RedemptionStatus.AwaitingEvidence, enqueue: false);
        var ledger = Get<CapLedger>();
        foreach (var y in yearsOfUse)
        {
            await ledger.ReserveAsync(seeded.Uscc, y, $"history-{y}", Cny.FromYuan(200_000m), _ => Cny.FromYuan(10_000m));
            await ledger.GrantAsync(seeded.Uscc, y, $"history-{y}");
        }

        await Seed.Client.ScheduleNewOrchestrationInstanceAsync(
            nameof(RedemptionOrchestrator), new RedemptionWorkflowInput(seeded.RedemptionId, 1), new StartOrchestrationOptions(seeded.InstanceId));
        return seeded;
    }

    static ExpertEntity Expert(string id, string institution, string[] ties) => new()
    {
        PartitionKey = ExpertEntity.Pool,
        RowKey = id,
        Name = $"专家 {id}",
        Fields = "testing,data",
        AffiliationInstitutionId = institution,
        TiedUsccs = string.Join(",", ties),
        UpdatedAt = DateTimeOffset.UtcNow,
    };

    Task<string> Rendered(Microsoft.AspNetCore.Components.RenderFragment fragment) =>
        new Voucher.Workflows.Web.PageRenderer(Fixture.Services, Microsoft.Extensions.Logging.Abstractions.NullLoggerFactory.Instance)
            .RenderAsync<Voucher.Workflows.Web.Parts>(new Dictionary<string, object?> { ["Model"] = new List<Microsoft.AspNetCore.Components.RenderFragment> { fragment } });
}
