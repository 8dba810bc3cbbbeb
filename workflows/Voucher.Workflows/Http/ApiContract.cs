namespace Voucher.Workflows.Http;

/// <summary>
/// What an API route reads and answers, beside the route in its area's <c>*Routes.cs</c>: the JSON request type (or a
/// multipart file), the success status and response type (or a file), other success statuses, and the problems the
/// handler can answer beyond those that follow from the route itself (400 for a body, 404 for an id in the path,
/// 401/403 for a signed-in route). <see cref="OpenApiDocumentBuilder"/> turns these and the types into the OpenAPI
/// document; a response the handler builds as an anonymous object is <see cref="JsonObjectResponse"/>, described as an
/// object without a property list.
/// </summary>
public sealed record ApiContract(Type? Request, int Status, Type Response)
{
    /// <summary>The request is <c>multipart/form-data</c> with one file in the field <c>file</c>.</summary>
    public bool FileUpload { get; init; }

    /// <summary>Other success statuses with the same body (a repeated request answering 200 instead of 201/202).</summary>
    public IReadOnlyList<int> AlsoStatus { get; init; } = [];

    /// <summary>Problems beyond those the route implies (409 conflict, 422 refused, 429 rate limit).</summary>
    public IReadOnlyList<int> Problems { get; init; } = [];

    /// <summary>A status GET answered through <see cref="ConditionalGet"/>: an <c>ETag</c> on 200, <c>If-None-Match</c> read, 304 when it matches.</summary>
    public bool ETag { get; init; }

    /// <summary>Query string parameters the handler reads.</summary>
    public IReadOnlyList<string> Query { get; init; } = [];

    /// <summary>A GET answering <typeparamref name="TResponse"/> with 200.</summary>
    public static ApiContract Get<TResponse>(params int[] problems) => new(null, StatusCodes.Status200OK, typeof(TResponse)) { Problems = problems };

    /// <summary>A request with the JSON body <typeparamref name="TRequest"/> answering <typeparamref name="TResponse"/> with <paramref name="status"/>.</summary>
    public static ApiContract Send<TRequest, TResponse>(int status, params int[] problems) => new(typeof(TRequest), status, typeof(TResponse)) { Problems = problems };

    /// <summary>A request without a body answering <typeparamref name="TResponse"/> with <paramref name="status"/>.</summary>
    public static ApiContract Act<TResponse>(int status, params int[] problems) => new(null, status, typeof(TResponse)) { Problems = problems };

    /// <summary>A multipart upload of one file (field <c>file</c>) answering <typeparamref name="TResponse"/> with <paramref name="status"/>.</summary>
    public static ApiContract Upload<TResponse>(int status, params int[] problems) => new(null, status, typeof(TResponse)) { FileUpload = true, Problems = problems };

    /// <summary>A GET answering a stored file (its own content type).</summary>
    public static ApiContract File(params int[] problems) => new(null, StatusCodes.Status200OK, typeof(FileResponse)) { Problems = problems };
}

/// <summary>Marks a response the handler writes as an anonymous JSON object: described as an object, its properties not listed.</summary>
public sealed class JsonObjectResponse;

/// <summary>Marks a response that is a stored file in its own content type.</summary>
public sealed class FileResponse;
