using Microsoft.AspNetCore.Http;
using Voucher.Domain;
using Voucher.Workflows.Evidence;
using Voucher.Workflows.Http;

namespace Voucher.Workflows.Redemptions;

/// <summary>The redemption API's evidence: upload by SAS or multipart, completion, download.</summary>
public sealed partial class RedemptionHandlers
{
    public async Task<IResult> RequestUploadAsync(RequestContext ctx)
    {
        var (r, kind, problem) = await LoadForUploadAsync(ctx);
        if (problem is not null)
        {
            return problem;
        }

        var slot = await evidence.CreateUploadSlotAsync(r!.RedemptionId, kind, ctx.Aborted);
        return Results.Json(new
        {
            uploadUrl = slot.UploadUrl.ToString(),
            slot.UploadId,
            slot.ExpiresAt,
            slot.MaxBytes,
            method = "PUT",
            headers = new Dictionary<string, string> { ["x-ms-blob-type"] = "BlockBlob" },
            completeUrl = $"{StatusUrl(r.RedemptionId)}/evidence/{EvidenceRules.Slug(kind)}/complete",
        }, JsonBody.Response);
    }

    public async Task<IResult> CompleteUploadAsync(RequestContext ctx)
    {
        var (r, kind, problem) = await LoadForUploadAsync(ctx);
        if (problem is not null)
        {
            return problem;
        }

        var (body, error) = await JsonBody.ReadAsync<CompleteUploadRequest>(ctx.Request, ctx.Aborted);
        if (error is not null)
        {
            return error;
        }

        var result = await evidence.CompleteUploadAsync(r!.RedemptionId, kind, body!.UploadId?.Trim() ?? "", ctx.Principal!.Actor, ctx.Aborted);
        return await AfterUploadAsync(ctx, r, result);
    }

    public async Task<IResult> UploadAsync(RequestContext ctx)
    {
        var (r, kind, problem) = await LoadForUploadAsync(ctx);
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
        var result = await evidence.UploadAsync(r!.RedemptionId, kind, content, file.Length, file.FileName, ctx.Principal!.Actor, ctx.Aborted);
        return await AfterUploadAsync(ctx, r, result);
    }

    async Task<IResult> AfterUploadAsync(RequestContext ctx, RedemptionEntity r, EvidenceResult result)
    {
        if (result.Error is not null)
        {
            return Problems.Validation("file", result.Error);
        }

        if (await evidence.IsCompleteAsync(r.RedemptionId, ctx.Aborted))
        {
            await events.RaiseAsync(r.RedemptionId, new RedemptionEvent(RedemptionEvent.EvidenceComplete, 0, true, null, ctx.Principal!.Actor), ctx.Durable, ctx.Aborted);
        }

        var e = result.Evidence!;
        return Results.Json(new { kind = e.RowKey, e.Size, e.Sha256, e.ContentType, e.UploadedAt }, JsonBody.Response, statusCode: StatusCodes.Status201Created);
    }

    public async Task<IResult> DownloadAsync(RequestContext ctx)
    {
        var (r, problem) = await LoadReadableAsync(ctx);
        if (problem is not null)
        {
            return problem;
        }

        if (!CanReadEvidence(ctx.Principal!, r!))
        {
            return Problems.Forbidden("兑付材料仅限企业、相关服务机构、市科技局和省中心查看 (Evidence is for the enterprise, the institution, the city bureau and the province)");
        }

        if (!EvidenceRules.TryParseKind(ctx.RouteValue("kind"), out var kind))
        {
            return Problems.NotFound("材料类型只能为 report、contract 或 payment (Kind must be report, contract or payment)");
        }

        var opened = await evidence.OpenAsync(r!.RedemptionId, kind, ctx.Aborted);
        if (opened is null)
        {
            return Problems.NotFound($"尚未上传{EvidenceRules.Chinese(kind)} (Not uploaded yet)");
        }

        ctx.Http.Response.Headers["X-Content-Type-Options"] = "nosniff";
        return Results.Stream(opened.Value.Content, opened.Value.Evidence.ContentType, $"{r.RedemptionId}-{EvidenceRules.Slug(kind)}{Extension(opened.Value.Evidence.ContentType)}");
    }

    static string Extension(string contentType) => contentType switch { "application/pdf" => ".pdf", "image/png" => ".png", _ => ".jpg" };

    async Task<(RedemptionEntity?, EvidenceKind, IResult?)> LoadForUploadAsync(RequestContext ctx)
    {
        if (!EvidenceRules.TryParseKind(ctx.RouteValue("kind"), out var kind))
        {
            return (null, default, Problems.Validation("kind", "材料类型只能为 report、contract 或 payment (Kind must be report, contract or payment)"));
        }

        var r = await redemptions.GetAsync(ctx.RouteValue("id"), ctx.Aborted);
        if (r is null)
        {
            return (null, kind, Problems.NotFound($"兑付申请 {ctx.RouteValue("id")} 不存在 (Redemption not found)"));
        }

        if (!ctx.Principal!.IsEnterprise(r.Uscc))
        {
            return (null, kind, Problems.Forbidden("只有申请企业可以上传材料 (Only the enterprise uploads evidence)"));
        }

        if (r.State is not (RedemptionStatus.AwaitingBinding or RedemptionStatus.AwaitingEvidence or RedemptionStatus.BindingOverdue or RedemptionStatus.Disputed))
        {
            return (null, kind, Problems.Conflict("材料已锁定，不能再上传 (Evidence is locked once queued for settlement)"));
        }

        return (r, kind, null);
    }
}
