using System.Security.Cryptography;

namespace Voucher.Workflows.Accounts;

/// <summary>A person's row (<see cref="VoucherStore.Memberships"/>, partition = the person's key, row <see cref="MembershipKeys.PersonRow"/>).</summary>
public sealed class PersonEntity : TableRow
{
    public string Subject { get; set; } = "";

    public string Name { get; set; } = "";

    public string Phone { get; set; } = "";

    public string Email { get; set; } = "";

    public DateTimeOffset FirstSeen { get; set; }

    public Person ToPerson() => new(Subject, Name, Phone.Length > 0 ? Phone : null, Email.Length > 0 ? Email : null, FirstSeen);
}

/// <summary>
/// One membership. The canonical row lives in the person's partition of <see cref="VoucherStore.Memberships"/> (row key =
/// the id); copies live in <see cref="VoucherStore.MembershipIndex"/> under the party (<c>party|role|scope</c>) and under the
/// id (<c>id|ID</c>, which names the person for a lookup by id). Every change rewrites the canonical row, then the copies
/// and the audit entry (derived from the canonical row, so a retried change writes the same rows again).
/// </summary>
public sealed class MembershipEntity : TableRow
{
    public string Id { get; set; } = "";

    public string Subject { get; set; } = "";

    public string Role { get; set; } = "";

    public string Scope { get; set; } = "";

    public string State { get; set; } = "";

    /// <summary>The state before the last change (empty for a new membership); with <see cref="ChangedAt"/> it keys the change's audit entry.</summary>
    public string PreviousState { get; set; } = "";

    public bool Administrator { get; set; }

    public DateTimeOffset ChangedAt { get; set; }

    public string ChangedBy { get; set; } = "";

    public string Reason { get; set; } = "";

    public Membership ToMembership() =>
        new(Id, Subject, Enum.Parse<Security.Role>(Role), Scope.Length > 0 ? Scope : null, Enum.Parse<MembershipState>(State), Administrator, ChangedAt, ChangedBy, Reason.Length > 0 ? Reason : null);

    public MembershipEntity CopyAs(string partitionKey, string rowKey) => new()
    {
        PartitionKey = partitionKey, RowKey = rowKey, Id = Id, Subject = Subject, Role = Role, Scope = Scope, State = State,
        PreviousState = PreviousState, Administrator = Administrator, ChangedAt = ChangedAt, ChangedBy = ChangedBy, Reason = Reason,
    };
}

/// <summary>
/// One party's verified administrators (<see cref="VoucherStore.MembershipIndex"/>, partition <c>admins|role|scope</c>, row
/// <see cref="Row"/>): the membership ids, comma-separated. The last-administrator rule reads and writes it with its ETag
/// (<see cref="MembershipStore"/>), so two revocations at once cannot both leave the party.
/// </summary>
public sealed class AdministratorsEntity : TableRow
{
    public const string Row = "set";

    public string Administrators { get; set; } = "";

    public static string PartitionOf(Role role, string? scope) => "admins" + MembershipKeys.PartyPartition(role, scope)["party".Length..];

    public IReadOnlyList<string> Ids() => Administrators.Split(',', StringSplitOptions.RemoveEmptyEntries);

    public void Set(IEnumerable<string> ids) => Administrators = string.Join(',', ids.Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal));
}

/// <summary>The keys of people and memberships: escaped so any provider's subject (and any scope) is a valid table key.</summary>
public static class MembershipKeys
{
    public const string PersonRow = "person";

    public const string IdRow = "m";

    /// <summary>
    /// A membership's id: the first 20 hex digits of the SHA-256 of subject, role and scope — the same grant twice is the
    /// same row (idempotent), and the id is URL-safe and says nothing about the person.
    /// </summary>
    public static string IdOf(string subject, Role role, string? scope) =>
        Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes($"{subject}\n{RoleNames.ClaimValue(role)}\n{scope ?? ""}")))[..20];

    /// <summary>True for the shape of a membership id (20 lower-case hex digits), before looking it up.</summary>
    public static bool IsIdShape(string? id) => id is { Length: 20 } && id.All(c => c is (>= '0' and <= '9') or (>= 'a' and <= 'f'));

    /// <summary>The person's partition: the subject, escaped (a subject may hold '/', '#', '|' …).</summary>
    public static string PersonPartition(string subject) => Uri.EscapeDataString(subject);

    /// <summary>The party's partition of the index, e.g. <c>party|city-bureau|taiyuan</c>; the province has an empty scope.</summary>
    public static string PartyPartition(Role role, string? scope) => $"party|{RoleNames.ClaimValue(role)}|{Uri.EscapeDataString(scope ?? "")}";

    public static string IdPartition(string id) => "id|" + id;

    /// <summary>The audit subject of one membership's changes.</summary>
    public static string AuditSubject(string id) => "membership:" + id;
}
