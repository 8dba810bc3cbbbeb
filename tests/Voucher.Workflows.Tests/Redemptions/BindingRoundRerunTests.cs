namespace Voucher.Workflows.Tests.Redemptions;

/// <summary>
/// The step that opens a binding round, run again with the same input after a crash cut it between its row write and
/// the rest: the round's audit entry and the institution's request come back, once each; a later step finding the
/// round open writes neither again.
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
}
