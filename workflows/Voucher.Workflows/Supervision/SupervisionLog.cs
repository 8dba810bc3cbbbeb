using Voucher.Workflows.Hosting;

namespace Voucher.Workflows.Supervision;

/// <summary>The supervision area's log: evaluations, findings, the history import, and the statistics rows' contention.</summary>
public static partial class SupervisionLog
{
    [LoggerMessage(EventId = LogEventIds.Supervision + 1, Level = LogLevel.Information, Message = "Evaluation {Year} published by {Editor} under formula version {FormulaVersion}")]
    public static partial void EvaluationPublished(ILogger logger, int year, string editor, int formulaVersion);

    [LoggerMessage(EventId = LogEventIds.Supervision + 2, Level = LogLevel.Information, Message = "Evaluation {Year}: expert scores of {Cities} cities saved by {Editor}")]
    public static partial void EvaluationScoresSaved(ILogger logger, int year, int cities, string editor);

    [LoggerMessage(EventId = LogEventIds.Supervision + 3, Level = LogLevel.Information, Message = "Inspection finding {FindingId} ({Severity}) recorded for {City} by {Inspector}")]
    public static partial void FindingAdded(ILogger logger, string findingId, string severity, string city, string inspector);

    [LoggerMessage(EventId = LogEventIds.Supervision + 4, Level = LogLevel.Information, Message = "Paper Table 1 imported ({Figures} figures) by {Caller}")]
    public static partial void HistoryImported(ILogger logger, int figures, string caller);

    [LoggerMessage(EventId = LogEventIds.Supervision + 10, Level = LogLevel.Debug, Message = "Statistics {Partition}: {Event} was counted before; nothing changed")]
    public static partial void StatsDuplicate(ILogger logger, string partition, string @event);

    [LoggerMessage(EventId = LogEventIds.Supervision + 11, Level = LogLevel.Warning, Message = "Statistics {Partition} is contended: {Event} counted after {Attempts} attempts")]
    public static partial void StatsContended(ILogger logger, string partition, string @event, int attempts);

    [LoggerMessage(EventId = LogEventIds.Supervision + 12, Level = LogLevel.Error, Message = "Statistics {Partition} too busy: {Event} not counted after {Attempts} attempts (the step fails and is retried)")]
    public static partial void StatsGaveUp(ILogger logger, string partition, string @event, int attempts);
}
