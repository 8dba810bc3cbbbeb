namespace Voucher.Domain;

/// <summary>
/// The application state machine:
/// Submitted → UnderReview | Ineligible | Withdrawn;
/// UnderReview → Escalated | Approved | Rejected | Withdrawn;
/// Escalated → Escalated | Approved | Rejected | Withdrawn.
/// Ineligible, Approved, Rejected and Withdrawn are final.
/// </summary>
public static class ApplicationTransitions
{
    private static readonly Dictionary<ApplicationStatus, ApplicationStatus[]> Allowed = new()
    {
        [ApplicationStatus.Submitted] = [ApplicationStatus.UnderReview, ApplicationStatus.Ineligible, ApplicationStatus.Withdrawn],
        [ApplicationStatus.UnderReview] = [ApplicationStatus.Escalated, ApplicationStatus.Approved, ApplicationStatus.Rejected, ApplicationStatus.Withdrawn],
        [ApplicationStatus.Escalated] = [ApplicationStatus.Escalated, ApplicationStatus.Approved, ApplicationStatus.Rejected, ApplicationStatus.Withdrawn],
    };

    public static bool IsAllowed(ApplicationStatus from, ApplicationStatus to) =>
        Allowed.TryGetValue(from, out var targets) && Array.IndexOf(targets, to) >= 0;

    /// <summary>Throws <see cref="DomainException"/> naming both states when the transition is not allowed.</summary>
    public static void Ensure(ApplicationStatus from, ApplicationStatus to)
    {
        if (!IsAllowed(from, to))
        {
            throw new DomainException($"申请状态不能从 {from} 变更为 {to} (Application cannot move from {from} to {to})");
        }
    }

    public static bool IsFinal(ApplicationStatus s) =>
        s is ApplicationStatus.Ineligible or ApplicationStatus.Approved or ApplicationStatus.Rejected or ApplicationStatus.Withdrawn;
}
