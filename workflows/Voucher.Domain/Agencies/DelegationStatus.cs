using System.Text.Json.Serialization;

namespace Voucher.Domain;

/// <summary>
/// What the delegating party did with a delegation; by name in storage and audit. Whether it holds on a given day also
/// depends on its end date (expired is read from the date, never stored).
/// </summary>
[JsonConverter(typeof(JsonStringEnumConverter<DelegationStatus>))]
public enum DelegationStatus
{
    /// <summary>Granted and not revoked.</summary>
    Active,

    /// <summary>Revoked by the party; final (a new delegation is granted instead).</summary>
    Revoked,
}

/// <summary>The delegation state machine: Active → Revoked, once. Revoked is final.</summary>
public static class DelegationTransitions
{
    public static bool IsAllowed(DelegationStatus from, DelegationStatus to) =>
        from == DelegationStatus.Active && to == DelegationStatus.Revoked;

    /// <summary>Throws <see cref="DomainException"/> naming both states when the move is not allowed.</summary>
    public static void Ensure(DelegationStatus from, DelegationStatus to)
    {
        if (!IsAllowed(from, to))
        {
            throw new DomainException($"委托状态不能从 {from} 变更为 {to} (Delegation cannot move from {from} to {to})");
        }
    }
}
