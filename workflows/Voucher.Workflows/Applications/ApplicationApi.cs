namespace Voucher.Workflows.Applications;

public sealed record SubmitApplicationRequest(string? Uscc, decimal? FaceValue);

public sealed record SubmitApplicationResponse(string ApplicationId, string Status, string StatusUrl, bool Existing);

public sealed record DecideApplicationRequest(int? Round, bool? Approve, string? Reason);

/// <summary>The answer of a decision taken (202): the application goes on in its workflow; read its status URL.</summary>
public sealed record ApplicationDecisionAccepted(string ApplicationId, bool Accepted, string StatusUrl);

/// <summary>The application API (<c>/api/applications</c>): JSON in, <see cref="ApplicationService"/>, ProblemDetails or JSON out.</summary>
public sealed class ApplicationApi(ApplicationService applications)
{
    public async Task<IResult> SubmitAsync(RequestContext ctx)
    {
        var (body, error) = await JsonBody.ReadAsync<SubmitApplicationRequest>(ctx.Request, ctx.Aborted);
        if (error is not null)
        {
            return error;
        }

        var outcome = await applications.SubmitAsync(ctx.Principal!, new SubmitApplication(body!.Uscc, body.FaceValue), ctx.Durable, ctx.Aborted);
        if (outcome.Failure is { } failure)
        {
            return Problems.For(failure);
        }

        var submitted = outcome.Value;
        var response = new SubmitApplicationResponse(submitted.ApplicationId, submitted.Status.ToString(), StatusUrl(submitted.ApplicationId), submitted.Existing);
        ctx.Http.Response.Headers.Location = response.StatusUrl;
        return Results.Json(response, JsonBody.Response, statusCode: submitted.Existing ? StatusCodes.Status200OK : StatusCodes.Status202Accepted);
    }

    /// <summary>The application's status, with an ETag; <c>If-None-Match</c> with the same tag answers 304.</summary>
    public Task<IResult> GetAsync(RequestContext ctx) =>
        ConditionalGet.RowTaggedAsync(
            ctx,
            "GetApplication",
            () => applications.ReadableAsync(ctx.Principal!, ctx.RouteValue("id"), ctx.Aborted),
            app => applications.VersionTag(app, ctx.Aborted),
            async app =>
            {
                var (view, complete) = await applications.ViewOfRowAsync(app, ctx.Aborted);
                return (view, complete);
            });

    public async Task<IResult> DecideAsync(RequestContext ctx)
    {
        var (body, error) = await JsonBody.ReadAsync<DecideApplicationRequest>(ctx.Request, ctx.Aborted);
        if (error is not null)
        {
            return error;
        }

        var outcome = await applications.DecideAsync(ctx.Principal!, new DecideApplication(ctx.RouteValue("id"), body!.Round, body.Approve, body.Reason), ctx.Durable, ctx.Aborted);
        return outcome.Failure is { } failure
            ? Problems.For(failure)
            : Results.Json(new ApplicationDecisionAccepted(outcome.Value.ApplicationId, true, StatusUrl(outcome.Value.ApplicationId)), JsonBody.Response, statusCode: StatusCodes.Status202Accepted);
    }

    public static string StatusUrl(string applicationId) => $"/api/applications/{applicationId}";
}
