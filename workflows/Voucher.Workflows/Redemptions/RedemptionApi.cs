using Voucher.Workflows.Evidence;

namespace Voucher.Workflows.Redemptions;

/// <summary>The body of <c>POST /api/redemptions</c>; <paramref name="OrderId"/> names a service order whose details fill the fields left empty.</summary>
public sealed record CreateRedemptionRequest(string? VoucherId, string? InstitutionId, string? ServiceId, bool? CooperativeRd, string? ContractNumber, decimal? AmountPaid, string? OrderId = null);

/// <summary>Completes a SAS upload; <paramref name="FileName"/> (optional) is the file's name on the uploader's computer, kept with the evidence.</summary>
public sealed record CompleteUploadRequest(string? UploadId, string? FileName = null);

public sealed record BindingDecisionRequest(int? Round, bool? Confirm, string? Reason);

public sealed record ExtendBindingRequest(int? Round);

/// <summary>The answer of <c>POST /api/redemptions</c>: the redemption, its status URL and where each evidence file goes.</summary>
public sealed record RedemptionRequestAnswer(string RedemptionId, RedemptionStatus Status, string StatusUrl, bool Existing, IReadOnlyList<EvidenceUploadLinks> Evidence);

/// <summary>Where one evidence file goes: a SAS slot to ask for, or a multipart upload.</summary>
public sealed record EvidenceUploadLinks(string Kind, string UploadUrlRequest, string MultipartUpload);

/// <summary>A redemption's act accepted (202): withdrawal (with its status URL), binding, extension.</summary>
public sealed record RedemptionAccepted(string RedemptionId, bool Accepted, string? StatusUrl = null);

/// <summary>A write-only upload slot for one evidence file: PUT the file to <paramref name="UploadUrl"/>, then POST <paramref name="CompleteUrl"/>.</summary>
public sealed record EvidenceUploadSlot(string UploadUrl, string UploadId, DateTimeOffset ExpiresAt, long MaxBytes, string Method, IReadOnlyDictionary<string, string> Headers, string CompleteUrl);

/// <summary>An evidence file stored (201): its kind, size, SHA-256, content type judged by content, and when.</summary>
public sealed record EvidenceStored(string Kind, long Size, string Sha256, string ContentType, DateTimeOffset UploadedAt);

/// <summary>
/// The redemption API (<c>/api/redemptions</c>): request, view, evidence (SAS or multipart, download), withdrawal, the
/// bureau's extension, the institution's binding. JSON or multipart in, the services, ProblemDetails or JSON out.
/// </summary>
public sealed class RedemptionApi(RedemptionService redemptions, BindingService binding, EvidenceService evidence, Storage.VoucherStore store)
{
    public async Task<IResult> CreateAsync(RequestContext ctx)
    {
        var (body, error) = await JsonBody.ReadAsync<CreateRedemptionRequest>(ctx.Request, ctx.Aborted);
        if (error is not null)
        {
            return error;
        }

        // A request naming a service order takes the order's details for the fields it leaves empty (the marketplace's rule).
        var (request, orderProblem) = await Marketplace.OrderPrefill.ApplyAsync(store, ctx.Principal!, body!, ctx.Aborted);
        if (orderProblem is not null)
        {
            return orderProblem;
        }

        var command = new RequestRedemption(request.VoucherId, request.InstitutionId, request.ServiceId, request.CooperativeRd, request.ContractNumber, request.AmountPaid);
        var outcome = await redemptions.RequestAsync(ctx.Principal!, command, ctx.Durable, ctx.Aborted);
        if (outcome.Failure is { } failure)
        {
            return Problems.For(failure);
        }

        var (r, existing) = outcome.Value;
        var url = StatusUrl(r.RedemptionId);
        ctx.Http.Response.Headers.Location = url;
        var evidence = EvidenceRules.Required
            .Select(k => new EvidenceUploadLinks(EvidenceRules.Slug(k), $"{url}/evidence/{EvidenceRules.Slug(k)}/sas", $"{url}/evidence/{EvidenceRules.Slug(k)}"))
            .ToList();
        return Results.Json(new RedemptionRequestAnswer(r.RedemptionId, r.Status, url, existing, evidence), JsonBody.Response, statusCode: existing ? StatusCodes.Status200OK : StatusCodes.Status202Accepted);
    }

    /// <summary>The redemption's status, with an ETag; <c>If-None-Match</c> with the same tag answers 304.</summary>
    public Task<IResult> GetAsync(RequestContext ctx) =>
        ConditionalGet.RowTaggedAsync(
            ctx,
            "GetRedemption",
            () => redemptions.ReadableAsync(ctx.Principal!, ctx.RouteValue("id"), ctx.Aborted),
            r => redemptions.VersionTag(r, ctx.Aborted),
            async r =>
            {
                var (dossier, complete) = await redemptions.DossierOfRowAsync(r, ctx.Aborted);
                return (RedemptionDetails.Of(dossier), complete);
            });

    public async Task<IResult> WithdrawAsync(RequestContext ctx)
    {
        var outcome = await redemptions.WithdrawAsync(ctx.Principal!, ctx.RouteValue("id"), ctx.Durable, ctx.Aborted);
        return outcome.Failure is { } failure
            ? Problems.For(failure)
            : Results.Json(new RedemptionAccepted(outcome.Value.RedemptionId, true, StatusUrl(outcome.Value.RedemptionId)), JsonBody.Response, statusCode: StatusCodes.Status202Accepted);
    }

    public async Task<IResult> ExtendBindingAsync(RequestContext ctx)
    {
        var (body, error) = await JsonBody.ReadAsync<ExtendBindingRequest>(ctx.Request, ctx.Aborted);
        if (error is not null)
        {
            return error;
        }

        return Accepted(await binding.ReopenAsync(ctx.Principal!, new ReopenBinding(ctx.RouteValue("id"), body!.Round), ctx.Durable, ctx.Aborted));
    }

    /// <summary>The signed-in institution confirms or disputes from its own list (the link does the same).</summary>
    public async Task<IResult> BindAsync(RequestContext ctx)
    {
        var (body, error) = await JsonBody.ReadAsync<BindingDecisionRequest>(ctx.Request, ctx.Aborted);
        if (error is not null)
        {
            return error;
        }

        return Accepted(await binding.BindAsync(ctx.Principal!, new BindRedemption(ctx.RouteValue("id"), body!.Round, body.Confirm, body.Reason), ctx.Durable, ctx.Aborted));
    }

    public async Task<IResult> RequestUploadAsync(RequestContext ctx)
    {
        var target = await evidence.TargetAsync(ctx.Principal!, ctx.RouteValue("id"), ctx.RouteValue("kind"), ctx.Aborted);
        if (target.Failure is { } failure)
        {
            return Problems.For(failure);
        }

        var slot = await evidence.RequestUploadAsync(target.Value, ctx.Aborted);
        return Results.Json(new EvidenceUploadSlot(
            slot.UploadUrl.ToString(),
            slot.UploadId,
            slot.ExpiresAt,
            slot.MaxBytes,
            "PUT",
            new Dictionary<string, string> { ["x-ms-blob-type"] = "BlockBlob" },
            $"{StatusUrl(target.Value.Redemption.RedemptionId)}/evidence/{EvidenceRules.Slug(target.Value.Kind)}/complete"), JsonBody.Response);
    }

    public async Task<IResult> CompleteUploadAsync(RequestContext ctx)
    {
        // Who may upload is checked before the body is read.
        var target = await evidence.TargetAsync(ctx.Principal!, ctx.RouteValue("id"), ctx.RouteValue("kind"), ctx.Aborted);
        if (target.Failure is { } failure)
        {
            return Problems.For(failure);
        }

        var (body, error) = await JsonBody.ReadAsync<CompleteUploadRequest>(ctx.Request, ctx.Aborted);
        if (error is not null)
        {
            return error;
        }

        return Stored(await evidence.CompleteUploadAsync(target.Value, body!.UploadId, ctx.Durable, ctx.Aborted, body.FileName));
    }

    public async Task<IResult> UploadAsync(RequestContext ctx)
    {
        var outcome = await UploadFileAsync(evidence, ctx);
        return Stored(outcome);
    }

    public async Task<IResult> DownloadAsync(RequestContext ctx)
    {
        var outcome = await evidence.DownloadAsync(ctx.Principal!, ctx.RouteValue("id"), ctx.RouteValue("kind"), ctx.Aborted);
        if (outcome.Failure is { } failure)
        {
            return Problems.For(failure);
        }

        ctx.Http.Response.Headers["X-Content-Type-Options"] = "nosniff";
        return Results.Stream(outcome.Value.Content, outcome.Value.ContentType, outcome.Value.FileName);
    }

    /// <summary>
    /// The multipart upload of the route's redemption and kind, shared with the redemption page's form: the target is
    /// checked first, then the form's <c>file</c> field is read and stored.
    /// </summary>
    public static async Task<Outcome<EvidenceEntity>> UploadFileAsync(EvidenceService evidence, RequestContext ctx)
    {
        var target = await evidence.TargetAsync(ctx.Principal!, ctx.RouteValue("id"), ctx.RouteValue("kind"), ctx.Aborted);
        if (target.Failure is { } failure)
        {
            return failure;
        }

        if (!ctx.Request.HasFormContentType)
        {
            return new Failure.Invalid("file", "请以 multipart/form-data 上传，字段名 file (Upload as multipart/form-data, field 'file')");
        }

        var form = await ctx.Request.ReadFormAsync(ctx.Aborted);
        var file = form.Files.GetFile("file");
        if (file is null)
        {
            return new Failure.Invalid("file", "缺少文件字段 file (The 'file' field is missing)");
        }

        await using var content = file.OpenReadStream();
        return await evidence.UploadAsync(target.Value, new EvidenceFile(content, file.Length, file.FileName, form[EvidenceService.PaidOnField].ToString()), ctx.Durable, ctx.Aborted);
    }

    public static string StatusUrl(string redemptionId) => $"/api/redemptions/{redemptionId}";

    static IResult Accepted(Outcome<RedemptionEntity> outcome) => outcome.Failure is { } failure
        ? Problems.For(failure)
        : Results.Json(new RedemptionAccepted(outcome.Value.RedemptionId, true), JsonBody.Response, statusCode: StatusCodes.Status202Accepted);

    static IResult Stored(Outcome<EvidenceEntity> outcome)
    {
        if (outcome.Failure is { } failure)
        {
            return Problems.For(failure);
        }

        var e = outcome.Value;
        return Results.Json(new EvidenceStored(e.RowKey, e.Size, e.Sha256, e.ContentType, e.UploadedAt), JsonBody.Response, statusCode: StatusCodes.Status201Created);
    }
}
