using Microsoft.DurableTask.Client;
using Voucher.Domain;
using Voucher.Workflows.Links;
using Voucher.Workflows.Notifications;
using Voucher.Workflows.Security;
using Voucher.Workflows.Storage;

namespace Voucher.Workflows.Settlement;

public sealed record RowDecision(string? RedemptionId, string? Decision, string? Reason, string? ExpertId, bool? Override);

public enum SubmitOutcome
{
    Accepted,
    AlreadySubmitted,
    NotReviewing,
    Incomplete,
}

/// <summary>
/// The bureau's work on a batch, shared by the review page and the API: row decisions saved as they come
/// (partial saves are kept), expert opinions asked for by row, and one submission per batch.
/// </summary>
public sealed class SettlementReview(SettlementStore settlements, BatchLinks links, Outbox outbox, OneTimeActions oneTime, TimeProvider time, Enforcement.EnforcementStore experts)
{
    public const string SubmitAction = "batch-submit";

    /// <summary>
    /// Saves the rows; returns field errors keyed <c>decisions[i].field</c>. Rows with errors are not saved; the others
    /// are. Rows are applied in order (a later row of the same redemption wins), read at once (see
    /// <see cref="ItemsNamedAsync"/>), and written in conditional entity-group transactions of 100: a row changed since it was read (an
    /// expert's opinion arrived) is not overwritten but reported.
    /// </summary>
    public async Task<List<FieldError>> SaveAsync(BatchEntity batch, IReadOnlyList<RowDecision> rows, string actor, CancellationToken ct)
    {
        var errors = new List<FieldError>();
        if (batch.Stage != "Reviewing")
        {
            errors.Add(new FieldError("batch", "批次不在审核阶段 (The batch is not under review)"));
            return errors;
        }

        var items = await ItemsNamedAsync(batch, rows, ct);
        var changed = new Dictionary<string, (BatchItemEntity Item, int Row)>(StringComparer.Ordinal);
        var expertRequests = new List<(BatchItemEntity Item, string Expert, int Row)>();
        for (var i = 0; i < rows.Count; i++)
        {
            var row = rows[i];
            var field = $"decisions[{i}]";
            var item = string.IsNullOrWhiteSpace(row.RedemptionId) ? null : items.GetValueOrDefault(row.RedemptionId.Trim());
            if (item is null)
            {
                errors.Add(new FieldError($"{field}.redemptionId", "不在本批次中 (Not in this batch)"));
                continue;
            }

            var decision = row.Decision?.Trim() ?? "";
            var reason = row.Reason?.Trim();
            var expert = row.ExpertId?.Trim();
            if (decision is not ("" or "approve" or "reject"))
            {
                errors.Add(new FieldError($"{field}.decision", "只能为 approve 或 reject (approve or reject)"));
                continue;
            }

            if (decision == "reject" && string.IsNullOrEmpty(reason))
            {
                errors.Add(new FieldError($"{field}.reason", "驳回须填写理由 (A reason is required to reject)"));
                continue;
            }

            if (reason is { Length: > 500 } || expert is { Length: > 64 })
            {
                errors.Add(new FieldError($"{field}.reason", "理由不超过 500 字，专家编号不超过 64 字符 (Too long)"));
                continue;
            }

            var askExpert = !string.IsNullOrEmpty(expert) && expert != item.ExpertId;
            if (askExpert && await ExpertProblemAsync(expert!, item, ct) is { } expertProblem)
            {
                errors.Add(new FieldError($"{field}.expertId", expertProblem));
                continue;
            }

            var waitsForExpert = (item.ExpertId is not null || askExpert) && item.ExpertOpinion is null;
            if (decision != "" && waitsForExpert && row.Override != true)
            {
                errors.Add(new FieldError($"{field}.override", "已请专家出具意见：等待意见，或勾选“不等专家意见”后决定 (Waiting for the expert's opinion; tick override to decide now)"));
                continue;
            }

            item.Decision = decision;
            item.Reason = decision == "reject" ? reason : reason is { Length: > 0 } ? reason : null;
            item.DecidedBy = decision == "" ? null : actor;
            if (askExpert)
            {
                item.ExpertId = expert;
                item.ExpertRequestedAt = time.GetUtcNow();
                item.ExpertOpinion = null;
                item.ExpertOpinionAt = null;
                expertRequests.Add((item, expert!, i));
            }

            changed[item.RedemptionId] = (item, i);
        }

        var conflicts = await WriteAsync(changed.Values.ToList(), ct);
        foreach (var row in conflicts.Order())
        {
            errors.Add(new FieldError($"decisions[{row}].redemptionId", "该行刚被修改（如专家意见到达），请刷新后重试 (The row changed; reload and retry)"));
        }

        foreach (var (item, expert, row) in expertRequests)
        {
            if (!conflicts.Contains(changed[item.RedemptionId].Row))
            {
                await RequestOpinionAsync(batch, item, expert, actor, ct);
            }
        }

        return errors;
    }

    /// <summary>
    /// The batch items the rows name: one query of the batch's partition when the rows name at least half of it (a small
    /// batch saved in one go), otherwise point reads, 16 at a time — reading the whole partition for every 800 rows of a
    /// 20,000-item batch made the review's cost grow with the square of the batch (measured: 64 s for 20,000).
    /// </summary>
    async Task<Dictionary<string, BatchItemEntity>> ItemsNamedAsync(BatchEntity batch, IReadOnlyList<RowDecision> rows, CancellationToken ct)
    {
        var ids = rows.Select(r => r.RedemptionId?.Trim()).Where(id => !string.IsNullOrEmpty(id)).Select(id => id!).Distinct(StringComparer.Ordinal).ToList();
        if (ids.Count > 1 && ids.Count * 2 >= batch.ItemCount)
        {
            return (await settlements.ItemsAsync(batch.BatchId, ct)).ToDictionary(i => i.RowKey, StringComparer.Ordinal);
        }

        var found = new System.Collections.Concurrent.ConcurrentDictionary<string, BatchItemEntity>(StringComparer.Ordinal);
        await Parallel.ForEachAsync(ids, new ParallelOptions { MaxDegreeOfParallelism = 16, CancellationToken = ct }, async (id, token) =>
        {
            if (await settlements.GetItemAsync(batch.BatchId, id, token) is { } item)
            {
                found[id] = item;
            }
        });
        return new Dictionary<string, BatchItemEntity>(found, StringComparer.Ordinal);
    }

    /// <summary>Conditional writes (ETag) in transactions of 100; a slice that fails is written row by row. Returns the request rows that conflicted.</summary>
    async Task<HashSet<int>> WriteAsync(IReadOnlyList<(BatchItemEntity Item, int Row)> changed, CancellationToken ct)
    {
        var table = settlements.Tables.Table(VoucherStore.BatchItems);
        var conflicts = new HashSet<int>();
        foreach (var slice in changed.Chunk(100))
        {
            try
            {
                await table.SubmitTransactionAsync(slice.Select(c => new Azure.Data.Tables.TableTransactionAction(Azure.Data.Tables.TableTransactionActionType.UpdateReplace, c.Item, c.Item.ETag)), ct);
                continue;
            }
            catch (Azure.Data.Tables.TableTransactionFailedException e) when (e.Status == 412)
            {
                // One row changed since it was read: the rest are written one by one below.
            }

            foreach (var (item, row) in slice)
            {
                try
                {
                    await table.UpdateEntityAsync(item, item.ETag, Azure.Data.Tables.TableUpdateMode.Replace, ct);
                }
                catch (Azure.RequestFailedException e) when (e.Status == 412)
                {
                    conflicts.Add(row);
                }
            }
        }

        return conflicts;
    }

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
            [new NotificationLink("出具意见 Give opinion", links.OpinionUrl(batch.BatchId, item.RedemptionId, expert))],
            time.GetUtcNow(),
            item.RedemptionId), ct);
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

    public async Task<(SubmitOutcome Outcome, int Undecided)> SubmitAsync(BatchEntity batch, string actor, DurableTaskClient durable, CancellationToken ct)
    {
        if (batch.Stage != "Reviewing")
        {
            return (batch.SubmittedAt is null ? SubmitOutcome.NotReviewing : SubmitOutcome.AlreadySubmitted, 0);
        }

        var undecided = (await settlements.ItemsAsync(batch.BatchId, ct)).Count(i => i.Decision is not ("approve" or "reject"));
        if (undecided > 0)
        {
            return (SubmitOutcome.Incomplete, undecided);
        }

        var instanceId = SettlementIds.InstanceId(batch.BatchId);
        if (!await oneTime.TryClaimAsync(instanceId, SubmitAction, 1, actor, ct))
        {
            return (SubmitOutcome.AlreadySubmitted, 0);
        }

        // The stage moves first, under its ETag, so the publicity the orchestration opens next is never overwritten.
        batch.Stage = "Deciding";
        batch.SubmittedAt = time.GetUtcNow();
        batch.SubmittedBy = actor;
        try
        {
            await settlements.Tables.Table(VoucherStore.Batches).UpdateEntityAsync(batch, batch.ETag, Azure.Data.Tables.TableUpdateMode.Replace, ct);
            await durable.RaiseEventAsync(instanceId, BatchSubmitted.EventName, new BatchSubmitted(actor), ct);
        }
        catch
        {
            await oneTime.ReleaseAsync(instanceId, SubmitAction, 1);
            throw;
        }

        return (SubmitOutcome.Accepted, 0);
    }
}
