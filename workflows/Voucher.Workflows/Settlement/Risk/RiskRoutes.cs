namespace Voucher.Workflows.Settlement.Risk;

/// <summary>The province centre's cross-city list of flagged batch items (the page answers its .xlsx/CSV with <c>format</c>), and its risk rules page.</summary>
public static class RiskRoutes
{
    public static IReadOnlyList<RouteDef> All { get; } =
    [
        RouteDef.For<ProvinceRiskPages>("PortalProvinceRisk", "GET", "portal/province/risk", Access.Only(Role.Province), (h, c) => h.ListAsync(c)),
        RouteDef.For<ProvinceRiskPolicyPages>("PortalProvinceRiskPolicy", "GET", "portal/province/risk/policy", Access.Only(Role.Province), (h, c) => h.PageAsync(c)),
        RouteDef.For<ProvinceRiskPolicyPages>("PortalProvinceRiskPolicyPublish", "POST", "portal/province/risk/policy", Access.Only(Role.Province), (h, c) => h.PublishAsync(c)),
    ];
}
