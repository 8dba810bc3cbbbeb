namespace Voucher.Workflows.Tests.Settlement;

/// <summary>
/// The batch, its rows and objections change state only through their methods, which hold to the domain's tables; the
/// fan-out phases keep the names recorded in running orchestrations.
/// </summary>
public sealed class SettlementStateTests
{
    [Fact]
    public void Batch_MovesThroughItsStages()
    {
        var batch = new BatchEntity { PartitionKey = "taiyuan", RowKey = "2026Q4" };
        Assert.Equal(BatchStage.Forming, batch.Stage);
        foreach (var next in new[] { BatchStage.Reviewing, BatchStage.Deciding, BatchStage.Publicity, BatchStage.Closed })
        {
            batch.MoveTo(next);
            Assert.Equal(next, batch.Stage);
        }
    }

    [Fact]
    public void Batch_IllegalMove_IsRefused_AndTheStageStays()
    {
        var batch = new BatchEntity { PartitionKey = "taiyuan", RowKey = "2026Q4", Stage = BatchStage.Reviewing };

        var e = Assert.Throws<DomainException>(() => batch.MoveTo(BatchStage.Publicity));

        Assert.Contains("Reviewing", e.Message, StringComparison.Ordinal);
        Assert.Equal(BatchStage.Reviewing, batch.Stage);
        Assert.Throws<DomainException>(() => new BatchEntity { Stage = BatchStage.Closed }.MoveTo(BatchStage.Reviewing));
    }

    [Fact]
    public void Objection_ResolvedOnce_ASecondResolutionIsRefused()
    {
        var at = DateTimeOffset.UtcNow;
        var objection = new ObjectionEntity();
        objection.Resolve(uphold: false, "city-bureau:taiyuan", "unfounded", at);
        Assert.Equal((ObjectionStatus.Dismissed, "city-bureau:taiyuan", "unfounded", (DateTimeOffset?)at), (objection.Status, objection.ResolvedBy, objection.Resolution, objection.ResolvedAt));

        Assert.Throws<DomainException>(() => objection.Resolve(uphold: true, "city-bureau:taiyuan", "founded", at.AddMinutes(1)));
        Assert.Equal(ObjectionStatus.Dismissed, objection.Status);
    }

    [Fact]
    public void Row_Decisions_AreStoredUnderTheirNames_WithReasonAndDecider()
    {
        var item = new BatchItemEntity();
        Assert.Equal((RowVerdict.Undecided, ""), (item.Verdict, item.Decision));

        item.Decide(RowVerdict.Reject, "发票不符", "city-bureau:taiyuan");
        Assert.Equal((RowVerdict.Reject, "reject", "发票不符", "city-bureau:taiyuan"), (item.Verdict, item.Decision, item.Reason, item.DecidedBy));

        item.Decide(RowVerdict.Approve, "", "city-bureau:taiyuan");
        Assert.Equal(("approve", (string?)null), (item.Decision, item.Reason));

        item.Decide(RowVerdict.Undecided, null, "city-bureau:taiyuan");
        Assert.Equal(("", (string?)null), (item.Decision, item.DecidedBy));
    }

    [Theory]
    [InlineData(SettlementPhase.Freeze, "freeze")]
    [InlineData(SettlementPhase.Decide, "decide")]
    [InlineData(SettlementPhase.ClosePublicity, "close-publicity")]
    public void Phase_KeepsItsRecordedName_InChunkInputsAndInstanceIds(SettlementPhase phase, string recorded)
    {
        Assert.Equal(recorded, phase.Name());
        var input = new ChunkInput("jinzhong-2026Q4", 0, phase, new DateTime(2026, 12, 6, 0, 7, 32, DateTimeKind.Utc));
        Assert.Contains($"\"Phase\":\"{recorded}\"", JsonSerializer.Serialize(input), StringComparison.Ordinal);

        // As the chunk inputs recorded before the phase was typed (settlement-in-publicity.json) hold it.
        var old = JsonSerializer.Deserialize<ChunkInput>($"{{\"BatchId\":\"jinzhong-2026Q4\",\"Chunk\":0,\"Phase\":\"{recorded}\",\"At\":\"2026-12-06T00:07:32.5923345Z\"}}")!;
        Assert.Equal(phase, old.Phase);
    }
}
