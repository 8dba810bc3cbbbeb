using Voucher.Workflows.Durable;

namespace Voucher.Workflows.Applications;

/// <summary>Reminds the city bureau before the review deadline (policy: N working days before).</summary>
public sealed class SendReviewReminder(ApplicationStore applications, ApplicationNotices notices, Microsoft.Extensions.Logging.ILogger<SendReviewReminder> log) : IActivity<ReviewRoundInput, bool>
{
    public async Task<bool> RunAsync(ReviewRoundInput input, CancellationToken ct = default)
    {
        var app = await applications.GetRequiredAsync(input.ApplicationId, ct);
        if (ApplicationTransitions.IsFinal(app.State) || app.Round != input.Round || app.DeadlineDate is null)
        {
            return false;
        }

        await notices.ReminderAsync(app, input.Round, DateOnly.Parse(app.DeadlineDate), input.At, ct);
        ApplicationLog.Reminded(log, app.ApplicationId, input.Round);
        return true;
    }
}
