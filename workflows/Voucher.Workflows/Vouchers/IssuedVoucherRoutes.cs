namespace Voucher.Workflows.Vouchers;

/// <summary>An issued voucher, read by its holder, its city and the province: as JSON, and as its page.</summary>
public static class IssuedVoucherRoutes
{
    public static IReadOnlyList<RouteDef> All { get; } =
    [
        RouteDef.For<VoucherApi>("GetVoucher", "GET", "api/vouchers/{id}", Access.Only(Role.Enterprise, Role.CityBureau, Role.FinanceBureau, Role.Province), (h, c) => h.GetAsync(c)) with { Contract = ApiContract.Get<VoucherView>() },
        RouteDef.For<VoucherPages>("PortalVoucher", "GET", "portal/vouchers/{id}", Access.Only(Role.Enterprise, Role.CityBureau, Role.Province), (h, c) => h.VoucherPageAsync(c)),
    ];
}
