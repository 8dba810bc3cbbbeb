using System.Net.Http.Json;

namespace Voucher.Durability.Tests.Support;

/// <summary>What an API call answered: status, content type, body.</summary>
public sealed record Answer(HttpStatusCode Status, string? ContentType, string Body)
{
    public int Code => (int)Status;

    public JsonElement Json()
    {
        using var doc = JsonDocument.Parse(Body);
        return doc.RootElement.Clone();
    }

    public bool IsProblem => ContentType?.Contains("problem+json", StringComparison.OrdinalIgnoreCase) == true;

    public override string ToString() => $"{Code} {ContentType}: {(Body.Length > 400 ? Body[..400] + "…" : Body)}";
}

/// <summary>One signed-in party on one host (its own cookie jar); never follows redirects.</summary>
public sealed class Api : IDisposable
{
    readonly HttpClient http;

    Api(Uri baseAddress, TimeSpan timeout)
    {
        http = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false, UseCookies = true, CookieContainer = new CookieContainer(), UseProxy = false })
        {
            BaseAddress = baseAddress,
            Timeout = timeout,
        };
    }

    public static Api Anonymous(Uri baseAddress) => new(baseAddress, TimeSpan.FromSeconds(90));

    /// <summary>Development sign-in (POST /dev/signin): role enterprise | institution | city-bureau | finance-bureau | province.</summary>
    public static async Task<Api> SignInAsync(Uri baseAddress, string role, string scope, string? name = null)
    {
        var api = new Api(baseAddress, TimeSpan.FromSeconds(90));
        using var response = await api.http.PostAsync("dev/signin", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["role"] = role,
            ["scope"] = scope,
            ["name"] = name ?? role,
        }));
        Assert.True(response.StatusCode == HttpStatusCode.Redirect, $"dev sign-in as {role}:{scope} answered {(int)response.StatusCode}");
        return api;
    }

    public Task<Answer> GetAsync(string path) => SendAsync(() => new HttpRequestMessage(HttpMethod.Get, path.TrimStart('/')));

    public Task<Answer> PostAsync(string path, object body) =>
        SendAsync(() => new HttpRequestMessage(HttpMethod.Post, path.TrimStart('/')) { Content = JsonContent.Create(body) });

    public Task<Answer> PutAsync(string path, object body) =>
        SendAsync(() => new HttpRequestMessage(HttpMethod.Put, path.TrimStart('/')) { Content = JsonContent.Create(body) });

    public Task<Answer> UploadPdfAsync(string path, string fileName)
    {
        return SendAsync(() =>
        {
            var form = new MultipartFormDataContent();
            var file = new ByteArrayContent("%PDF-1.4\n% durability test evidence\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n"u8.ToArray());
            file.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue("application/pdf");
            form.Add(file, "file", fileName);
            return new HttpRequestMessage(HttpMethod.Post, path.TrimStart('/')) { Content = form };
        });
    }

    async Task<Answer> SendAsync(Func<HttpRequestMessage> request)
    {
        using var message = request();
        using var response = await http.SendAsync(message);
        var body = await response.Content.ReadAsStringAsync();
        return new Answer(response.StatusCode, response.Content.Headers.ContentType?.ToString(), body);
    }

    /// <summary>GET, asserting 200, parsed.</summary>
    public async Task<JsonElement> JsonAsync(string path)
    {
        var answer = await GetAsync(path);
        Assert.True(answer.Status == HttpStatusCode.OK, $"GET {path}: {answer}");
        return answer.Json();
    }

    /// <summary>Polls a GET until <paramref name="accept"/> holds; transient 5xx and timeouts count as "not yet".</summary>
    public Task<JsonElement> WaitAsync(string path, Func<JsonElement, bool> accept, TimeSpan timeout, string because) =>
        Eventually.UntilAsync(() => JsonAsync(path), accept, timeout, because);

    public Task<JsonElement> WaitForStatusAsync(string path, string status, TimeSpan timeout) =>
        WaitAsync(path, v => v.GetProperty("status").GetString() == status, timeout, $"{path} reaches status {status}");

    public void Dispose() => http.Dispose();
}
