namespace Voucher.Workflows.Security;

/// <summary>
/// Who is calling: a role and the scope the role acts in (the enterprise's USCC, the institution's id,
/// the bureau's city). The same shape comes from App Service Authentication in Azure and from the
/// development sign-in locally.
/// </summary>
public sealed record VoucherPrincipal(string UserId, string DisplayName, Role Role, string? Scope)
{
    /// <summary>The notification address of this principal's inbox, e.g. <c>city-bureau:taiyuan</c>.</summary>
    public string Address => Addresses.For(Role, Scope);

    /// <summary>The membership this principal acts through (null for a principal read straight from claims).</summary>
    public string? MembershipId { get; init; }

    /// <summary>False while the membership is a claim waiting for verification: the person may fill in the profile but not act.</summary>
    public bool Verified { get; init; } = true;

    /// <summary>Set when an agency acts for this party under a delegation: the agency's id (its own principal's scope).</summary>
    public string? Agency { get; init; }

    /// <summary>Who did it, as audit records and workflow events name it: the party, plus the agency acting for it.</summary>
    public string Actor => Agency is null ? Address : Agencies.AgencyActor.Format(Address, Agency);

    public bool IsEnterprise(string uscc) => Role == Role.Enterprise && string.Equals(Scope, uscc, StringComparison.Ordinal);

    public bool IsBureauOf(string cityCode) =>
        Role == Role.CityBureau && string.Equals(Scope, cityCode, StringComparison.OrdinalIgnoreCase);
}

/// <summary>Inbox addresses: a role plus its scope. Notifications go to addresses, not to people.</summary>
public static class Addresses
{
    public static string For(Role role, string? scope) =>
        scope is null or "" ? RoleNames.ClaimValue(role) : $"{RoleNames.ClaimValue(role)}:{scope}";

    public static string Enterprise(string uscc) => For(Role.Enterprise, uscc);

    public static string CityBureau(string cityCode) => For(Role.CityBureau, cityCode);

    public static string Province => For(Role.Province, null);
}
