using Microsoft.DurableTask;
using Voucher.Workflows.Settlement.Risk;
using Voucher.Workflows.Redemptions;

namespace Voucher.Workflows.Settlement;

/// <summary>
/// One city-period settlement (instance <c>settlement-{city}-{period}</c>): form the batch from the queued
/// redemptions and freeze them (one step), let the bureau review it (row decisions, expert opinions, partial saves) and submit, apply the
/// decisions, publish the approved ones for the objection window, then make the unobjected ones payable.
/// Work on items goes through sub-orchestrations of bounded size; progress is in the custom status. A holiday
/// arrangement published during the publicity window (<see cref="Applications.CalendarChanged"/>) counts its end again.
/// </summary>
public sealed class SettlementOrchestrator : TaskOrchestrator<SettlementInput, BatchSummary>
{
    /// <summary>Calendar publications counted within one publicity window; later ones leave its end as it is.</summary>
    public const int MaxReplans = 20;

    public override async Task<BatchSummary> RunAsync(TaskOrchestrationContext context, SettlementInput input)
    {
        // The formation freezes the items itself (Queued → InBatch at this time); a history recorded before it did has
        // a summary without Frozen, and replays the freeze fan-out it ran then.
        var summary = await context.CallActivityAsync<BatchSummary>(nameof(FormSettlementBatch), input with { FormAt = context.CurrentUtcDateTime }, SettlementRetry.Options);
        var progress = new Dictionary<string, int>();
        if (summary.Frozen && summary.ItemCount > 0)
        {
            // Reported with this episode, before the review opens: whoever sees the batch under review sees the counts.
            progress[nameof(Domain.RedemptionStatus.InBatch)] = summary.ItemCount;
        }

        Report(context, Stage(BatchStage.Forming), summary, progress);
        if (summary.ItemCount == 0)
        {
            await context.CallActivityAsync<bool>(nameof(CloseSettlement), new BatchStep(summary.BatchId, context.CurrentUtcDateTime), SettlementRetry.Options);
            Report(context, Stage(BatchStage.Closed), summary, progress);
            return summary;
        }

        if (!summary.Frozen)
        {
            await FanOutAsync(context, summary, SettlementPhase.Freeze, progress);
        }

        if (summary.RiskCheck)
        {
            // Flags inform the officer; they never block the batch: a check that fails after its retries leaves the
            // items "not checked" (the review says so) and the review opens all the same.
            await RiskCheck.TryRunAsync(context, summary);
        }

        await context.CallActivityAsync<bool>(nameof(OpenBatchReview), new BatchStep(summary.BatchId, context.CurrentUtcDateTime), SettlementRetry.Options);
        Report(context, Stage(BatchStage.Reviewing), summary, progress);

        await context.WaitForExternalEvent<BatchSubmitted>(BatchSubmitted.EventName);
        await FanOutAsync(context, summary, SettlementPhase.Decide, progress);

        var window = await context.CallActivityAsync<PublicityWindow>(nameof(OpenPublicity), new BatchStep(summary.BatchId, context.CurrentUtcDateTime), SettlementRetry.Options);
        Report(context, Stage(BatchStage.Publicity), summary, progress, window);
        for (var replans = 0; replans <= MaxReplans; replans++)
        {
            // A holiday arrangement published during the window counts its end again; the wait goes on until the new end.
            using var cancel = new CancellationTokenSource();
            var ends = context.CreateTimer(window.EndsAtUtc, cancel.Token);
            if (replans == MaxReplans)
            {
                await ends;
                break;
            }

            var calendar = context.WaitForExternalEvent<Applications.CalendarChanged>(Applications.CalendarChanged.EventName);
            if (await Task.WhenAny(ends, calendar) == ends)
            {
                break;
            }

            cancel.Cancel();
            window = await context.CallActivityAsync<PublicityWindow>(nameof(ReplanPublicity), new BatchStep(summary.BatchId, context.CurrentUtcDateTime), SettlementRetry.Options);
            Report(context, Stage(BatchStage.Publicity), summary, progress, window);
        }

        await FanOutAsync(context, summary, SettlementPhase.ClosePublicity, progress);
        await context.CallActivityAsync<bool>(nameof(CloseSettlement), new BatchStep(summary.BatchId, context.CurrentUtcDateTime), SettlementRetry.Options);
        Report(context, Stage(BatchStage.Closed), summary, progress);
        return summary;
    }

    /// <summary>The custom status names the batch's stage in lower case (<c>reviewing</c>), a fan-out phase by its recorded name.</summary>
    static string Stage(BatchStage stage) => stage.ToString().ToLowerInvariant();

    /// <summary>Runs a phase over every chunk, a bounded number at a time, and tells rejected redemptions' orchestrations.</summary>
    static async Task FanOutAsync(TaskOrchestrationContext context, BatchSummary summary, SettlementPhase phase, Dictionary<string, int> progress)
    {
        var instance = context.InstanceId;
        progress.Clear();
        for (var first = 0; first < summary.ChunkCount; first += SettlementPhases.MaxParallelChunks)
        {
            var wave = Enumerable.Range(first, Math.Min(SettlementPhases.MaxParallelChunks, summary.ChunkCount - first))
                .Select(chunk => context.CallSubOrchestratorAsync<ChunkResult>(
                    nameof(SettlementChunkOrchestrator),
                    new ChunkInput(summary.BatchId, chunk, phase, context.CurrentUtcDateTime),
                    new SubOrchestrationOptions { InstanceId = $"{instance}-{phase.Name()}-{chunk}" }))
                .ToList();
            foreach (var result in await Task.WhenAll(wave))
            {
                foreach (var (state, count) in result.Counts)
                {
                    progress[state] = progress.GetValueOrDefault(state) + count;
                }
            }

            Report(context, phase.Name(), summary, progress);
        }
    }

    /// <summary>Progress in the custom status, and the stage in the log (replay-safe: once per stage, not per replay).</summary>
    static void Report(TaskOrchestrationContext context, string stage, BatchSummary summary, Dictionary<string, int> counts, PublicityWindow? publicity = null)
    {
        context.SetCustomStatus(new
        {
            stage, items = summary.ItemCount, chunks = summary.ChunkCount, counts = new Dictionary<string, int>(counts),
            publicityEnd = publicity?.End, publicityProvisional = publicity?.Provisional,
        });
        SettlementLog.Stage(context.CreateReplaySafeLogger<SettlementOrchestrator>(), context.InstanceId, stage, summary.ItemCount, summary.ChunkCount,
            string.Join(", ", counts.OrderBy(c => c.Key, StringComparer.Ordinal).Select(c => $"{c.Key} {c.Value}")));
    }
}

/// <summary>One chunk of a batch: slices of items through an idempotent activity; rejections go to the redemptions' orchestrations.</summary>
public sealed class SettlementChunkOrchestrator : TaskOrchestrator<ChunkInput, ChunkResult>
{
    public override async Task<ChunkResult> RunAsync(TaskOrchestrationContext context, ChunkInput input)
    {
        var result = await context.CallActivityAsync<ChunkResult>(nameof(ProcessSettlementChunk), input, SettlementRetry.Options);
        foreach (var redemptionId in result.Rejected)
        {
            context.SendEvent(
                RedemptionStore.InstanceId(redemptionId),
                RedemptionEvent.EventName,
                new RedemptionEvent(RedemptionEvent.Settled, 0, false, null, "settlement:" + input.BatchId));
        }

        foreach (var redemptionId in result.Stop ?? [])
        {
            context.SendEvent(
                RedemptionStore.InstanceId(redemptionId),
                RedemptionEvent.EventName,
                new RedemptionEvent(RedemptionEvent.Violation, 0, true, null, "settlement:" + input.BatchId));
        }

        return result;
    }
}
