using Voucher.Workflows.Durable;

namespace Voucher.Workflows.Redemptions;

/// <summary>
/// Opens a binding round: in system mode the deadline is N working days away and the institution gets a signed
/// link; in seal mode the institution's seal on the contract binds it (the bureau checks it in review) and no
/// link is sent. Already opened: returns the state as recorded — by this same step before a crash: its entry and notice
/// again. Each step first records evidence already complete in storage (<see cref="EvidenceCompletion"/>).
/// </summary>
public sealed class OpenBindingRound(RedemptionSteps steps, EvidenceCompletion evidence, Policies.CalendarStore calendars, RedemptionNotices notices, Microsoft.Extensions.Logging.ILogger<OpenBindingRound> log)
    : IActivity<RedemptionRoundInput, RedemptionState>
{
    public async Task<RedemptionState> RunAsync(RedemptionRoundInput input, CancellationToken ct = default) => (await OpenAsync(input, null, ct)).State;

    /// <summary>As <see cref="RunAsync"/>, starting from the row the caller has just read or written, and handing back the row as this step left it.</summary>
    public async Task<(RedemptionState State, RedemptionEntity Row)> OpenAsync(RedemptionRoundInput input, RedemptionEntity? known, CancellationToken ct)
    {
        var r = known ?? await steps.Store.GetRequiredAsync(input.RedemptionId, ct);
        if (!r.EvidenceComplete && RedemptionTransitions.TakesEvidence(r.State))
        {
            // The files in storage count even when the evidence-complete event was lost (raised before the engine
            // had committed this orchestration's start, the framework drops it); recorded once either way.
            r = (await evidence.RecordIfCompleteAsync(r.RedemptionId, input.At, ct, known: r)).Redemption;
        }

        if (r.BindingRound == input.Round && r.BindingRoundOpenedAt == RedemptionSteps.Utc(input.At))
        {
            // This same step opened the round before a crash cut it short (nothing else moves the row while the
            // orchestration waits for this step): its entry and the institution's notice again, under the same keys.
            var opener = r.Binding == BindingMode.Seal ? nameof(RedemptionStatus.AwaitingBinding) : r.Status.ToString();
            return (await OpenedAsync(r, input, opener, await steps.PolicyOfAsync(r, ct), ct), r);
        }

        if (RedemptionTransitions.IsFinal(r.State) || r.BindingRound >= input.Round || r.State != RedemptionStatus.AwaitingBinding)
        {
            return (RedemptionSteps.StateOf(r), r);
        }

        var policy = await steps.PolicyOfAsync(r, ct);
        var plan = BindingDeadlines.Count(await calendars.CurrentAsync(ct), ChinaTime.DateOf(input.At), policy);
        string? from = null;
        r = await steps.Store.UpdateAsync(r.RedemptionId, e =>
        {
            from = null; // an attempt whose write lost the race (412) must not count as the move
            if (e.BindingRound >= input.Round || e.State != RedemptionStatus.AwaitingBinding)
            {
                return false;
            }

            e.BindingRound = input.Round;
            e.BindingRoundOpenedAt = RedemptionSteps.Utc(input.At);
            if (e.Binding == BindingMode.Seal)
            {
                e.Bound = true;
                e.BoundBy = "seal";
                e.BoundAt = RedemptionSteps.Utc(input.At);
                from = RedemptionSteps.Move(e, RedemptionStatus.AwaitingEvidence);
            }
            else
            {
                BindingDeadlines.Apply(e, plan);
                from = e.Status.ToString();
            }

            return true;
        }, ct, known: r);

        return (from is null ? RedemptionSteps.StateOf(r) : await OpenedAsync(r, input, from, policy, ct), r);
    }

    /// <summary>The round this step opened: its audit entry, and in system mode the institution's request with its link.</summary>
    async Task<RedemptionState> OpenedAsync(RedemptionEntity r, RedemptionRoundInput input, string from, CityPolicy policy, CancellationToken ct)
    {
        await steps.AuditAsync(r, "system", input.At, from, r.Binding == BindingMode.Seal
            ? "盖章确认模式：合同须加盖服务机构公章，由市科技局审核时核验 (seal binding: checked in review)"
            : $"第 {input.Round} 轮机构确认，期限 {r.BindingDeadline}（{policy.BindingWorkingDays} 个工作日；{BindingDeadlines.Of(r)?.Basis.Describe()}）", ct);
        if (r.Binding == BindingMode.Seal)
        {
            RedemptionLog.BoundBySeal(log, r.RedemptionId);
        }
        else
        {
            RedemptionLog.BindingRoundOpened(log, r.RedemptionId, input.Round, r.BindingDeadline, r.BindingBasis);
        }

        if (r.Binding == BindingMode.System && r.State == RedemptionStatus.AwaitingBinding && r.BindingDeadline is not null && r.BindingRound == input.Round)
        {
            await notices.BindingRequestedAsync(r, input.Round, DateOnly.Parse(r.BindingDeadline), input.At, ct);
        }

        return RedemptionSteps.StateOf(r);
    }
}
