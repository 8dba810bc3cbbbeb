using Voucher.Workflows.Hosting;

namespace Voucher.Workflows.Settlement;

/// <summary>
/// Settlement's log: each step's outcome (form, chunk phases, review, publicity, close), the bureau's and the finance
/// bureau's acts, and the orchestration's stages (through its replay-safe logger). No personal data: objections are
/// logged by redemption, never with the contact.
/// </summary>
public static partial class SettlementLog
{
    [LoggerMessage(EventId = LogEventIds.Settlement + 1, Level = LogLevel.Information, Message = "Batch {BatchId} formed: {Items} items in {Chunks} chunks (frozen at formation: {Frozen}, {FrozenNow} frozen now)")]
    public static partial void Formed(ILogger logger, string batchId, int items, int chunks, bool frozen, int frozenNow);

    [LoggerMessage(EventId = LogEventIds.Settlement + 2, Level = LogLevel.Information, Message = "Batch {BatchId} chunk {Chunk} phase {Phase}: {Items} items, {Moved} moved, {Rejected} rejected, {Stopped} stopped ({Counts})")]
    public static partial void ChunkProcessed(ILogger logger, string batchId, int chunk, string phase, int items, int moved, int rejected, int stopped, string counts);

    [LoggerMessage(EventId = LogEventIds.Settlement + 3, Level = LogLevel.Information, Message = "Batch {BatchId} open for review by the city bureau: {Items} items")]
    public static partial void ReviewOpened(ILogger logger, string batchId, int items);

    [LoggerMessage(EventId = LogEventIds.Settlement + 4, Level = LogLevel.Information, Message = "Batch {BatchId} publicity {Start} to {End} (provisional: {Provisional})")]
    public static partial void PublicityOpened(ILogger logger, string batchId, string start, string end, bool provisional);

    [LoggerMessage(EventId = LogEventIds.Settlement + 5, Level = LogLevel.Information, Message = "Batch {BatchId} publicity end counted again: {OldEnd} -> {NewEnd} (calendar {Calendar})")]
    public static partial void PublicityReplanned(ILogger logger, string batchId, string oldEnd, string newEnd, string calendar);

    [LoggerMessage(EventId = LogEventIds.Settlement + 6, Level = LogLevel.Information, Message = "Batch {BatchId} publicity end unchanged by the calendar ({Stage}, end {End})")]
    public static partial void PublicityKept(ILogger logger, string batchId, BatchStage stage, string? end);

    [LoggerMessage(EventId = LogEventIds.Settlement + 7, Level = LogLevel.Information, Message = "Batch {BatchId} closed: {Items} items, the finance bureau told: {Told}")]
    public static partial void Closed(ILogger logger, string batchId, int items, bool told);

    [LoggerMessage(EventId = LogEventIds.Settlement + 10, Level = LogLevel.Information, Message = "Settlement {BatchId} started by {Caller} (new: {Started}, cut-off {CutoffUtc:o})")]
    public static partial void Started(ILogger logger, string batchId, string caller, bool started, DateTime cutoffUtc);

    [LoggerMessage(EventId = LogEventIds.Settlement + 11, Level = LogLevel.Information, Message = "Batch {BatchId}: {Saved} row decisions saved by {Actor}, {Refused} rows refused")]
    public static partial void DecisionsSaved(ILogger logger, string batchId, int saved, string actor, int refused);

    [LoggerMessage(EventId = LogEventIds.Settlement + 12, Level = LogLevel.Information, Message = "Batch {BatchId} submitted by {Actor}")]
    public static partial void Submitted(ILogger logger, string batchId, string actor);

    [LoggerMessage(EventId = LogEventIds.Settlement + 13, Level = LogLevel.Information, Message = "Batch {BatchId}: expert {ExpertId} asked for an opinion on {RedemptionId} by {Actor}")]
    public static partial void OpinionRequested(ILogger logger, string batchId, string redemptionId, string expertId, string actor);

    [LoggerMessage(EventId = LogEventIds.Settlement + 14, Level = LogLevel.Information, Message = "Batch {BatchId}: expert {ExpertId} gave an opinion on {RedemptionId}")]
    public static partial void OpinionRecorded(ILogger logger, string batchId, string redemptionId, string expertId);

    [LoggerMessage(EventId = LogEventIds.Settlement + 15, Level = LogLevel.Information, Message = "Objection filed against {RedemptionId} in batch {BatchId} (redemption held: {Held})")]
    public static partial void ObjectionFiled(ILogger logger, string redemptionId, string batchId, bool held);

    [LoggerMessage(EventId = LogEventIds.Settlement + 16, Level = LogLevel.Information, Message = "Objections to {RedemptionId} resolved by {Actor}: upheld {Upheld}, now {Status}")]
    public static partial void ObjectionResolved(ILogger logger, string redemptionId, string actor, bool upheld, RedemptionStatus status);

    [LoggerMessage(EventId = LogEventIds.Settlement + 17, Level = LogLevel.Information, Message = "Payment of {RedemptionId} confirmed by {Actor}: {Amount} (advance paid before: {Advance})")]
    public static partial void PaymentConfirmed(ILogger logger, string redemptionId, string actor, Cny amount, Cny advance);

    [LoggerMessage(EventId = LogEventIds.Settlement + 18, Level = LogLevel.Information, Message = "Advance of {RedemptionId} confirmed as paid by {Actor}: {Amount} (new: {Moved})")]
    public static partial void AdvanceConfirmed(ILogger logger, string redemptionId, string actor, Cny amount, bool moved);

    [LoggerMessage(EventId = LogEventIds.Settlement + 19, Level = LogLevel.Information, Message = "Scheduled settlement of {BatchId} (new: {Started}, cut-off {CutoffUtc:o})")]
    public static partial void Scheduled(ILogger logger, string batchId, bool started, DateTime cutoffUtc);

    [LoggerMessage(EventId = LogEventIds.Settlement + 20, Level = LogLevel.Information, Message = "Settlement orchestration {InstanceId}: {Stage}, {Items} items in {Chunks} chunks ({Counts})")]
    public static partial void Stage(ILogger logger, string instanceId, string stage, int items, int chunks, string counts);

    [LoggerMessage(EventId = LogEventIds.Settlement + 21, Level = LogLevel.Warning, Message = "Settlement orchestration {InstanceId}: the risk check failed after its retries ({ErrorType}: {Error}); the review opens with the items not checked")]
    public static partial void RiskCheckFailed(ILogger logger, string instanceId, string errorType, string error);
}
