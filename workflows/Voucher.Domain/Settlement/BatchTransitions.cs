namespace Voucher.Domain;

/// <summary>
/// The settlement batch's state machine:
/// Forming → Reviewing | Closed (a batch with no items closes at once);
/// Reviewing → Deciding (the bureau submits);
/// Deciding → Publicity;
/// Publicity → Closed.
/// Closed is final.
/// </summary>
public static class BatchTransitions
{
    private static readonly Dictionary<BatchStage, BatchStage[]> Allowed = new()
    {
        [BatchStage.Forming] = [BatchStage.Reviewing, BatchStage.Closed],
        [BatchStage.Reviewing] = [BatchStage.Deciding],
        [BatchStage.Deciding] = [BatchStage.Publicity],
        [BatchStage.Publicity] = [BatchStage.Closed],
    };

    public static bool IsAllowed(BatchStage from, BatchStage to) =>
        Allowed.TryGetValue(from, out var targets) && Array.IndexOf(targets, to) >= 0;

    /// <summary>Throws <see cref="DomainException"/> naming both stages when the move is not allowed.</summary>
    public static void Ensure(BatchStage from, BatchStage to)
    {
        if (!IsAllowed(from, to))
        {
            throw new DomainException($"结算批次不能从 {from} 变更为 {to} (A settlement batch cannot move from {from} to {to})");
        }
    }
}
