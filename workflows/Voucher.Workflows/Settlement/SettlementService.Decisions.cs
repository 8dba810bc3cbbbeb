namespace Voucher.Workflows.Settlement;

/// <summary>
/// One row of the bureau's review: approve or reject (a rejection with its reason), or undecided; optionally an expert of
/// the pool to ask, and the override that decides a row before the asked expert's opinion arrives. As sent (the API's
/// <c>decision</c> is <c>approve</c>, <c>reject</c> or empty): the review checks it.
/// </summary>
public sealed record RowDecision(string? RedemptionId, string? Decision, string? Reason, string? ExpertId, bool? Override);

/// <summary>The city bureau's row decisions on its batch (at most 1,000 a call).</summary>
public sealed record SaveBatchDecisions(string BatchId, IReadOnlyList<RowDecision>? Decisions);

public sealed record DecisionsSaved(string BatchId, int Saved);

/// <summary>The bureau's row decisions: saved as they come (partial saves are kept), each row checked on its own.</summary>
public sealed partial class SettlementService
{
    public const int MaxRowsPerSave = 1000;

    const int MaxReasonLength = 500;

    const int MaxExpertIdLength = 64;

    public async Task<Outcome<DecisionsSaved>> SaveDecisionsAsync(VoucherPrincipal caller, SaveBatchDecisions command, CancellationToken ct)
    {
        if (command.Decisions is not { Count: > 0 and <= MaxRowsPerSave })
        {
            return new Failure.Invalid("decisions", $"须为 1 到 {MaxRowsPerSave} 行 (Between 1 and {MaxRowsPerSave} rows)");
        }

        var found = await BatchAsync(caller, command.BatchId, forReview: true, ct);
        return found.Failure is { } failure ? failure : await SaveDecisionsAsync(found.Value, command.Decisions, caller.Address, ct);
    }

    /// <summary>The batch if the caller may review it (the city's bureau); otherwise as if it did not exist.</summary>
    public Task<Outcome<BatchEntity>> ReviewableBatchAsync(VoucherPrincipal caller, string batchId, CancellationToken ct) =>
        BatchAsync(caller, batchId, forReview: true, ct);

    /// <summary>
    /// Saves the rows of a batch the caller may review (the bureau through its signed link). A row that breaks a rule is
    /// not saved and named in the failure as <c>decisions[i].field</c>; the others are saved. Rows are applied in order
    /// (a later row of the same redemption wins), read at once, and written under the ETags they were read with: a row
    /// changed since it was read (an expert's opinion arrived) is not overwritten but reported.
    /// </summary>
    public async Task<Outcome<DecisionsSaved>> SaveDecisionsAsync(BatchEntity batch, IReadOnlyList<RowDecision> rows, string actor, CancellationToken ct)
    {
        if (batch.Stage != BatchStage.Reviewing)
        {
            return new Failure.Invalid("batch", "批次不在审核阶段 (The batch is not under review)");
        }

        var ids = rows.Select(r => r.RedemptionId?.Trim()).Where(id => !string.IsNullOrEmpty(id)).Select(id => id!).Distinct(StringComparer.Ordinal).ToList();
        var items = await settlements.ItemsNamedAsync(batch, ids, ct);
        var errors = new List<FieldError>();
        var changed = new Dictionary<string, (BatchItemEntity Item, int Row)>(StringComparer.Ordinal);
        var verdictsBefore = items.Values.ToDictionary(i => i.RedemptionId, i => i.Verdict, StringComparer.Ordinal);
        var expertRequests = new List<(BatchItemEntity Item, string Expert)>();
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

            if (await RowProblemAsync(row, item, ct) is { } problem)
            {
                errors.Add(problem with { Field = $"{field}.{problem.Field}" });
                continue;
            }

            var expert = row.ExpertId?.Trim();
            item.Decide(RowVerdicts.Parse(row.Decision), row.Reason?.Trim(), actor);
            item.FlagsSeen = item.Verdict == RowVerdict.Undecided ? null : item.RiskFlags;
            if (!string.IsNullOrEmpty(expert) && expert != item.ExpertId)
            {
                item.AskExpert(expert, time.GetUtcNow());
                expertRequests.Add((item, expert));
            }

            changed[item.RedemptionId] = (item, i);
        }

        // The batch's kept totals move with the rows: the save names itself before writing and adds what it changed after.
        var totals = changed.Count > 0 ? await settlements.BeginTotalsChangeAsync(batch.BatchId, time.GetUtcNow(), ct) : null;
        var conflicts = (await settlements.ReplaceItemsAsync(changed.Values.Select(c => c.Item).ToList(), ct)).Select(c => c.RedemptionId).ToHashSet(StringComparer.Ordinal);
        foreach (var row in conflicts.Select(id => changed[id].Row).Order())
        {
            errors.Add(new FieldError($"decisions[{row}].redemptionId", "该行刚被修改（如专家意见到达），请刷新后重试 (The row changed; reload and retry)"));
        }

        if (totals is not null)
        {
            var written = changed.Values.Where(c => !conflicts.Contains(c.Item.RedemptionId)).Select(c => (verdictsBefore[c.Item.RedemptionId], c.Item.Verdict));
            await settlements.EndTotalsChangeAsync(batch.BatchId, totals, KeptTotals.Change(written), time.GetUtcNow(), ct);
        }

        foreach (var (item, expert) in expertRequests.Where(r => !conflicts.Contains(r.Item.RedemptionId)))
        {
            await RequestOpinionAsync(batch, item, expert, actor, ct);
        }

        SettlementLog.DecisionsSaved(log, batch.BatchId, changed.Count - conflicts.Count, actor, errors.Count);
        return errors.Count > 0 ? new Failure.Invalid(errors) : new DecisionsSaved(batch.BatchId, rows.Count);
    }

    /// <summary>The rules of one row, by its field (without the row's prefix); null when it can be saved.</summary>
    async Task<FieldError?> RowProblemAsync(RowDecision row, BatchItemEntity item, CancellationToken ct)
    {
        var reason = row.Reason?.Trim();
        var expert = row.ExpertId?.Trim();
        if (!RowVerdicts.TryParse(row.Decision, out var verdict))
        {
            return new FieldError("decision", $"只能为 {RowVerdicts.Approve} 或 {RowVerdicts.Reject} (approve or reject)");
        }

        if (verdict == RowVerdict.Reject && string.IsNullOrEmpty(reason))
        {
            return new FieldError("reason", "驳回须填写理由 (A reason is required to reject)");
        }

        if (reason is { Length: > MaxReasonLength } || expert is { Length: > MaxExpertIdLength })
        {
            return new FieldError("reason", $"理由不超过 {MaxReasonLength} 字，专家编号不超过 {MaxExpertIdLength} 字符 (Too long)");
        }

        var askExpert = !string.IsNullOrEmpty(expert) && expert != item.ExpertId;
        if (askExpert && await ExpertProblemAsync(expert!, item, ct) is { } expertProblem)
        {
            return new FieldError("expertId", expertProblem);
        }

        // A row whose asked expert has not answered is decided only with the override.
        var waitsForExpert = (item.ExpertId is not null || askExpert) && item.ExpertOpinion is null;
        if (verdict != RowVerdict.Undecided && waitsForExpert && row.Override != true)
        {
            return new FieldError("override", "已请专家出具意见：等待意见，或勾选“不等专家意见”后决定 (Waiting for the expert's opinion; tick override to decide now)");
        }

        return null;
    }
}
