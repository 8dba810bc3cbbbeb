using Voucher.Workflows.Hosting;

namespace Voucher.Workflows.Enterprises;

/// <summary>The enterprises' log (registered with the agencies, in their range from 6720): registration and profile edits, naming fields, never values.</summary>
public static partial class EnterpriseLog
{
    [LoggerMessage(EventId = LogEventIds.Agencies + 20, Level = LogLevel.Information, Message = "Enterprise {Uscc} ({City}) registered by {Actor}")]
    public static partial void Registered(ILogger logger, string uscc, string city, string actor);

    [LoggerMessage(EventId = LogEventIds.Agencies + 21, Level = LogLevel.Information, Message = "Enterprise {Uscc} profile edited by {Actor}: {Fields}")]
    public static partial void ProfileEdited(ILogger logger, string uscc, string actor, string fields);
}
