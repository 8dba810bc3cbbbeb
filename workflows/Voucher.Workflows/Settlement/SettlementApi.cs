namespace Voucher.Workflows.Settlement;

public sealed record StartSettlementRequest(string? CityCode, string? PeriodId);

public sealed record SaveDecisionsRequest(List<RowDecision>? Decisions);

/// <summary>
/// A bulk decision: <c>operationId</c> (the client's, reused on retry), <c>decision</c> (<c>approve</c>/<c>reject</c>),
/// <c>reason</c> (required to reject), and either <c>redemptionIds</c> or <c>filter</c> (the review page's query names:
/// <c>inst</c>, <c>q</c>, <c>cat</c>, <c>min</c>/<c>max</c> in yuan, <c>risk</c>, <c>state</c>); optionally the
/// <c>expectedCount</c> and <c>expectedPayoutFen</c> the client confirmed (409 when the set differs).
/// </summary>
public sealed record BulkDecisionsRequest(string? OperationId, string? Decision, string? Reason, List<string>? RedemptionIds, Dictionary<string, string>? Filter, int? ExpectedCount, long? ExpectedPayoutFen);

/// <summary>The answer of <c>POST /api/settlements</c>: the batch (202 started, 200 already started), its cut-off and status URL.</summary>
public sealed record SettlementStarted(string BatchId, string PeriodId, bool Started, DateTime CutoffUtc, string StatusUrl);

/// <summary>How many of the bureau's decisions were saved.</summary>
public sealed record BatchDecisionsSaved(int Saved);

/// <summary>The batch submitted (202): publicity follows.</summary>
public sealed record BatchSubmitAnswer(string BatchId, bool Submitted);

/// <summary>
/// The settlement API (<c>/api/settlements</c>): start a period by hand, follow progress, save row decisions, submit the
/// batch — JSON in, <see cref="SettlementService"/>, ProblemDetails or JSON out.
/// </summary>
public sealed class SettlementApi(SettlementService settlements, BatchReviewDecisions bulk)
{
    /// <summary>Up to 1,000 rows with reasons fit in this route's larger body limit.</summary>
    public const int DecisionsMaxBytes = 1024 * 1024;

    public async Task<IResult> StartAsync(RequestContext ctx)
    {
        var (body, error) = await JsonBody.ReadAsync<StartSettlementRequest>(ctx.Request, ctx.Aborted);
        if (error is not null)
        {
            return error;
        }

        var outcome = await settlements.StartAsync(ctx.Principal!, new StartSettlement(body!.CityCode, body.PeriodId), ctx.Durable, ctx.Aborted);
        if (outcome.Failure is { } failure)
        {
            return Problems.For(failure);
        }

        var start = outcome.Value;
        var url = $"/api/settlements/{start.BatchId}";
        ctx.Http.Response.Headers.Location = url;
        return Results.Json(new SettlementStarted(start.BatchId, start.PeriodId, start.Started, start.CutoffUtc, url),
            JsonBody.Response, statusCode: start.Started ? StatusCodes.Status202Accepted : StatusCodes.Status200OK);
    }

    /// <summary>The batch and its progress, with an ETag; <c>If-None-Match</c> with the same tag answers 304.</summary>
    public Task<IResult> GetAsync(RequestContext ctx) =>
        ConditionalGet.RowTaggedAsync(
            ctx,
            "GetSettlement",
            () => settlements.ReadableAsync(ctx.Principal!, ctx.RouteValue("batchId"), ctx.Aborted),
            batch => Task.FromResult(settlements.VersionTag(batch)),
            async batch =>
            {
                var (view, complete) = await settlements.ViewOfRowAsync(batch, ctx.Durable, ctx.Aborted);
                return ((object)view, complete);
            });

    public async Task<IResult> SaveDecisionsAsync(RequestContext ctx)
    {
        var (body, error) = await JsonBody.ReadAsync<SaveDecisionsRequest>(ctx.Request, ctx.Aborted, DecisionsMaxBytes);
        if (error is not null)
        {
            return error;
        }

        var outcome = await settlements.SaveDecisionsAsync(ctx.Principal!, new SaveBatchDecisions(ctx.RouteValue("batchId"), body!.Decisions), ctx.Aborted);
        return outcome.Failure is { } failure ? Problems.For(failure) : Results.Json(new BatchDecisionsSaved(outcome.Value.Saved), JsonBody.Response);
    }

    public async Task<IResult> SubmitAsync(RequestContext ctx)
    {
        var outcome = await settlements.SubmitAsync(ctx.Principal!, ctx.RouteValue("batchId"), ctx.Durable, ctx.Aborted);
        return outcome.Failure is { } failure
            ? Problems.For(failure)
            : Results.Json(new BatchSubmitAnswer(outcome.Value.BatchId, true), JsonBody.Response, statusCode: StatusCodes.Status202Accepted);
    }

    /// <summary>A bulk decision on the city bureau's batch: the rows named or those of the filter, at once.</summary>
    public async Task<IResult> BulkDecideAsync(RequestContext ctx)
    {
        var (body, error) = await JsonBody.ReadAsync<BulkDecisionsRequest>(ctx.Request, ctx.Aborted, DecisionsMaxBytes);
        if (error is not null)
        {
            return error;
        }

        BatchReviewFilter? filter = null;
        if (body!.Filter is { } values)
        {
            var (parsed, errors) = BatchReviewFilter.From(values);
            if (errors.Count > 0)
            {
                return Problems.For(new Failure.Invalid([.. errors.Select(e => e with { Field = $"filter.{e.Field}" })]));
            }

            filter = parsed;
        }

        var batch = await settlements.ReviewableBatchAsync(ctx.Principal!, ctx.RouteValue("batchId"), ctx.Aborted);
        if (batch.Failure is { } denied)
        {
            return Problems.For(denied);
        }

        var outcome = await bulk.DecideAsync(batch.Value, new BulkDecision(body.OperationId, body.Decision, body.Reason, body.RedemptionIds, filter, body.ExpectedCount, body.ExpectedPayoutFen),
            ctx.Principal!.Address, ctx.Aborted);
        return outcome.Failure is { } failure ? Problems.For(failure) : Results.Json(outcome.Value, JsonBody.Response);
    }
}
