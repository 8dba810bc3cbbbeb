using Voucher.Workflows.Hosting;

namespace Voucher.Workflows.Worklists;

/// <summary>The work lists' log: what the start-up backfill of their indexes added (operations range, 6850–6859).</summary>
public static partial class WorkListLog
{
    [LoggerMessage(EventId = LogEventIds.Operations + 50, Level = LogLevel.Information, Message = "Index backfill: {Institutions} decided institution(s) and {Notices} published notice(s) added to the work-list indexes")]
    public static partial void Backfilled(ILogger logger, int institutions, int notices);
}
