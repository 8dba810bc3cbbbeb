namespace Voucher.Workflows.Supervision;

/// <summary><c>GET /api/evaluations/{year}</c>: a published evaluation (public), over <see cref="EvaluationService"/>.</summary>
public sealed class EvaluationApi(EvaluationService evaluations)
{
    public async Task<IResult> GetAsync(RequestContext ctx)
    {
        var outcome = await evaluations.PublishedAsync(ctx.RouteValue("year"), ctx.Aborted);
        return outcome.Failure is { } failure ? Problems.For(failure) : Results.Json(outcome.Value, JsonBody.Response);
    }
}
