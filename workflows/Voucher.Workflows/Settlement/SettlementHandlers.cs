using Microsoft.AspNetCore.Http;
using Voucher.Domain;
using Voucher.Workflows.Http;
using Voucher.Workflows.Security;

namespace Voucher.Workflows.Settlement;

public sealed record StartSettlementRequest(string? CityCode, string? PeriodId);

public sealed record SaveDecisionsRequest(List<RowDecision>? Decisions);

/// <summary>The settlement API: start a period by hand, follow progress, save row decisions, submit the batch.</summary>
public sealed class SettlementHandlers(SettlementScheduler scheduler, SettlementStore settlements, SettlementReview review)
{
    public async Task<IResult> StartAsync(RequestContext ctx)
    {
        var (body, error) = await JsonBody.ReadAsync<StartSettlementRequest>(ctx.Request, ctx.Aborted);
        if (error is not null)
        {
            return error;
        }

        if (!Cities.TryGet(body!.CityCode, out var city))
        {
            return Problems.Validation("cityCode", "须为山西省 11 个地市之一 (Must be one of the 11 Shanxi cities)");
        }

        if (string.IsNullOrWhiteSpace(body.PeriodId))
        {
            return Problems.Validation("periodId", "必填，如 2026Q4、2026M11 (Required, e.g. 2026Q4 or 2026M11)");
        }

        var p = ctx.Principal!;
        if (p.Role != Role.Province && !p.IsBureauOf(city.Code))
        {
            return Problems.Forbidden("只有省中心或本市科技局可以发起结算 (Only the province or the city's bureau starts a settlement)");
        }

        var start = await scheduler.StartByHandAsync(city.Code, body.PeriodId.Trim(), p.Address, ctx.Durable, ctx.Aborted);
        var url = $"/api/settlements/{start.BatchId}";
        ctx.Http.Response.Headers.Location = url;
        return Results.Json(new { start.BatchId, start.PeriodId, start.Started, cutoffUtc = start.CutoffUtc, statusUrl = url },
            JsonBody.Response, statusCode: start.Started ? StatusCodes.Status202Accepted : StatusCodes.Status200OK);
    }

    public async Task<IResult> GetAsync(RequestContext ctx)
    {
        var (batch, problem) = await LoadAsync(ctx, forReview: false);
        if (problem is not null)
        {
            return problem;
        }

        var instance = await ctx.Durable.GetInstanceAsync(SettlementIds.InstanceId(batch!.BatchId), getInputsAndOutputs: true, ctx.Aborted);
        var progress = instance?.SerializedCustomStatus is { } status ? System.Text.Json.JsonDocument.Parse(status).RootElement : (System.Text.Json.JsonElement?)null;
        return Results.Json(new
        {
            batch.BatchId,
            batch.CityCode,
            batch.PeriodId,
            batch.Stage,
            batch.CutoffUtc,
            batch.ItemCount,
            batch.ChunkCount,
            batch.PolicyVersion,
            batch.FormedAt,
            batch.SubmittedAt,
            batch.PublicityStart,
            batch.PublicityEnd,
            publicityProvisional = PublicityWindows.IsProvisional(batch),
            publicityCalendar = batch.PublicityBasis,
            batch.ClosedAt,
            runtimeStatus = instance?.RuntimeStatus.ToString(),
            progress,
        }, JsonBody.Response);
    }

    /// <summary>Up to 1,000 rows with reasons fit in this route's larger body limit.</summary>
    public const int DecisionsMaxBytes = 1024 * 1024;

    public async Task<IResult> SaveDecisionsAsync(RequestContext ctx)
    {
        var (body, error) = await JsonBody.ReadAsync<SaveDecisionsRequest>(ctx.Request, ctx.Aborted, DecisionsMaxBytes);
        if (error is not null)
        {
            return error;
        }

        if (body!.Decisions is not { Count: > 0 and <= 1000 })
        {
            return Problems.Validation("decisions", "须为 1 到 1000 行 (Between 1 and 1000 rows)");
        }

        var (batch, problem) = await LoadAsync(ctx, forReview: true);
        if (problem is not null)
        {
            return problem;
        }

        var errors = await review.SaveAsync(batch!, body.Decisions, ctx.Principal!.Address, ctx.Aborted);
        return errors.Count > 0 ? Problems.Validation(errors) : Results.Json(new { saved = body.Decisions.Count }, JsonBody.Response);
    }

    public async Task<IResult> SubmitAsync(RequestContext ctx)
    {
        var (batch, problem) = await LoadAsync(ctx, forReview: true);
        if (problem is not null)
        {
            return problem;
        }

        var (outcome, undecided) = await review.SubmitAsync(batch!, ctx.Principal!.Address, ctx.Durable, ctx.Aborted);
        return outcome switch
        {
            SubmitOutcome.Accepted => Results.Json(new { batch!.BatchId, submitted = true }, JsonBody.Response, statusCode: StatusCodes.Status202Accepted),
            SubmitOutcome.Incomplete => Problems.Unprocessable($"还有 {undecided} 笔未作决定 ({undecided} rows have no decision yet)"),
            SubmitOutcome.AlreadySubmitted => Problems.Conflict("批次已提交 (The batch was already submitted)"),
            _ => Problems.Conflict("批次不在审核阶段 (The batch is not under review)"),
        };
    }

    async Task<(BatchEntity?, IResult?)> LoadAsync(RequestContext ctx, bool forReview)
    {
        var batch = await settlements.GetBatchAsync(ctx.RouteValue("batchId"), ctx.Aborted);
        if (batch is null)
        {
            return (null, Problems.NotFound($"批次 {ctx.RouteValue("batchId")} 不存在 (Batch not found)"));
        }

        var p = ctx.Principal!;
        var allowed = forReview
            ? p.IsBureauOf(batch.CityCode)
            : p.Role == Role.Province || ((p.Role is Role.CityBureau or Role.FinanceBureau) && string.Equals(p.Scope, batch.CityCode, StringComparison.OrdinalIgnoreCase));
        return allowed ? (batch, null) : (null, Problems.Forbidden("无权操作其他地市的批次 (Another city's batch)"));
    }
}
