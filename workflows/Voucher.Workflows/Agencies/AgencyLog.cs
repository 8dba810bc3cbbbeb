using Voucher.Workflows.Hosting;

namespace Voucher.Workflows.Agencies;

/// <summary>The agencies' log: an agency registered, a delegation granted or revoked (the enterprises' profile acts use 6720–6721).</summary>
public static partial class AgencyLog
{
    [LoggerMessage(EventId = LogEventIds.Agencies + 1, Level = LogLevel.Information, Message = "Agency {AgencyId} ({City}) registered by {Actor}")]
    public static partial void AgencyRegistered(ILogger logger, string agencyId, string city, string actor);

    [LoggerMessage(EventId = LogEventIds.Agencies + 2, Level = LogLevel.Information, Message = "Delegation {DelegationId} granted by {PartyKind} {PartyId} to agency {AgencyId}: {Actions} until {ValidUntil}")]
    public static partial void DelegationGranted(ILogger logger, string delegationId, string partyKind, string partyId, string agencyId, string actions, string validUntil);

    [LoggerMessage(EventId = LogEventIds.Agencies + 3, Level = LogLevel.Information, Message = "Delegation {DelegationId} of {PartyKind} {PartyId} to agency {AgencyId} revoked")]
    public static partial void DelegationRevoked(ILogger logger, string delegationId, string partyKind, string partyId, string agencyId);
}
