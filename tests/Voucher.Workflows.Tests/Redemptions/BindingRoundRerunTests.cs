namespace Voucher.Workflows.Tests.Redemptions;

/// <summary>
/// Steps run again with the same input after a crash cut them between their row write and the rest. The step that opens
/// a binding round: the round's audit entry and the institution's request come back, once each; a later step finding the
/// round open writes neither again. The step that applies the institution's binding and then queues (evidence already
/// complete): the "bound" entry, the queued message and the queue step's tail come back, once each, under the same keys.
/// </summary>
[Collection(RedemptionDurableCollection.Name)]
public sealed class BindingRoundRerunTests(DurableHostFixture fixture)
{
    readonly RedemptionFlow flow = new(fixture);

    [Fact]
    public async Task CrashAfterTheRoundsRowWrite_TheSameStepAgain_WritesItsEntryAndNoticeOnce_ALaterStepNeither()
    {
        var s = await flow.SeedAsync("shuozhou");
        var row = s.Redemption().UnderContract("HT-RERUN-1").Paying(Cny.FromYuan(60_000m)).InStatus(RedemptionStatus.AwaitingBinding)
            .With(r =>
            {
                r.BindingRound = 0;
                r.BindingDeadline = null;
            })
            .Build();
        Assert.True(await flow.Get<RedemptionStore>().TryCreateAsync(row));
        var input = new RedemptionRoundInput(row.RedemptionId, 1, DateTime.UtcNow);
        var notice = $"binding-{row.RedemptionId}-r1";
        bool Opening(AuditEntry a) => a.Detail.StartsWith("第 1 轮机构确认", StringComparison.Ordinal);

        var opened = await flow.Get<OpenBindingRound>().RunAsync(input);
        Assert.True(opened.WaitsForBinding);
        var entry = Assert.Single(await flow.AuditAsync(row.RedemptionId), Opening);
        var sent = Assert.Single(await flow.InboxAsync(s.InstitutionAddress), n => n.NotificationId == notice);

        // The crash: the row was written, its entry and the notice were not.
        await flow.Store.Table(VoucherStore.Audit).DeleteEntityAsync(entry.PartitionKey, entry.RowKey);
        await flow.Store.Table(VoucherStore.Inbox).DeleteEntityAsync(sent.PartitionKey, sent.RowKey);

        var again = await flow.Get<OpenBindingRound>().RunAsync(input);
        Assert.Equal(opened with { Advanced = false }, again);
        Assert.Single(await flow.AuditAsync(row.RedemptionId), Opening);
        Assert.Single(await flow.InboxAsync(s.InstitutionAddress), n => n.NotificationId == notice);

        // A later step (the one after an event) finds the round open by another step: nothing again.
        await flow.Store.Table(VoucherStore.Inbox).DeleteEntityAsync(sent.PartitionKey, sent.RowKey);
        await flow.Get<OpenBindingRound>().RunAsync(input with { At = input.At.AddMinutes(5) });
        Assert.Single(await flow.AuditAsync(row.RedemptionId), Opening);
        Assert.DoesNotContain(await flow.InboxAsync(s.InstitutionAddress), n => n.NotificationId == notice);
    }

    [Fact]
    public async Task CrashAfterTheBindingsRowWrites_TheSameEventAgain_WritesTheBoundAndQueuedEntriesAndMessagesOnce()
    {
        var s = await flow.SeedAsync("shuozhou");
        var row = s.Redemption().UnderContract("HT-RERUN-2").Paying(Cny.FromYuan(30_000m)).InStatus(RedemptionStatus.AwaitingBinding)
            .With(r =>
            {
                r.BindingRound = 1;
                r.BindingRoundOpenedAt = DateTimeOffset.UtcNow.AddDays(-1);
                r.BindingDeadline = "2099-12-31";
                r.EvidenceComplete = true;
            })
            .Build();
        Assert.True(await flow.Get<RedemptionStore>().TryCreateAsync(row));
        var input = new RedemptionEventInput(row.RedemptionId, new RedemptionEvent(RedemptionEvent.Binding, 1, true, null, s.InstitutionAddress), DateTime.UtcNow);
        var enterprise = Addresses.Enterprise(s.Enterprise.Uscc);
        bool Bound(AuditEntry a) => a.ToState == nameof(RedemptionStatus.AwaitingEvidence) && a.Detail == "服务机构确认 (bound)";
        bool Queued(AuditEntry a) => a.ToState == nameof(RedemptionStatus.Queued) && a.Detail.StartsWith("核定兑付", StringComparison.Ordinal);
        // Bound with the evidence complete: the queued message says both, so no "bound" message goes out.
        string[] messages = [$"queued-{row.RedemptionId}"];
        var bound = $"bound-{row.RedemptionId}-r1";

        var first = await flow.Get<ApplyRedemptionEvent>().RunAsync(input);
        Assert.Equal((RedemptionStatus.Queued, true), (first.Status, first.Advanced));
        var audit = await flow.AuditAsync(row.RedemptionId);
        var entries = new[] { Assert.Single(audit, Bound), Assert.Single(audit, Queued) };
        var delivered = await flow.InboxAsync(enterprise);
        var sent = messages.Select(id => Assert.Single(delivered, n => n.NotificationId == id)).ToList();
        Assert.DoesNotContain(delivered, n => n.NotificationId == bound);
        Assert.Empty(await flow.Store.PartitionAsync<NotificationEntity>(VoucherStore.Outbox, "pending"));
        // The listing rows were written once, by the queue step, and show it queued.
        Assert.Equal(RedemptionStatus.Queued, Assert.Single(await flow.Get<RedemptionStore>().ForCityAsync(row.CityCode), l => l.RowKey == row.RedemptionId).Status);
        Assert.Equal(RedemptionStatus.Queued, Assert.Single(await flow.Get<RedemptionStore>().ForInstitutionAsync(row.InstitutionId), l => l.RowKey == row.RedemptionId).Status);

        // The crash: both rows were written; the entries, the messages and the queue row were not.
        foreach (var e in entries)
        {
            await flow.Store.Table(VoucherStore.Audit).DeleteEntityAsync(e.PartitionKey, e.RowKey);
        }

        foreach (var n in sent)
        {
            await flow.Store.Table(VoucherStore.Inbox).DeleteEntityAsync(n.PartitionKey, n.RowKey);
        }

        var queued = await flow.Get<RedemptionStore>().GetRequiredAsync(row.RedemptionId);
        await flow.Get<RedemptionStore>().DequeueAsync(queued);
        Assert.Null(await flow.QueueRowAsync(queued));

        var again = await flow.Get<ApplyRedemptionEvent>().RunAsync(input);
        Assert.Equal(first, again);
        audit = await flow.AuditAsync(row.RedemptionId);
        Assert.Equal([entries[0].RowKey, entries[1].RowKey], [Assert.Single(audit, Bound).RowKey, Assert.Single(audit, Queued).RowKey]);
        var inbox = await flow.InboxAsync(enterprise);
        Assert.All(messages, id => Assert.Single(inbox, n => n.NotificationId == id));
        Assert.DoesNotContain(inbox, n => n.NotificationId == bound);
        Assert.NotNull(await flow.QueueRowAsync(queued));
    }
}
