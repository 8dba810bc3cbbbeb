using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;

namespace Voucher.Benchmarks;

/// <summary>Storage transactions (table, queue, blob) — a /dev/metrics snapshot or a difference of two.</summary>
internal sealed record StorageTx(double Table, double Queue, double Blob)
{
    public double Total => Table + Queue + Blob;

    public static StorageTx operator -(StorageTx a, StorageTx b) => new(a.Table - b.Table, a.Queue - b.Queue, a.Blob - b.Blob);

    public StorageTx Per(double n) => new(Table / n, Queue / n, Blob / n);
}

internal sealed record HostMetrics(StorageTx Tx, long PeakWorkingSetBytes, IReadOnlyDictionary<string, long> Operations);

/// <summary>A signed-in party: the cookie /dev/signin set, sent by hand so every actor shares one connection pool.</summary>
internal sealed record Actor(string Role, string Scope, string Cookie);

internal sealed record ApiResponse(HttpStatusCode Status, string Body, string? ETag = null)
{
    public bool Ok => (int)Status is >= 200 and < 300;

    public JsonElement Json()
    {
        using var doc = JsonDocument.Parse(Body);
        return doc.RootElement.Clone();
    }
}

/// <summary>HTTP client of the local host that times every call by kind.</summary>
internal sealed class HostApi : IDisposable
{
    static readonly JsonSerializerOptions JsonOptions = new(JsonSerializerDefaults.Web);

    readonly HttpClient http;

    public HostApi(Uri baseAddress, int connections, LatencyRecorder latencies)
    {
        Latencies = latencies;
        http = new HttpClient(new SocketsHttpHandler
        {
            AllowAutoRedirect = false,
            UseCookies = false,
            UseProxy = false,
            MaxConnectionsPerServer = Math.Max(connections, 2) + 8,
            PooledConnectionLifetime = TimeSpan.FromMinutes(10),
        })
        {
            BaseAddress = baseAddress,
            // One request may decide a whole filtered batch (11 s for 10,000 rows here; 100,000 in one bulk decision).
            Timeout = TimeSpan.FromMinutes(10),
        };
    }

    public LatencyRecorder Latencies { get; }

    /// <summary>The host's Durable task hub, shown as "{hub}" in the operation breakdown.</summary>
    public string? TaskHubName { get; init; }

    public async Task<Actor> SignInAsync(string role, string scope, string name)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "dev/signin")
        {
            Content = new FormUrlEncodedContent(new Dictionary<string, string> { ["role"] = role, ["scope"] = scope, ["name"] = name }),
        };
        var watch = Stopwatch.StartNew();
        using var response = await http.SendAsync(request);
        var body = await response.Content.ReadAsStringAsync();
        Latencies.Record("sign-in", watch.Elapsed.TotalMilliseconds);
        if (response.StatusCode != HttpStatusCode.Redirect || !response.Headers.TryGetValues("Set-Cookie", out var cookies))
        {
            Latencies.Error("sign-in", $"{(int)response.StatusCode} {Trim(body)}");
            throw new InvalidOperationException($"sign-in as {role}:{scope} answered {(int)response.StatusCode}: {Trim(body)}");
        }

        var cookie = string.Join("; ", cookies.Select(c => c.Split(';', 2)[0]));
        return new Actor(role, scope, cookie);
    }

    public Task<ApiResponse> PostJsonAsync(string kind, Actor actor, string path, object body) =>
        SendAsync(kind, actor, HttpMethod.Post, path, () => JsonContent.Create(body, options: JsonOptions));

    public Task<ApiResponse> GetAsync(string kind, Actor? actor, string path, bool notFoundIsExpected = false) => SendAsync(kind, actor, HttpMethod.Get, path, null, notFoundIsExpected);

    /// <summary>A GET naming an earlier answer's tag: 304 (no body) while it is current, counted as a success.</summary>
    public Task<ApiResponse> GetIfNoneMatchAsync(string kind, Actor? actor, string path, string etag) => SendAsync(kind, actor, HttpMethod.Get, path, null, ifNoneMatch: etag);

    public Task<ApiResponse> PostFileAsync(string kind, Actor actor, string path, byte[] content, string fileName, string contentType) =>
        SendAsync(kind, actor, HttpMethod.Post, path, () =>
        {
            var form = new MultipartFormDataContent();
            var file = new ByteArrayContent(content);
            file.Headers.ContentType = new MediaTypeHeaderValue(contentType);
            form.Add(file, "file", fileName);
            return form;
        });

    /// <summary>Sends, timing the call; 429, 503 and connection failures are retried (each attempt timed) up to 5 times.</summary>
    public async Task<ApiResponse> SendAsync(string kind, Actor? actor, HttpMethod method, string path, Func<HttpContent>? content, bool notFoundIsExpected = false, string? ifNoneMatch = null)
    {
        for (var attempt = 1; ; attempt++)
        {
            using var request = new HttpRequestMessage(method, path.TrimStart('/'));
            if (actor is not null)
            {
                request.Headers.Add("Cookie", actor.Cookie);
            }

            if (ifNoneMatch is not null)
            {
                request.Headers.TryAddWithoutValidation("If-None-Match", ifNoneMatch);
            }

            request.Content = content?.Invoke();
            var watch = Stopwatch.StartNew();
            try
            {
                using var response = await http.SendAsync(request);
                var body = await response.Content.ReadAsStringAsync();
                Latencies.Record(kind, watch.Elapsed.TotalMilliseconds);
                var result = new ApiResponse(response.StatusCode, body, response.Headers.ETag?.ToString());
                if (!result.Ok && !(notFoundIsExpected && response.StatusCode == HttpStatusCode.NotFound) && !(ifNoneMatch is not null && response.StatusCode == HttpStatusCode.NotModified))
                {
                    Latencies.Error(kind, $"{(int)response.StatusCode} {Trim(body)}");
                    if (response.StatusCode is HttpStatusCode.TooManyRequests or HttpStatusCode.ServiceUnavailable && attempt < 5)
                    {
                        await Task.Delay(200 * attempt);
                        continue;
                    }
                }

                return result;
            }
            catch (Exception e) when ((e is HttpRequestException or TaskCanceledException) && attempt < 5)
            {
                Latencies.Error(kind, e.Message);
                await Task.Delay(200 * attempt);
            }
        }
    }

    /// <summary>GET /dev/metrics (not timed).</summary>
    public async Task<HostMetrics> MetricsAsync()
    {
        var text = await http.GetStringAsync("dev/metrics");
        using var doc = JsonDocument.Parse(text);
        var r = doc.RootElement;
        var operations = new Dictionary<string, long>(StringComparer.Ordinal);
        if (r.TryGetProperty("operations", out var ops))
        {
            foreach (var op in ops.EnumerateObject())
            {
                var name = TaskHubName is null ? op.Name : op.Name.Replace(TaskHubName, "{hub}", StringComparison.OrdinalIgnoreCase);
                operations[name] = operations.GetValueOrDefault(name) + op.Value.GetInt64();
            }
        }

        return new HostMetrics(
            new StorageTx(r.GetProperty("table").GetInt64(), r.GetProperty("queue").GetInt64(), r.GetProperty("blob").GetInt64()),
            r.GetProperty("peakWorkingSetBytes").GetInt64(),
            operations);
    }

    public static string Trim(string body) => body.Length <= 300 ? body : body[..300] + "…";

    public void Dispose() => http.Dispose();
}

/// <summary>Fixed content the clients upload.</summary>
internal static class Files
{
    public static byte[] Pdf(string title) => Encoding.ASCII.GetBytes(
        $"%PDF-1.4\n1 0 obj << /Type /Catalog /Pages 2 0 R >> endobj\n2 0 obj << /Type /Pages /Kids [] /Count 0 >> endobj\n% {title}\ntrailer << /Root 1 0 R >>\n%%EOF\n");
}
