using System.Security.Cryptography;
using System.Text.Json;
using Microsoft.Net.Http.Headers;

namespace Voucher.Workflows.Http;

/// <summary>
/// A status GET that a polling client can repeat cheaply: the answer carries an <c>ETag</c> (a hash of the JSON it
/// answers, so every change to anything the body shows — status, history, evidence, days left — changes it), and a
/// request whose <c>If-None-Match</c> names the current tag is answered <c>304 Not Modified</c> with no body.
/// The storage calls the answer costs are counted under <c>route:{name}</c> (<see cref="StorageMetrics"/>, <c>/dev/metrics</c>).
/// </summary>
public static class ConditionalGet
{
    public static async Task<IResult> JsonAsync<T>(RequestContext ctx, string routeName, Func<Task<Outcome<T>>> read, Func<T, object> body)
    {
        Outcome<T> outcome;
        using (StorageMetrics.Attribute("route:" + routeName))
        {
            outcome = await read();
        }

        if (outcome.Failure is { } failure)
        {
            return Problems.For(failure);
        }

        var value = body(outcome.Value);
        var json = JsonSerializer.SerializeToUtf8Bytes(value, JsonBody.Response);
        var etag = TagOf(json);
        return Matches(ctx.Request.Headers.IfNoneMatch, etag) ? new NotModified(etag) : new Tagged(value, json, etag);
    }

    /// <summary>
    /// A status GET whose record can vouch for its whole answer: <paramref name="tagOf"/> makes a tag from the row alone
    /// (null when it cannot), so a request naming that tag is answered 304 after one read. Otherwise the answer is read
    /// in full; it carries the row's tag when <paramref name="view"/> says the row vouches for it (complete), else a hash
    /// of its body, which a later request is compared with after a full read as in <see cref="JsonAsync{T}"/>.
    /// </summary>
    public static async Task<IResult> RowTaggedAsync<TRow>(
        RequestContext ctx, string routeName, Func<Task<Outcome<TRow>>> readRow, Func<TRow, Task<string?>> tagOf, Func<TRow, Task<(object Body, bool Complete)>> view)
    {
        using var attributed = StorageMetrics.Attribute("route:" + routeName);
        var outcome = await readRow();
        if (outcome.Failure is { } failure)
        {
            return Problems.For(failure);
        }

        var rowTag = await tagOf(outcome.Value);
        var ifNoneMatch = ctx.Request.Headers.IfNoneMatch;
        if (rowTag is not null && Matches(ifNoneMatch, rowTag))
        {
            return new NotModified(rowTag);
        }

        var (body, complete) = await view(outcome.Value);
        var json = JsonSerializer.SerializeToUtf8Bytes(body, JsonBody.Response);
        var etag = complete && rowTag is not null ? rowTag : TagOf(json);
        return Matches(ifNoneMatch, etag) ? new NotModified(etag) : new Tagged(body, json, etag);
    }

    /// <summary>
    /// The tag of a record's answer from its row alone (<see cref="RowTaggedAsync"/>): the kind of record, the row's
    /// storage ETag and the key it keeps of what was written after it, the calendar in force and the China date (the
    /// working days left), and the build (the answer's shape).
    /// </summary>
    public static string RowTag(string kind, Azure.ETag etag, string key, string calendarFingerprint, DateOnly chinaToday) =>
        TagOfParts(kind, etag.ToString(), key, calendarFingerprint, chinaToday.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture), Build);

    /// <summary>The tag of a record's answer that shows no working days: the kind of record, the row's storage ETag, the key it keeps, and the build.</summary>
    public static string RowTag(string kind, Azure.ETag etag, string key) => TagOfParts(kind, etag.ToString(), key, Build);

    static readonly string Build = typeof(ConditionalGet).Assembly.ManifestModule.ModuleVersionId.ToString("N");

    /// <summary>A strong entity tag of the parts a record's answer depends on (<c>"r</c> + 22 characters of their SHA-256 + <c>"</c>), apart from body tags.</summary>
    public static string TagOfParts(params string[] parts) =>
        "\"r" + Digest(System.Text.Encoding.UTF8.GetBytes(string.Join('\u001f', parts))) + "\"";

    /// <summary>The strong entity tag of a body: <c>"</c> + 22 characters of its SHA-256 (base64url) + <c>"</c>.</summary>
    public static string TagOf(ReadOnlySpan<byte> body) => "\"" + Digest(body) + "\"";

    /// <summary>22 base64url characters of the SHA-256 of <paramref name="data"/>.</summary>
    static string Digest(ReadOnlySpan<byte> data) =>
        Convert.ToBase64String(SHA256.HashData(data)[..16]).TrimEnd('=').Replace('+', '-').Replace('/', '_');

    /// <summary>True when <c>If-None-Match</c> lists <paramref name="etag"/> (weak or strong) or is <c>*</c>.</summary>
    public static bool Matches(Microsoft.Extensions.Primitives.StringValues ifNoneMatch, string etag)
    {
        if (ifNoneMatch.Count == 0 || !EntityTagHeaderValue.TryParseList(ifNoneMatch, out var tags))
        {
            return false;
        }

        var current = new EntityTagHeaderValue(etag);
        return tags.Any(t => t.Equals(EntityTagHeaderValue.Any) || t.Compare(current, useStrongComparison: false));
    }

    /// <summary>The 200 answer; like <c>Results.Ok(value)</c> it exposes the value and its status to callers in process.</summary>
    sealed class Tagged(object value, byte[] json, string etag) : IResult, IValueHttpResult, IStatusCodeHttpResult
    {
        public object? Value => value;

        public int? StatusCode => StatusCodes.Status200OK;

        public Task ExecuteAsync(HttpContext http)
        {
            http.Response.Headers.ETag = etag;
            http.Response.StatusCode = StatusCodes.Status200OK;
            http.Response.ContentType = "application/json; charset=utf-8";
            http.Response.ContentLength = json.Length;
            return http.Response.Body.WriteAsync(json, http.RequestAborted).AsTask();
        }
    }

    sealed class NotModified(string etag) : IResult, IStatusCodeHttpResult
    {
        public int? StatusCode => StatusCodes.Status304NotModified;

        public Task ExecuteAsync(HttpContext http)
        {
            http.Response.Headers.ETag = etag;
            http.Response.StatusCode = StatusCodes.Status304NotModified;
            return Task.CompletedTask;
        }
    }
}
