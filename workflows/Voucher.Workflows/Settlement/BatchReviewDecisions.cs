using Voucher.Workflows.Links;

namespace Voucher.Workflows.Settlement;

/// <summary>
/// One bulk decision of the bureau: approve (or reject with one reason) the rows it selected or the whole filtered set.
/// <see cref="OperationId"/> names it (the confirmation page makes one): a retried operation changes nothing twice.
/// <see cref="ExpectedCount"/>/<see cref="ExpectedPayoutFen"/> are what the confirmation named; when the set no longer
/// matches them nothing is decided. <see cref="After"/>/<see cref="Limit"/> take a slice (by redemption id) so the page
/// can save a large set in steps and show the progress.
/// </summary>
public sealed record BulkDecision(
    string? OperationId,
    string? Decision,
    string? Reason,
    IReadOnlyList<string>? Selected,
    BatchReviewFilter? Filter,
    int? ExpectedCount,
    long? ExpectedPayoutFen,
    string? After = null,
    int? Limit = null);

/// <summary>
/// What a bulk decision (or its slice) did: the set it applies to (count and pay-out), rows decided now, rows that
/// already had this decision, rows left alone (decided otherwise, waiting for an asked expert), rows changed by someone
/// else between the read and the write (reported, not overwritten), the cursor of the next slice (null when done), and
/// whether the operation had already been completed (a retry: nothing done).
/// </summary>
public sealed record BulkDecided(
    string OperationId,
    int Matched,
    long MatchedPayoutFen,
    int Processed,
    int Decided,
    int AlreadyDone,
    IReadOnlyList<string> DecidedOtherwise,
    IReadOnlyList<string> WaitingForExpert,
    IReadOnlyList<string> Changed,
    string? Next,
    bool Replayed);

/// <summary>Which rows of a bulk decision are written and which are left, and why (the rule, without storage).</summary>
public sealed record BulkPlan(IReadOnlyList<BatchItemEntity> Write, int AlreadyDone, IReadOnlyList<string> DecidedOtherwise, IReadOnlyList<string> WaitingForExpert)
{
    /// <summary>
    /// A row gets the bulk decision only when it is undecided; one with the same decision is already done; one decided
    /// the other way is left (the officer changes it on its own row); one whose asked expert has not answered waits
    /// (deciding it without the opinion takes the row's override).
    /// </summary>
    public static BulkPlan Of(IEnumerable<BatchItemEntity> items, RowVerdict verdict)
    {
        var write = new List<BatchItemEntity>();
        var already = 0;
        var otherwise = new List<string>();
        var waiting = new List<string>();
        foreach (var item in items)
        {
            if (item.Verdict == verdict)
            {
                already++;
            }
            else if (item.Verdict != RowVerdict.Undecided)
            {
                otherwise.Add(item.RedemptionId);
            }
            else if (item.ExpertId is not null && item.ExpertOpinion is null)
            {
                waiting.Add(item.RedemptionId);
            }
            else
            {
                write.Add(item);
            }
        }

        return new BulkPlan(write, already, otherwise, waiting);
    }
}

/// <summary>
/// The bureau's bulk decisions on a batch under review (the page behind the signed link and the API): the rows read
/// afresh, the plan (<see cref="BulkPlan"/>), each decided row recording the risk flags shown with it
/// (<see cref="BatchItemEntity.FlagsSeen"/>), written under the ETags they were read with (a row changed meanwhile is
/// reported, not overwritten), an audit entry per decided row, and the operation marked done once its last slice is
/// saved, so a retry of a finished operation does nothing.
/// </summary>
public sealed class BatchReviewDecisions(SettlementStore settlements, OneTimeActions oneTime, Audit.AuditLog audit, VoucherStore store, TimeProvider time, ILogger<BatchReviewDecisions> log)
{
    public const string Action = "batch-bulk";

    /// <summary>Rows one bulk decision may name by id (the whole filtered set has no limit but the batch).</summary>
    public const int MaxSelected = 10_000;

    const int MaxReasonLength = 500;

    public async Task<Outcome<BulkDecided>> DecideAsync(BatchEntity batch, BulkDecision command, string actor, CancellationToken ct)
    {
        if (Check(command) is { } invalid)
        {
            return invalid;
        }

        if (batch.Stage != BatchStage.Reviewing)
        {
            return SettlementService.NotUnderReview;
        }

        var operation = command.OperationId!.Trim();
        var verdict = RowVerdicts.Parse(command.Decision);
        var instanceId = SettlementIds.InstanceId(batch.BatchId);
        if (await oneTime.IsClaimedAsync(instanceId, $"{Action}-{operation}", 1, ct))
        {
            return new BulkDecided(operation, 0, 0, 0, 0, 0, [], [], [], null, true);
        }

        var set = await SetAsync(batch, command, ct);
        var matchedPayout = set.Sum(i => i.PayoutFen);
        if (command.After is null && command.ExpectedCount is { } count && (count != set.Count || (command.ExpectedPayoutFen is { } fen && fen != matchedPayout)))
        {
            return new Failure.Conflict($"所选范围已变化：现为 {set.Count} 笔，核定兑付合计 {Web.Glossary.Money(matchedPayout)}，请重新确认 (The set changed; confirm again)");
        }

        var slice = set.Where(i => command.After is null || string.CompareOrdinal(i.RowKey, command.After) > 0).Take(command.Limit ?? int.MaxValue).ToList();
        var plan = BulkPlan.Of(slice, verdict);
        var reason = command.Reason?.Trim();
        var at = time.GetUtcNow();
        var verdictsBefore = plan.Write.ToDictionary(i => i.RedemptionId, i => i.Verdict, StringComparer.Ordinal);
        foreach (var item in plan.Write)
        {
            item.Decide(verdict, reason, actor);
            item.FlagsSeen = item.RiskFlags;
        }

        // The batch's kept totals move with the rows (KeptTotals): named before the write, the change added after.
        var totals = plan.Write.Count > 0 ? await settlements.BeginTotalsChangeAsync(batch.BatchId, at, ct) : null;
        // Each decided row's entry shows in its redemption's status view: the redemptions' rows are touched first.
        await Parallel.ForEachAsync(plan.Write, new ParallelOptions { MaxDegreeOfParallelism = 16, CancellationToken = ct },
            (item, token) => new ValueTask(Redemptions.RedemptionViewKey.TouchAsync(store, item.RedemptionId, at, token)));
        var changed = await settlements.ReplaceItemsAsync(plan.Write, ct);
        var changedIds = changed.Select(c => c.RedemptionId).ToHashSet(StringComparer.Ordinal);
        var written = plan.Write.Where(i => !changedIds.Contains(i.RedemptionId)).ToList();
        if (totals is not null)
        {
            await settlements.EndTotalsChangeAsync(batch.BatchId, totals, KeptTotals.Change(written.Select(i => (verdictsBefore[i.RedemptionId], i.Verdict))), at, ct);
        }

        if (written.Count > 0)
        {
            var what = verdict == RowVerdict.Approve ? "批量通过" : $"批量驳回：{reason}";
            await audit.AppendBatchItemsAsync(batch.BatchId, written.Select(i => (i.RedemptionId, Audit.AuditLog.Entry(
                Audit.AuditSubjects.Redemption(i.RedemptionId), actor, at, "", RowVerdicts.Name(verdict), batch.PolicyVersion,
                $"{what}（操作 {operation}）；所见风险提示：{(i.RiskFlags.Length == 0 ? "无" : string.Join("、", RiskRules.ParseList(i.RiskFlags).Select(RiskRules.Chinese)))}"))), ct);
        }

        var next = slice.Count > 0 && set.Count > 0 && string.CompareOrdinal(slice[^1].RowKey, set[^1].RowKey) < 0 ? slice[^1].RowKey : null;
        if (next is null)
        {
            await oneTime.TryClaimAsync(instanceId, $"{Action}-{operation}", 1, actor, ct);
        }

        SettlementLog.DecisionsSaved(log, batch.BatchId, written.Count, actor, changed.Count);
        return new BulkDecided(operation, set.Count, matchedPayout, slice.Count, written.Count, plan.AlreadyDone, plan.DecidedOtherwise, plan.WaitingForExpert,
            [.. changedIds.Order(StringComparer.Ordinal)], next, false);
    }

    /// <summary>The rows the decision applies to, read afresh, in redemption-id order.</summary>
    public async Task<List<BatchItemEntity>> SetAsync(BatchEntity batch, BulkDecision command, CancellationToken ct)
    {
        if (command.Selected is { } selected)
        {
            var ids = selected.Select(s => s.Trim()).Where(s => s.Length > 0).Distinct(StringComparer.Ordinal).ToList();
            var found = await settlements.ItemsNamedAsync(batch, ids, ct);
            return [.. found.Values.Where(i => ids.Contains(i.RowKey)).OrderBy(i => i.RowKey, StringComparer.Ordinal)];
        }

        var all = await settlements.ItemsAsync(batch.BatchId, ct);
        return BatchReview.Select(all, command.Filter ?? BatchReviewFilter.None, "id", false);
    }

    /// <summary>The command's own rules, by field.</summary>
    public static Failure? Check(BulkDecision command)
    {
        var errors = new List<FieldError>();
        var operation = command.OperationId?.Trim();
        if (string.IsNullOrEmpty(operation) || operation.Length > 64 || !operation.All(c => char.IsAsciiLetterOrDigit(c) || c == '-'))
        {
            errors.Add(new FieldError("operationId", "须为 1 到 64 位字母、数字或连字符 (1-64 letters, digits or hyphens)"));
        }

        if (!RowVerdicts.TryParse(command.Decision, out var verdict) || verdict == RowVerdict.Undecided)
        {
            errors.Add(new FieldError("decision", $"只能为 {RowVerdicts.Approve} 或 {RowVerdicts.Reject} (approve or reject)"));
        }

        var reason = command.Reason?.Trim();
        if (verdict == RowVerdict.Reject && string.IsNullOrEmpty(reason))
        {
            errors.Add(new FieldError("reason", "驳回须填写理由 (A reason is required to reject)"));
        }
        else if (reason is { Length: > MaxReasonLength })
        {
            errors.Add(new FieldError("reason", $"理由不超过 {MaxReasonLength} 字 (Too long)"));
        }

        if ((command.Selected is null) == (command.Filter is null))
        {
            errors.Add(new FieldError("redemptionIds", "须给出所选兑付申请或筛选条件之一 (Either the selected rows or a filter)"));
        }
        else if (command.Selected is { } selected && (selected.Count is 0 or > MaxSelected || selected.Any(s => string.IsNullOrWhiteSpace(s) || s.Length > 80)))
        {
            errors.Add(new FieldError("redemptionIds", $"须为 1 到 {MaxSelected} 笔兑付申请编号 (1 to {MaxSelected} redemption ids)"));
        }

        return errors.Count > 0 ? new Failure.Invalid(errors) : null;
    }
}
