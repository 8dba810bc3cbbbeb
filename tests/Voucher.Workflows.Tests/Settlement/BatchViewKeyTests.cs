using System.Text.Json;
using Azure;
using Microsoft.DurableTask.Client;

namespace Voucher.Workflows.Tests.Settlement;

/// <summary>
/// The batch's row tags its status view only where the orchestration waits and has caught up with the row: under review,
/// in publicity before its end, closed. Elsewhere, or while the orchestration still reports an earlier stage, the
/// answer carries its body's hash (the row's tag would let a poll miss the progress).
/// </summary>
public sealed class BatchViewKeyTests
{
    static readonly DateTimeOffset Now = new(2026, 12, 7, 12, 0, 0, TimeSpan.Zero);

    static BatchEntity Batch(BatchStage stage, string etag = "W/\"1\"", DateTimeOffset? publicityEndsAt = null) => new()
    {
        PartitionKey = "taiyuan", RowKey = "2026M12", Stage = stage, ETag = new ETag(etag),
        PublicityEnd = publicityEndsAt is null ? null : "2026-12-14", PublicityEndsAt = publicityEndsAt,
    };

    static JsonElement Progress(string stage, string? publicityEnd = null) =>
        JsonSerializer.SerializeToElement(new { stage, items = 3, chunks = 1, counts = new Dictionary<string, int>(), publicityEnd });

    [Theory]
    [InlineData(BatchStage.Forming)]
    [InlineData(BatchStage.Deciding)]
    public void AStageOfWork_IsNeverTaggedByTheRow(BatchStage stage)
    {
        Assert.Null(BatchViewKey.Tag(Batch(stage), Now));
        Assert.False(BatchViewKey.Vouches(Batch(stage), OrchestrationRuntimeStatus.Running, Progress(stage.ToString().ToLowerInvariant()), Now));
    }

    [Fact]
    public void UnderReview_TheRowVouches_OnceTheOrchestrationReportsTheReview()
    {
        var batch = Batch(BatchStage.Reviewing);
        Assert.NotNull(BatchViewKey.Tag(batch, Now));
        Assert.True(BatchViewKey.Vouches(batch, OrchestrationRuntimeStatus.Running, Progress("reviewing"), Now));

        // The row moved on before the orchestration reported it (the risk check's episode not yet committed): no.
        Assert.False(BatchViewKey.Vouches(batch, OrchestrationRuntimeStatus.Running, Progress("forming"), Now));
        Assert.False(BatchViewKey.Vouches(batch, OrchestrationRuntimeStatus.Running, null, Now));
        Assert.False(BatchViewKey.Vouches(batch, OrchestrationRuntimeStatus.Failed, Progress("reviewing"), Now));
    }

    [Fact]
    public void InPublicity_TheRowVouchesUntilTheEnd_AndOnlyForTheEndTheOrchestrationWaitsFor()
    {
        var batch = Batch(BatchStage.Publicity, publicityEndsAt: Now.AddDays(5));
        Assert.NotNull(BatchViewKey.Tag(batch, Now));
        Assert.True(BatchViewKey.Vouches(batch, OrchestrationRuntimeStatus.Running, Progress("publicity", "2026-12-14"), Now));

        // A new end written on the row (a holiday arrangement) that the orchestration has not reported yet.
        Assert.False(BatchViewKey.Vouches(batch, OrchestrationRuntimeStatus.Running, Progress("publicity", "2026-12-11"), Now));

        // From the end, the close's progress changes while the row still says Publicity.
        var ended = Now.AddDays(5).AddSeconds(1);
        Assert.Null(BatchViewKey.Tag(batch, ended));
        Assert.False(BatchViewKey.Vouches(batch, OrchestrationRuntimeStatus.Running, Progress("publicity", "2026-12-14"), ended));
    }

    [Fact]
    public void Closed_TheRowVouches_OnceTheOrchestrationCompleted()
    {
        var batch = Batch(BatchStage.Closed);
        Assert.True(BatchViewKey.Vouches(batch, OrchestrationRuntimeStatus.Completed, Progress("closed"), Now));
        Assert.False(BatchViewKey.Vouches(batch, OrchestrationRuntimeStatus.Running, Progress("closed"), Now));
        Assert.False(BatchViewKey.Vouches(batch, OrchestrationRuntimeStatus.Running, Progress("closepublicity"), Now));
    }

    [Fact]
    public void TheTag_ChangesWithEveryWriteOfTheRow()
    {
        Assert.NotEqual(BatchViewKey.Tag(Batch(BatchStage.Reviewing, "W/\"1\""), Now), BatchViewKey.Tag(Batch(BatchStage.Reviewing, "W/\"2\""), Now));
        Assert.StartsWith("\"r", BatchViewKey.Tag(Batch(BatchStage.Reviewing), Now), StringComparison.Ordinal);
    }
}
