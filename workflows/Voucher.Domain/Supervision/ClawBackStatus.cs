using System.Text.Json.Serialization;

namespace Voucher.Domain;

/// <summary>Where a claw-back (追回) stands; by name in storage and JSON.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<ClawBackStatus>))]
public enum ClawBackStatus
{
    /// <summary>Recorded with its violation: the finance bureau is to recover the money.</summary>
    Due,

    /// <summary>The finance bureau confirmed the money came back (with its reference); final.</summary>
    Confirmed,
}

/// <summary>The claw-back state machine: Due → Confirmed, once. Confirmed is final.</summary>
public static class ClawBackTransitions
{
    public static bool IsAllowed(ClawBackStatus from, ClawBackStatus to) =>
        from == ClawBackStatus.Due && to == ClawBackStatus.Confirmed;

    /// <summary>Throws <see cref="DomainException"/> naming both states when the move is not allowed.</summary>
    public static void Ensure(ClawBackStatus from, ClawBackStatus to)
    {
        if (!IsAllowed(from, to))
        {
            throw new DomainException($"追回状态不能从 {from} 变更为 {to} (Claw-back cannot move from {from} to {to})");
        }
    }
}
