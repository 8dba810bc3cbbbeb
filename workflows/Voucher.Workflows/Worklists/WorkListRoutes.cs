namespace Voucher.Workflows.Worklists;

/// <summary>The officers' work lists (pages; each answers its own export with <c>format=xlsx|csv</c>).</summary>
public static class WorkListRoutes
{
    public static IReadOnlyList<RouteDef> All { get; } =
    [
        RouteDef.For<WorkListPages>("PortalWorkApplications", "GET", "portal/work/applications", Access.Only(Role.CityBureau), (h, c) => h.ApplicationsAsync(c)),
        RouteDef.For<WorkListPages>("PortalWorkBatches", "GET", "portal/work/batches", Access.Only(Role.CityBureau), (h, c) => h.BatchesAsync(c)),
        RouteDef.For<WorkListPages>("PortalWorkRedemptions", "GET", "portal/work/redemptions", Access.Only(Role.CityBureau), (h, c) => h.RedemptionsAsync(c)),
    ];
}
