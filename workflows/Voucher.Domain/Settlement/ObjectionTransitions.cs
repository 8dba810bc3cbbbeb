namespace Voucher.Domain;

/// <summary>An objection is resolved once: Open → Upheld | Dismissed. Upheld and Dismissed are final.</summary>
public static class ObjectionTransitions
{
    public static bool IsAllowed(ObjectionStatus from, ObjectionStatus to) =>
        from == ObjectionStatus.Open && to is ObjectionStatus.Upheld or ObjectionStatus.Dismissed;

    /// <summary>Throws <see cref="DomainException"/> naming both states when the move is not allowed.</summary>
    public static void Ensure(ObjectionStatus from, ObjectionStatus to)
    {
        if (!IsAllowed(from, to))
        {
            throw new DomainException($"异议状态不能从 {from} 变更为 {to} (An objection cannot move from {from} to {to})");
        }
    }
}
