namespace Voucher.Workflows.Tests.Redemptions;

/// <summary>
/// Flow 2 up to the settlement queue on the real Durable Task engine (in process) with the production activities over
/// Azurite: request, evidence, binding (system and seal), dispute and extension, withdrawal, duplicates. Each test
/// has its own enterprise and institution; the seal test owns its city's policy. The binding reminder and deadline
/// timers are days away, so they are covered with a mocked context in <see cref="RedemptionOrchestratorTests"/>.
/// </summary>
[Collection(RedemptionDurableCollection.Name)]
public sealed class RedemptionWorkflowTests(DurableHostFixture fixture)
{
    static readonly Cny Paid = Cny.FromYuan(80_000m);

    readonly RedemptionFlow flow = new(fixture);

    [Fact]
    public async Task EvidenceThenBinding_QueuesWithThePayoutStepsPolicyVersionReservationAndQueueRow()
    {
        const string city = "taiyuan";
        var before = ChinaTime.DateOf(DateTime.UtcNow);
        var (s, r, files) = await flow.QueueOneAsync(city);
        var id = r.RedemptionId;

        // The request as recorded.
        Assert.Equal(RedemptionStore.NewId(s.Voucher.VoucherId, 1), id);
        Assert.Equal(s.Enterprise.Uscc, r.Uscc);
        Assert.Equal((BindingMode.System, "system"), (r.Binding, r.BindingMode));
        Assert.Equal(1, r.PolicyVersion);
        Assert.Equal(Paid.Fen, r.AmountPaidFen);
        Assert.Equal(s.Institution.Name, r.InstitutionName);
        Assert.Equal("ICP-MS 微量元素检测", r.ServiceTitle);
        Assert.Equal((await flow.Get<Voucher.Workflows.Policies.CalendarStore>().CurrentAsync()).AddWorkingDays(before, 5).ToString("yyyy-MM-dd"), r.BindingDeadline);
        Assert.True(r.Bound);
        Assert.Equal(s.InstitutionAddress, r.BoundBy);

        // Pay-out: 50,000 + 0.5 × 30,000 = 65,000, every step recorded with the policy version in force.
        Assert.Equal(Cny.FromYuan(65_000m).Fen, r.PayoutFen);
        var c = JsonSerializer.Deserialize<PayoutComputation>(r.PayoutJson!)!;
        Assert.Equal(Paid, c.Paid);
        Assert.Equal(Cny.FromYuan(50_000m), c.FaceValue);
        Assert.Equal(0.5m, c.ExcessRatio);
        Assert.Equal(Cny.FromYuan(200_000m), c.CapRemainingBefore);
        Assert.Equal(Cny.FromYuan(30_000m), c.Excess);
        Assert.Equal(Cny.FromYuan(15_000m), c.ExcessSubsidy);
        Assert.Equal(Cny.FromYuan(65_000m), c.Payout);
        Assert.Equal(
            [PayoutRules.WithinFaceRule, PayoutRules.ExcessRule, PayoutRules.ExcessSubsidyRule, PayoutRules.BeforeCapRule, PayoutRules.AnnualCapRule],
            c.Steps.Select(x => x.Rule));
        Assert.Equal(c.Payout, c.Steps[^1].Result);
        var year = ChinaTime.DateOf(r.QueuedAt!.Value).Year;
        Assert.Equal(year, r.CapYear);

        // The audit trail, each transition with the policy version.
        var audit = await flow.AuditAsync(id, 4);
        Assert.Equal(["AwaitingBinding", "AwaitingBinding", "AwaitingEvidence", "Queued"], audit.Select(a => a.ToState));
        Assert.All(audit, a => Assert.Equal(1, a.PolicyVersion));
        Assert.Equal(s.InstitutionAddress, audit[2].Actor);
        Assert.Contains("65,000", audit[^1].Detail, StringComparison.Ordinal);

        // The annual-cap ledger holds the reservation; the city's settlement queue has the row.
        var ledger = (await flow.LedgerAsync(s.Enterprise.Uscc, year))!;
        Assert.Equal(new Dictionary<string, long> { [id] = r.PayoutFen }, ledger.Reservations());
        Assert.Equal(r.PayoutFen, ledger.ReservedFen);
        Assert.Equal(0, ledger.GrantedFen);
        var queue = await flow.QueueRowAsync(r);
        Assert.NotNull(queue);
        Assert.Equal(RedemptionStore.QueueRowKey(r), queue.RowKey);
        Assert.Equal(r.PayoutFen, queue.PayoutFen);

        // Evidence: server-chosen names, sizes and hashes of the bytes sent.
        var evidence = await flow.Get<EvidenceStore>().ListAsync(id, CancellationToken.None);
        Assert.Equal(3, evidence.Count);
        foreach (var (kind, bytes) in files)
        {
            var e = evidence.Single(x => x.RowKey == EvidenceRules.Slug(kind));
            Assert.Equal(TestFiles.Sha256(bytes), e.Sha256);
            Assert.Equal(bytes.Length, e.Size);
            Assert.StartsWith($"{id}/{EvidenceRules.Slug(kind)}/", e.BlobName, StringComparison.Ordinal);
        }

        // The risk check's fact, written by the queue step: the voucher's face value and the three files by hash.
        var fact = await flow.Get<VoucherStore>().GetAsync<Voucher.Workflows.Settlement.Risk.RiskFactEntity>(
            Voucher.Workflows.Settlement.Risk.RiskTables.RiskFacts, r.InstitutionId, id);
        Assert.NotNull(fact);
        Assert.Equal((s.Enterprise.Uscc, 5_000_000L, false), (fact.Uscc, fact.FaceValueFen, fact.AtFaceValue));
        Assert.Equal(
            string.Join(',', evidence.OrderBy(e => e.RowKey, StringComparer.Ordinal).Select(e => $"{e.RowKey}:{e.Sha256}")),
            fact.Files);

        // The institution got a signed round-1 link; the SME heard that the redemption is queued.
        var request = await flow.NotificationAsync(s.InstitutionAddress, $"binding-{id}-r1");
        var link = Assert.Single(request.ToNotification().Links).Url;
        Assert.StartsWith(WorkflowServices.PublicBaseUrl + "/binding/", link, StringComparison.Ordinal);
        Assert.Equal(LinkCheck.Valid, flow.Get<LinkSigner>().Verify(link[(WorkflowServices.PublicBaseUrl + "/binding/").Length..], out var claims));
        Assert.Equal((RedemptionStore.InstanceId(id), BindingLinks.Action, s.InstitutionAddress, 1), (claims!.InstanceId, claims.Action, claims.Party, claims.Round));
        await flow.NotificationAsync(Addresses.Enterprise(s.Enterprise.Uscc), $"queued-{id}");

        // Queued evidence is locked, and the orchestration waits for the settlement.
        var metadata = await flow.Client.GetInstanceAsync(RedemptionStore.InstanceId(id));
        Assert.Equal(OrchestrationRuntimeStatus.Running, metadata!.RuntimeStatus);
        await flow.VouchesForItsViewAsync(id);
    }

    [Fact]
    public async Task ALostEvent_IsRaisedAgainByTheSweep_AppliedOnce_AndItsPendingRowCleared()
    {
        var s = await flow.SeedAsync("changzhi");
        var r = await flow.WaitForRoundAsync((await flow.CreateAsync(s)).RedemptionId, 1);
        var pending = flow.Get<PendingRedemptionEvents>();
        var ev = new RedemptionEvent(RedemptionEvent.EvidenceComplete, 0, true, null, Addresses.Enterprise(s.Enterprise.Uscc));
        var rowKey = pending.RowKeyOf(r.RedemptionId, ev);

        // The handler's record step happened, its raise was lost: nothing moves.
        await flow.UploadEvidenceAsync(s, r.RedemptionId, raise: false);
        await pending.RecordAsync(r.RedemptionId, ev, CancellationToken.None);
        await Task.Delay(TimeSpan.FromSeconds(2));
        Assert.False((await flow.Get<RedemptionStore>().GetAsync(r.RedemptionId))!.EvidenceComplete);
        Assert.Contains(await pending.ListAsync(CancellationToken.None), p => p.RowKey == rowKey);

        // A fresh event is not raised again yet; an old one is.
        Assert.DoesNotContain(await pending.ListAsync(CancellationToken.None), p => p.RowKey == rowKey && p.Attempts > 1);
        await pending.RedeliverAsync(flow.Client, CancellationToken.None);
        Assert.Equal(1, (await pending.ListAsync(CancellationToken.None)).Single(p => p.RowKey == rowKey).Attempts);
        Assert.True(await pending.RedeliverAsync(flow.Client, CancellationToken.None, minAge: TimeSpan.Zero) >= 1);

        var applied = await flow.WaitForAsync(r.RedemptionId, x => x.EvidenceComplete, "evidence complete after the redelivery");
        Assert.Equal(RedemptionStatus.AwaitingBinding, applied.State);
        await Eventually.UntilAsync(() => pending.ListAsync(CancellationToken.None), rows => rows.All(p => p.RowKey != rowKey), RedemptionFlow.Timeout, "pending row cleared by the activity");

        // The same event once more (a redelivery racing a slow apply): handled, its row cleared, nothing changes.
        await flow.RaiseAsync(r.RedemptionId, ev);
        await Eventually.UntilAsync(() => pending.ListAsync(CancellationToken.None), rows => rows.All(p => p.RowKey != rowKey), RedemptionFlow.Timeout, "duplicate's pending row cleared");
        var after = (await flow.Get<RedemptionStore>().GetAsync(r.RedemptionId))!;
        Assert.Equal(applied.EvidenceCompleteAt, after.EvidenceCompleteAt);
        Assert.Equal(applied.State, after.State);
    }

    [Fact]
    public async Task WithdrawWhileQueued_ReleasesTheReservationRemovesTheQueueRowAndCompletes()
    {
        var (s, r, _) = await flow.QueueOneAsync("lvliang");
        Assert.True(RedemptionTransitions.CanWithdraw(r.State));

        await flow.RaiseAsync(r.RedemptionId, new RedemptionEvent(RedemptionEvent.Withdraw, r.BindingRound, true, null, Addresses.Enterprise(s.Enterprise.Uscc)));

        Assert.Equal(nameof(RedemptionStatus.Withdrawn), await flow.WaitForCompletionAsync(r.RedemptionId));
        var withdrawn = await flow.Get<RedemptionStore>().GetRequiredAsync(r.RedemptionId);
        Assert.Equal(RedemptionStatus.Withdrawn, withdrawn.State);
        Assert.Equal(Addresses.Enterprise(s.Enterprise.Uscc), withdrawn.WithdrawnBy);
        Assert.NotNull(withdrawn.WithdrawnAt);
        var ledger = (await flow.LedgerAsync(s.Enterprise.Uscc, r.CapYear))!;
        Assert.Empty(ledger.Reservations());
        Assert.Equal(0, ledger.ReservedFen);
        Assert.Equal(0, ledger.GrantedFen);
        Assert.Equal(Cny.FromYuan(200_000m), (await flow.Get<CapLedger>().GetAsync(s.Enterprise.Uscc, r.CapYear, Cny.FromYuan(200_000m))).Remaining);
        Assert.Null(await flow.QueueRowAsync(r));
        Assert.Equal("Withdrawn", (await flow.AuditAsync(r.RedemptionId))[^1].ToState);
        await flow.VouchesForItsViewAsync(r.RedemptionId);
        await flow.NotificationAsync(s.InstitutionAddress, $"withdrawn-{r.RedemptionId}-inst");

        // A new request on the same voucher is possible once the first is final.
        var again = await flow.Get<RedemptionService>().RequestAsync(s.Sme, s.Request(), flow.Client, CancellationToken.None);
        Assert.Null(again.Failure);
        Assert.Equal(RedemptionStore.NewId(s.Voucher.VoucherId, 2), again.Value.Redemption.RedemptionId);
    }

    [Fact]
    public async Task WithdrawAfterTheReviewStarted_ChangesNothingAndKeepsTheReservation()
    {
        var (s, r, _) = await flow.QueueOneAsync("datong");
        // The settlement froze it into a batch (what FormSettlementBatch does to the row).
        var inBatch = await flow.Get<RedemptionStore>().UpdateAsync(r.RedemptionId, e =>
        {
            e.MoveTo(RedemptionStatus.InBatch);
            e.BatchId = "test-batch";
            return true;
        });
        Assert.False(RedemptionTransitions.CanWithdraw(inBatch.State));

        // Applied directly through the production activity, so the test knows when it ran.
        var state = await flow.Get<ApplyRedemptionEvent>().RunAsync(new RedemptionEventInput(
            r.RedemptionId, new RedemptionEvent(RedemptionEvent.Withdraw, 1, true, null, Addresses.Enterprise(s.Enterprise.Uscc)), DateTime.UtcNow));

        Assert.Equal(RedemptionStatus.InBatch, state.Status);
        Assert.False(state.Final);
        var after = await flow.Get<RedemptionStore>().GetRequiredAsync(r.RedemptionId);
        Assert.Null(after.WithdrawnAt);
        Assert.Equal(r.PayoutFen, (await flow.LedgerAsync(s.Enterprise.Uscc, r.CapYear))!.Reservations()[r.RedemptionId]);
        Assert.DoesNotContain(await flow.AuditAsync(r.RedemptionId), a => a.ToState == "Withdrawn");
    }

    [Fact]
    public async Task Disputed_ThenTheBureauExtends_OpensANewRoundWithANewDeadlineAndLink()
    {
        var s = await flow.SeedAsync("changzhi");
        var r = await flow.WaitForRoundAsync((await flow.CreateAsync(s)).RedemptionId, 1);
        var id = r.RedemptionId;

        Assert.Equal(BindingOutcome.Accepted, await flow.BindAsync(r, 1, false, "合同金额与实际不符 (amount differs)", s.InstitutionAddress));
        var disputed = await flow.WaitForStateAsync(id, RedemptionStatus.Disputed);
        Assert.Equal("合同金额与实际不符 (amount differs)", disputed.DisputeReason);
        Assert.False(disputed.Bound);
        await flow.NotificationAsync(Addresses.Enterprise(s.Enterprise.Uscc), $"disputed-{id}-r1-ent");
        await flow.NotificationAsync(Addresses.CityBureau("changzhi"), $"disputed-{id}-r1-city");
        Assert.Equal(BindingOutcome.NotAwaiting, await flow.BindAsync(disputed, 1, true, null, s.InstitutionAddress));

        var bureau = Addresses.CityBureau("changzhi");
        Assert.True(await flow.Get<RedemptionEvents>().ClaimAsync(id, "extend", 1, bureau, CancellationToken.None));
        Assert.False(await flow.Get<RedemptionEvents>().ClaimAsync(id, "extend", 1, bureau, CancellationToken.None));
        var extendedOn = ChinaTime.DateOf(DateTime.UtcNow);
        await flow.RaiseAsync(id, new RedemptionEvent(RedemptionEvent.ExtendBinding, 1, true, null, bureau));

        var round2 = await flow.WaitForRoundAsync(id, 2);
        Assert.Null(round2.DisputeReason);
        Assert.Equal((await flow.Get<Voucher.Workflows.Policies.CalendarStore>().CurrentAsync()).AddWorkingDays(extendedOn, 5).ToString("yyyy-MM-dd"), round2.BindingDeadline);
        Assert.NotNull(round2.BindingReminder);
        var request = await flow.NotificationAsync(s.InstitutionAddress, $"binding-{id}-r2");
        Assert.Equal(LinkCheck.Valid, flow.Get<LinkSigner>().Verify(request.ToNotification().Links[0].Url[(WorkflowServices.PublicBaseUrl + "/binding/").Length..], out var claims));
        Assert.Equal(2, claims!.Round);
        Assert.Equal(["AwaitingBinding", "AwaitingBinding", "Disputed", "AwaitingBinding", "AwaitingBinding"], (await flow.AuditAsync(id, 5)).Select(a => a.ToState));

        // The stale round-1 answer no longer counts; the round-2 answer binds.
        Assert.Equal(BindingOutcome.NotAwaiting, await flow.BindAsync(round2, 1, true, null, s.InstitutionAddress));
        Assert.Equal(BindingOutcome.Accepted, await flow.BindAsync(round2, 2, true, null, s.InstitutionAddress));
        var bound = await flow.WaitForStateAsync(id, RedemptionStatus.AwaitingEvidence);
        Assert.Equal(2, bound.BindingRound);
        Assert.True(bound.Bound);
    }

    [Fact]
    public async Task SealMode_NoBindingLink_BoundBySeal_QueuedOnceTheEvidenceIsComplete()
    {
        const string city = "jincheng";
        var now = DateTimeOffset.UtcNow;
        var policies = flow.Get<PolicyStore>();
        var current = await policies.GetCurrentAsync(city);
        var sealPolicy = current.NextVersion("province-admin", "seal binding for the test", now) with { BindingMode = BindingMode.Seal, ExcessRatio = 0.4m };
        Assert.True(await policies.TryPublishAsync(sealPolicy), "publishing the seal-mode policy");
        var s = await flow.SeedAsync(city);

        var created = await flow.CreateAsync(s);
        Assert.Equal((BindingMode.Seal, "seal"), (created.Binding, created.BindingMode));
        Assert.Equal(sealPolicy.Version, created.PolicyVersion);
        var r = await flow.WaitForAsync(created.RedemptionId, x => x.State == RedemptionStatus.AwaitingEvidence, "seal binding at once");

        Assert.True(r.Bound);
        Assert.Equal("seal", r.BoundBy);
        Assert.Equal(1, r.BindingRound);
        Assert.Null(r.BindingDeadline);
        Assert.Contains("seal", (await flow.AuditAsync(r.RedemptionId, 2))[^1].Detail, StringComparison.Ordinal);
        Assert.Equal(BindingOutcome.AlreadyDone, await flow.BindAsync(r, 1, true, null, s.InstitutionAddress));

        await flow.UploadEvidenceAsync(s, r.RedemptionId);
        var queued = await flow.WaitForStateAsync(r.RedemptionId, RedemptionStatus.Queued);

        // The version in force at the request decides: ratio 0.4 → 50,000 + 0.4 × 30,000 = 62,000.
        Assert.Equal(Cny.FromYuan(62_000m).Fen, queued.PayoutFen);
        Assert.Equal(0.4m, JsonSerializer.Deserialize<PayoutComputation>(queued.PayoutJson!)!.ExcessRatio);
        Assert.All(await flow.AuditAsync(r.RedemptionId, 3), a => Assert.Equal(sealPolicy.Version, a.PolicyVersion));
        Assert.NotNull(await flow.QueueRowAsync(queued));
        Assert.DoesNotContain(await flow.InboxAsync(s.InstitutionAddress), n => n.NotificationId.StartsWith("binding", StringComparison.Ordinal));
    }

    [Fact]
    public async Task DuplicateBindingAnswer_SecondIsAlreadyDone_FirstAnswerStands()
    {
        var s = await flow.SeedAsync("yuncheng");
        var r = await flow.WaitForRoundAsync((await flow.CreateAsync(s)).RedemptionId, 1);

        var first = await flow.BindAsync(r, 1, true, null, s.InstitutionAddress);
        // The same (now stale) view, a different answer from someone else: the round is used up.
        var second = await flow.BindAsync(r, 1, false, "changed our mind", s.InstitutionAddress + ":someone-else");
        var bound = await flow.WaitForStateAsync(r.RedemptionId, RedemptionStatus.AwaitingEvidence);
        var third = await flow.BindAsync(bound, 1, true, null, s.InstitutionAddress);

        Assert.Equal(BindingOutcome.Accepted, first);
        Assert.Equal(BindingOutcome.AlreadyDone, second);
        Assert.Equal(BindingOutcome.AlreadyDone, third);
        Assert.Equal(s.InstitutionAddress, bound.BoundBy);
        Assert.Null(bound.DisputeReason);
        Assert.True(await flow.Get<RedemptionEvents>().IsBindingAnsweredAsync(r.RedemptionId, 1, CancellationToken.None));
    }

    [Fact]
    public async Task BindingEventRaisedTwice_OneTransition()
    {
        var s = await flow.SeedAsync("xinzhou");
        var r = await flow.WaitForRoundAsync((await flow.CreateAsync(s)).RedemptionId, 1);

        await flow.RaiseAsync(r.RedemptionId, new RedemptionEvent(RedemptionEvent.Binding, 1, true, null, s.InstitutionAddress));
        await flow.RaiseAsync(r.RedemptionId, new RedemptionEvent(RedemptionEvent.Binding, 1, false, "second answer", s.InstitutionAddress + ":other"));
        // Events are handled in order: once the later evidence event has queued the redemption, both bindings were applied.
        await flow.UploadEvidenceAsync(s, r.RedemptionId);
        var queued = await flow.WaitForStateAsync(r.RedemptionId, RedemptionStatus.Queued);

        Assert.Equal(s.InstitutionAddress, queued.BoundBy);
        Assert.Null(queued.DisputeReason);
        var audit = await flow.AuditAsync(r.RedemptionId, 4);
        Assert.Single(audit, a => a.ToState == "AwaitingEvidence");
        Assert.DoesNotContain(audit, a => a.ToState == "Disputed");
        Assert.Single(audit, a => a.ToState == "Queued");
        Assert.Equal(queued.PayoutFen, (await flow.LedgerAsync(s.Enterprise.Uscc, queued.CapYear))!.ReservedFen);
    }

    [Fact]
    public async Task BindingBeforeEvidence_WaitsForTheEvidenceThenQueues()
    {
        var s = await flow.SeedAsync("linfen");
        var r = await flow.WaitForRoundAsync((await flow.CreateAsync(s)).RedemptionId, 1);

        Assert.Equal(BindingOutcome.Accepted, await flow.BindAsync(r, 1, true, null, s.InstitutionAddress));
        var bound = await flow.WaitForStateAsync(r.RedemptionId, RedemptionStatus.AwaitingEvidence);
        Assert.False(bound.EvidenceComplete);
        Assert.Equal(0, bound.PayoutFen);

        // Two of three files and the event: still waiting (cannot go to review until all three are valid).
        var report = TestFiles.Pdf();
        await flow.Get<EvidenceStore>().UploadAsync(r.RedemptionId, EvidenceKind.Report, new MemoryStream(report), report.Length, "r.pdf", "enterprise:x", CancellationToken.None);
        var contract = TestFiles.Pdf();
        await flow.Get<EvidenceStore>().UploadAsync(r.RedemptionId, EvidenceKind.Contract, new MemoryStream(contract), contract.Length, "c.pdf", "enterprise:x", CancellationToken.None);
        await flow.RaiseAsync(r.RedemptionId, new RedemptionEvent(RedemptionEvent.EvidenceComplete, 0, true, null, "enterprise:x"));
        // The third file was refused by content: still incomplete.
        var text = TestFiles.Text;
        Assert.NotNull((await flow.Get<EvidenceStore>().UploadAsync(r.RedemptionId, EvidenceKind.Payment, new MemoryStream(text), text.Length, "p.pdf", "enterprise:x", CancellationToken.None)).Error);
        await Task.Delay(1500);
        var waiting = await flow.Get<RedemptionStore>().GetRequiredAsync(r.RedemptionId);
        Assert.Equal(RedemptionStatus.AwaitingEvidence, waiting.State);
        Assert.False(waiting.EvidenceComplete);

        await flow.UploadEvidenceAsync(s, r.RedemptionId);
        var queued = await flow.WaitForStateAsync(r.RedemptionId, RedemptionStatus.Queued);
        Assert.Equal(Cny.FromYuan(65_000m).Fen, queued.PayoutFen);
    }
}
