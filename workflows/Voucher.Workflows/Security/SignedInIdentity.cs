namespace Voucher.Workflows.Security;

/// <summary>
/// Who signed in, as the identity provider says: the stable subject id, the name and (when the provider vouches for it) the
/// phone. The role the person acts in is not the provider's to say: it comes from the person's active membership
/// (<see cref="Accounts.MembershipPrincipals"/>). <see cref="ClaimedRoles"/> carries the Entra ID app roles of a
/// deployment that granted roles in the token before memberships existed; they are granted once as memberships
/// (infra/README.md, "Memberships and the sign-in").
/// </summary>
public sealed record SignedInIdentity(string Subject, string Name, string? Phone)
{
    /// <summary>Role and scope pairs the token carried (<c>roles</c> + <c>voucher_scope</c>), only from an Entra ID sign-in.</summary>
    public IReadOnlyList<(Role Role, string? Scope)> ClaimedRoles { get; init; } = [];
}
