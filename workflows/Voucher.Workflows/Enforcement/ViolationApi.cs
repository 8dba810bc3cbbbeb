namespace Voucher.Workflows.Enforcement;

/// <summary>A violation to record (<c>POST /api/violations</c>); <paramref name="RequestId"/> is the client's optional idempotency key (as the <c>Idempotency-Key</c> header).</summary>
public sealed record ViolationRequest(string? Uscc, string? Reason, string? DecidedOn, IReadOnlyList<string>? RedemptionIds, string? RequestId = null);

/// <summary>
/// The violations API (<c>/api/violations</c>, the province or a city bureau for its own city's enterprises) with evidence
/// files: JSON or multipart in, <see cref="ViolationService"/>, ProblemDetails or JSON out.
/// </summary>
public sealed class ViolationApi(ViolationService violations, ViolationEvidenceService evidence)
{
    /// <summary>
    /// <c>POST /api/violations</c>. Idempotent: the same request again answers <c>200</c> with the violation already
    /// recorded (and completes whatever a failed first attempt left undone) instead of making a second violation and
    /// second claw-backs. What counts as "the same" is <see cref="ViolationIds.IdFor"/>: the client's key when it
    /// sends one (header <c>Idempotency-Key</c>, or <c>requestId</c> in the body), otherwise the enterprise, decision
    /// date, named redemptions and facts. A new violation answers <c>201</c>; a client key reused for other facts
    /// answers <c>409</c> and changes nothing.
    /// </summary>
    public async Task<IResult> RecordAsync(RequestContext ctx)
    {
        var (body, error) = await JsonBody.ReadAsync<ViolationRequest>(ctx.Request, ctx.Aborted);
        if (error is not null)
        {
            return error;
        }

        var header = ctx.Request.Headers["Idempotency-Key"].ToString();
        var command = new RecordViolation(body!.Uscc, body.Reason, body.DecidedOn, body.RedemptionIds,
            header.Length > 0 ? header : body.RequestId, header.Length > 0 ? "Idempotency-Key" : "requestId");
        var outcome = await violations.RecordViolationAsync(ctx.Principal!, command, [], ctx.Durable, ctx.Aborted);
        if (outcome.Failure is { } failure)
        {
            return Problems.For(failure);
        }

        var recorded = outcome.Value;
        var url = Url(recorded.Violation);
        ctx.Http.Response.Headers.Location = url;
        return Results.Json(View(recorded.Violation, recorded.ClawBacks, recorded.Stopped, recorded.InReview, url), JsonBody.Response,
            statusCode: recorded.Repeat ? StatusCodes.Status200OK : StatusCodes.Status201Created);
    }

    public async Task<IResult> ListAsync(RequestContext ctx)
    {
        var outcome = await violations.ViolationsAsync(ctx.Principal!, ctx.Request.Query["city"].ToString(), ctx.Aborted);
        return outcome.Failure is { } failure
            ? Problems.For(failure)
            : Results.Json(outcome.Value.Select(v => View(v, null, null, null, Url(v))), JsonBody.Response);
    }

    public async Task<IResult> GetAsync(RequestContext ctx)
    {
        var outcome = await violations.ViolationAsync(ctx.Principal!, ctx.RouteValue("city"), ctx.RouteValue("id"), ctx.Aborted);
        if (outcome.Failure is { } failure)
        {
            return Problems.For(failure);
        }

        var (v, files, claws) = outcome.Value;
        return Results.Json(new
        {
            violation = View(v, claws, null, null, Url(v)),
            evidence = files.Select(f => new { file = f.RowKey, f.OriginalFileName, f.ContentType, f.Size, f.Sha256, f.UploadedAt, url = $"{Url(v)}/evidence/{f.RowKey}" }),
        }, JsonBody.Response);
    }

    public async Task<IResult> UploadEvidenceAsync(RequestContext ctx)
    {
        var file = ctx.Request.HasFormContentType ? (await ctx.Request.ReadFormAsync(ctx.Aborted)).Files.GetFile("file") : null;
        var upload = file is null ? null : new EvidenceUpload(file.FileName, file.Length, file.OpenReadStream);
        var outcome = await evidence.AddEvidenceAsync(ctx.Principal!, ctx.RouteValue("city"), ctx.RouteValue("id"), upload, ctx.Aborted);
        if (outcome.Failure is { } failure)
        {
            return Problems.For(failure);
        }

        var row = outcome.Value;
        return Results.Json(new { file = row.RowKey, row.Size, row.Sha256, row.ContentType, row.UploadedAt }, JsonBody.Response, statusCode: StatusCodes.Status201Created);
    }

    public async Task<IResult> DownloadEvidenceAsync(RequestContext ctx)
    {
        var outcome = await evidence.OpenAsync(ctx.Principal!, ctx.RouteValue("city"), ctx.RouteValue("id"), ctx.RouteValue("file"), ctx.Aborted);
        if (outcome.Failure is { } failure)
        {
            return Problems.For(failure);
        }

        ctx.Http.Response.Headers["X-Content-Type-Options"] = "nosniff";
        return Results.Stream(outcome.Value.Content, outcome.Value.File.ContentType);
    }

    static string Url(ViolationEntity v) => $"/api/violations/{v.CityCode}/{v.ViolationId}";

    static object View(ViolationEntity v, IReadOnlyList<ClawBackEntity>? claws, IReadOnlyList<string>? stopped, IReadOnlyList<string>? inReview, string url) => new
    {
        violationId = v.ViolationId,
        cityCode = v.CityCode,
        v.Uscc,
        v.EnterpriseName,
        decidedOn = ChinaTime.DateOf(v.DecidedOn.UtcDateTime).ToString("yyyy-MM-dd"),
        v.Reason,
        v.DecidedBy,
        v.BarredUntil,
        v.Source,
        clawBack = Cny.FromFen(v.ClawBackFen),
        clawBacks = claws?.Select(EnforcementApi.ClawBackView),
        existingClawBacks = ExpertEntity.Split(v.ExistingClawBackIds),
        stoppedRedemptions = stopped ?? ExpertEntity.Split(v.StoppedRedemptionIds),
        redemptionsInReview = inReview,
        v.EvidenceCount,
        url,
    };
}
