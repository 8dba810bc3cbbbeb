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

/// <summary>The set of a bulk decision as counted before it is decided (<see cref="BatchReviewDecisions.SummaryAsync"/>): rows, pay-out, last id, and the plan's counts.</summary>
public sealed record BulkSetSummary(int Count, long PayoutFen, string? LastId, int ToWrite, int AlreadyDone, int DecidedOtherwise, int WaitingForExpert);

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
/// afresh a page at a time, the plan (<see cref="BulkPlan"/>), each decided row recording the risk flags shown with it
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

        // Two passes over the set, a page of rows at a time, so a bulk decision over a 100,000-row batch holds one page:
        // the first counts it (the confirmation's figures, where the set ends), the second decides the slice.
        var set = await SummaryAsync(batch, command, verdict, ct);
        if (command.After is null && command.ExpectedCount is { } count && (count != set.Count || (command.ExpectedPayoutFen is { } fen && fen != set.PayoutFen)))
        {
            return new Failure.Conflict($"所选范围已变化：现为 {set.Count} 笔，核定兑付合计 {Web.Glossary.Money(set.PayoutFen)}，请重新确认 (The set changed; confirm again)");
        }

        var reason = command.Reason?.Trim();
        DateTimeOffset? at = null;
        var left = command.Limit ?? int.MaxValue;
        string? lastProcessed = null;
        int processed = 0, decided = 0, alreadyDone = 0, approved = 0, rejected = 0;
        List<string> otherwise = [], waiting = [], changedIds = [];
        string? totals = null;
        await foreach (var page in SetPagesAsync(batch, command, ct))
        {
            if (left == 0)
            {
                break;
            }

            var slice = page.Where(i => command.After is null || string.CompareOrdinal(i.RowKey, command.After) > 0).Take(left).ToList();
            if (slice.Count == 0)
            {
                continue;
            }

            left -= slice.Count;
            processed += slice.Count;
            lastProcessed = slice[^1].RowKey;
            var plan = BulkPlan.Of(slice, verdict);
            alreadyDone += plan.AlreadyDone;
            otherwise.AddRange(plan.DecidedOtherwise);
            waiting.AddRange(plan.WaitingForExpert);
            if (plan.Write.Count > 0)
            {
                // The batch's kept totals move with the rows (KeptTotals): named before the first write, the change added after the last.
                // The decision's time, taken once, when its first rows are about to be written.
                at ??= time.GetUtcNow();
                totals ??= await settlements.BeginTotalsChangeAsync(batch.BatchId, at.Value, ct);
                var (written, changed) = await WriteAsync(batch, plan.Write, verdict, reason, actor, operation, at.Value, ct);
                var change = KeptTotals.Change(written.Select(w => (w.Before, verdict)));
                approved += change.Approved;
                rejected += change.Rejected;
                decided += written.Count;
                changedIds.AddRange(changed);
            }
        }

        if (totals is not null && at is { } decidedAt)
        {
            await settlements.EndTotalsChangeAsync(batch.BatchId, totals, (approved, rejected), decidedAt, ct);
        }

        var next = lastProcessed is not null && set.LastId is not null && string.CompareOrdinal(lastProcessed, set.LastId) < 0 ? lastProcessed : null;
        if (next is null)
        {
            await oneTime.TryClaimAsync(instanceId, $"{Action}-{operation}", 1, actor, ct);
        }

        SettlementLog.DecisionsSaved(log, batch.BatchId, decided, actor, changedIds.Count);
        return new BulkDecided(operation, set.Count, set.PayoutFen, processed, decided, alreadyDone, otherwise, waiting,
            [.. changedIds.Order(StringComparer.Ordinal)], next, false);
    }

    /// <summary>
    /// Writes one page's decided rows: each redemption's status view touched first (its entry shows there), the rows
    /// replaced under the ETags they were read with, an audit entry per row written. Returns the rows written with their
    /// verdicts before, and the ids of the rows changed by someone else meanwhile (not written).
    /// </summary>
    async Task<(List<(string Id, RowVerdict Before)> Written, List<string> Changed)> WriteAsync(BatchEntity batch, IReadOnlyList<BatchItemEntity> rows, RowVerdict verdict, string? reason, string actor, string operation, DateTimeOffset at, CancellationToken ct)
    {
        var before = rows.ToDictionary(i => i.RedemptionId, i => i.Verdict, StringComparer.Ordinal);
        foreach (var item in rows)
        {
            item.Decide(verdict, reason, actor);
            item.FlagsSeen = item.RiskFlags;
        }

        await Parallel.ForEachAsync(rows, new ParallelOptions { MaxDegreeOfParallelism = 16, CancellationToken = ct },
            (item, token) => new ValueTask(Redemptions.RedemptionViewKey.TouchAsync(store, item.RedemptionId, at, token)));
        var changed = (await settlements.ReplaceItemsAsync(rows, ct)).Select(c => c.RedemptionId).ToHashSet(StringComparer.Ordinal);
        var written = rows.Where(i => !changed.Contains(i.RedemptionId)).ToList();
        if (written.Count > 0)
        {
            var what = verdict == RowVerdict.Approve ? "批量通过" : $"批量驳回：{reason}";
            await audit.AppendBatchItemsAsync(batch.BatchId, written.Select(i => (i.RedemptionId, Audit.AuditLog.Entry(
                Audit.AuditSubjects.Redemption(i.RedemptionId), actor, at, "", RowVerdicts.Name(verdict), batch.PolicyVersion,
                $"{what}（操作 {operation}）；所见风险提示：{(i.RiskFlags.Length == 0 ? "无" : string.Join("、", RiskRules.ParseList(i.RiskFlags).Select(RiskRules.Chinese)))}"))), ct);
        }

        return ([.. written.Select(i => (i.RedemptionId, before[i.RedemptionId]))], [.. changed]);
    }

    /// <summary>
    /// The set a bulk decision applies to, counted a page at a time: its rows and pay-out, its last redemption id, and
    /// what the plan (<see cref="BulkPlan"/>) would do with its rows — the confirmation's figures.
    /// </summary>
    public async Task<BulkSetSummary> SummaryAsync(BatchEntity batch, BulkDecision command, RowVerdict verdict, CancellationToken ct)
    {
        int count = 0, write = 0, already = 0, otherwise = 0, waiting = 0;
        long payout = 0;
        string? last = null;
        await foreach (var page in SetPagesAsync(batch, command, ct))
        {
            count += page.Count;
            payout += page.Sum(i => i.PayoutFen);
            last = page[^1].RowKey;
            var plan = BulkPlan.Of(page, verdict);
            write += plan.Write.Count;
            already += plan.AlreadyDone;
            otherwise += plan.DecidedOtherwise.Count;
            waiting += plan.WaitingForExpert.Count;
        }

        return new BulkSetSummary(count, payout, last, write, already, otherwise, waiting);
    }

    /// <summary>
    /// The rows the decision applies to, read afresh, in redemption-id order, a page at a time: the rows named (at most
    /// <see cref="MaxSelected"/>, one page), or the filter's rows of each page of the batch (<see cref="SettlementStore.ItemPagesAsync"/>,
    /// which the table gives in row-key order); empty pages are skipped.
    /// </summary>
    async IAsyncEnumerable<IReadOnlyList<BatchItemEntity>> SetPagesAsync(BatchEntity batch, BulkDecision command, [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken ct)
    {
        if (command.Selected is { } selected)
        {
            var ids = selected.Select(s => s.Trim()).Where(s => s.Length > 0).ToHashSet(StringComparer.Ordinal);
            var found = await settlements.ItemsNamedAsync(batch, ids, ct);
            List<BatchItemEntity> named = [.. found.Values.Where(i => ids.Contains(i.RowKey)).OrderBy(i => i.RowKey, StringComparer.Ordinal)];
            if (named.Count > 0)
            {
                yield return named;
            }

            yield break;
        }

        var filter = command.Filter ?? BatchReviewFilter.None;
        await foreach (var page in settlements.ItemPagesAsync(batch.BatchId, ct))
        {
            var kept = BatchReview.Select(page, filter, "id", false);
            if (kept.Count > 0)
            {
                yield return kept;
            }
        }
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
