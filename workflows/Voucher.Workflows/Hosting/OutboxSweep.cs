using Microsoft.DurableTask.Client;
using Voucher.Workflows.Applications;
using Voucher.Workflows.Durable;
using Voucher.Workflows.Notifications;
using Voucher.Workflows.Redemptions;

namespace Voucher.Workflows.Hosting;

/// <summary>
/// What the outbox timer does on every host, in one place so the Functions app's <c>OutboxSweep</c> timer and the local
/// host's <c>OutboxSweepService</c> cannot drift: deliver notifications not delivered at once, start orchestrations a
/// dead host owed (<see cref="PendingStarts"/>), then raise again review decisions and redemption events not applied
/// in time (<see cref="PendingReviewDecisions"/>, <see cref="PendingRedemptionEvents"/>; after the starts, so an event for
/// a just-started instance is not lost).
/// </summary>
public sealed class OutboxSweep(Outbox outbox, PendingStarts starts, PendingReviewDecisions decisions, PendingRedemptionEvents events)
{
    public async Task RunAsync(DurableTaskClient durable, CancellationToken ct)
    {
        await outbox.SweepAsync(ct);
        await starts.HealAsync(durable, ct);
        await decisions.RedeliverAsync(durable, ct);
        await events.RedeliverAsync(durable, ct);
    }
}
