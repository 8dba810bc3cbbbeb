using Microsoft.AspNetCore.Http;
using Voucher.Domain;
using Voucher.Workflows.Enterprises;
using Voucher.Workflows.Evidence;
using Voucher.Workflows.Http;
using Voucher.Workflows.Security;
using Voucher.Workflows.Storage;

namespace Voucher.Workflows.Enforcement;

public sealed record ConfirmClawBackRequest(string? Reference);

public sealed record SaveExpertRequest(string? ExpertId, string? Name, IReadOnlyList<string>? Fields, string? AffiliationInstitutionId, string? Affiliation, IReadOnlyList<string>? TiedUsccs, bool? Active);

/// <summary>
/// The supervision API of §1.5 and §4: violations (province, or a city bureau for its own city's enterprises) with
/// evidence files, claw-backs the finance bureau confirms, the enterprise's credit file, and the expert pool.
/// </summary>
public sealed class EnforcementHandlers(EnforcementStore enforcement, ViolationService violations, VoucherStore store, EvidenceStore evidence, TimeProvider time)
{
    /// <summary>Only the province, or the bureau of the enterprise's own city, records a violation or reads its evidence.</summary>
    public static bool MaySupervise(VoucherPrincipal p, string cityCode) => p.Role == Role.Province || p.IsBureauOf(cityCode);

    /// <summary>The enterprise named by a USCC field, or the problem to answer (400 bad USCC, 404 unknown, 403 another city).</summary>
    public async Task<(EnterpriseEntity? Enterprise, IResult? Problem)> EnterpriseForAsync(VoucherPrincipal p, string? usccText, CancellationToken ct)
    {
        if (!Uscc.TryValidate(usccText, out var uscc, out var error))
        {
            return (null, Problems.Validation("uscc", error ?? "统一社会信用代码无效 (Invalid USCC)"));
        }

        var enterprise = await store.GetAsync<EnterpriseEntity>(VoucherStore.Enterprises, uscc, EnterpriseEntity.ProfileRow, ct);
        if (enterprise is null)
        {
            return (null, Problems.NotFound($"企业 {uscc} 未登记 (Enterprise not registered)"));
        }

        return MaySupervise(p, enterprise.CityCode)
            ? (enterprise, null)
            : (null, Problems.Forbidden("市科技局只能处理本市企业的违规 (A city bureau records violations of its own city's enterprises only)"));
    }

    /// <summary>
    /// <c>POST /api/violations</c>. Idempotent: the same request again answers <c>200</c> with the violation already
    /// recorded (and completes whatever a failed first attempt left undone) instead of making a second violation and
    /// second claw-backs. What counts as "the same" is <see cref="ViolationService.IdFor"/>: the client's key when it
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
        if (!ViolationService.TryRequestId(header.Length > 0 ? header : body!.RequestId, out var requestId))
        {
            return Problems.Validation(header.Length > 0 ? "Idempotency-Key" : "requestId",
                $"请求标识须为 1–{ViolationService.MaxRequestIdLength} 个可见 ASCII 字符 (1–{ViolationService.MaxRequestIdLength} visible ASCII characters)");
        }

        var (_, problem) = await EnterpriseForAsync(ctx.Principal!, body!.Uscc, ctx.Aborted);
        if (problem is not null)
        {
            return problem;
        }

        var (errors, plan) = await violations.CheckAsync(body, ctx.Aborted);
        if (errors.Count > 0)
        {
            return Problems.Validation(errors);
        }

        var id = ViolationService.IdFor(plan!, requestId);
        var existing = await enforcement.GetViolationAsync(plan!.Enterprise.CityCode, id, ctx.Aborted);
        if (existing is not null && !ViolationService.SameFacts(existing, plan))
        {
            return Problems.Conflict($"请求标识 {requestId} 已用于另一项违规 {id} (The idempotency key was used for another violation)");
        }

        var recorded = await violations.RecordAsync(id, plan, ctx.Principal!.Address, "manual", ctx.Durable, ctx.Aborted);
        var url = $"/api/violations/{recorded.Violation.CityCode}/{id}";
        ctx.Http.Response.Headers.Location = url;
        return Results.Json(View(recorded.Violation, recorded.ClawBacks, recorded.Stopped, recorded.InReview, url), JsonBody.Response,
            statusCode: existing is null ? StatusCodes.Status201Created : StatusCodes.Status200OK);
    }

    public async Task<IResult> ListAsync(RequestContext ctx)
    {
        var p = ctx.Principal!;
        var city = p.Role == Role.CityBureau ? p.Scope ?? "" : ctx.Request.Query["city"].ToString();
        if (!Cities.TryGet(city, out _))
        {
            return Problems.Validation("city", "请指定城市代码 ?city=taiyuan (A city code is required)");
        }

        var rows = (await enforcement.ViolationsInCityAsync(city, ctx.Aborted)).OrderByDescending(v => v.DecidedOn)
            .Select(v => View(v, null, null, null, $"/api/violations/{v.CityCode}/{v.ViolationId}"));
        return Results.Json(rows, JsonBody.Response);
    }

    public async Task<IResult> GetAsync(RequestContext ctx)
    {
        var (v, problem) = await ViolationForAsync(ctx);
        if (problem is not null)
        {
            return problem;
        }

        var files = await enforcement.EvidenceOfAsync(v!.ViolationId, ctx.Aborted);
        var claws = (await enforcement.ClawBacksAsync(v.CityCode, ctx.Aborted)).Where(c => c.ViolationId == v.ViolationId).ToList();
        return Results.Json(new
        {
            violation = View(v, claws, null, null, $"/api/violations/{v.CityCode}/{v.ViolationId}"),
            evidence = files.Select(f => new { file = f.RowKey, f.OriginalFileName, f.ContentType, f.Size, f.Sha256, f.UploadedAt, url = $"/api/violations/{v.CityCode}/{v.ViolationId}/evidence/{f.RowKey}" }),
        }, JsonBody.Response);
    }

    public async Task<IResult> UploadEvidenceAsync(RequestContext ctx)
    {
        var (v, problem) = await ViolationForAsync(ctx);
        if (problem is not null)
        {
            return problem;
        }

        if (!ctx.Request.HasFormContentType)
        {
            return Problems.Validation("file", "请以 multipart/form-data 上传，字段名 file (Upload as multipart/form-data, field 'file')");
        }

        var file = (await ctx.Request.ReadFormAsync(ctx.Aborted)).Files.GetFile("file");
        if (file is null)
        {
            return Problems.Validation("file", "缺少文件字段 file (The 'file' field is missing)");
        }

        await using var content = file.OpenReadStream();
        var (row, uploadError) = await violations.AddEvidenceAsync(v!, content, file.Length, file.FileName, ctx.Principal!.Address, ctx.Aborted);
        return uploadError is not null
            ? Problems.Validation("file", uploadError)
            : Results.Json(new { file = row!.RowKey, row.Size, row.Sha256, row.ContentType, row.UploadedAt }, JsonBody.Response, statusCode: StatusCodes.Status201Created);
    }

    public async Task<IResult> DownloadEvidenceAsync(RequestContext ctx)
    {
        var (v, problem) = await ViolationForAsync(ctx);
        if (problem is not null)
        {
            return problem;
        }

        var file = await store.GetAsync<ViolationEvidenceEntity>(VoucherStore.ViolationEvidence, v!.ViolationId, ctx.RouteValue("file"), ctx.Aborted);
        if (file is null)
        {
            return Problems.NotFound("证据文件不存在 (No such evidence file)");
        }

        ctx.Http.Response.Headers["X-Content-Type-Options"] = "nosniff";
        return Results.Stream(await evidence.OpenBlobAsync(file.BlobName, ctx.Aborted), file.ContentType);
    }

    async Task<(ViolationEntity?, IResult?)> ViolationForAsync(RequestContext ctx)
    {
        var city = ctx.RouteValue("city");
        if (!Cities.TryGet(city, out _))
        {
            return (null, Problems.NotFound("违规记录不存在 (Violation not found)"));
        }

        if (!MaySupervise(ctx.Principal!, city))
        {
            return (null, Problems.Forbidden("只能查看本市的违规记录 (Your own city's violations only)"));
        }

        var v = await enforcement.GetViolationAsync(city, ctx.RouteValue("id"), ctx.Aborted);
        return v is null ? (null, Problems.NotFound("违规记录不存在 (Violation not found)")) : (v, null);
    }

    public async Task<IResult> ClawBacksAsync(RequestContext ctx)
    {
        var p = ctx.Principal!;
        var city = p.Role == Role.FinanceBureau ? p.Scope ?? "" : ctx.Request.Query["city"].ToString();
        if (!Cities.TryGet(city, out _))
        {
            return Problems.Validation("city", "请指定城市代码 ?city=taiyuan (A city code is required)");
        }

        var rows = (await enforcement.ClawBacksAsync(city, ctx.Aborted)).OrderBy(c => c.Status == "Confirmed").ThenByDescending(c => c.CreatedAt)
            .Select(ClawBackView);
        return Results.Json(rows, JsonBody.Response);
    }

    public async Task<IResult> ConfirmClawBackAsync(RequestContext ctx)
    {
        var (body, error) = await JsonBody.ReadAsync<ConfirmClawBackRequest>(ctx.Request, ctx.Aborted);
        if (error is not null)
        {
            return error;
        }

        var p = ctx.Principal!;
        var city = ctx.RouteValue("city");
        if (p.Role != Role.FinanceBureau || !string.Equals(p.Scope, city, StringComparison.OrdinalIgnoreCase))
        {
            return Problems.Forbidden("只有本市财政局可以确认追回 (Only the city's finance bureau confirms a claw-back)");
        }

        var errors = new List<FieldError>();
        var reference = JsonBody.Required(body!.Reference, "reference", 64, errors);
        if (errors.Count > 0)
        {
            return Problems.Validation(errors);
        }

        return await violations.ConfirmClawBackAsync(city, ctx.RouteValue("id"), reference!, p.Address, ctx.Aborted) switch
        {
            ClawBackOutcome.Confirmed => Results.Json(new { clawBackId = ctx.RouteValue("id"), status = "Confirmed" }, JsonBody.Response),
            ClawBackOutcome.AlreadyConfirmed => Problems.Conflict("此笔追回已确认 (This claw-back was already confirmed)"),
            _ => Problems.NotFound("追回记录不存在 (Claw-back not found)"),
        };
    }

    public async Task<IResult> CreditAsync(RequestContext ctx)
    {
        var p = ctx.Principal!;
        var uscc = ctx.RouteValue("uscc");
        var enterprise = Uscc.TryValidate(uscc, out var valid, out _)
            ? await store.GetAsync<EnterpriseEntity>(VoucherStore.Enterprises, valid, EnterpriseEntity.ProfileRow, ctx.Aborted)
            : null;
        if (enterprise is null)
        {
            return Problems.NotFound("企业不存在 (Enterprise not found)");
        }

        if (!(p.IsEnterprise(enterprise.Uscc) || MaySupervise(p, enterprise.CityCode)))
        {
            return Problems.Forbidden("无权查看此企业的信用记录 (Not your enterprise or city)");
        }

        return Results.Json(await CreditViewAsync(enterprise, ctx.Aborted), JsonBody.Response);
    }

    public sealed record CreditView(string Uscc, string Name, bool Trusted, IReadOnlyList<int> YearsOfUse, string? BarredUntil, IReadOnlyList<object> Entries);

    public async Task<CreditView> CreditViewAsync(EnterpriseEntity enterprise, CancellationToken ct)
    {
        var today = ChinaTime.DateOf(time.GetUtcNow().UtcDateTime);
        var years = (await enforcement.YearsOfUseAsync(enterprise.Uscc, ct)).Order().ToList();
        var trusted = await enforcement.IsTrustedAsync(enterprise.Uscc, today.Year, ct);
        var bar = await enforcement.BarredUntilAsync(enterprise.Uscc, today, ct);
        var entries = (await enforcement.CreditAsync(enterprise.Uscc, ct)).OrderByDescending(e => e.At)
            .Select(e => (object)new { e.Kind, e.Reference, e.At, amount = Cny.FromFen(e.AmountFen), e.Detail }).ToList();
        return new CreditView(enterprise.Uscc, enterprise.Name, trusted, years, bar?.ToString("yyyy-MM-dd"), entries);
    }

    public async Task<IResult> ExpertsAsync(RequestContext ctx)
    {
        var field = ctx.Request.Query["field"].ToString();
        var rows = await enforcement.ExpertsForFieldAsync(field.Length == 0 ? null : field, ctx.Aborted);
        return Results.Json(rows.Select(ExpertView), JsonBody.Response);
    }

    public async Task<IResult> SaveExpertAsync(RequestContext ctx)
    {
        var (body, error) = await JsonBody.ReadAsync<SaveExpertRequest>(ctx.Request, ctx.Aborted);
        if (error is not null)
        {
            return error;
        }

        var (expert, errors) = ValidateExpert(body!, ctx.Principal!.Address);
        if (errors.Count > 0)
        {
            return Problems.Validation(errors);
        }

        await enforcement.UpsertExpertAsync(expert!, ctx.Aborted);
        return Results.Json(ExpertView(expert!), JsonBody.Response);
    }

    public (ExpertEntity? Expert, List<FieldError> Errors) ValidateExpert(SaveExpertRequest body, string by)
    {
        var errors = new List<FieldError>();
        var id = JsonBody.Required(body.ExpertId, "expertId", 64, errors);
        if (id is not null && !System.Text.RegularExpressions.Regex.IsMatch(id, "^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$"))
        {
            errors.Add(new FieldError("expertId", "编号只能包含字母、数字、点、下划线和连字符 (Letters, digits, '.', '_' and '-' only)"));
        }

        var name = JsonBody.Required(body.Name, "name", 100, errors);
        var fields = (body.Fields ?? []).Select(f => f?.Trim() ?? "").Where(f => f.Length > 0).Distinct(StringComparer.OrdinalIgnoreCase).ToList();
        if (fields.Count is 0 or > 20 || fields.Any(f => f.Length > 40 || f.Contains(',')))
        {
            errors.Add(new FieldError("fields", "请填写 1 到 20 个专业领域，每个不超过 40 字 (1 to 20 fields of at most 40 characters)"));
        }

        var ties = (body.TiedUsccs ?? []).Select(t => t?.Trim().ToUpperInvariant() ?? "").Where(t => t.Length > 0).Distinct().ToList();
        foreach (var tie in ties)
        {
            if (!Uscc.TryValidate(tie, out _, out var usccError))
            {
                errors.Add(new FieldError("tiedUsccs", $"{tie}：{usccError}"));
            }
        }

        if (ties.Count > 100)
        {
            errors.Add(new FieldError("tiedUsccs", "最多 100 个关联企业 (At most 100 ties)"));
        }

        var institution = body.AffiliationInstitutionId?.Trim() ?? "";
        var affiliation = body.Affiliation?.Trim() ?? "";
        if (institution.Length > 64 || affiliation.Length > 100)
        {
            errors.Add(new FieldError("affiliation", "单位编号不超过 64 字符，单位名称不超过 100 字 (Too long)"));
        }

        if (errors.Count > 0)
        {
            return (null, errors);
        }

        return (new ExpertEntity
        {
            PartitionKey = ExpertEntity.Pool,
            RowKey = id!,
            Name = name!,
            Fields = string.Join(",", fields),
            AffiliationInstitutionId = institution,
            Affiliation = affiliation,
            TiedUsccs = string.Join(",", ties),
            Active = body.Active ?? true,
            UpdatedBy = by,
            UpdatedAt = time.GetUtcNow(),
        }, errors);
    }

    public async Task<IResult> MyOpinionsAsync(RequestContext ctx)
    {
        var rows = await enforcement.OpinionsForExpertAsync(ctx.Principal!.Scope ?? "", ctx.Aborted);
        return Results.Json(rows.OrderByDescending(o => o.RequestedAt).Select(o => new { o.RedemptionId, o.BatchId, o.EnterpriseName, o.ServiceTitle, o.Field, o.RequestedAt, o.Opinion, o.OpinionAt }), JsonBody.Response);
    }

    static object ExpertView(ExpertEntity e) =>
        new { expertId = e.ExpertId, e.Name, fields = e.FieldList(), e.AffiliationInstitutionId, e.Affiliation, tiedUsccs = e.TieList(), e.Active, e.UpdatedAt };

    static object ClawBackView(ClawBackEntity c) =>
        new { clawBackId = c.ClawBackId, c.ViolationId, c.RedemptionId, c.Uscc, c.EnterpriseName, amount = Cny.FromFen(c.AmountFen), c.Kind, c.Status, c.CreatedAt, c.Reference, c.ConfirmedAt };

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
        clawBacks = claws?.Select(ClawBackView),
        existingClawBacks = EnterpriseSplit(v.ExistingClawBackIds),
        stoppedRedemptions = stopped ?? EnterpriseSplit(v.StoppedRedemptionIds),
        redemptionsInReview = inReview,
        v.EvidenceCount,
        url,
    };

    static IReadOnlyList<string> EnterpriseSplit(string value) => ExpertEntity.Split(value);
}
