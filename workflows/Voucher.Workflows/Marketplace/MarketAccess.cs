namespace Voucher.Workflows.Marketplace;

/// <summary>The marketplace's ownership rules about institutions, in one place for the services that check them.</summary>
public static class MarketAccess
{
    /// <summary>The caller is the institution itself (an institution user whose scope is its id).</summary>
    public static bool IsInstitution(VoucherPrincipal? caller, string institutionId) =>
        caller is { Role: Role.Institution } && caller.Scope == institutionId;

    /// <summary>The institution itself and the province centre see it whole: every state, every service, its contacts and records.</summary>
    public static bool SeesAllOf(VoucherPrincipal? caller, string institutionId) =>
        caller is { Role: Role.Province } || IsInstitution(caller, institutionId);
}
