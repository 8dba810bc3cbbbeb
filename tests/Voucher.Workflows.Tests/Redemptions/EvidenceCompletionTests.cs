using Voucher.Workflows.Durable;
using Voucher.Workflows.Evidence;

namespace Voucher.Workflows.Tests.Redemptions;

/// <summary>
/// The upload that completes a redemption's evidence, through the service on the real engine: before the binding it
/// records the set on the row at once and raises nothing (nothing waits for it; the binding's step then queues at once);
/// after the binding it raises the event the waiting orchestration needs, and the redemption is queued.
/// </summary>
[Collection(RedemptionDurableCollection.Name)]
public sealed class EvidenceCompletionTests(DurableHostFixture fixture)
{
    readonly RedemptionFlow flow = new(fixture);

    static readonly CancellationToken None = CancellationToken.None;

    async Task UploadAllAsync(SeededVoucher s, string redemptionId)
    {
        var files = new (string Kind, byte[] Bytes)[] { ("report", TestFiles.Pdf(4000, "result report")), ("contract", TestFiles.Pdf(3000, "service contract")), ("payment", TestFiles.Png(2000)) };
        foreach (var (kind, bytes) in files)
        {
            var target = (await flow.Get<EvidenceService>().TargetAsync(s.Sme, redemptionId, kind, None)).Value;
            var stored = await flow.Get<EvidenceService>().UploadAsync(target, new EvidenceFile(new MemoryStream(bytes), bytes.Length, $"{kind}.bin"), flow.Client, None);
            Assert.True(stored.Succeeded, $"{kind}: {stored.Failure}");
        }
    }

    async Task<IEnumerable<PendingEventEntity>> PendingOfAsync(string redemptionId) =>
        (await flow.Get<PendingRedemptionEvents>().ListAsync(None)).Where(p => p.SubjectId == redemptionId);

    [Fact]
    public async Task CompletedBeforeTheBinding_IsOnTheRowWhenTheUploadAnswers_NoEventRaised_TheBindingQueuesIt()
    {
        var s = await flow.SeedAsync("xinzhou");
        var r = await flow.WaitForRoundAsync((await flow.CreateAsync(s)).RedemptionId, 1);

        await UploadAllAsync(s, r.RedemptionId);
        var recorded = (await flow.Get<RedemptionStore>().GetAsync(r.RedemptionId))!;
        Assert.True(recorded.EvidenceComplete, "the completing upload records the set itself");
        Assert.NotNull(recorded.EvidenceCompleteAt);
        Assert.Equal(RedemptionStatus.AwaitingBinding, recorded.State);
        Assert.Empty(await PendingOfAsync(r.RedemptionId));

        Assert.Equal(BindingOutcome.Accepted, await flow.BindAsync(recorded, 1, true, null, s.InstitutionAddress));
        var queued = await flow.WaitForStateAsync(r.RedemptionId, RedemptionStatus.Queued);
        Assert.Equal(recorded.EvidenceCompleteAt, queued.EvidenceCompleteAt);
    }

    /// <summary>
    /// An upload names its file on the row (for the status view's one-read 304) and then records the completed set on
    /// the row it read before the upload: a write by someone else in between is kept, not overwritten with that read.
    /// </summary>
    [Fact]
    public async Task TheCompletingUpload_AfterSomeoneElseWroteTheRow_KeepsTheirChange_AndNamesEachFile()
    {
        // A city whose policy no test turns to seal binding (the round must wait for the institution).
        var s = await flow.SeedAsync("xinzhou");
        var r = await flow.WaitForRoundAsync((await flow.CreateAsync(s)).RedemptionId, 1);
        var service = flow.Get<EvidenceService>();
        foreach (var (kind, bytes) in new[] { ("report", TestFiles.Pdf(4000, "result report")), ("contract", TestFiles.Pdf(3000, "service contract")) })
        {
            var target = (await service.TargetAsync(s.Sme, r.RedemptionId, kind, None)).Value;
            Assert.True((await service.UploadAsync(target, new EvidenceFile(new MemoryStream(bytes), bytes.Length, $"{kind}.bin"), flow.Client, None)).Succeeded);
        }

        var last = (await service.TargetAsync(s.Sme, r.RedemptionId, "payment", None)).Value;
        await flow.Get<RedemptionStore>().UpdateAsync(r.RedemptionId, e =>
        {
            e.InstitutionName = "山西测试分析中心（更名）";
            return true;
        });
        var proof = TestFiles.Png(2000);
        Assert.True((await service.UploadAsync(last, new EvidenceFile(new MemoryStream(proof), proof.Length, "payment.png"), flow.Client, None)).Succeeded);

        var row = (await flow.Get<RedemptionStore>().GetAsync(r.RedemptionId))!;
        Assert.Equal(("山西测试分析中心（更名）", true), (row.InstitutionName, row.EvidenceComplete));
        var files = await flow.Get<EvidenceStore>().ListAsync(r.RedemptionId, None);
        Assert.Equal(
            files.OrderBy(f => f.RowKey, StringComparer.Ordinal).Select(f => f.BlobName),
            new[] { row.ViewFileContract, row.ViewFilePayment, row.ViewFileReport });
    }

    [Fact]
    public async Task CompletedAfterTheBinding_RaisesTheEventTheOrchestrationWaitsFor_AndIsQueued()
    {
        var s = await flow.SeedAsync("lvliang");
        var r = await flow.WaitForRoundAsync((await flow.CreateAsync(s)).RedemptionId, 1);
        Assert.Equal(BindingOutcome.Accepted, await flow.BindAsync(r, 1, true, null, s.InstitutionAddress));
        await flow.WaitForStateAsync(r.RedemptionId, RedemptionStatus.AwaitingEvidence);

        await UploadAllAsync(s, r.RedemptionId);
        var queued = await flow.WaitForStateAsync(r.RedemptionId, RedemptionStatus.Queued);
        Assert.True(queued.EvidenceComplete);
        await Eventually.UntilAsync(() => PendingOfAsync(r.RedemptionId), rows => !rows.Any(), RedemptionFlow.Timeout, "the event's pending row cleared once applied");
    }
}
