using Microsoft.AspNetCore.Http;
using Microsoft.DurableTask;
using Microsoft.DurableTask.Client;
using Voucher.Domain;
using Voucher.Workflows.Audit;
using Voucher.Workflows.Enterprises;
using Voucher.Workflows.Http;
using Voucher.Workflows.Links;
using Voucher.Workflows.Security;
using Voucher.Workflows.Storage;

namespace Voucher.Workflows.Applications;

public sealed record SubmitApplicationRequest(string? Uscc, decimal? FaceValue);

public sealed record SubmitApplicationResponse(string ApplicationId, string Status, string StatusUrl, bool Existing);

public sealed record DecideApplicationRequest(int? Round, bool? Approve, string? Reason);

/// <summary>The application API: submit (one orchestration per application), read, and decide as a signed-in bureau user.</summary>
public sealed class ApplicationHandlers(
    ApplicationStore applications,
    VoucherStore store,
    AuditLog audit,
    Policies.CalendarStore calendars,
    ReviewDecisions decisions,
    TimeProvider time,
    Enforcement.EnforcementStore enforcement)
{
    public async Task<IResult> SubmitAsync(RequestContext ctx)
    {
        var (body, error) = await JsonBody.ReadAsync<SubmitApplicationRequest>(ctx.Request, ctx.Aborted);
        if (error is not null)
        {
            return error;
        }

        if (!Uscc.TryValidate(body!.Uscc, out var uscc, out var usccError))
        {
            return Problems.Validation("uscc", usccError ?? "统一社会信用代码无效 (Invalid USCC)");
        }

        if (!EnterpriseHandlers.CanActFor(ctx.Principal!, uscc))
        {
            return Problems.Forbidden("只能为本企业申请 (An enterprise applies only for itself)");
        }

        // Three independent reads at once (one round trip of latency instead of three); the answers are looked at in the
        // order of the rules: not registered first, then barred, then the application itself.
        var enterpriseRead = store.GetAsync<EnterpriseEntity>(VoucherStore.Enterprises, uscc, EnterpriseEntity.ProfileRow, ctx.Aborted);
        var barRead = enforcement.BarredUntilAsync(uscc, ChinaTime.DateOf(time.GetUtcNow().UtcDateTime), ctx.Aborted);
        var existingRead = applications.ForEnterpriseAsync(uscc, ctx.Aborted);
        await AllSettledAsync(enterpriseRead, barRead, existingRead);

        var enterprise = await enterpriseRead;
        if (enterprise is null)
        {
            return Problems.Unprocessable($"企业 {uscc} 尚未登记，请先登记企业信息 (Register the enterprise first: POST /api/enterprises)");
        }

        // Barred after a violation: refuse before any application exists, naming the end of the bar.
        if (await barRead is { } barredUntil)
        {
            var end = barredUntil.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture);
            return Problems.Unprocessable($"企业因违规被限制申请，至 {end} 止 (The enterprise is barred from applying until {end})",
                new Dictionary<string, object?> { ["code"] = Eligibility.Barred, ["barredUntil"] = end });
        }

        long requestedFen = 0;
        if (body.FaceValue is { } faceValue)
        {
            if (faceValue != 50_000m && faceValue != 100_000m)
            {
                return Problems.Validation("faceValue", "面额只能为 50000 或 100000 元 (Face value must be 50000 or 100000)");
            }

            requestedFen = Cny.FromYuan(faceValue).Fen;
        }

        var result = await SubmitForAsync(enterprise, requestedFen, ctx.Durable, ctx.Aborted, await existingRead);
        var response = new SubmitApplicationResponse(result.ApplicationId, result.Status, StatusUrl(result.ApplicationId), result.Existing);
        ctx.Http.Response.Headers.Location = response.StatusUrl;
        return Results.Json(response, JsonBody.Response, statusCode: result.Existing ? StatusCodes.Status200OK : StatusCodes.Status202Accepted);
    }

    /// <summary>
    /// Starts one orchestration per application. An open application is returned instead of starting a
    /// second one (a retried submission); a row without its orchestration (crash between the two) is resumed.
    /// </summary>
    /// <param name="known">The enterprise's applications as the caller has just read them (saves the first read).</param>
    public async Task<(string ApplicationId, string Status, bool Existing)> SubmitForAsync(
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
                    await EnsureStartedAsync(open.ApplicationId, durable, ct);
                }

                return (open.ApplicationId, open.Status, true);
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
            };
            if (await applications.TryCreateAsync(entity, ct))
            {
                // This request inserted the row, so no orchestration of this id can exist yet: start without looking.
                await StartAsync(entity.ApplicationId, durable, ct);
                return (entity.ApplicationId, entity.Status, false);
            }

            // A concurrent submission created the same id first: look again and answer with that one.
        }

        throw new DomainException("申请提交冲突，请重试 (Concurrent submissions; please retry)");
    }

    static readonly TimeSpan ResumeAfter = TimeSpan.FromMinutes(1);

    /// <summary>Waits for every task, failed or not (each one's failure is seen where its result is awaited).</summary>
    static Task AllSettledAsync(params Task[] tasks) =>
        Task.WhenAll(tasks).ContinueWith(static _ => { }, CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);

    static async Task EnsureStartedAsync(string applicationId, DurableTaskClient durable, CancellationToken ct)
    {
        var instanceId = ApplicationStore.InstanceId(applicationId);
        if (await durable.GetInstanceAsync(instanceId, getInputsAndOutputs: false, ct) is not null)
        {
            return;
        }

        await StartAsync(applicationId, durable, ct);
    }

    static async Task StartAsync(string applicationId, DurableTaskClient durable, CancellationToken ct)
    {
        try
        {
            await durable.ScheduleNewOrchestrationInstanceAsync(
                nameof(ApplicationOrchestrator), new ApplicationWorkflowInput(applicationId), new StartOrchestrationOptions(ApplicationStore.InstanceId(applicationId)), ct);
        }
        catch (Exception e) when (e.GetType().Name.Contains("AlreadyExists", StringComparison.Ordinal) || e.Message.Contains("already exists", StringComparison.OrdinalIgnoreCase))
        {
            // Started by a concurrent request: one orchestration per application.
        }
    }

    public async Task<IResult> GetAsync(RequestContext ctx)
    {
        var app = await applications.GetAsync(ctx.RouteValue("id"), ctx.Aborted);
        if (app is null)
        {
            return Problems.NotFound($"申请 {ctx.RouteValue("id")} 不存在 (Application not found)");
        }

        if (!CanRead(ctx.Principal!, app))
        {
            return Problems.Forbidden("无权查看此申请 (Not your application or city)");
        }

        return Results.Json(await ViewAsync(app, ctx.Aborted), JsonBody.Response);
    }

    public async Task<ApplicationView> ViewAsync(ApplicationEntity app, CancellationToken ct) =>
        ApplicationView.From(app, await audit.ReadAsync(AuditSubjects.Application(app.ApplicationId), ct), await calendars.CurrentAsync(ct), ChinaTime.DateOf(time.GetUtcNow().UtcDateTime));

    public async Task<IResult> DecideAsync(RequestContext ctx)
    {
        var (body, error) = await JsonBody.ReadAsync<DecideApplicationRequest>(ctx.Request, ctx.Aborted);
        if (error is not null)
        {
            return error;
        }

        var errors = new List<FieldError>();
        if (body!.Round is null or < 1)
        {
            errors.Add(new FieldError("round", "必填，且为正整数 (Required: the review round shown with the application)"));
        }

        if (body.Approve is null)
        {
            errors.Add(new FieldError("approve", "必填：true 批准，false 驳回 (Required: true or false)"));
        }

        var reason = body.Reason?.Trim();
        if (body.Approve == false && string.IsNullOrEmpty(reason))
        {
            errors.Add(new FieldError("reason", "驳回须填写理由 (A reason is required to reject)"));
        }

        if (reason is { Length: > 500 })
        {
            errors.Add(new FieldError("reason", "理由不能超过 500 字 (At most 500 characters)"));
        }

        if (errors.Count > 0)
        {
            return Problems.Validation(errors);
        }

        var app = await applications.GetAsync(ctx.RouteValue("id"), ctx.Aborted);
        if (app is null)
        {
            return Problems.NotFound($"申请 {ctx.RouteValue("id")} 不存在 (Application not found)");
        }

        if (!ctx.Principal!.IsBureauOf(app.CityCode))
        {
            return Problems.Forbidden("只有申请所在地市的科技局可以审核 (Only the bureau of the application's city decides)");
        }

        var outcome = await decisions.DecideAsync(app, new ReviewDecision(body.Round!.Value, body.Approve!.Value, reason, ctx.Principal.Address), ctx.Durable, ctx.Aborted);
        return outcome switch
        {
            DecisionOutcome.Accepted => Results.Json(new { applicationId = app.ApplicationId, accepted = true, statusUrl = StatusUrl(app.ApplicationId) }, JsonBody.Response, statusCode: StatusCodes.Status202Accepted),
            DecisionOutcome.AlreadyDecided => Problems.Conflict("本轮已作出审核决定 (A decision for this round was already made)"),
            DecisionOutcome.NotAwaiting => Problems.Conflict($"申请当前不在第 {body.Round} 轮审核中 (The application is not awaiting a decision in this round)"),
            _ => throw new InvalidOperationException(),
        };
    }

    public static bool CanRead(VoucherPrincipal principal, ApplicationEntity app) =>
        principal.IsEnterprise(app.Uscc) || principal.IsBureauOf(app.CityCode) || principal.Role == Role.Province;

    public static string StatusUrl(string applicationId) => $"/api/applications/{applicationId}";
}

public enum DecisionOutcome
{
    Accepted,
    AlreadyDecided,
    NotAwaiting,
}

/// <summary>One decision per application and round, whether it comes from the signed link or from the signed-in bureau.</summary>
public sealed class ReviewDecisions(OneTimeActions oneTime)
{
    public async Task<DecisionOutcome> DecideAsync(ApplicationEntity app, ReviewDecision decision, DurableTaskClient durable, CancellationToken ct)
    {
        if (ApplicationTransitions.IsFinal(app.State))
        {
            return DecisionOutcome.AlreadyDecided;
        }

        if (app.Round != decision.Round || app.State is not (ApplicationStatus.UnderReview or ApplicationStatus.Escalated))
        {
            return DecisionOutcome.NotAwaiting;
        }

        var instanceId = ApplicationStore.InstanceId(app.ApplicationId);
        if (!await oneTime.TryClaimAsync(instanceId, ReviewLinks.Action, decision.Round, decision.DecidedBy, ct))
        {
            return DecisionOutcome.AlreadyDecided;
        }

        try
        {
            await durable.RaiseEventAsync(instanceId, ReviewDecision.EventName, decision, ct);
        }
        catch
        {
            await oneTime.ReleaseAsync(instanceId, ReviewLinks.Action, decision.Round);
            throw;
        }

        return DecisionOutcome.Accepted;
    }

    public Task<bool> IsUsedAsync(LinkClaims claims, CancellationToken ct) =>
        oneTime.IsClaimedAsync(claims.InstanceId, claims.Action, claims.Round, ct);
}
