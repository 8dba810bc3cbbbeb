using Voucher.Workflows.Durable;

namespace Voucher.Workflows.Redemptions;

/// <summary>Reminds the institution before its binding deadline.</summary>
public sealed class SendBindingReminder(RedemptionStore redemptions, RedemptionNotices notices, Microsoft.Extensions.Logging.ILogger<SendBindingReminder> log)
    : IActivity<RedemptionRoundInput, bool>
{
    public async Task<bool> RunAsync(RedemptionRoundInput input, CancellationToken ct = default)
    {
        var r = await redemptions.GetRequiredAsync(input.RedemptionId, ct);
        if (r.State != RedemptionStatus.AwaitingBinding || r.Bound || r.BindingRound != input.Round || r.BindingDeadline is null)
        {
            RedemptionLog.BindingReminder(log, r.RedemptionId, input.Round, sent: false);
            return false;
        }

        await notices.BindingReminderAsync(r, input.Round, DateOnly.Parse(r.BindingDeadline), input.At, ct);
        RedemptionLog.BindingReminder(log, r.RedemptionId, input.Round, sent: true);
        return true;
    }
}
