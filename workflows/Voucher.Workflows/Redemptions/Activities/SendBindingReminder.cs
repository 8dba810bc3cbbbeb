using Voucher.Domain;
using Voucher.Workflows.Durable;

namespace Voucher.Workflows.Redemptions;

/// <summary>Reminds the institution before its binding deadline.</summary>
public sealed class SendBindingReminder(RedemptionStore redemptions, RedemptionNotices notices) : IActivity<RedemptionRoundInput, bool>
{
    public async Task<bool> RunAsync(RedemptionRoundInput input, CancellationToken ct = default)
    {
        var r = await redemptions.GetRequiredAsync(input.RedemptionId, ct);
        if (r.State != RedemptionStatus.AwaitingBinding || r.Bound || r.BindingRound != input.Round || r.BindingDeadline is null)
        {
            return false;
        }

        await notices.BindingReminderAsync(r, input.Round, DateOnly.Parse(r.BindingDeadline), input.At, ct);
        return true;
    }
}
