namespace Voucher.Workflows.Security;

/// <summary>
/// Who may call a route. Resource ownership (this enterprise's application, this city's queue) is
/// checked again inside the handler, where the resource is known.
/// </summary>
public sealed record Access(bool Anonymous, IReadOnlySet<Role> Roles, string Description)
{
    /// <summary>Whether a principal whose membership still waits for verification may call the route (profile, onboarding, sign-out).</summary>
    public bool AllowsPending { get; init; }

    /// <summary>The same rule, also open to a principal whose membership waits for verification.</summary>
    public Access AllowingPending() => this with { AllowsPending = true };

    /// <summary>
    /// Whether a signed-in person without any acting membership may call the route (their own memberships, accepting an
    /// invitation, claiming a party); the handler then has no principal and reads the person from <c>SignedIn.Of</c>.
    /// </summary>
    public bool AllowsWithoutMembership { get; init; }

    /// <summary>Any signed-in person, with or without a membership, pending or verified: the person's own account pages.</summary>
    public static Access Person { get; } = new(false, Enum.GetValues<Role>().ToHashSet(), "any signed-in person") { AllowsPending = true, AllowsWithoutMembership = true };

    public static Access Public { get; } = new(true, new HashSet<Role>(), "anyone");

    /// <summary>Anyone holding a valid signed link; the link itself is the authorisation.</summary>
    public static Access SignedLink { get; } = new(true, new HashSet<Role>(), "holder of a signed link");

    public static Access SignedIn { get; } = new(false, Enum.GetValues<Role>().ToHashSet(), "any signed-in role");

    public static Access Only(params Role[] roles) =>
        new(false, roles.ToHashSet(), string.Join(", ", roles.Select(RoleNames.ClaimValue)));

    public bool Allows(VoucherPrincipal? principal) =>
        Anonymous || (principal is not null && Roles.Contains(principal.Role) && (principal.Verified || AllowsPending));
}
