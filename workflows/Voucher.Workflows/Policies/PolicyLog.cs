using Voucher.Workflows.Hosting;

namespace Voucher.Workflows.Policies;

/// <summary>Policy administration's log: each version published, and the province's cap carried to the cities (5001–5002 are the calendar's).</summary>
public static partial class PolicyLog
{
    [LoggerMessage(EventId = LogEventIds.Policies + 10, Level = LogLevel.Information, Message = "City policy {City} published as version {Version} by {Editor}")]
    public static partial void CityPolicyPublished(ILogger logger, string city, int version, string editor);

    [LoggerMessage(EventId = LogEventIds.Policies + 11, Level = LogLevel.Information, Message = "Province policy published as version {Version} by {Editor}")]
    public static partial void ProvincePolicyPublished(ILogger logger, int version, string editor);

    [LoggerMessage(EventId = LogEventIds.Policies + 12, Level = LogLevel.Information, Message = "Annual cap of province policy version {ProvinceVersion} carried to {City} as its version {Version}")]
    public static partial void CapCarried(ILogger logger, string city, int version, int provinceVersion);

    [LoggerMessage(EventId = LogEventIds.Policies + 13, Level = LogLevel.Warning, Message = "Annual cap of province policy version {ProvinceVersion} not carried to {City} after {Attempts} attempts (its policy kept changing); the city keeps its previous cap")]
    public static partial void CapNotCarried(ILogger logger, string city, int provinceVersion, int attempts);
}
