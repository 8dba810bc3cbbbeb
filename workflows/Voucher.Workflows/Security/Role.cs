namespace Voucher.Workflows.Security;

/// <summary>The parties of the voucher scheme. The claim value is what App Service Authentication carries.</summary>
public enum Role
{
    Enterprise,
    Institution,
    Agency,
    CityBureau,
    FinanceBureau,
    Expert,
    Province,
}

public static class RoleNames
{
    public static string ClaimValue(Role role) => role switch
    {
        Role.Enterprise => "enterprise",
        Role.Institution => "institution",
        Role.Agency => "agency",
        Role.CityBureau => "city-bureau",
        Role.FinanceBureau => "finance-bureau",
        Role.Expert => "expert",
        Role.Province => "province",
        _ => throw new ArgumentOutOfRangeException(nameof(role)),
    };

    public static bool TryParse(string? value, out Role role)
    {
        foreach (var candidate in Enum.GetValues<Role>())
        {
            if (string.Equals(ClaimValue(candidate), value, StringComparison.OrdinalIgnoreCase))
            {
                role = candidate;
                return true;
            }
        }

        role = default;
        return false;
    }

    public static string Chinese(Role role) => role switch
    {
        Role.Enterprise => "企业",
        Role.Institution => "服务机构",
        Role.Agency => "代理机构",
        Role.CityBureau => "市科技局",
        Role.FinanceBureau => "市财政局",
        Role.Expert => "评审专家",
        Role.Province => "省科技厅",
        _ => role.ToString(),
    };
}
