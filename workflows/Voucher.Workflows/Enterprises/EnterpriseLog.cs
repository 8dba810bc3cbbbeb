using Voucher.Workflows.Hosting;

namespace Voucher.Workflows.Enterprises;

/// <summary>The enterprises' log (registered with the agencies, in their range from 6720): registration and profile edits, naming fields, never values.</summary>
public static partial class EnterpriseLog
{
    [LoggerMessage(EventId = LogEventIds.Agencies + 20, Level = LogLevel.Information, Message = "Enterprise {Uscc} ({City}) registered by {Actor}")]
    public static partial void Registered(ILogger logger, string uscc, string city, string actor);

    [LoggerMessage(EventId = LogEventIds.Agencies + 21, Level = LogLevel.Information, Message = "Enterprise {Uscc} profile edited by {Actor}: {Fields}")]
    public static partial void ProfileEdited(ILogger logger, string uscc, string actor, string fields);

    [LoggerMessage(EventId = LogEventIds.Agencies + 22, Level = LogLevel.Information, Message = "Enterprise {Uscc} bank account entered by {Actor}")]
    public static partial void BankAccountEntered(ILogger logger, string uscc, string actor);

    [LoggerMessage(EventId = LogEventIds.Agencies + 23, Level = LogLevel.Information, Message = "Enterprise {Uscc} bank account change entered by {Actor}, waiting for confirmation")]
    public static partial void BankAccountChangeEntered(ILogger logger, string uscc, string actor);

    [LoggerMessage(EventId = LogEventIds.Agencies + 24, Level = LogLevel.Information, Message = "Enterprise {Uscc} bank account change confirmed by {Actor}")]
    public static partial void BankAccountChangeConfirmed(ILogger logger, string uscc, string actor);
}
