using Microsoft.DurableTask;

namespace Voucher.Workflows.Settlement.Risk;

/// <summary>
/// The settlement orchestration's risk step, after the batch forms and before its review opens: the policy version is
/// fixed once (<see cref="BeginRiskCheck"/>), then every chunk is indexed (<see cref="IndexRiskChunk"/>), then every
/// chunk flagged (<see cref="FlagRiskChunk"/>), <see cref="SettlementPhases.MaxParallelChunks"/> activities at a time.
/// Inputs are the batch id, chunk numbers, the version and the time: no personal data in the history.
/// </summary>
public static class RiskCheck
{
    /// <summary>Items of a chunk checked at once.</summary>
    public const int Concurrency = 32;

    /// <summary>Uses of one evidence file read when it is shared (the reason names the other redemptions).</summary>
    public const int MaxUses = 200;

    /// <summary>
    /// Runs the check; a check that still fails after its retries is logged and leaves the items without
    /// <c>RiskCheckedAt</c> (shown as not checked): flags inform, they never hold up the batch.
    /// </summary>
    public static async Task<bool> TryRunAsync(TaskOrchestrationContext context, BatchSummary summary)
    {
        try
        {
            await RunAsync(context, summary);
            return true;
        }
        catch (TaskFailedException e)
        {
            SettlementLog.RiskCheckFailed(context.CreateReplaySafeLogger<SettlementOrchestrator>(), context.InstanceId, e.FailureDetails.ErrorType, e.FailureDetails.ErrorMessage);
            return false;
        }
    }

    public static async Task RunAsync(TaskOrchestrationContext context, BatchSummary summary)
    {
        var at = context.CurrentUtcDateTime;
        var version = await context.CallActivityAsync<int>(nameof(BeginRiskCheck), new BatchStep(summary.BatchId, at), SettlementRetry.Options);
        await WavesAsync(context, nameof(IndexRiskChunk), summary, version, at);
        await WavesAsync(context, nameof(FlagRiskChunk), summary, version, at);
    }

    static async Task WavesAsync(TaskOrchestrationContext context, string activity, BatchSummary summary, int version, DateTime at)
    {
        for (var first = 0; first < summary.ChunkCount; first += SettlementPhases.MaxParallelChunks)
        {
            await Task.WhenAll(Enumerable.Range(first, Math.Min(SettlementPhases.MaxParallelChunks, summary.ChunkCount - first))
                .Select(chunk => context.CallActivityAsync<int>(activity, new RiskChunkInput(summary.BatchId, chunk, version, at), SettlementRetry.Options)));
        }
    }
}
