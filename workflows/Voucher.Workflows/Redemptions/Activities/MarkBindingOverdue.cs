using Voucher.Workflows.Durable;

namespace Voucher.Workflows.Redemptions;

/// <summary>The binding deadline passed: a visible "binding overdue" state; the SME and the city bureau are told.</summary>
public sealed class MarkBindingOverdue(RedemptionSteps steps, RedemptionNotices notices, Microsoft.Extensions.Logging.ILogger<MarkBindingOverdue> log)
    : IActivity<RedemptionRoundInput, bool>
{
    public async Task<bool> RunAsync(RedemptionRoundInput input, CancellationToken ct = default)
    {
        string? from = null;
        var r = await steps.Store.UpdateAsync(input.RedemptionId, e =>
        {
            from = null; // an attempt whose write lost the race (412) must not count as the move
            if (e.Bound || e.BindingRound != input.Round)
            {
                return false;
            }

            from = RedemptionSteps.Move(e, RedemptionStatus.BindingOverdue);
            if (from is not null)
            {
                RedemptionSteps.Announce(e, input.At, from);
            }

            return from is not null;
        }, ct);
        if (r.State != RedemptionStatus.BindingOverdue || r.BindingRound != input.Round)
        {
            RedemptionLog.EventChangedNothing(log, r.RedemptionId, "binding-deadline", input.Round, r.State);
            return false;
        }

        if (from is not null)
        {
            await steps.AuditAsync(r, "system", input.At, from, $"服务机构未在 {r.BindingDeadline} 前确认 (binding deadline passed)", ct);
        }

        await notices.BindingOverdueAsync(r, input.Round, input.At, ct);
        RedemptionLog.BindingOverdue(log, r.RedemptionId, input.Round, r.BindingDeadline);
        return true;
    }
}
