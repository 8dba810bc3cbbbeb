using Voucher.Workflows.Audit;
using Voucher.Workflows.Policies;

namespace Voucher.Workflows.Redemptions;

/// <summary>What the redemption activities share: the state snapshot, the policy version in force, audit entries.</summary>
public sealed class RedemptionSteps(RedemptionStore redemptions, PolicyStore policies, AuditLog audit)
{
    public RedemptionStore Store => redemptions;

    public static RedemptionState StateOf(RedemptionEntity r)
    {
        var s = r.State;
        var binding = BindingDeadlines.Of(r);
        return new RedemptionState(
            r.RedemptionId,
            r.Status,
            // Final only once the money side of a rejection or payment was done (or nothing was ever reserved).
            RedemptionTransitions.IsFinal(s) && (s is RedemptionStatus.Withdrawn or RedemptionStatus.Stopped || r.SettledAt is not null),
            r.Bound && r.EvidenceComplete && s is RedemptionStatus.AwaitingEvidence,
            s == RedemptionStatus.AwaitingBinding && !r.Bound && r.Binding == BindingMode.System && r.BindingDeadline is not null,
            r.BindingRound,
            binding?.RemindAtUtc,
            binding?.EndsAtUtc);
    }

    /// <summary>The policy version the redemption was requested under: later changes never alter it.</summary>
    public async Task<CityPolicy> PolicyOfAsync(RedemptionEntity r, CancellationToken ct) =>
        await policies.GetVersionAsync(r.CityCode, r.PolicyVersion, ct) ?? await policies.GetCurrentAsync(r.CityCode, ct);

    /// <param name="to">The state the change moved to; the row's state when not given. A step run again after the row moved on
    /// names the state its first run moved to, so the entry keeps its row key.</param>
    /// <param name="before">An earlier change's entry of the same step, written in the same call (one storage call for both).</param>
    public Task AuditAsync(RedemptionEntity r, string actor, DateTime at, string from, string detail, CancellationToken ct, RedemptionStatus? to = null, AuditEntry? before = null) =>
        before is null
            ? audit.AppendAsync(AuditSubjects.Redemption(r.RedemptionId), actor, Utc(at), from, (to ?? r.Status).ToString(), r.PolicyVersion, detail, ct)
            : audit.AppendManyAsync([before, EntryOf(r, actor, at, from, detail, to)], ct);

    /// <summary>The entry <see cref="AuditAsync"/> writes, for a step that hands it to the next to write with its own.</summary>
    public static AuditEntry EntryOf(RedemptionEntity r, string actor, DateTime at, string from, string detail, RedemptionStatus? to = null) =>
        AuditLog.Entry(AuditSubjects.Redemption(r.RedemptionId), actor, Utc(at), from, (to ?? r.Status).ToString(), r.PolicyVersion, detail);

    /// <summary>Writes an entry handed on by an earlier step when the step it was handed to writes none of its own.</summary>
    public Task AuditAsync(AuditEntry? entry, CancellationToken ct) =>
        entry is null ? Task.CompletedTask : audit.AppendManyAsync([entry], ct);

    /// <summary>The entry <see cref="AuditAsync"/> would write, for a settlement step that writes a batch's entries together.</summary>
    public static (string RedemptionId, AuditEntry Entry) BatchEntry(RedemptionEntity r, string actor, DateTime at, string from, string detail) =>
        (r.RedemptionId, AuditLog.Entry(AuditSubjects.Redemption(r.RedemptionId), actor, Utc(at), from, r.Status.ToString(), r.PolicyVersion, detail));

    /// <summary>Writes a settlement step's item entries into the batch's partition, 100 per storage call.</summary>
    public Task AuditBatchAsync(string batchId, IEnumerable<(string RedemptionId, AuditEntry Entry)> entries, CancellationToken ct) =>
        audit.AppendBatchItemsAsync(batchId, entries, ct);

    /// <summary>
    /// Inside a row change: names on the row the entry <see cref="AuditAsync"/> (or <see cref="EntryOf"/>) writes after
    /// it for this change, so the row vouches for the status view once that entry is in (<see cref="RedemptionViewKey"/>).
    /// </summary>
    public static void Announce(RedemptionEntity e, DateTime at, string from, RedemptionStatus? to = null) =>
        e.AnnounceEntry(AuditLog.KeyOf(Utc(at), from, (to ?? e.Status).ToString()));

    /// <summary>Moves the status when the transition is legal; returns the previous status, or null when nothing changed.</summary>
    public static string? Move(RedemptionEntity r, RedemptionStatus to) => r.TryMoveTo(to)?.ToString();

    public static DateTimeOffset Utc(DateTime at) => new(DateTime.SpecifyKind(at, DateTimeKind.Utc));
}
