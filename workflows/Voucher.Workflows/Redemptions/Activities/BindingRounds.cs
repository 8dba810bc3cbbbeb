using Voucher.Workflows.Audit;

namespace Voucher.Workflows.Redemptions;

/// <summary>
/// Opening a binding round, stated once for the step that opens a round (<see cref="OpenBindingRound"/>) and for the
/// request that opens round 1 itself (<see cref="RedemptionService.RequestAsync"/>, which saves the orchestration a step):
/// in system mode the deadline is N working days from the day the round opens and the institution gets a signed link;
/// in seal mode the institution's seal on the contract binds it at once (the bureau checks it in review). The row keeps
/// when the round opened (<see cref="RedemptionEntity.BindingRoundOpenedAt"/>); the entry and the message are keyed by it,
/// so writing them again writes the same rows.
/// </summary>
public sealed class BindingRounds(AuditLog audit, RedemptionNotices notices, Microsoft.Extensions.Logging.ILogger<BindingRounds> log)
{
    /// <summary>Opens <paramref name="round"/> on a row waiting for its binding (in memory; the caller writes it).</summary>
    public static void Open(RedemptionEntity e, int round, DateTime at, DeadlinePlan plan)
    {
        e.BindingRound = round;
        e.BindingRoundOpenedAt = RedemptionSteps.Utc(at);
        if (e.Binding == BindingMode.Seal)
        {
            e.Bound = true;
            e.BoundBy = "seal";
            e.BoundAt = e.BindingRoundOpenedAt;
            RedemptionSteps.Move(e, RedemptionStatus.AwaitingEvidence);
        }
        else
        {
            BindingDeadlines.Apply(e, plan);
        }

        // The round's entry (Entry below: from waiting for the binding to where the opening left the row) follows the row.
        RedemptionSteps.Announce(e, at, nameof(RedemptionStatus.AwaitingBinding));
    }

    /// <summary>
    /// The round's audit entry: from waiting for the binding to where the opening left the row (seal mode: bound), at
    /// the time it opened, whatever the row's state now.
    /// </summary>
    static AuditEntry Entry(RedemptionEntity r, CityPolicy policy)
    {
        var seal = r.Binding == BindingMode.Seal;
        var to = seal ? RedemptionStatus.AwaitingEvidence : RedemptionStatus.AwaitingBinding;
        return AuditLog.Entry(AuditSubjects.Redemption(r.RedemptionId), "system", r.BindingRoundOpenedAt!.Value,
            nameof(RedemptionStatus.AwaitingBinding), to.ToString(), r.PolicyVersion, seal
                ? "盖章确认模式：合同须加盖服务机构公章，由市科技局审核时核验 (seal binding: checked in review)"
                : $"第 {r.BindingRound} 轮机构确认，期限 {r.BindingDeadline}（{policy.BindingWorkingDays} 个工作日；{BindingDeadlines.Of(r)?.Basis.Describe()}）");
    }

    /// <summary>
    /// The opened round's entry (in one write with <paramref name="before"/>, the request's own entry, when given), then its
    /// message: in system mode, while the round waits, the institution's request with its link.
    /// </summary>
    public async Task RecordAsync(RedemptionEntity r, CityPolicy policy, CancellationToken ct, AuditEntry? before = null)
    {
        await audit.AppendManyAsync(before is null ? [Entry(r, policy)] : [before, Entry(r, policy)], ct);
        if (r.Binding == BindingMode.Seal)
        {
            RedemptionLog.BoundBySeal(log, r.RedemptionId);
            return;
        }

        RedemptionLog.BindingRoundOpened(log, r.RedemptionId, r.BindingRound, r.BindingDeadline, r.BindingBasis);
        if (r.State == RedemptionStatus.AwaitingBinding && r.BindingDeadline is not null && r.BindingRoundOpenedAt is { } openedAt)
        {
            await notices.BindingRequestedAsync(r, r.BindingRound, DateOnly.Parse(r.BindingDeadline, CultureInfo.InvariantCulture), openedAt.UtcDateTime, ct);
        }
    }

    /// <summary>Round 1 opened by the request itself (the row was written with it).</summary>
    public static bool OpenedByRequest(RedemptionEntity r) => r.BindingRound == 1 && r.BindingRoundOpenedAt is { } at && at == r.SubmittedAt;
}
