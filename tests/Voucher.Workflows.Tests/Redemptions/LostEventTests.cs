namespace Voucher.Workflows.Tests.Redemptions;

/// <summary>
/// A redemption's evidence-complete event lost on the way to its orchestration (issue #20, found by the two-host
/// ScaleOutTests): the Durable Task Framework's Azure Storage provider drops an event it dequeues before the
/// orchestration's start is committed ("No such instance"), and the sweep of a host on another task hub over the same
/// storage deleted the pending row that would have raised it again. Both on the real engine in process.
/// </summary>
[Collection(RedemptionDurableCollection.Name)]
public sealed class LostEventTests(DurableHostFixture fixture)
{
    readonly RedemptionFlow flow = new(fixture);

    /// <summary>A client whose scheduling fails as a dying host's would: the request stops after its row.</summary>
    static DurableTaskClient Dying()
    {
        var client = new Mock<DurableTaskClient>("dying");
        client.Setup(c => c.ScheduleNewOrchestrationInstanceAsync(It.IsAny<TaskName>(), It.IsAny<object?>(), It.IsAny<StartOrchestrationOptions?>(), It.IsAny<CancellationToken>()))
            .ThrowsAsync(new IOException("the host died before scheduling the orchestration"));
        return client.Object;
    }

    [Fact]
    public async Task EvidenceCompleteBeforeTheOrchestrationStarted_IsRecordedByItsFirstStep_WithoutAnyEvent()
    {
        var s = await flow.SeedAsync("changzhi");
        // The request's row, its orchestration not running yet; the three files arrive and their event is dropped by
        // the engine (raised to an instance whose start is not committed): no event, no pending row here.
        await Assert.ThrowsAsync<IOException>(() => flow.Get<RedemptionService>().RequestAsync(s.Sme, s.Request(), Dying(), CancellationToken.None));
        var id = RedemptionStore.NewId(s.Voucher.VoucherId, 1);
        await flow.UploadEvidenceAsync(s, id, raise: false);
        Assert.False((await flow.Get<RedemptionStore>().GetAsync(id))!.EvidenceComplete);

        // The orchestration starts: its first step records the evidence from storage along with the binding round.
        Assert.True(await flow.Get<RedemptionStarts>().StartOnceAsync(flow.Client, id, CancellationToken.None));
        var r = await flow.WaitForAsync(id, x => x.EvidenceComplete && x.BindingRound == 1, "evidence complete recorded by the first step, round 1 open");
        Assert.Equal(RedemptionStatus.AwaitingBinding, r.State);
        Assert.NotNull(r.EvidenceCompleteAt);

        // The event arriving after all changes nothing (recorded once); binding then queues at once.
        await flow.RaiseAsync(id, new RedemptionEvent(RedemptionEvent.EvidenceComplete, 0, true, null, Addresses.Enterprise(s.Enterprise.Uscc)));
        var pending = flow.Get<PendingRedemptionEvents>();
        await Eventually.UntilAsync(() => pending.ListAsync(CancellationToken.None), rows => rows.All(p => p.SubjectId != id), RedemptionFlow.Timeout, "the late event handled");
        Assert.Equal(r.EvidenceCompleteAt, (await flow.Get<RedemptionStore>().GetAsync(id))!.EvidenceCompleteAt);
        Assert.Equal(BindingOutcome.Accepted, await flow.BindAsync(r, 1, true, null, s.InstitutionAddress));
        await flow.WaitForStateAsync(id, RedemptionStatus.Queued);
    }

    [Fact]
    public async Task TheRequestOpensRound1Itself_AStartAfterACrashWritesItsEntryAndMessageAgainOnce()
    {
        var s = await flow.SeedAsync("xinzhou");
        await Assert.ThrowsAsync<IOException>(() => flow.Get<RedemptionService>().RequestAsync(s.Sme, s.Request(), Dying(), CancellationToken.None));
        var id = RedemptionStore.NewId(s.Voucher.VoucherId, 1);
        var r = await flow.Get<RedemptionStore>().GetRequiredAsync(id);
        Assert.Equal((1, RedemptionStatus.AwaitingBinding, (DateTimeOffset?)r.SubmittedAt), (r.BindingRound, r.State, r.BindingRoundOpenedAt));
        Assert.NotNull(r.BindingDeadline);
        bool Opening(AuditEntry a) => a.Detail.StartsWith("第 1 轮机构确认", StringComparison.Ordinal);
        var trail = await flow.AuditAsync(id);
        Assert.Equal(2, trail.Count);
        Assert.Equal(("企业提交兑付申请 (requested)", nameof(RedemptionStatus.AwaitingBinding)), (trail[0].Detail, trail[0].ToState));
        Assert.StartsWith($"第 1 轮机构确认，期限 {r.BindingDeadline}", trail[1].Detail, StringComparison.Ordinal);
        var notice = $"binding-{id}-r1";
        var sent = Assert.Single(await flow.InboxAsync(s.InstitutionAddress), n => n.NotificationId == notice);

        // The host died after the row, before the round's entry and message.
        var entry = Assert.Single(trail, Opening);
        await flow.Store.Table(VoucherStore.Audit).DeleteEntityAsync(entry.PartitionKey, entry.RowKey);
        await flow.Store.Table(VoucherStore.Inbox).DeleteEntityAsync(sent.PartitionKey, sent.RowKey);

        // The sweep's start writes them again, and the orchestration's first step finds round 1 open.
        Assert.True(await flow.Get<RedemptionStarts>().StartOnceAsync(flow.Client, id, CancellationToken.None));
        Assert.Equal(entry.RowKey, Assert.Single(await flow.AuditAsync(id), Opening).RowKey);
        Assert.Single(await flow.InboxAsync(s.InstitutionAddress), n => n.NotificationId == notice);
        await flow.UploadEvidenceAsync(s, id);
        Assert.Equal(BindingOutcome.Accepted, await flow.BindAsync(r, 1, true, null, s.InstitutionAddress));
        r = await flow.WaitForStateAsync(id, RedemptionStatus.Queued);
        Assert.Equal((1, (DateTimeOffset?)r.SubmittedAt), (r.BindingRound, r.BindingRoundOpenedAt));
        Assert.Single(await flow.AuditAsync(id), Opening);
    }

    [Fact]
    public async Task ABindingMomentsAfterTheRequest_WaitsForTheOrchestrationsStart_ALaterOneDoesNot()
    {
        // The engine discards an event that reaches an instance whose start is not committed: a binding right after the
        // request (round 1 opens with it) first waits for the start; one after the window raises at once.
        var s = await flow.SeedAsync("linfen");
        var calls = new List<string>();
        var client = new Mock<DurableTaskClient>("recording");
        client.Setup(c => c.WaitForInstanceStartAsync(It.IsAny<string>(), It.IsAny<CancellationToken>()))
            .Callback(() => calls.Add("wait")).ReturnsAsync((OrchestrationMetadata?)null!);
        client.Setup(c => c.RaiseEventAsync(It.IsAny<string>(), RedemptionEvent.EventName, It.IsAny<object?>(), It.IsAny<CancellationToken>()))
            .Callback(() => calls.Add("raise")).Returns(Task.CompletedTask);
        var events = flow.Get<RedemptionEvents>();
        var fresh = s.Redemption().Numbered(1).UnderContract("HT-FRESH").InStatus(RedemptionStatus.AwaitingBinding).SubmittedAt(DateTimeOffset.UtcNow).Build();
        var older = s.Redemption().Numbered(2).UnderContract("HT-OLDER").InStatus(RedemptionStatus.AwaitingBinding)
            .SubmittedAt(DateTimeOffset.UtcNow - RedemptionEvents.StartWindow - TimeSpan.FromSeconds(1)).Build();

        Assert.Equal(BindingOutcome.Accepted, await events.BindAsync(fresh, fresh.BindingRound, true, null, s.InstitutionAddress, client.Object, CancellationToken.None));
        Assert.Equal(["wait", "raise"], calls);
        calls.Clear();
        Assert.Equal(BindingOutcome.Accepted, await events.BindAsync(older, older.BindingRound, true, null, s.InstitutionAddress, client.Object, CancellationToken.None));
        Assert.Equal(["raise"], calls);
    }

    [Fact]
    public async Task APendingEvent_IsLeftBySweepsOfAnotherTaskHub_AndRaisedAgainByItsOwn()
    {
        var s = await flow.SeedAsync("yuncheng");
        var r = await flow.WaitForRoundAsync((await flow.CreateAsync(s)).RedemptionId, 1);
        var pending = flow.Get<PendingRedemptionEvents>();
        var ev = new RedemptionEvent(RedemptionEvent.EvidenceComplete, 0, true, null, Addresses.Enterprise(s.Enterprise.Uscc));
        var rowKey = pending.RowKeyOf(r.RedemptionId, ev);

        // The upload recorded the event and its raise was lost.
        await flow.UploadEvidenceAsync(s, r.RedemptionId, raise: false);
        await pending.RecordAsync(r.RedemptionId, ev, CancellationToken.None);

        // A host of another task hub on the same storage sweeps: its engine does not know the instance. The row stays.
        await using (var otherHub = await DurableTaskTestHost.StartAsync(_ => { }))
        {
            Assert.Null(await otherHub.Client.GetInstanceAsync(RedemptionStore.InstanceId(r.RedemptionId)));
            Assert.Equal(0, await pending.RedeliverAsync(otherHub.Client, CancellationToken.None, minAge: TimeSpan.Zero));
            Assert.Equal(0, await pending.RedeliverAsync(otherHub.Client, CancellationToken.None, minAge: TimeSpan.Zero));
        }

        var kept = Assert.Single(await pending.ListAsync(CancellationToken.None), p => p.RowKey == rowKey);
        Assert.Equal(1, kept.Attempts);
        Assert.False((await flow.Get<RedemptionStore>().GetAsync(r.RedemptionId))!.EvidenceComplete);

        // Its own hub's sweep raises it again: applied, and the row cleared by the activity.
        Assert.True(await pending.RedeliverAsync(flow.Client, CancellationToken.None, minAge: TimeSpan.Zero) >= 1);
        await flow.WaitForAsync(r.RedemptionId, x => x.EvidenceComplete, "evidence complete after the redelivery");
        await Eventually.UntilAsync(() => pending.ListAsync(CancellationToken.None), rows => rows.All(p => p.RowKey != rowKey), RedemptionFlow.Timeout, "pending row cleared by the activity");
    }

    [Fact]
    public async Task APendingEvent_OfAWithdrawnRedemption_IsDroppedByAnySweep()
    {
        var s = await flow.SeedAsync("jincheng");
        var row = s.Redemption().InStatus(RedemptionStatus.Withdrawn).Build();
        await flow.Get<RedemptionStore>().TryCreateAsync(row);
        var ev = new RedemptionEvent(RedemptionEvent.EvidenceComplete, 0, true, null, Addresses.Enterprise(s.Enterprise.Uscc));
        var pending = flow.Get<PendingRedemptionEvents>();
        await pending.RecordAsync(row.RedemptionId, ev, CancellationToken.None);

        await using var otherHub = await DurableTaskTestHost.StartAsync(_ => { });
        await pending.RedeliverAsync(otherHub.Client, CancellationToken.None, minAge: TimeSpan.Zero);
        Assert.DoesNotContain(await pending.ListAsync(CancellationToken.None), p => p.SubjectId == row.RedemptionId);
    }
}
