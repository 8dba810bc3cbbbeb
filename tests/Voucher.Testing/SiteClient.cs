using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.RegularExpressions;
using Xunit;

namespace Voucher.Testing;

/// <summary>
/// A party's HTTP client of a local host, as a browser would be: its own cookies (one signed-in party), no redirects
/// followed; JSON, form and file helpers that return the status and body, and the raw <see cref="Http"/> client.
/// </summary>
public sealed partial class SiteClient : IDisposable
{
    /// <summary>The development sign-in cookie.</summary>
    public const string SignInCookie = "voucher_dev_principal";

    private readonly HttpClient _http;

    private SiteClient(Uri baseAddress)
    {
        var handler = new HttpClientHandler { AllowAutoRedirect = false, UseCookies = true, CookieContainer = Cookies, UseProxy = false };
        _http = new HttpClient(new BrowserOrigin(baseAddress) { InnerHandler = handler })
        {
            BaseAddress = baseAddress,
            Timeout = TimeSpan.FromSeconds(60),
        };
    }

    /// <summary>The cookies this client keeps.</summary>
    public CookieContainer Cookies { get; } = new();

    /// <summary>The underlying client (for requests that need their own headers or the whole response).</summary>
    public HttpClient Http => _http;

    /// <summary>A client that has not signed in.</summary>
    public static SiteClient Anonymous(Uri baseAddress) => new(baseAddress);

    /// <summary>Signs in through the local host's development sign-in (POST /dev/signin); asserts the redirect and the cookie.</summary>
    public static async Task<SiteClient> SignInAsync(Uri baseAddress, string role, string scope, string name)
    {
        var client = new SiteClient(baseAddress);
        using var response = await client._http.PostAsync("dev/signin", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["role"] = role,
            ["scope"] = scope,
            ["name"] = name,
        }));
        Assert.True(response.StatusCode == HttpStatusCode.Redirect, $"dev sign-in as {role}:{scope} answered {(int)response.StatusCode}: {await response.Content.ReadAsStringAsync()}");
        Assert.Contains(client.Cookies.GetCookies(baseAddress), c => c.Name == SignInCookie);
        return client;
    }

    /// <summary>POSTs JSON; returns the status and the body text.</summary>
    public async Task<(HttpStatusCode Status, string Body)> PostJsonAsync(string path, object body)
    {
        using var response = await _http.PostAsJsonAsync(Relative(path), body);
        return (response.StatusCode, await response.Content.ReadAsStringAsync());
    }

    /// <summary>POSTs a form; returns the status and the body text.</summary>
    public async Task<(HttpStatusCode Status, string Body)> PostFormAsync(string path, IDictionary<string, string> fields)
    {
        using var response = await _http.PostAsync(Relative(path), new FormUrlEncodedContent(fields));
        return (response.StatusCode, await response.Content.ReadAsStringAsync());
    }

    /// <summary>POSTs one file as multipart/form-data in the field "file".</summary>
    public async Task<(HttpStatusCode Status, string Body)> PostFileAsync(string path, byte[] content, string fileName, string contentType)
    {
        using var form = new MultipartFormDataContent();
        var file = new ByteArrayContent(content);
        file.Headers.ContentType = new MediaTypeHeaderValue(contentType);
        form.Add(file, "file", fileName);
        using var response = await _http.PostAsync(Relative(path), form);
        return (response.StatusCode, await response.Content.ReadAsStringAsync());
    }

    /// <summary>GET returning the status and body text.</summary>
    public async Task<(HttpStatusCode Status, string Body)> GetAsync(string path)
    {
        using var response = await _http.GetAsync(Relative(path));
        return (response.StatusCode, await response.Content.ReadAsStringAsync());
    }

    /// <summary>GET and parse JSON; asserts 200.</summary>
    public async Task<JsonElement> GetJsonAsync(string path)
    {
        var (status, text) = await GetAsync(path);
        Assert.True(status == HttpStatusCode.OK, $"GET {path} answered {(int)status}: {text}");
        return Json(text);
    }

    /// <summary>Polls <paramref name="path"/> until its "status" is <paramref name="status"/>; returns that view.</summary>
    public Task<JsonElement> WaitForStatusAsync(string path, string status, TimeSpan timeout) =>
        Eventually.UntilAsync(
            () => GetJsonAsync(path),
            view => view.TryGetProperty("status", out var s) && s.GetString() == status,
            timeout,
            $"{path} reaches status {status}");

    /// <summary>Starts the current period's settlement of a city (monthly, or quarterly, as its policy says); returns the batch id.</summary>
    public async Task<string> StartSettlementAsync(string city)
    {
        var today = Voucher.Domain.ChinaTime.DateOf(DateTime.UtcNow);
        var answers = new List<string>();
        foreach (var cadence in new[] { Voucher.Domain.SettlementCadence.Monthly, Voucher.Domain.SettlementCadence.Quarterly })
        {
            var periodId = Voucher.Domain.SettlementPeriod.Containing(cadence, today).Id;
            var (status, body) = await PostJsonAsync("api/settlements", new { cityCode = city, periodId });
            answers.Add($"{periodId}: {(int)status} {body}");
            if (status is HttpStatusCode.Accepted or HttpStatusCode.OK)
            {
                return Json(body).GetProperty("batchId").GetString()!;
            }
        }

        throw new InvalidOperationException($"no settlement period of {city} accepted: {string.Join("; ", answers)}");
    }

    /// <summary>
    /// The first link of notification <paramref name="notificationId"/> in /dev/mailbox, once delivered; when
    /// <paramref name="recipient"/> is given, asserts the notification is addressed to it.
    /// </summary>
    public Task<string> WaitForMailboxLinkAsync(string notificationId, TimeSpan timeout, string? recipient = null) =>
        Eventually.UntilAsync(
            async () =>
            {
                var (status, html) = await GetAsync("dev/mailbox");
                Assert.True(status == HttpStatusCode.OK, $"GET /dev/mailbox answered {(int)status}");
                foreach (Match article in ArticlePattern().Matches(html))
                {
                    if (WebUtility.HtmlDecode(article.Groups["id"].Value) == notificationId && HrefPattern().Match(article.Groups["body"].Value) is { Success: true } href)
                    {
                        if (recipient is not null)
                        {
                            Assert.Contains($"data-recipient=\"{recipient}\"", WebUtility.HtmlDecode(article.Value), StringComparison.Ordinal);
                        }

                        return WebUtility.HtmlDecode(href.Groups["href"].Value);
                    }
                }

                return "";
            },
            link => link.Length > 0,
            timeout,
            $"notification {notificationId} reaches /dev/mailbox");

    public static JsonElement Json(string text)
    {
        using var doc = JsonDocument.Parse(text);
        return doc.RootElement.Clone();
    }

    /// <summary>Mailbox links are absolute (the public base URL); the path and query are requested on this client's host.</summary>
    public static string Relative(string pathOrUrl) =>
        Uri.TryCreate(pathOrUrl, UriKind.Absolute, out var absolute) && absolute.Scheme.StartsWith("http", StringComparison.Ordinal)
            ? absolute.PathAndQuery.TrimStart('/')
            : pathOrUrl.TrimStart('/');

    public void Dispose() => _http.Dispose();

    /// <summary>
    /// Sends <c>Origin</c> (this site's) on every request that is not GET or HEAD, as a browser does for a page's own form
    /// posts and fetches, so the site's same-origin check is exercised by every test; a request that sets its own keeps it.
    /// </summary>
    private sealed class BrowserOrigin(Uri baseAddress) : DelegatingHandler
    {
        private readonly string _origin = baseAddress.GetLeftPart(UriPartial.Authority);

        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            if (request.Method != HttpMethod.Get && request.Method != HttpMethod.Head && !request.Headers.Contains("Origin"))
            {
                request.Headers.Add("Origin", _origin);
            }

            return base.SendAsync(request, cancellationToken);
        }
    }

    [GeneratedRegex("<article class=\"[^\"]*\" data-notification=\"(?<id>[^\"]*)\"[^>]*>(?<body>.*?)</article>", RegexOptions.Singleline)]
    private static partial Regex ArticlePattern();

    [GeneratedRegex("<a href=\"(?<href>[^\"]*)\"", RegexOptions.Singleline)]
    private static partial Regex HrefPattern();
}
