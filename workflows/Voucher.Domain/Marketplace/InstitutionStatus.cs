using System.Text.Json.Serialization;

namespace Voucher.Domain;

/// <summary>Where the province centre's verification of a service institution stands; stored and shown lowercase.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<InstitutionStatus>))]
public enum InstitutionStatus
{
    /// <summary>Registered, or its code or sharing-platform id changed since: waiting for the province centre.</summary>
    [JsonStringEnumMemberName("pending")]
    Pending,

    /// <summary>The province centre checked the platform id: the institution publishes services and takes vouchers.</summary>
    [JsonStringEnumMemberName("verified")]
    Verified,

    /// <summary>Refused, with a reason; a changed code or platform id asks again.</summary>
    [JsonStringEnumMemberName("rejected")]
    Rejected,
}

/// <summary>
/// The institution state machine: Pending → Verified | Rejected; Verified → Rejected (the province centre reverses
/// itself) | Pending (the code or platform id changed); Rejected → Verified (reversed) | Pending (changed). Deciding
/// the same again is no move: the service answers it without one.
/// </summary>
public static class InstitutionTransitions
{
    static readonly Dictionary<InstitutionStatus, InstitutionStatus[]> Allowed = new()
    {
        [InstitutionStatus.Pending] = [InstitutionStatus.Verified, InstitutionStatus.Rejected],
        [InstitutionStatus.Verified] = [InstitutionStatus.Rejected, InstitutionStatus.Pending],
        [InstitutionStatus.Rejected] = [InstitutionStatus.Verified, InstitutionStatus.Pending],
    };

    public static bool IsAllowed(InstitutionStatus from, InstitutionStatus to) =>
        Allowed.TryGetValue(from, out var targets) && Array.IndexOf(targets, to) >= 0;

    /// <summary>Throws <see cref="DomainException"/> naming both states when the move is not allowed.</summary>
    public static void Ensure(InstitutionStatus from, InstitutionStatus to)
    {
        if (!IsAllowed(from, to))
        {
            throw new DomainException($"服务机构状态不能从 {from} 变更为 {to} (Institution cannot move from {from} to {to})");
        }
    }
}
