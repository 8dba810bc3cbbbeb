using System.Text.Json;
using System.Text.Json.Serialization;

namespace Voucher.Workflows.Http;

/// <summary>
/// Strict JSON request bodies: a size limit, camelCase, and unknown fields refused (no mass assignment of
/// status or amounts). Errors come back as field errors.
/// </summary>
public static class JsonBody
{
    public const int MaxBytes = 64 * 1024;

    public static readonly JsonSerializerOptions Options = new(JsonSerializerDefaults.Web)
    {
        UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow,
        NumberHandling = JsonNumberHandling.Strict,
        Converters = { new CamelCaseEnums() },
    };

    /// <summary>Options for responses: camelCase, enums as strings.</summary>
    public static readonly JsonSerializerOptions Response = new(JsonSerializerDefaults.Web)
    {
        Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
        Converters = { new CamelCaseEnums() },
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    };

    /// <summary>
    /// Enums as camelCase strings (<c>monthly</c>), except those that name their own converter: statuses, stages and
    /// kinds keep the names they are stored and recorded under (<c>UnderReview</c>), in the API as everywhere.
    /// </summary>
    sealed class CamelCaseEnums : JsonConverterFactory
    {
        static readonly JsonStringEnumConverter CamelCase = new(JsonNamingPolicy.CamelCase);

        public override bool CanConvert(Type typeToConvert) =>
            CamelCase.CanConvert(typeToConvert) && !Attribute.IsDefined(Nullable.GetUnderlyingType(typeToConvert) ?? typeToConvert, typeof(JsonConverterAttribute));

        public override JsonConverter? CreateConverter(Type typeToConvert, JsonSerializerOptions options) => CamelCase.CreateConverter(typeToConvert, options);
    }

    public static async Task<(T? Value, IResult? Error)> ReadAsync<T>(HttpRequest request, CancellationToken ct, int maxBytes = MaxBytes)
        where T : class
    {
        if (request.ContentType is null || !request.ContentType.StartsWith("application/json", StringComparison.OrdinalIgnoreCase))
        {
            return (null, Results.Problem(title: "请使用 JSON (Content-Type must be application/json)", statusCode: StatusCodes.Status415UnsupportedMediaType));
        }

        if (request.ContentLength > maxBytes)
        {
            return (null, TooLarge(maxBytes));
        }

        using var buffer = new MemoryStream();
        var chunk = new byte[8192];
        int read;
        while ((read = await request.Body.ReadAsync(chunk, ct)) > 0)
        {
            buffer.Write(chunk, 0, read);
            if (buffer.Length > maxBytes)
            {
                return (null, TooLarge(maxBytes));
            }
        }

        try
        {
            var value = JsonSerializer.Deserialize<T>(buffer.GetBuffer().AsSpan(0, (int)buffer.Length), Options);
            return value is null ? (null, Problems.Validation("body", "请求体不能为空 (The body must be a JSON object)")) : (value, null);
        }
        catch (JsonException e)
        {
            var field = string.IsNullOrEmpty(e.Path) || e.Path == "$" ? "body" : e.Path.TrimStart('$', '.');
            var rule = e.Message.Contains("could not be mapped", StringComparison.Ordinal)
                ? "不允许的字段 (This field is not accepted)"
                : "格式或类型错误 (Malformed JSON or wrong type)";
            return (null, Problems.Validation(field, rule));
        }
    }

    static IResult TooLarge(int maxBytes) =>
        Results.Problem(title: "请求体过大 (Request body too large)", detail: $"At most {maxBytes} bytes.", statusCode: StatusCodes.Status413PayloadTooLarge);

    /// <summary>A required string: present, trimmed, within a length.</summary>
    public static string? Required(string? value, string field, int maxLength, List<FieldError> errors)
    {
        var trimmed = value?.Trim();
        if (string.IsNullOrEmpty(trimmed))
        {
            errors.Add(new FieldError(field, "必填 (Required)"));
            return null;
        }

        if (trimmed.Length > maxLength)
        {
            errors.Add(new FieldError(field, $"不能超过 {maxLength} 个字符 (At most {maxLength} characters)"));
            return null;
        }

        return trimmed;
    }

    /// <summary>A form body, or an empty form when the request carries none (form routes never fail on a JSON or empty body).</summary>
    public static async Task<IFormCollection> FormOrEmptyAsync(HttpRequest request, CancellationToken ct) =>
        request.HasFormContentType ? await request.ReadFormAsync(ct) : FormCollection.Empty;
}
