using Voucher.Workflows.Audit;
using Voucher.Workflows.Durable;
using Voucher.Workflows.Enterprises;
using Voucher.Workflows.Policies;
using Voucher.Workflows.Vouchers;

namespace Voucher.Workflows.Applications;

/// <summary>
/// Checks the enterprise against the city's policy; an ineligible application ends here, with its reasons. An
/// eligible one gets its first review round opened in the same step (<see cref="OpenReviewRound"/>, idempotent).
/// </summary>
public sealed class CheckApplicationEligibility(
    ApplicationStore applications,
    VoucherStore store,
    VoucherRepository vouchers,
    PolicyStore policies,
    AuditLog audit,
    ApplicationNotices notices,
    OpenReviewRound openRound,
    Enforcement.EnforcementStore enforcement,
    Microsoft.Extensions.Logging.ILogger<CheckApplicationEligibility> log) : IActivity<ApplicationStep, EligibilityOutcome>
{
    public async Task<EligibilityOutcome> RunAsync(ApplicationStep input, CancellationToken ct = default)
    {
        var app = await applications.GetRequiredAsync(input.ApplicationId, ct);
        if (app.State == ApplicationStatus.Ineligible)
        {
            // Possibly this step before a crash: the audit row and the notice have fixed keys, so writing them again is safe.
            var recorded = (app.IneligibleReasons ?? "").Split('\n');
            await AuditIneligibleAsync(app, input, app.PolicyVersion, recorded, ct);
            await notices.IneligibleAsync(app, recorded, input.At, ct);
            return new EligibilityOutcome(false, recorded, app.PolicyVersion);
        }

        if (app.State != ApplicationStatus.Submitted)
        {
            return new EligibilityOutcome(true, [], app.PolicyVersion, await OpenFirstRoundAsync(input, app, ct));
        }

        var today = ChinaTime.DateOf(input.At);
        // Independent reads, at once (the step's latency is one round trip instead of four).
        var policyRead = policies.GetCurrentAsync(app.CityCode, ct);
        var enterpriseRead = store.GetAsync<EnterpriseEntity>(VoucherStore.Enterprises, app.Uscc, EnterpriseEntity.ProfileRow, ct);
        var vouchersRead = vouchers.ForEnterpriseAsync(app.Uscc, ct);
        var barRead = enforcement.BarredUntilAsync(app.Uscc, today, ct);
        await Task.WhenAll(policyRead, enterpriseRead, vouchersRead, barRead);
        var policy = await policyRead;
        var enterprise = await enterpriseRead;
        var live = (await vouchersRead).Any(v =>
            DateOnly.Parse(v.IssuedOn).Year == today.Year && VoucherRepository.StatusOf(v, today) == VoucherStatus.Active);
        var facts = new EnterpriseFacts(
            app.Uscc,
            enterprise?.CityCode ?? app.CityCode,
            enterprise is not null,
            !string.IsNullOrEmpty(enterprise?.TechSmeNumber),
            Later(enterprise?.BarredUntil is { } bar ? DateOnly.FromDateTime(bar) : null, await barRead),
            live);
        var result = Eligibility.Check(facts, policy, today);
        ApplicationLog.Checked(log, app.ApplicationId, result.Eligible, string.Join(", ", result.Reasons.Select(r => r.Code)), policy.Version);
        if (result.Eligible)
        {
            return new EligibilityOutcome(true, [], policy.Version, await OpenFirstRoundAsync(input, app, ct));
        }

        var reasons = result.Reasons.Select(r => r.Message).ToList();
        app = await applications.UpdateAsync(app.ApplicationId, a =>
        {
            if (a.State != ApplicationStatus.Submitted)
            {
                return false;
            }

            a.MoveTo(ApplicationStatus.Ineligible);
            a.IneligibleReasons = string.Join('\n', reasons);
            a.PolicyVersion = policy.Version;
            a.HistoryKey = AuditLog.KeyOf(Utc(input.At), nameof(ApplicationStatus.Submitted), nameof(ApplicationStatus.Ineligible));
            return true;
        }, ct);
        await AuditIneligibleAsync(app, input, policy.Version, reasons, ct);
        await notices.IneligibleAsync(app, reasons, input.At, ct);
        return new EligibilityOutcome(false, reasons, policy.Version);
    }

    /// <summary>The "Submitted" row (see <see cref="SubmittedAudit"/>) and Submitted → Ineligible, in one transaction.</summary>
    Task AuditIneligibleAsync(ApplicationEntity app, ApplicationStep input, int policyVersion, IReadOnlyList<string> reasons, CancellationToken ct) =>
        audit.AppendManyAsync(
            [
                .. SubmittedAudit.EntryFor(app) is { } submitted ? [submitted] : Array.Empty<AuditEntry>(),
                AuditLog.Entry(AuditSubjects.Application(app.ApplicationId), "system", Utc(input.At), nameof(ApplicationStatus.Submitted), nameof(ApplicationStatus.Ineligible), policyVersion, string.Join("；", reasons)),
            ],
            ct);

    Task<ReviewRoundPlan> OpenFirstRoundAsync(ApplicationStep input, ApplicationEntity app, CancellationToken ct) =>
        openRound.RunAsync(new ReviewRoundInput(input.ApplicationId, 1, input.At), app, ct);

    /// <summary>The bar recorded on the profile (older data) and the one computed from the violations: the later holds.</summary>
    static DateOnly? Later(DateOnly? a, DateOnly? b) => a is null ? b : b is null ? a : a > b ? a : b;

    static DateTimeOffset Utc(DateTime at) => new(DateTime.SpecifyKind(at, DateTimeKind.Utc));
}
