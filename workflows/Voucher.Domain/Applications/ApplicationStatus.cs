namespace Voucher.Domain;

/// <summary>Status of a voucher application.</summary>
public enum ApplicationStatus
{
    Submitted,
    Ineligible,
    UnderReview,
    Escalated,
    Approved,
    Rejected,
    Withdrawn,
}
