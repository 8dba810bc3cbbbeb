using Voucher.Domain;
using Voucher.Workflows.Settlement;

namespace Voucher.Testing.Builders;

/// <summary>
/// A settlement batch row of a city and period: by default forming, empty, policy version 1, started by "test" now. A
/// later stage is the row's initial stage (as a stored row would read back); moves after that go through
/// <see cref="BatchEntity.MoveTo"/>.
/// </summary>
public sealed class BatchBuilder(string cityCode, string periodId)
{
    BatchStage stage = BatchStage.Forming;
    int items;
    int chunks;
    readonly List<Action<BatchEntity>> more = [];

    public BatchBuilder InStage(BatchStage initial)
    {
        stage = initial;
        return this;
    }

    /// <summary><paramref name="count"/> items in <paramref name="chunkCount"/> chunk(s).</summary>
    public BatchBuilder WithItems(int count, int chunkCount = 1)
    {
        items = count;
        chunks = chunkCount;
        return this;
    }

    /// <summary>Submitted for publicity at <paramref name="at"/> by <paramref name="by"/>.</summary>
    public BatchBuilder SubmittedAt(DateTimeOffset at, string? by = null) => With(b =>
    {
        b.SubmittedAt = at;
        b.SubmittedBy = by;
    });

    /// <summary>A publicity window from <paramref name="start"/> to <paramref name="end"/> (China dates), ending at <paramref name="endsAt"/>.</summary>
    public BatchBuilder InPublicity(string? start, string? end, DateTimeOffset? endsAt) => With(b =>
    {
        b.PublicityStart = start;
        b.PublicityEnd = end;
        b.PublicityEndsAt = endsAt;
    });

    /// <summary>Anything else the row should say (cut-off, formed at …).</summary>
    public BatchBuilder With(Action<BatchEntity> change)
    {
        more.Add(change);
        return this;
    }

    public BatchEntity Build()
    {
        var row = new BatchEntity
        {
            PartitionKey = cityCode,
            RowKey = periodId,
            Stage = stage,
            ItemCount = items,
            ChunkCount = chunks,
            PolicyVersion = 1,
            StartedBy = "test",
            FormedAt = DateTimeOffset.UtcNow,
        };
        more.ForEach(change => change(row));
        return row;
    }
}
