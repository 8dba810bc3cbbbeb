namespace Voucher.Workflows.Worklists;

/// <summary>The officers' work lists (pages; each answers its own export with <c>format=xlsx|csv</c>).</summary>
public static class WorkListRoutes
{
    public static IReadOnlyList<RouteDef> All { get; } =
    [
        RouteDef.For<WorkListPages>("PortalWorkApplications", "GET", "portal/work/applications", Access.Only(Role.CityBureau), (h, c) => h.ApplicationsAsync(c)),
        RouteDef.For<WorkListPages>("PortalWorkBatches", "GET", "portal/work/batches", Access.Only(Role.CityBureau), (h, c) => h.BatchesAsync(c)),
        RouteDef.For<WorkListPages>("PortalWorkClawBacks", "GET", "portal/work/clawbacks", Access.Only(Role.FinanceBureau), (h, c) => h.ClawBacksAsync(c)),
        RouteDef.For<WorkListPages>("PortalWorkViolations", "GET", "portal/work/violations", Access.Only(Role.CityBureau, Role.Province), (h, c) => h.ViolationsAsync(c)),
        RouteDef.For<WorkListPages>("PortalWorkInstitutions", "GET", "portal/work/institutions", Access.Only(Role.Province), (h, c) => h.InstitutionsAsync(c)),
        RouteDef.For<WorkListPages>("PortalWorkRedemptions", "GET", "portal/work/redemptions", Access.Only(Role.CityBureau), (h, c) => h.RedemptionsAsync(c)),
    ];
}
