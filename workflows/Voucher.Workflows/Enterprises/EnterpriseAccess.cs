namespace Voucher.Workflows.Enterprises;

/// <summary>Who may act for an enterprise and who may read its registration.</summary>
public static class EnterpriseAccess
{
    /// <summary>The enterprise itself (or an agency acting for it), or the province centre.</summary>
    public static bool CanActFor(VoucherPrincipal principal, string uscc) =>
        principal.IsEnterprise(uscc) || principal.Role == Role.Province;

    /// <summary>The enterprise, the province, and the bureaus (S&amp;T, finance) of its city.</summary>
    public static bool CanRead(VoucherPrincipal principal, EnterpriseEntity entity) =>
        principal.IsEnterprise(entity.Uscc)
        || principal.Role == Role.Province
        || ((principal.Role is Role.CityBureau or Role.FinanceBureau) && string.Equals(principal.Scope, entity.CityCode, StringComparison.OrdinalIgnoreCase));
}
