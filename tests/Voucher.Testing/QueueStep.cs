using Voucher.Workflows.Audit;
using Voucher.Workflows.Storage;

namespace Voucher.Testing;

/// <summary>
/// The redemption's queue step (<c>QueueForSettlement</c>) as a test waits for it: the step moves the row to Queued first
/// (the status a reader sees), then writes its queue row and its risk fact and, after them, its audit entry. Whoever
/// starts a settlement or counts the queue rows right after seeing "Queued" waits for that entry too, or its batch may
/// form without the redemption.
/// </summary>
public static class QueueStep
{
    /// <summary>Waits until the redemption's audit (<see cref="AuditLog.ReadAsync"/>) holds the step's Queued entry.</summary>
    public static Task WaitForItsTailAsync(VoucherStore store, string redemptionId, TimeSpan timeout) =>
        Eventually.UntilAsync(
            async () => (await new AuditLog(store).ReadAsync(AuditSubjects.Redemption(redemptionId))).Any(e => e.ToState == "Queued"),
            timeout,
            $"{redemptionId}: the queue step's audit entry");
}
