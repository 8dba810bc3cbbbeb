using Voucher.Workflows.Audit;
using Voucher.Workflows.Durable;

namespace Voucher.Workflows.Applications;

/// <summary>The deadline passed without a decision: tell the province centre and record it. Nothing is approved or dropped.</summary>
public sealed class EscalateApplicationReview(ApplicationStore applications, AuditLog audit, ApplicationNotices notices, Microsoft.Extensions.Logging.ILogger<EscalateApplicationReview> log) : IActivity<ReviewRoundInput, bool>
{
    public async Task<bool> RunAsync(ReviewRoundInput input, CancellationToken ct = default)
    {
        var app = await applications.GetRequiredAsync(input.ApplicationId, ct);
        if (ApplicationTransitions.IsFinal(app.State))
        {
            return false;
        }

        var at = new DateTimeOffset(DateTime.SpecifyKind(input.At, DateTimeKind.Utc));
        // The row names the entry before it is written, so a status GET cannot answer 304 from a row older than the entry.
        var key = AuditLog.KeyOf(at, app.Status.ToString(), nameof(ApplicationStatus.Escalated));
        app = await applications.UpdateAsync(app.ApplicationId, a =>
        {
            if (ApplicationTransitions.IsFinal(a.State) || a.HistoryKey == key)
            {
                return false;
            }

            a.HistoryKey = key;
            return true;
        }, ct, app);
        await audit.AppendAsync(AuditSubjects.Application(app.ApplicationId), "system", at, app.Status.ToString(), nameof(ApplicationStatus.Escalated), app.PolicyVersion,
            $"审核期限 {app.DeadlineDate} 已过，升级至省中心督办 (deadline breached, escalated to the province centre)", ct);
        await notices.EscalatedAsync(app, input.Round, input.At, ct);
        ApplicationLog.Escalated(log, app.ApplicationId, input.Round);
        return true;
    }
}
