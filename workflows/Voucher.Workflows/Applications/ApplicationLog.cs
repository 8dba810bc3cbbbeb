using Voucher.Workflows.Hosting;

namespace Voucher.Workflows.Applications;

/// <summary>Flow 1's log: what each step decided, and the orchestration's stages (through its replay-safe logger).</summary>
public static partial class ApplicationLog
{
    [LoggerMessage(EventId = LogEventIds.Applications + 1, Level = LogLevel.Information, Message = "Application {ApplicationId} submitted by {Caller} (existing: {Existing})")]
    public static partial void Submitted(ILogger logger, string applicationId, string caller, bool existing);

    [LoggerMessage(EventId = LogEventIds.Applications + 2, Level = LogLevel.Information, Message = "Application {ApplicationId} checked: eligible {Eligible} ({Reasons}) under policy version {PolicyVersion}")]
    public static partial void Checked(ILogger logger, string applicationId, bool eligible, string reasons, int policyVersion);

    [LoggerMessage(EventId = LogEventIds.Applications + 3, Level = LogLevel.Information, Message = "Application {ApplicationId} review round {Round} open until {Deadline} (calendar {Calendar})")]
    public static partial void RoundOpened(ILogger logger, string applicationId, int round, string deadline, string calendar);

    [LoggerMessage(EventId = LogEventIds.Applications + 4, Level = LogLevel.Information, Message = "Application {ApplicationId} review reminder sent for round {Round}")]
    public static partial void Reminded(ILogger logger, string applicationId, int round);

    [LoggerMessage(EventId = LogEventIds.Applications + 5, Level = LogLevel.Warning, Message = "Application {ApplicationId} review deadline of round {Round} passed: escalated to the province")]
    public static partial void Escalated(ILogger logger, string applicationId, int round);

    [LoggerMessage(EventId = LogEventIds.Applications + 6, Level = LogLevel.Information, Message = "Application {ApplicationId} decided: {Status} by {DecidedBy}, voucher {VoucherId}")]
    public static partial void Decided(ILogger logger, string applicationId, ApplicationStatus status, string decidedBy, string? voucherId);

    [LoggerMessage(EventId = LogEventIds.Applications + 7, Level = LogLevel.Information, Message = "Application {ApplicationId} review deadline counted again: {OldDeadline} -> {NewDeadline} (calendar {Calendar})")]
    public static partial void Replanned(ILogger logger, string applicationId, string oldDeadline, string newDeadline, string calendar);

    [LoggerMessage(EventId = LogEventIds.Applications + 8, Level = LogLevel.Information, Message = "Application {ApplicationId} decision of round {Round} accepted from {DecidedBy}")]
    public static partial void DecisionAccepted(ILogger logger, string applicationId, int round, string decidedBy);

    [LoggerMessage(EventId = LogEventIds.Applications + 20, Level = LogLevel.Information, Message = "Application orchestration {InstanceId}: {Stage}, round {Round}, deadline {Deadline}")]
    public static partial void Stage(ILogger logger, string instanceId, string stage, int round, string deadline);
}
