using Voucher.Workflows.Hosting;

namespace Voucher.Workflows.Backups;

/// <summary>The backups' log: exports started, completed and skipped, expired exports removed, restores.</summary>
public static partial class BackupLog
{
    [LoggerMessage(EventId = LogEventIds.Backups + 1, Level = LogLevel.Information, Message = "Table export {Folder} started ({Tables} tables)")]
    public static partial void ExportStarted(ILogger logger, string folder, int tables);

    [LoggerMessage(EventId = LogEventIds.Backups + 2, Level = LogLevel.Information, Message = "Table export {Folder} complete: {Rows} rows, {Bytes} bytes compressed")]
    public static partial void ExportCompleted(ILogger logger, string folder, long rows, long bytes);

    [LoggerMessage(EventId = LogEventIds.Backups + 3, Level = LogLevel.Information, Message = "Table export skipped: {Folder} is today's complete export already")]
    public static partial void ExportSkipped(ILogger logger, string folder);

    [LoggerMessage(EventId = LogEventIds.Backups + 4, Level = LogLevel.Information, Message = "Export {Folder} removed: older than {Days} days ({Blobs} blobs)")]
    public static partial void ExportPruned(ILogger logger, string folder, int days, int blobs);

    [LoggerMessage(EventId = LogEventIds.Backups + 5, Level = LogLevel.Warning, Message = "Export {Folder} is older than {Days} days but cannot be removed yet ({Reason}); the next run tries again")]
    public static partial void ExportNotPruned(ILogger logger, string folder, int days, string reason);

    [LoggerMessage(EventId = LogEventIds.Backups + 6, Level = LogLevel.Warning, Message = "Restore from export {Folder} started: {Tables} tables, replace {Replace}")]
    public static partial void RestoreStarted(ILogger logger, string folder, int tables, bool replace);

    [LoggerMessage(EventId = LogEventIds.Backups + 7, Level = LogLevel.Warning, Message = "Restore from export {Folder} complete: {Rows} rows written")]
    public static partial void RestoreCompleted(ILogger logger, string folder, long rows);
}
