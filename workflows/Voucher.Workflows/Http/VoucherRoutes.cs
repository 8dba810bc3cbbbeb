using Voucher.Workflows.Agencies;
using Voucher.Workflows.Applications;
using Voucher.Workflows.Enforcement;
using Voucher.Workflows.Enterprises;
using Voucher.Workflows.Hosting;
using Voucher.Workflows.Marketplace;
using Voucher.Workflows.Policies;
using Voucher.Workflows.Portal;
using Voucher.Workflows.Redemptions;
using Voucher.Workflows.Settlement;
using Voucher.Workflows.Supervision;
using Voucher.Workflows.Vouchers;
using Voucher.Workflows.Web;

namespace Voucher.Workflows.Http;

/// <summary>
/// Every HTTP route, once: each area lists its own routes beside its code (<c>*Routes.cs</c> in the area's folder) and
/// this is the one place that gathers them. The local host maps this table; the Functions app has one HTTP-triggered
/// function per non-local entry with the same name, method and route (generated from the areas' files by
/// <c>.ci/generate-http-functions.py</c>; a test compares the app's function metadata with this table). Order does not
/// matter: both hosts match a request by template precedence, and no two routes share a method and template.
/// </summary>
public static class VoucherRoutes
{
    public static IReadOnlyList<RouteDef> All { get; } =
    [
        .. HostRoutes.All,
        .. PortalRoutes.All,
        .. Accounts.AccountRoutes.All,
        .. EnterpriseRoutes.All,
        .. ApplicationRoutes.All,
        .. IssuedVoucherRoutes.All,
        .. RedemptionRoutes.All,
        .. SettlementRoutes.All,
        .. Settlement.Risk.RiskRoutes.All,
        .. PolicyRoutes.All,
        .. SupervisionRoutes.All,
        .. EnforcementRoutes.All,
        .. Worklists.WorkListRoutes.All,
        .. MarketplaceRoutes.All,
        .. AgencyRoutes.All,
        .. WebRoutes.All,
        .. Accounts.OnboardingRoutes.All,
    ];

    public static RouteDef Get(string name) =>
        All.FirstOrDefault(r => r.Name == name) ?? throw new ArgumentException($"No route named '{name}'.", nameof(name));
}
