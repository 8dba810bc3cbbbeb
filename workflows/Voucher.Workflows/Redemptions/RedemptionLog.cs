using Voucher.Workflows.Hosting;

namespace Voucher.Workflows.Redemptions;

/// <summary>
/// Flow 2's log up to the settlement queue: the acts the services accepted (1–9), what each redemption activity decided
/// (10–29) and the orchestration's stages through its replay-safe logger (30). Refused requests are logged by the dispatcher.
/// </summary>
public static partial class RedemptionLog
{
    [LoggerMessage(EventId = LogEventIds.Redemptions + 1, Level = LogLevel.Information, Message = "Redemption {RedemptionId} requested by {Caller} (existing: {Existing})")]
    public static partial void Requested(ILogger logger, string redemptionId, string caller, bool existing);

    [LoggerMessage(EventId = LogEventIds.Redemptions + 2, Level = LogLevel.Information, Message = "Redemption {RedemptionId} withdrawal sent by {Caller}")]
    public static partial void WithdrawalSent(ILogger logger, string redemptionId, string caller);

    [LoggerMessage(EventId = LogEventIds.Redemptions + 3, Level = LogLevel.Information, Message = "Redemption {RedemptionId} binding answer of round {Round} sent by {Caller}: confirmed {Confirmed}")]
    public static partial void BindingAnswerSent(ILogger logger, string redemptionId, int round, string caller, bool confirmed);

    [LoggerMessage(EventId = LogEventIds.Redemptions + 4, Level = LogLevel.Information, Message = "Redemption {RedemptionId} binding round {Round} re-opened by {Caller}")]
    public static partial void BindingReopenSent(ILogger logger, string redemptionId, int round, string caller);

    [LoggerMessage(EventId = LogEventIds.Redemptions + 5, Level = LogLevel.Information, Message = "Redemption {RedemptionId} evidence {Kind} stored ({Size} bytes) by {Caller}; set complete: {Complete}")]
    public static partial void EvidenceStored(ILogger logger, string redemptionId, string kind, long size, string caller, bool complete);

    [LoggerMessage(EventId = LogEventIds.Redemptions + 10, Level = LogLevel.Information, Message = "Redemption {RedemptionId} binding round {Round} open until {Deadline} (calendar {Calendar})")]
    public static partial void BindingRoundOpened(ILogger logger, string redemptionId, int round, string? deadline, string? calendar);

    [LoggerMessage(EventId = LogEventIds.Redemptions + 11, Level = LogLevel.Information, Message = "Redemption {RedemptionId} bound by the institution's seal (checked in the review)")]
    public static partial void BoundBySeal(ILogger logger, string redemptionId);

    [LoggerMessage(EventId = LogEventIds.Redemptions + 12, Level = LogLevel.Information, Message = "Redemption {RedemptionId} binding reminder of round {Round} sent: {Sent}")]
    public static partial void BindingReminder(ILogger logger, string redemptionId, int round, bool sent);

    [LoggerMessage(EventId = LogEventIds.Redemptions + 13, Level = LogLevel.Warning, Message = "Redemption {RedemptionId} binding deadline {Deadline} of round {Round} passed: binding overdue")]
    public static partial void BindingOverdue(ILogger logger, string redemptionId, int round, string? deadline);

    [LoggerMessage(EventId = LogEventIds.Redemptions + 14, Level = LogLevel.Information, Message = "Redemption {RedemptionId} bound in round {Round} by {Actor}")]
    public static partial void Bound(ILogger logger, string redemptionId, int round, string actor);

    [LoggerMessage(EventId = LogEventIds.Redemptions + 15, Level = LogLevel.Information, Message = "Redemption {RedemptionId} disputed in round {Round} by {Actor}")]
    public static partial void Disputed(ILogger logger, string redemptionId, int round, string actor);

    [LoggerMessage(EventId = LogEventIds.Redemptions + 16, Level = LogLevel.Information, Message = "Redemption {RedemptionId} evidence complete")]
    public static partial void EvidenceCompleted(ILogger logger, string redemptionId);

    [LoggerMessage(EventId = LogEventIds.Redemptions + 17, Level = LogLevel.Information, Message = "Redemption {RedemptionId} withdrawn by {Actor}, reservation of cap year {CapYear} released")]
    public static partial void Withdrawn(ILogger logger, string redemptionId, string actor, int capYear);

    [LoggerMessage(EventId = LogEventIds.Redemptions + 18, Level = LogLevel.Information, Message = "Redemption {RedemptionId} binding re-opened after round {Round} by {Actor}")]
    public static partial void BindingReopened(ILogger logger, string redemptionId, int round, string actor);

    [LoggerMessage(EventId = LogEventIds.Redemptions + 19, Level = LogLevel.Information, Message = "Redemption {RedemptionId} settled as {Status}: cap year {CapYear} ledger, voucher use and notice done")]
    public static partial void Settled(ILogger logger, string redemptionId, RedemptionStatus status, int capYear);

    [LoggerMessage(EventId = LogEventIds.Redemptions + 20, Level = LogLevel.Warning, Message = "Redemption {RedemptionId} stopped for violation {Violation}, reservation released")]
    public static partial void StoppedForViolation(ILogger logger, string redemptionId, string? violation);

    [LoggerMessage(EventId = LogEventIds.Redemptions + 21, Level = LogLevel.Information, Message = "Redemption {RedemptionId} {Kind} event of round {Round} changed nothing (status {Status}): late, duplicated or not due")]
    public static partial void EventChangedNothing(ILogger logger, string redemptionId, string kind, int round, RedemptionStatus status);

    [LoggerMessage(EventId = LogEventIds.Redemptions + 22, Level = LogLevel.Information, Message = "Redemption {RedemptionId} queued for settlement: pay-out {Payout} against cap year {CapYear} (capped: {Capped})")]
    public static partial void Queued(ILogger logger, string redemptionId, string payout, int capYear, bool capped);

    [LoggerMessage(EventId = LogEventIds.Redemptions + 23, Level = LogLevel.Warning, Message = "Redemption {RedemptionId} stopped at the queue: the annual cap of {CapYear} is used up")]
    public static partial void StoppedForCap(ILogger logger, string redemptionId, int capYear);

    [LoggerMessage(EventId = LogEventIds.Redemptions + 24, Level = LogLevel.Information, Message = "Redemption {RedemptionId} not queued: not bound with complete evidence (status {Status})")]
    public static partial void NotReadyToQueue(ILogger logger, string redemptionId, RedemptionStatus status);

    [LoggerMessage(EventId = LogEventIds.Redemptions + 25, Level = LogLevel.Information, Message = "Redemption {RedemptionId} binding deadline counted again: now {Deadline} (calendar {Calendar}); {Note}")]
    public static partial void BindingReplanned(ILogger logger, string redemptionId, string? deadline, string? calendar, string? note);

    [LoggerMessage(EventId = LogEventIds.Redemptions + 26, Level = LogLevel.Information, Message = "Redemption {RedemptionId} binding deadline unchanged by calendar {Calendar} (status {Status})")]
    public static partial void BindingReplanUnchanged(ILogger logger, string redemptionId, string? calendar, RedemptionStatus status);

    [LoggerMessage(EventId = LogEventIds.Redemptions + 30, Level = LogLevel.Information, Message = "Redemption orchestration {InstanceId}: {Stage}, binding round {Round}")]
    public static partial void Stage(ILogger logger, string instanceId, RedemptionStatus stage, int round);
}
