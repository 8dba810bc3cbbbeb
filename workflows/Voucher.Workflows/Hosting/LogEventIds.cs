namespace Voucher.Workflows.Hosting;

/// <summary>
/// The first event id of each area's source-generated log messages (<c>[LoggerMessage(EventId = LogEventIds.X + n)]</c>),
/// so an id names its area in any log query; each area keeps its ids below the next area's first.
/// </summary>
public static class LogEventIds
{
    /// <summary>The request dispatcher: failures and refused requests.</summary>
    public const int Http = 1000;

    public const int Notifications = 2000;

    /// <summary>The local host (3000–4999): timers, Azurite, the sidecar.</summary>
    public const int LocalHost = 3000;

    /// <summary>Policy and the working-day calendar.</summary>
    public const int Policies = 5000;

    public const int Applications = 6000;

    public const int Vouchers = 6100;

    public const int Redemptions = 6200;

    public const int Settlement = 6300;

    public const int Marketplace = 6400;

    public const int Supervision = 6500;

    public const int Enforcement = 6600;

    public const int Agencies = 6700;

    /// <summary>Operations: readiness, retention, the personal-data export.</summary>
    public const int Operations = 6800;
    /// <summary>Table exports and restores.</summary>
    public const int Backups = 6900;
}
