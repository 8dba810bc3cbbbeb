namespace Voucher.Workflows.Tests.Settlement;

/// <summary>
/// Which redemptions a batch takes (real engine, started by hand, each test in its own city): only those queued
/// before the cut-off, and never a withdrawn one. These batches stop at the review; nothing here waits for publicity.
/// </summary>
public sealed class BatchFormingTests(SettlementHostFixture fixture) : SettlementHostTests(fixture)
{
    [Fact]
    public async Task EndedPeriod_CutAtItsEnd_QueuedAfterTheCutoffStaysQueuedForTheNextPeriod()
    {
        const string city = "changzhi";
        var current = await Seed.CurrentPeriodAsync(city);
        var ended = current.Previous();
        var before = await Seed.QueuedAsync(city, 10_000m, new DateTimeOffset(ended.CutoffUtc, TimeSpan.Zero).AddDays(-10));
        var after = await Seed.QueuedAsync(city, 11_000m, DateTimeOffset.UtcNow.AddMinutes(-1));

        var start = await Seed.StartByHandAsync(city, ended.Id);

        Assert.True(start.Started);
        Assert.Equal(ended.CutoffUtc, start.CutoffUtc);
        var batch = await Seed.WaitForBatchAsync(start.BatchId, BatchStage.Reviewing);
        Assert.Equal(1, batch.ItemCount);
        Assert.Equal(new DateTimeOffset(ended.CutoffUtc, TimeSpan.Zero), batch.CutoffUtc);
        Assert.Equal([before.RedemptionId], (await Get<SettlementStore>().ItemsAsync(start.BatchId)).Select(i => i.RedemptionId));
        Assert.Equal(start.BatchId, (await Seed.WaitForStatusAsync(before.RedemptionId, RedemptionStatus.InBatch)).BatchId);

        var waiting = await Seed.RedemptionAsync(after.RedemptionId);
        Assert.Equal(RedemptionStatus.Queued, waiting.State);
        Assert.Null(waiting.BatchId);
        Assert.Equal([after.RedemptionId], (await Seed.QueueAsync(city)).Select(q => q.RedemptionId));
        Assert.Equal(OrchestrationRuntimeStatus.Running, (await Seed.Client.GetInstanceAsync(after.InstanceId))!.RuntimeStatus);

        // The current period (cut now) takes it.
        var next = await Seed.StartByHandAsync(city, current.Id);
        Assert.True(next.Started);
        Assert.Equal(1, (await Seed.WaitForBatchAsync(next.BatchId, BatchStage.Reviewing)).ItemCount);
        Assert.Equal(next.BatchId, (await Seed.WaitForStatusAsync(after.RedemptionId, RedemptionStatus.InBatch)).BatchId);
        Assert.Equal(start.BatchId, (await Seed.RedemptionAsync(before.RedemptionId)).BatchId);
        Assert.Empty(await Seed.QueueAsync(city));
    }

    [Fact]
    public async Task WithdrawnBeforeTheFreeze_LeftTheQueueAndIsNotInTheBatch()
    {
        const string city = "yangquan";
        var withdrawn = await Seed.QueuedAsync(city, 21_000m, DateTimeOffset.UtcNow.AddMinutes(-3));
        var kept = await Seed.QueuedAsync(city, 22_000m, DateTimeOffset.UtcNow.AddMinutes(-2));

        await Get<RedemptionEvents>().RaiseAsync(withdrawn.RedemptionId, new RedemptionEvent(RedemptionEvent.Withdraw, 0, true, null, Addresses.Enterprise(withdrawn.Uscc)), Seed.Client, CancellationToken.None);
        Assert.Equal(nameof(RedemptionStatus.Withdrawn), (await Seed.WaitForCompletionAsync(withdrawn.InstanceId)).ReadOutputAs<string>());
        Assert.Equal([kept.RedemptionId], (await Seed.QueueAsync(city)).Select(q => q.RedemptionId));
        Assert.Empty((await Seed.LedgerAsync(withdrawn))!.Reservations());

        var period = await Seed.CurrentPeriodAsync(city);
        var start = await Seed.StartByHandAsync(city, period.Id);

        var batch = await Seed.WaitForBatchAsync(start.BatchId, BatchStage.Reviewing);
        Assert.Equal(1, batch.ItemCount);
        Assert.Equal([kept.RedemptionId], (await Get<SettlementStore>().ItemsAsync(start.BatchId)).Select(i => i.RedemptionId));
        await Seed.WaitForStatusAsync(kept.RedemptionId, RedemptionStatus.InBatch);
        var after = await Seed.RedemptionAsync(withdrawn.RedemptionId);
        Assert.Equal(RedemptionStatus.Withdrawn, after.State);
        Assert.Null(after.BatchId);
    }

    /// <summary>
    /// The race itself: the batch read the queue row, then the SME's withdrawal committed before the batch read the
    /// redemption (seeded as: status Withdrawn, queue row still there). The batch must not take it: a withdrawn row
    /// in the batch can never be frozen or decided, yet blocks the submission until someone "decides" it, and an
    /// "approve" would put a withdrawn redemption on the public list.
    /// </summary>
    [Fact]
    public async Task WithdrawnWhileTheBatchForms_QueueRowStillThere_IsNotTakenIntoTheBatch()
    {
        const string city = "yuncheng";
        var withdrawn = await Seed.QueuedAsync(city, 23_000m, DateTimeOffset.UtcNow.AddMinutes(-3), startOrchestration: false, status: RedemptionStatus.Withdrawn);
        var kept = await Seed.QueuedAsync(city, 24_000m, DateTimeOffset.UtcNow.AddMinutes(-2));
        Assert.Equal(2, (await Seed.QueueAsync(city)).Count);

        var period = await Seed.CurrentPeriodAsync(city);
        var start = await Seed.StartByHandAsync(city, period.Id);

        var batch = await Seed.WaitForBatchAsync(start.BatchId, BatchStage.Reviewing);
        await Seed.WaitForStatusAsync(kept.RedemptionId, RedemptionStatus.InBatch);
        Assert.Equal([kept.RedemptionId], (await Get<SettlementStore>().ItemsAsync(start.BatchId)).Select(i => i.RedemptionId));
        Assert.Equal(1, batch.ItemCount);
        var after = await Seed.RedemptionAsync(withdrawn.RedemptionId);
        Assert.Equal(RedemptionStatus.Withdrawn, after.State);
        Assert.Null(after.BatchId);
        Assert.Empty(await Seed.QueueAsync(city));
    }

    /// <summary>
    /// The formation freezes the items itself. Run as a retry after a crash (one row already frozen by this same step,
    /// at its time) and then once more, it freezes every row once, with one audit entry each; an input scheduled by an
    /// older orchestration (no formation time) only forms the batch and leaves the freeze to the chunk phase.
    /// </summary>
    [Fact]
    public async Task Formation_FreezesEachRowOnce_AcrossARetry_AndAnOlderInputLeavesTheFreezeToTheChunks()
    {
        const string city = "jinzhong";
        var queuedAt = new DateTimeOffset(2020, 1, 6, 2, 0, 0, TimeSpan.Zero);
        var cutoff = queuedAt.AddDays(1).UtcDateTime;
        var a = await Seed.QueuedAsync(city, 10_000m, queuedAt, startOrchestration: false);
        var b = await Seed.QueuedAsync(city, 12_000m, queuedAt.AddMinutes(1), startOrchestration: false);
        var formAt = new DateTime(2026, 11, 27, 3, 0, 0, DateTimeKind.Utc);
        var input = new SettlementInput(city, "2020T1", cutoff, "test", formAt);
        var batchId = SettlementIds.BatchId(city, input.PeriodId);

        // What a run that died after moving row a left behind: the row moved, nothing else written.
        await Get<RedemptionStore>().UpdateAsync(a.RedemptionId, e =>
        {
            e.MoveTo(RedemptionStatus.InBatch);
            e.BatchId = batchId;
            e.InBatchAt = new DateTimeOffset(formAt);
            return true;
        });

        var form = ActivatorUtilities.CreateInstance<FormSettlementBatch>(Fixture.Services);
        Assert.Equal(new BatchSummary(batchId, 2, 1, Frozen: true, RiskCheck: true), await form.RunAsync(input));
        Assert.Equal(new BatchSummary(batchId, 2, 1, Frozen: true, RiskCheck: true), await form.RunAsync(input));

        foreach (var r in new[] { a, b })
        {
            var row = await Seed.RedemptionAsync(r.RedemptionId);
            Assert.Equal(RedemptionStatus.InBatch, row.State);
            Assert.Equal(batchId, row.BatchId);
            Assert.Equal(new DateTimeOffset(formAt), row.InBatchAt);
            var frozen = Assert.Single(await Get<AuditLog>().ReadRedemptionAsync(r.RedemptionId, batchId), e => e.ToState == "InBatch");
            Assert.Equal(("Queued", "settlement", AuditSubjects.Redemption(r.RedemptionId)), (frozen.FromState, frozen.Actor, frozen.Subject));
        }

        Assert.Equal(new[] { a.RedemptionId, b.RedemptionId }.Order(StringComparer.Ordinal), (await Get<SettlementStore>().ItemsAsync(batchId)).Select(i => i.RedemptionId).Order(StringComparer.Ordinal));
        Assert.DoesNotContain(await Seed.QueueAsync(city), q => q.RedemptionId == a.RedemptionId || q.RedemptionId == b.RedemptionId);

        // An older orchestration's input: the batch forms, the rows stay Queued for its freeze phase.
        var older = await Seed.QueuedAsync(city, 13_000m, queuedAt.AddMinutes(2), startOrchestration: false);
        var legacy = new SettlementInput(city, "2020T2", cutoff, "test");
        Assert.Equal(new BatchSummary(SettlementIds.BatchId(city, legacy.PeriodId), 1, 1, Frozen: false, RiskCheck: true), await form.RunAsync(legacy));
        Assert.Equal(RedemptionStatus.Queued, (await Seed.RedemptionAsync(older.RedemptionId)).State);
    }

    /// <summary>
    /// A queue longer than a page (pages of 2 here, 1,000 in production) forms page by page: each page is frozen and
    /// written in turn, and a retry after a crash that had frozen a row of a later page (and once more) still takes
    /// every row once, with one audit entry each, and empties the queue and its kept count.
    /// </summary>
    [Fact]
    public async Task Formation_PageByPage_TakesEveryRowOnce_AcrossARetry()
    {
        const string city = "datong";
        var queuedAt = new DateTimeOffset(2020, 1, 6, 2, 0, 0, TimeSpan.Zero);
        var rows = new List<SeededRedemption>();
        for (var i = 0; i < 5; i++)
        {
            rows.Add(await Seed.QueuedAsync(city, 10_000m + (i * 1_000m), queuedAt.AddMinutes(i), startOrchestration: false));
        }

        var formAt = new DateTime(2026, 11, 27, 3, 0, 0, DateTimeKind.Utc);
        var input = new SettlementInput(city, "2020T1", queuedAt.AddDays(1).UtcDateTime, "test", formAt);
        var batchId = SettlementIds.BatchId(city, input.PeriodId);
        // What a run that died in the second page left behind: its first row moved, nothing else of that page written.
        await Get<RedemptionStore>().UpdateAsync(rows[2].RedemptionId, e =>
        {
            e.MoveTo(RedemptionStatus.InBatch);
            e.BatchId = batchId;
            e.InBatchAt = new DateTimeOffset(formAt);
            return true;
        });

        var form = ActivatorUtilities.CreateInstance<FormSettlementBatch>(Fixture.Services, 2);
        Assert.Equal(new BatchSummary(batchId, 5, 1, Frozen: true, RiskCheck: true), await form.RunAsync(input));
        Assert.Equal(new BatchSummary(batchId, 5, 1, Frozen: true, RiskCheck: true), await form.RunAsync(input));

        foreach (var r in rows)
        {
            var row = await Seed.RedemptionAsync(r.RedemptionId);
            Assert.Equal((RedemptionStatus.InBatch, batchId, new DateTimeOffset(formAt)), (row.State, row.BatchId, row.InBatchAt));
            Assert.Single(await Get<AuditLog>().ReadRedemptionAsync(r.RedemptionId, batchId), e => e.ToState == "InBatch");
        }

        var items = await Get<SettlementStore>().ItemsAsync(batchId);
        Assert.Equal(rows.Select(r => r.RedemptionId).Order(StringComparer.Ordinal), items.Select(i => i.RedemptionId).Order(StringComparer.Ordinal));
        Assert.All(items, i => Assert.Equal(0, i.Chunk));
        Assert.Empty(await Seed.QueueAsync(city));
        Assert.Equal((0, 0L), await Get<SettlementStore>().QueuedAsync(city));
    }
}
