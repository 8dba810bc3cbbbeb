namespace Voucher.Domain;

/// <summary>
/// Pre-payments (事前兑付): an advance approved when a trusted enterprise's redemption was queued can be paid, and its
/// payment confirmed, only while the redemption is open — from queued to payable. A final payment or an end before it
/// lets the advance lapse.
/// </summary>
public static class AdvancePayments
{
    /// <summary>The states in which an approved advance can still be paid.</summary>
    public static bool IsDue(RedemptionStatus s) =>
        s is RedemptionStatus.Queued or RedemptionStatus.InBatch or RedemptionStatus.Approved or RedemptionStatus.Published or RedemptionStatus.Objected or RedemptionStatus.Payable;
}
