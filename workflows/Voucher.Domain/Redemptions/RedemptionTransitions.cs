namespace Voucher.Domain;

/// <summary>The redemption state machine in one place; an illegal move throws <see cref="DomainException"/>.</summary>
public static class RedemptionTransitions
{
    static readonly Dictionary<RedemptionStatus, RedemptionStatus[]> Allowed = new()
    {
        [RedemptionStatus.AwaitingBinding] = [RedemptionStatus.AwaitingEvidence, RedemptionStatus.Queued, RedemptionStatus.BindingOverdue, RedemptionStatus.Disputed, RedemptionStatus.Withdrawn, RedemptionStatus.Stopped],
        [RedemptionStatus.BindingOverdue] = [RedemptionStatus.AwaitingBinding, RedemptionStatus.Withdrawn, RedemptionStatus.Stopped],
        [RedemptionStatus.Disputed] = [RedemptionStatus.AwaitingBinding, RedemptionStatus.Withdrawn, RedemptionStatus.Stopped],
        [RedemptionStatus.AwaitingEvidence] = [RedemptionStatus.Queued, RedemptionStatus.Withdrawn, RedemptionStatus.Stopped],
        [RedemptionStatus.Queued] = [RedemptionStatus.InBatch, RedemptionStatus.Withdrawn, RedemptionStatus.Stopped],
        [RedemptionStatus.InBatch] = [RedemptionStatus.Approved, RedemptionStatus.Rejected],
        [RedemptionStatus.Approved] = [RedemptionStatus.Published],
        [RedemptionStatus.Published] = [RedemptionStatus.Objected, RedemptionStatus.Payable],
        // An objection dismissed while the window is still open puts it back on the list until the window ends; dismissed
        // after the window, it is payable; upheld, rejected.
        [RedemptionStatus.Objected] = [RedemptionStatus.Published, RedemptionStatus.Payable, RedemptionStatus.Rejected],
        [RedemptionStatus.Payable] = [RedemptionStatus.Paid],
    };

    public static bool IsAllowed(RedemptionStatus from, RedemptionStatus to) =>
        Allowed.TryGetValue(from, out var targets) && Array.IndexOf(targets, to) >= 0;

    public static void Ensure(RedemptionStatus from, RedemptionStatus to)
    {
        if (!IsAllowed(from, to))
        {
            throw new DomainException($"兑付状态不能从 {from} 变更为 {to} (Redemption cannot move from {from} to {to})");
        }
    }

    public static bool IsFinal(RedemptionStatus s) => s is RedemptionStatus.Paid or RedemptionStatus.Rejected or RedemptionStatus.Withdrawn or RedemptionStatus.Stopped;

    /// <summary>
    /// A violation stops a redemption that has not reached the batch yet. From the batch on, the settlement owns it:
    /// the bureau rejects it in the review (or upholds an objection) with the violation as the reason.
    /// </summary>
    public static bool CanStop(RedemptionStatus s) => IsAllowed(s, RedemptionStatus.Stopped);

    /// <summary>The SME may withdraw until the bureau's review starts.</summary>
    public static bool CanWithdraw(RedemptionStatus s) => IsAllowed(s, RedemptionStatus.Withdrawn);

    /// <summary>The bureau may re-open the institution's binding (a new round) once it is overdue or disputed.</summary>
    public static bool CanReopenBinding(RedemptionStatus s) => IsAllowed(s, RedemptionStatus.AwaitingBinding);

    /// <summary>Evidence may be uploaded or replaced until the redemption is queued for settlement; from then on it is locked.</summary>
    public static bool TakesEvidence(RedemptionStatus s) =>
        s is RedemptionStatus.AwaitingBinding or RedemptionStatus.AwaitingEvidence or RedemptionStatus.BindingOverdue or RedemptionStatus.Disputed;
}
