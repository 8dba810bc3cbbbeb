namespace Voucher.Workflows.Tests.Support;

/// <summary>Requests as the HTTP dispatcher hands them to a handler: the body, the route values, the caller.</summary>
public static class TestRequests
{
    /// <summary>A request from <paramref name="caller"/> with <paramref name="body"/> as JSON when there is one.</summary>
    public static RequestContext Json(
        VoucherPrincipal? caller, object? body, (string Name, string Value)[] route, DurableTaskClient? client = null, string method = "POST", JsonSerializerOptions? options = null)
    {
        var http = new DefaultHttpContext();
        http.Request.Method = method;
        if (body is not null)
        {
            var bytes = JsonSerializer.SerializeToUtf8Bytes(body, options);
            http.Request.ContentType = "application/json";
            http.Request.ContentLength = bytes.Length;
            http.Request.Body = new MemoryStream(bytes);
        }

        return new RequestContext(http, Route(route), caller, client!);
    }

    public static RouteValueDictionary Route((string Name, string Value)[] route)
    {
        var values = new RouteValueDictionary();
        foreach (var (name, value) in route)
        {
            values[name] = value;
        }

        return values;
    }
}
