using Voucher.Workflows.Hosting;

namespace Voucher.Workflows.Marketplace;

/// <summary>
/// The marketplace's log: the acts that change state (registration and verification, publication and status changes,
/// demand, offers, the order an accepted offer makes) and the search index's loads and failed refreshes.
/// </summary>
public static partial class MarketplaceLog
{
    [LoggerMessage(EventId = LogEventIds.Marketplace + 1, Level = LogLevel.Information, Message = "Institution {InstitutionId} registered by {Caller}: awaiting verification")]
    public static partial void InstitutionRegistered(ILogger logger, string institutionId, string caller);

    [LoggerMessage(EventId = LogEventIds.Marketplace + 2, Level = LogLevel.Information, Message = "Institution {InstitutionId} verification decided: {Status} by {DecidedBy}")]
    public static partial void InstitutionDecided(ILogger logger, string institutionId, InstitutionStatus status, string decidedBy);

    [LoggerMessage(EventId = LogEventIds.Marketplace + 3, Level = LogLevel.Information, Message = "Institution {InstitutionId} changed its code or platform id: {From} -> pending, its services leave the catalogue until verified")]
    public static partial void InstitutionSentBack(ILogger logger, string institutionId, InstitutionStatus from);

    [LoggerMessage(EventId = LogEventIds.Marketplace + 4, Level = LogLevel.Information, Message = "Service {InstitutionId}/{ServiceId} published (version {Version})")]
    public static partial void ServicePublished(ILogger logger, string institutionId, string serviceId, int version);

    [LoggerMessage(EventId = LogEventIds.Marketplace + 5, Level = LogLevel.Information, Message = "Service {InstitutionId}/{ServiceId} edited: version {Version}")]
    public static partial void ServiceEdited(ILogger logger, string institutionId, string serviceId, int version);

    [LoggerMessage(EventId = LogEventIds.Marketplace + 6, Level = LogLevel.Information, Message = "Service {InstitutionId}/{ServiceId} moved to {Status} (version {Version})")]
    public static partial void ServiceStatusChanged(ILogger logger, string institutionId, string serviceId, ServiceStatus status, int version);

    [LoggerMessage(EventId = LogEventIds.Marketplace + 7, Level = LogLevel.Information, Message = "Demand {DemandId} posted by enterprise {Uscc} in {Category}")]
    public static partial void DemandPosted(ILogger logger, string demandId, string uscc, string category);

    [LoggerMessage(EventId = LogEventIds.Marketplace + 8, Level = LogLevel.Information, Message = "Demand {DemandId} closed by {Caller} without an order")]
    public static partial void DemandClosed(ILogger logger, string demandId, string caller);

    [LoggerMessage(EventId = LogEventIds.Marketplace + 9, Level = LogLevel.Information, Message = "Offer on demand {DemandId} made by institution {InstitutionId} for service {ServiceId}")]
    public static partial void OfferMade(ILogger logger, string demandId, string institutionId, string serviceId);

    [LoggerMessage(EventId = LogEventIds.Marketplace + 10, Level = LogLevel.Information, Message = "Offer on demand {DemandId} withdrawn by institution {InstitutionId}")]
    public static partial void OfferWithdrawn(ILogger logger, string demandId, string institutionId);

    [LoggerMessage(EventId = LogEventIds.Marketplace + 11, Level = LogLevel.Information, Message = "Offer of institution {InstitutionId} on demand {DemandId} accepted by {Caller}: service order {OrderId}")]
    public static partial void OfferAccepted(ILogger logger, string demandId, string institutionId, string orderId, string caller);

    [LoggerMessage(EventId = LogEventIds.Marketplace + 20, Level = LogLevel.Information, Message = "Catalogue search index loaded: {Services} searchable services of {Institutions} institutions")]
    public static partial void IndexLoaded(ILogger logger, int services, int institutions);

    [LoggerMessage(EventId = LogEventIds.Marketplace + 21, Level = LogLevel.Warning, Message = "Catalogue search index refresh failed in the background; searches answer from the index as it is until it is {MaxStalenessSeconds} s old")]
    public static partial void IndexRefreshFailed(ILogger logger, Exception exception, double maxStalenessSeconds);
}
