using Voucher.Workflows.Audit;
using Voucher.Workflows.Durable;
using Voucher.Workflows.Policies;
using Voucher.Workflows.Vouchers;

namespace Voucher.Workflows.Applications;

/// <summary>
/// Records the bureau's decision. Approved: issues the voucher (face value and validity from the city's
/// policy, once: the voucher id comes from the application id). Rejected: keeps the reason. Either way the decision's
/// pending row is cleared last, so a crash before that leaves it for the sweep, whose redelivery finds it applied.
/// </summary>
public sealed class RecordApplicationDecision(
    ApplicationStore applications,
    VoucherRepository vouchers,
    PolicyStore policies,
    AuditLog audit,
    ApplicationNotices notices,
    Supervision.StatsAggregator stats,
    PendingReviewDecisions pending,
    Microsoft.Extensions.Logging.ILogger<RecordApplicationDecision> log) : IActivity<DecisionInput, ApplicationOutcome>
{
    public async Task<ApplicationOutcome> RunAsync(DecisionInput input, CancellationToken ct = default)
    {
        var decision = input.Decision;
        var at = new DateTimeOffset(DateTime.SpecifyKind(input.At, DateTimeKind.Utc));
        var current = await applications.GetRequiredAsync(input.ApplicationId, ct);
        if (ApplicationTransitions.IsFinal(current.State))
        {
            if (current.DecidedAt == at)
            {
                // This same step decided it before a crash: finish its idempotent tail (audit row and notice keys are fixed).
                await audit.AppendAsync(AuditSubjects.Application(current.ApplicationId), current.DecidedBy ?? decision.DecidedBy, at,
                    current.Round > 1 ? nameof(ApplicationStatus.Escalated) : nameof(ApplicationStatus.UnderReview), current.Status.ToString(), current.PolicyVersion,
                    current.Approved == true ? $"批准，发放创新券 {current.VoucherId}" : $"驳回：{current.DecisionReason}", ct);
                await notices.DecidedAsync(current, input.At, ct);
                await stats.ApplicationDecidedAsync(current, ct);
            }

            await pending.ClearAsync(current.ApplicationId, decision, ct);
            return new ApplicationOutcome(current.ApplicationId, current.Status, current.VoucherId);
        }

        var policy = await policies.GetCurrentAsync(current.CityCode, ct);
        VoucherEntity? issued = null;
        if (decision.Approved)
        {
            var issuedOn = ChinaTime.DateOf(input.At);
            var faceValue = policy.IssuedFaceValue(current.RequestedFaceValueFen);
            issued = await vouchers.IssueOnceAsync(new VoucherEntity
            {
                PartitionKey = current.Uscc,
                RowKey = VoucherEntity.IdFor(current.ApplicationId),
                ApplicationId = current.ApplicationId,
                CityCode = current.CityCode,
                FaceValueFen = faceValue.Fen,
                IssuedOn = issuedOn.ToString("yyyy-MM-dd"),
                ExpiresOn = VoucherRules.ExpiresOn(issuedOn, policy.ValidityMonths).ToString("yyyy-MM-dd"),
                IssuedAt = at,
                PolicyVersion = policy.Version,
            }, ct);
        }

        var voucherId = issued?.VoucherId;

        var target = decision.Approved ? ApplicationStatus.Approved : ApplicationStatus.Rejected;
        string? from = null;
        var app = await applications.UpdateAsync(input.ApplicationId, a =>
        {
            from = null; // an attempt whose write lost the race (412) must not count as the decision
            if (ApplicationTransitions.IsFinal(a.State))
            {
                return false;
            }

            from = a.Status.ToString();
            a.MoveTo(target);
            a.HistoryKey = AuditLog.KeyOf(at, from, target.ToString());
            a.Approved = decision.Approved;
            a.DecisionReason = decision.Reason;
            a.DecidedBy = decision.DecidedBy;
            a.DecidedAt = at;
            a.VoucherId = voucherId;
            a.PolicyVersion = policy.Version;
            return true;
        }, ct, current);

        if (from is not null)
        {
            ApplicationLog.Decided(log, app.ApplicationId, app.Status, decision.DecidedBy, app.VoucherId);
            await audit.AppendAsync(AuditSubjects.Application(app.ApplicationId), decision.DecidedBy, at, from, app.Status.ToString(), policy.Version,
                decision.Approved ? $"批准，发放创新券 {voucherId}" : $"驳回：{decision.Reason}", ct);
        }

        await notices.DecidedAsync(app, input.At, ct, issued);
        // The voucher just issued (or found issued by an earlier run of this step) goes along: the statistics need not read it.
        await stats.ApplicationDecidedAsync(app, issued, ct);
        // Applied: the outbox sweep need not raise it again (PendingReviewDecisions).
        await pending.ClearAsync(app.ApplicationId, decision, ct);
        return new ApplicationOutcome(app.ApplicationId, app.Status, app.VoucherId);
    }
}
