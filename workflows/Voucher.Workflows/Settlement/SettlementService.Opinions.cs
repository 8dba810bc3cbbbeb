using Voucher.Workflows.Notifications;

namespace Voucher.Workflows.Settlement;

/// <summary>
/// Expert opinions on batch rows: the bureau names an expert of the pool on a row (saved with its decisions), the expert
/// is asked through a signed link and answers once; the opinion is kept with the row, the redemption and the expert.
/// </summary>
public sealed partial class SettlementService
{
    public const int MaxOpinionLength = 2000;

    public static readonly Failure OpinionAlreadyGiven = new Failure.Conflict("您已就此申请出具意见 (You already gave your opinion)");

    /// <summary>
    /// The row an expert's link names, while the request stands: the row still names the link's party as its expert (a
    /// row asked of another expert since withdraws the request).
    /// </summary>
    public async Task<Outcome<BatchItemEntity>> OpinionRequestAsync(string batchId, string redemptionId, string party, CancellationToken ct)
    {
        var item = await settlements.GetItemAsync(batchId, redemptionId, ct);
        return item is not null && item.ExpertId is not null && Addresses.For(Role.Expert, item.ExpertId) == party
            ? item
            : new Failure.NotFound("此意见请求已撤销或不属于您 (This request was withdrawn or is not yours)");
    }

    /// <summary>The asked expert's opinion on the row (from <see cref="OpinionRequestAsync"/>): given once, not changed after.</summary>
    public async Task<Outcome<BatchItemEntity>> RecordOpinionAsync(BatchItemEntity item, string? opinion, CancellationToken ct)
    {
        var text = opinion?.Trim() ?? "";
        if (text.Length is 0 or > MaxOpinionLength)
        {
            return new Failure.Invalid("opinion", $"请填写意见（不超过 {MaxOpinionLength} 字）(An opinion of at most {MaxOpinionLength} characters is required)");
        }

        if (item.ExpertOpinion is not null)
        {
            return OpinionAlreadyGiven;
        }

        item.ExpertOpinion = text;
        item.ExpertOpinionAt = time.GetUtcNow();
        if (!await settlements.ReplaceItemAsync(item, ct))
        {
            return new Failure.Conflict("该行刚被修改，请刷新后重试 (The row changed; reload and retry)");
        }

        // The review's cached rows are keyed by the batch row's ETag: the opinion shows on every instance at once.
        await settlements.TouchBatchAsync(item.PartitionKey, item.ExpertOpinionAt.Value, ct);

        // Kept with the redemption and in the expert's own list, beside the batch row.
        await experts.RecordOpinionAsync(item.RedemptionId, item.ExpertId!, text, item.ExpertOpinionAt.Value, new Enforcement.ExpertOpinionEntity
        {
            BatchId = item.PartitionKey,
            EnterpriseName = item.EnterpriseName,
            ServiceTitle = item.ServiceTitle,
            Field = item.ServiceCategory,
            RequestedAt = item.ExpertRequestedAt ?? item.ExpertOpinionAt.Value,
        }, ct);
        SettlementLog.OpinionRecorded(log, item.PartitionKey, item.RedemptionId, item.ExpertId!);
        return item;
    }

    /// <summary>The expert must be an active member of the pool without a conflict of interest on this row.</summary>
    async Task<string?> ExpertProblemAsync(string expertId, BatchItemEntity item, CancellationToken ct)
    {
        var member = await experts.GetExpertAsync(expertId, ct);
        if (member is null || !member.Active)
        {
            return $"专家 {expertId} 不在专家库中 (The expert is not in the expert pool)";
        }

        return ConflictOfInterest.Check(member.Ties(), item.InstitutionId, item.Uscc);
    }

    /// <summary>Records the request in the expert's list and sends the signed link (both with fixed keys: a repeat adds nothing).</summary>
    async Task RequestOpinionAsync(BatchEntity batch, BatchItemEntity item, string expert, string actor, CancellationToken ct)
    {
        await experts.RecordOpinionRequestAsync(new Enforcement.ExpertOpinionEntity
        {
            BatchId = batch.BatchId,
            RedemptionId = item.RedemptionId,
            ExpertId = expert,
            EnterpriseName = item.EnterpriseName,
            ServiceTitle = item.ServiceTitle,
            Field = item.ServiceCategory,
            RequestedBy = actor,
            RequestedAt = item.ExpertRequestedAt ?? time.GetUtcNow(),
        }, ct);
        await outbox.EnqueueAndTryDeliverAsync(new Notification(
            $"opinion-{batch.BatchId}-{item.RedemptionId}-{expert}",
            Addresses.For(Role.Expert, expert),
            $"请出具专家意见：{item.EnterpriseName} 的兑付申请",
            $"{Cities.Get(batch.CityCode).NameZh}科技局请您就兑付申请 {item.RedemptionId}（{item.ServiceTitle}）的成果报告出具意见。",
            [new NotificationLink("出具意见", links.OpinionUrl(batch.BatchId, item.RedemptionId, expert))],
            time.GetUtcNow(),
            item.RedemptionId), ct);
        SettlementLog.OpinionRequested(log, batch.BatchId, item.RedemptionId, expert, actor);
    }
}
