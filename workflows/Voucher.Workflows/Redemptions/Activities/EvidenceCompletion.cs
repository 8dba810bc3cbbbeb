using Voucher.Workflows.Evidence;

namespace Voucher.Workflows.Redemptions;

/// <summary>
/// The one rule that records a redemption's evidence as complete: all three files are in storage and the redemption is
/// not final; recorded once (the first time stamp stays). The upload that completes the set records it, the
/// evidence-complete event applies it, and so does every binding step of the orchestration from the files in storage —
/// an event raised before the engine had committed the orchestration's start is discarded by the Durable Task Framework
/// ("No such instance"), and the evidence must not wait for a redelivery to count.
/// </summary>
public sealed class EvidenceCompletion(RedemptionStore redemptions, EvidenceStore evidence, Microsoft.Extensions.Logging.ILogger<EvidenceCompletion> log)
{
    /// <summary>
    /// The row after the check, and whether this call recorded the evidence as complete (<paramref name="known"/>: the row
    /// just read; <paramref name="completeInStorage"/>: the caller has just found all three files stored).
    /// </summary>
    public async Task<(RedemptionEntity Redemption, bool Recorded)> RecordIfCompleteAsync(string redemptionId, DateTime at, CancellationToken ct, RedemptionEntity? known = null, bool completeInStorage = false)
    {
        var complete = completeInStorage || await evidence.IsCompleteAsync(redemptionId, ct);
        var recorded = false;
        var r = await redemptions.UpdateAsync(redemptionId, e =>
        {
            if (!complete || e.EvidenceComplete || RedemptionTransitions.IsFinal(e.State))
            {
                return false;
            }

            e.EvidenceComplete = true;
            e.EvidenceCompleteAt = RedemptionSteps.Utc(at);
            e.AnnounceNothingElse();
            return recorded = true;
        }, ct, known: known);
        if (recorded)
        {
            RedemptionLog.EvidenceCompleted(log, r.RedemptionId);
        }

        return (r, recorded);
    }
}
