namespace Voucher.Domain.Tests.Settlement;

public sealed class AdvancePaymentsTests
{
    [Fact]
    public void IsDue_FromQueuedToPayable_NotBeforeNorAfter()
    {
        RedemptionStatus[] due = [RedemptionStatus.Queued, RedemptionStatus.InBatch, RedemptionStatus.Approved, RedemptionStatus.Published, RedemptionStatus.Objected, RedemptionStatus.Payable];
        Assert.All(Enum.GetValues<RedemptionStatus>(), s => Assert.Equal(due.Contains(s), AdvancePayments.IsDue(s)));
    }
}
