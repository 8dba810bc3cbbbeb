namespace Voucher.Workflows.Http;

/// <summary>ProblemDetails answers (RFC 9457) that name the field and the rule.</summary>
public static class Problems
{
    public static IResult Validation(IEnumerable<FieldError> errors) =>
        Results.ValidationProblem(
            errors.GroupBy(e => e.Field).ToDictionary(g => g.Key, g => g.Select(e => e.Message).ToArray()),
            title: "请求内容有误 (The request has invalid fields)",
            statusCode: StatusCodes.Status400BadRequest);

    public static IResult Validation(string field, string message) => Validation([new FieldError(field, message)]);

    public static IResult NotFound(string what) =>
        Results.Problem(title: "未找到 (Not found)", detail: what, statusCode: StatusCodes.Status404NotFound);

    public static IResult Conflict(string detail) =>
        Results.Problem(title: "冲突 (Conflict)", detail: detail, statusCode: StatusCodes.Status409Conflict);

    public static IResult Unprocessable(string detail, IDictionary<string, object?>? extensions = null) =>
        Results.Problem(title: "无法处理 (Cannot be processed)", detail: detail, statusCode: StatusCodes.Status422UnprocessableEntity, extensions: extensions);

    public static IResult Unauthorized() =>
        Results.Problem(title: "请先登录 (Sign-in required)", statusCode: StatusCodes.Status401Unauthorized);

    public static IResult Forbidden(string detail) =>
        Results.Problem(title: "无权操作 (Forbidden)", detail: detail, statusCode: StatusCodes.Status403Forbidden);

    /// <summary>The ProblemDetails answer of a failed business act.</summary>
    public static IResult For(Services.Failure failure) => failure switch
    {
        Services.Failure.Invalid invalid => Validation(invalid.Errors),
        Services.Failure.NotFound notFound => NotFound(notFound.Message),
        Services.Failure.Forbidden forbidden => Forbidden(forbidden.Message),
        Services.Failure.Conflict conflict => Conflict(conflict.Message),
        Services.Failure.Refused refused => Unprocessable(refused.Message, refused.Details is null ? null : new Dictionary<string, object?>(refused.Details)),
        _ => throw new ArgumentOutOfRangeException(nameof(failure), failure, "Unknown failure"),
    };

    /// <summary>The messages of a failed act by field, for a page that shows each next to its input (the empty key: the form as a whole).</summary>
    public static IReadOnlyDictionary<string, string[]> FieldMessages(Services.Failure failure) => failure switch
    {
        Services.Failure.Invalid invalid => invalid.Errors.GroupBy(e => e.Field).ToDictionary(g => g.Key, g => g.Select(e => e.Message).ToArray()),
        _ => new Dictionary<string, string[]> { [""] = [failure.Message] },
    };

    /// <summary>
    /// The messages of a problem answer by field, for pages that show each next to its input; a problem that names no
    /// field comes back under the empty key.
    /// </summary>
    public static IReadOnlyDictionary<string, string[]> FieldMessages(IResult problem) => problem switch
    {
        Microsoft.AspNetCore.Http.HttpResults.ProblemHttpResult { ProblemDetails: HttpValidationProblemDetails v } => v.Errors.ToDictionary(e => e.Key, e => e.Value),
        Microsoft.AspNetCore.Http.HttpResults.ValidationProblem v => v.ProblemDetails.Errors.ToDictionary(e => e.Key, e => e.Value),
        _ => new Dictionary<string, string[]> { [""] = [Describe(problem)] },
    };

    /// <summary>The person-readable text of a problem answer, for pages that reuse API logic.</summary>
    public static string Describe(IResult problem) => problem switch
    {
        Microsoft.AspNetCore.Http.HttpResults.ProblemHttpResult { ProblemDetails: HttpValidationProblemDetails v } =>
            string.Join("；", v.Errors.SelectMany(e => e.Value.Select(m => $"{e.Key}：{m}"))),
        Microsoft.AspNetCore.Http.HttpResults.ProblemHttpResult p => p.ProblemDetails.Detail ?? p.ProblemDetails.Title ?? "",
        Microsoft.AspNetCore.Http.HttpResults.ValidationProblem v => string.Join("；", v.ProblemDetails.Errors.SelectMany(e => e.Value)),
        _ => "无法完成 (Cannot complete)",
    };
}
