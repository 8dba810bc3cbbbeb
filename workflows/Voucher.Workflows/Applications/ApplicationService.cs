using Microsoft.DurableTask;
using Microsoft.DurableTask.Client;
using Voucher.Workflows.Durable;
using Voucher.Workflows.Audit;
using Voucher.Workflows.Enterprises;
using Voucher.Workflows.Policies;

namespace Voucher.Workflows.Applications;

/// <summary>An enterprise asks for a voucher (the face value in yuan; none: the city's standard one).</summary>
public sealed record SubmitApplication(string? Uscc, decimal? FaceValue);

public sealed record ApplicationSubmitted(string ApplicationId, ApplicationStatus Status, bool Existing);

/// <summary>The city bureau's decision on the round it was asked in.</summary>
public sealed record DecideApplication(string ApplicationId, int? Round, bool? Approve, string? Reason);

/// <summary>
/// Flow 1's acts: an enterprise applies (one orchestration per application; a retried submission answers with the open
/// application), anyone entitled reads it, the bureau of its city decides. The HTTP API and the pages call these.
/// </summary>
public sealed class ApplicationService(
    ApplicationStore applications,
    VoucherStore store,
    AuditLog audit,
    CalendarStore calendars,
    PolicyStore policies,
    ReviewDecisions decisions,
    TimeProvider time,
    Enforcement.EnforcementStore enforcement,
    ApplicationStarts starts,
    PendingStarts pendingStarts,
    Microsoft.Extensions.Logging.ILogger<ApplicationService> log)
{
    const int MaxReasonLength = 500;

    static readonly TimeSpan ResumeAfter = TimeSpan.FromMinutes(1);

    public async Task<Outcome<ApplicationSubmitted>> SubmitAsync(VoucherPrincipal caller, SubmitApplication command, DurableTaskClient durable, CancellationToken ct)
    {
        if (!Uscc.TryValidate(command.Uscc, out var uscc, out var usccError))
        {
            return new Failure.Invalid("uscc", usccError ?? "统一社会信用代码无效 (Invalid USCC)");
        }

        if (!EnterpriseAccess.CanActFor(caller, uscc))
        {
            return new Failure.Forbidden("只能为本企业申请 (An enterprise applies only for itself)");
        }

        // Three independent reads at once (one round trip of latency instead of three); the answers are looked at in the
        // order of the rules: not registered first, then barred, then the application itself.
        var today = ChinaTime.Today(time);
        var enterpriseRead = store.GetAsync<EnterpriseEntity>(VoucherStore.Enterprises, uscc, EnterpriseEntity.ProfileRow, ct);
        var barRead = enforcement.BarredUntilAsync(uscc, today, ct);
        var existingRead = applications.ForEnterpriseAsync(uscc, ct);
        await Concurrent.AllSettledAsync(enterpriseRead, barRead, existingRead);

        var enterprise = await enterpriseRead;
        if (enterprise is null)
        {
            return new Failure.Refused($"企业 {uscc} 尚未登记，请先登记企业信息 (Register the enterprise first: POST /api/enterprises)");
        }

        // Barred after a violation: refused before any application exists, by the eligibility rule the review step applies too.
        if (Eligibility.BarredReason(await barRead, today) is { } barred)
        {
            var end = (await barRead)!.Value.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture);
            return new Failure.Refused(barred.Message, new Dictionary<string, object?> { ["code"] = barred.Code, ["barredUntil"] = end });
        }

        long requestedFen = 0;
        if (command.FaceValue is { } faceValue)
        {
            var policy = await policies.GetCurrentAsync(enterprise.CityCode, ct);
            if (!Cny.TryParseAmount(faceValue, out var requested, out var amountError))
            {
                return new Failure.Invalid("faceValue", amountError ?? "面额无效 (Invalid face value)");
            }

            if (policy.RequestedFaceValueError(requested) is { } error)
            {
                return new Failure.Invalid("faceValue", error);
            }

            requestedFen = requested.Fen;
        }

        var (id, status, existing) = await SubmitForAsync(enterprise, requestedFen, durable, ct, await existingRead);
        ApplicationLog.Submitted(log, id, caller.Actor, existing);
        return new ApplicationSubmitted(id, status, existing);
    }

    /// <summary>
    /// Starts one orchestration per application. An open application is returned instead of starting a
    /// second one (a retried submission); a row without its orchestration (crash between the two) is resumed.
    /// </summary>
    /// <param name="known">The enterprise's applications as the caller has just read them (saves the first read).</param>
    public async Task<(string ApplicationId, ApplicationStatus Status, bool Existing)> SubmitForAsync(
        EnterpriseEntity enterprise, long requestedFaceValueFen, DurableTaskClient durable, CancellationToken ct, IReadOnlyList<ApplicationEntity>? known = null)
    {
        var now = time.GetUtcNow();
        for (var attempt = 0; attempt < 5; attempt++)
        {
            var existing = attempt == 0 && known is not null ? known : await applications.ForEnterpriseAsync(enterprise.Uscc, ct);
            var open = existing.FirstOrDefault(a => !ApplicationTransitions.IsFinal(a.State));
            if (open is not null)
            {
                // Only the request that created the row starts its orchestration; a row older than a minute without
                // one is a crash between the two steps, and this retry resumes it.
                if (now - open.SubmittedAt > ResumeAfter)
                {
                    await starts.EnsureStartedAsync(durable, open.ApplicationId, ct);
                }

                return (open.ApplicationId, open.State, true);
            }

            var year = ChinaTime.DateOf(now.UtcDateTime).Year;
            var sequence = existing.Count(a => a.ApplicationId.Contains($"-{year}-", StringComparison.Ordinal)) + 1;
            var entity = new ApplicationEntity
            {
                PartitionKey = enterprise.Uscc,
                RowKey = ApplicationStore.NewId(enterprise.Uscc, year, sequence),
                EnterpriseName = enterprise.Name,
                CityCode = enterprise.CityCode,
                RequestedFaceValueFen = requestedFaceValueFen,
                SubmittedAt = now,
                // The "Submitted" audit row is written by the eligibility step with the next change (SubmittedAudit).
                SubmittedBy = AuditLog.ActorNow(enterprise.Uscc),
                HistoryKey = "",
            };
            // Written before the row, cleared once the orchestration is scheduled: a host that dies in between leaves
            // it for the sweep, which starts the orchestration (PendingStarts).
            await pendingStarts.RecordAsync(ApplicationStarts.KindName, entity.ApplicationId, ct);
            // Once this request has inserted the row, no orchestration of this id can exist yet: it starts without
            // looking, while the listing rows are written.
            if (await applications.TryCreateAsync(entity, ct, next: () => starts.StartOnceAsync(durable, entity.ApplicationId, ct)))
            {
                await pendingStarts.ClearAsync(ApplicationStarts.KindName, entity.ApplicationId, ct);
                return (entity.ApplicationId, entity.State, false);
            }

            // A concurrent submission created the same id first: look again and answer with that one.
        }

        throw new DomainException("申请提交冲突，请重试 (Concurrent submissions; please retry)");
    }

    /// <summary>The application as its enterprise, its city's bureau or the province sees it (deadline, history, decision).</summary>
    public async Task<Outcome<ApplicationView>> ViewAsync(VoucherPrincipal caller, string applicationId, CancellationToken ct) =>
        await ReadableAsync(caller, applicationId, ct) is { Failure: null } readable ? (await ViewOfRowAsync(readable.Value, ct)).View : NotFound(applicationId);

    /// <summary>The application's row, when the caller may read it (one point read); someone else's answers as a missing one.</summary>
    public async Task<Outcome<ApplicationEntity>> ReadableAsync(VoucherPrincipal caller, string applicationId, CancellationToken ct) =>
        await applications.GetAsync(applicationId, ct) is { } app && CanRead(caller, app) ? app : NotFound(applicationId);

    /// <summary>The view of an application the caller was already allowed to see (a signed review link).</summary>
    public async Task<ApplicationView> ViewOfAsync(ApplicationEntity app, CancellationToken ct) => (await ViewOfRowAsync(app, ct)).View;

    /// <summary>
    /// The view of a row read just before, and whether its history holds the entry the row names
    /// (<see cref="ApplicationEntity.HistoryKey"/>): only then does <see cref="VersionTag"/> stand for this view.
    /// </summary>
    public async Task<(ApplicationView View, bool Complete)> ViewOfRowAsync(ApplicationEntity app, CancellationToken ct)
    {
        var history = await audit.ReadAsync(AuditSubjects.Application(app.ApplicationId), ct);
        var complete = app.HistoryKey is { } key && (key.Length == 0 || history.Any(h => h.RowKey == key));
        return (ApplicationView.From(app, history, await calendars.CurrentAsync(ct), ChinaTime.Today(time)), complete);
    }

    /// <summary>
    /// A tag for the view of <paramref name="app"/> from the row alone, or null for a row written before it kept its
    /// history key. It changes with every write of the row (its storage ETag), so with every step, as each step that
    /// adds a history entry names it on the row first; with the calendar in force and the China date (the days left);
    /// and with the build (the view's shape). Valid only once <see cref="ViewOfRowAsync"/> found the history complete.
    /// </summary>
    public async Task<string?> VersionTag(ApplicationEntity app, CancellationToken ct) =>
        app.HistoryKey is null
            ? null
            : Http.ConditionalGet.RowTag("application", app.ETag, app.HistoryKey, (await calendars.CurrentAsync(ct)).Fingerprint, ChinaTime.Today(time));

    /// <summary>The bureau of the application's city decides the round it was asked in; one decision per round.</summary>
    public async Task<Outcome<ApplicationEntity>> DecideAsync(VoucherPrincipal caller, DecideApplication command, DurableTaskClient durable, CancellationToken ct)
    {
        if (Validate(command) is { } invalid)
        {
            return invalid;
        }

        var app = await applications.GetAsync(command.ApplicationId, ct);
        if (app is null)
        {
            return NotFound(command.ApplicationId);
        }

        if (!caller.IsBureauOf(app.CityCode))
        {
            return Failure.Deny(CanRead(caller, app), NotFound(command.ApplicationId), "只有申请所在地市的科技局可以审核 (Only the bureau of the application's city decides)");
        }

        var decision = new ReviewDecision(command.Round!.Value, command.Approve!.Value, command.Reason?.Trim(), caller.Address);
        var outcome = await decisions.DecideAsync(app, decision, durable, ct);
        if (outcome == DecisionOutcome.Accepted)
        {
            ApplicationLog.DecisionAccepted(log, app.ApplicationId, decision.Round, decision.DecidedBy);
        }

        return outcome switch
        {
            DecisionOutcome.Accepted => app,
            DecisionOutcome.AlreadyDecided => new Failure.Conflict("本轮已作出审核决定 (A decision for this round was already made)"),
            _ => new Failure.Conflict($"申请当前不在第 {command.Round} 轮审核中 (The application is not awaiting a decision in this round)"),
        };
    }

    /// <summary>The decision's fields: the round, approve or reject, and a reason for a rejection.</summary>
    public static Failure.Invalid? Validate(DecideApplication command)
    {
        var errors = new List<FieldError>();
        if (command.Round is null or < 1)
        {
            errors.Add(new FieldError("round", "必填，且为正整数 (Required: the review round shown with the application)"));
        }

        if (command.Approve is null)
        {
            errors.Add(new FieldError("approve", "必填：true 批准，false 驳回 (Required: true or false)"));
        }

        var reason = command.Reason?.Trim();
        if (command.Approve == false && string.IsNullOrEmpty(reason))
        {
            errors.Add(new FieldError("reason", "驳回须填写理由 (A reason is required to reject)"));
        }

        if (reason is { Length: > MaxReasonLength })
        {
            errors.Add(new FieldError("reason", $"理由不能超过 {MaxReasonLength} 字 (At most {MaxReasonLength} characters)"));
        }

        return errors.Count > 0 ? new Failure.Invalid(errors) : null;
    }

    /// <summary>The answer for an application that does not exist or that the caller may not see (one message: no existence oracle).</summary>
    public static Failure.NotFound NotFound(string applicationId) => new($"申请 {applicationId} 不存在 (Application not found)");

    public static bool CanRead(VoucherPrincipal principal, ApplicationEntity app) =>
        principal.IsEnterprise(app.Uscc) || principal.IsBureauOf(app.CityCode) || principal.Role == Role.Province;
}
