namespace Voucher.Workflows.Accounts;

/// <summary>
/// Where a membership stands. A claim (an enterprise's person claiming a USCC, an institution registering) starts
/// <see cref="Pending"/> and may fill in the profile but not act; <see cref="Verified"/> acts fully; a rejected claim or a
/// revoked membership acts no more — on the host that made the change from the next request on, on every other host
/// within about a second (<see cref="MembershipCache"/>).
/// </summary>
public enum MembershipState
{
    Pending,
    Verified,
    Rejected,
    Revoked,
}

/// <summary>A person as the identity provider names them: the stable subject id, with name and (optionally) a verified phone.</summary>
public sealed record Person(string Subject, string Name, string? Phone, string? Email, DateTimeOffset FirstSeen);

/// <summary>
/// One role a person holds for one party (the enterprise's USCC, the institution's id, the bureau's city; none for the
/// province). <see cref="Administrator"/> may add and remove the party's other members; the last one cannot leave.
/// </summary>
public sealed record Membership(
    string Id,
    string Subject,
    Role Role,
    string? Scope,
    MembershipState State,
    bool Administrator,
    DateTimeOffset ChangedAt,
    string ChangedBy,
    string? Reason)
{
    public bool Acts => State is MembershipState.Pending or MembershipState.Verified;
}

/// <summary>
/// The memberships of the application: granted, verified, rejected and revoked here, and audited. The identity provider
/// only says who the person is. Every change is idempotent (the id is derived from subject, role and scope) and audited.
/// </summary>
public interface IMemberships
{
    /// <summary>Records (or refreshes the name and phone of) the person behind a sign-in.</summary>
    Task<Person> EnsurePersonAsync(string subject, string name, string? phone, CancellationToken ct);

    Task<Person?> FindPersonAsync(string subject, CancellationToken ct);

    Task<Membership?> FindAsync(string membershipId, CancellationToken ct);

    /// <summary>Every membership of one person, newest change first (the header's switcher lists those that act).</summary>
    Task<IReadOnlyList<Membership>> OfPersonAsync(string subject, CancellationToken ct);

    /// <summary>Every membership held for one party (an enterprise's people, a city bureau's officers).</summary>
    Task<IReadOnlyList<Membership>> OfPartyAsync(Role role, string? scope, CancellationToken ct);

    /// <summary>A claim that waits for verification (state Pending); the same claim again changes nothing.</summary>
    Task<Membership> RequestAsync(string subject, Role role, string? scope, string requestedBy, CancellationToken ct);

    /// <summary>A verified membership granted directly: an accepted invitation, an administrator adding a person, the development sign-in.</summary>
    Task<Membership> GrantAsync(string subject, Role role, string? scope, bool administrator, string grantedBy, CancellationToken ct);

    /// <summary>Verifies a pending claim; the party's first verified member becomes its administrator.</summary>
    Task<Membership> VerifyAsync(string membershipId, string verifiedBy, CancellationToken ct);

    Task<Membership> RejectAsync(string membershipId, string rejectedBy, string reason, CancellationToken ct);

    /// <summary>Revokes a membership; refuses (DomainException) to remove a party's last administrator.</summary>
    Task<Membership> RevokeAsync(string membershipId, string revokedBy, string reason, CancellationToken ct);
}
