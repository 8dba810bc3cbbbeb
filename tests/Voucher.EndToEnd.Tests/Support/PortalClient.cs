using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.RegularExpressions;

namespace Voucher.EndToEnd.Tests.Support;

/// <summary>A browser-like client of one host: its own cookies (one signed-in party), no redirects followed.</summary>
public sealed partial class PortalClient : IDisposable
{
    readonly HttpClient http;

    PortalClient(Uri baseAddress)
    {
        Cookies = new CookieContainer();
        http = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false, UseCookies = true, CookieContainer = Cookies, UseProxy = false })
        {
            BaseAddress = baseAddress,
            Timeout = TimeSpan.FromSeconds(60),
        };
    }

    public CookieContainer Cookies { get; }

    public Uri BaseAddress => http.BaseAddress!;

    public static PortalClient Anonymous(Uri baseAddress) => new(baseAddress);

    /// <summary>Signs in through the local host's development sign-in (POST /dev/signin); asserts the redirect and the cookie.</summary>
    public static async Task<PortalClient> SignInAsync(Uri baseAddress, string role, string scope, string name)
    {
        var client = new PortalClient(baseAddress);
        using var response = await client.http.PostAsync("dev/signin", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["role"] = role,
            ["scope"] = scope,
            ["name"] = name,
        }));
        Assert.True(response.StatusCode == HttpStatusCode.Redirect,
            $"dev sign-in as {role}:{scope} answered {(int)response.StatusCode}: {await response.Content.ReadAsStringAsync()}");
        Assert.Contains(client.Cookies.GetCookies(baseAddress), c => c.Name == "voucher_dev_principal");
        return client;
    }

    public Task<HttpResponseMessage> GetAsync(string path) => http.GetAsync(Relative(path));

    /// <summary>Any request, with this client's cookies (the caller sets its own headers).</summary>
    public Task<HttpResponseMessage> SendAsync(HttpRequestMessage request) => http.SendAsync(request);

    public Task<HttpResponseMessage> PostJsonAsync(string path, object body) => http.PostAsJsonAsync(Relative(path), body);

    public Task<HttpResponseMessage> PostFormAsync(string path, IDictionary<string, string> fields) =>
        http.PostAsync(Relative(path), new FormUrlEncodedContent(fields));

    /// <summary>GET and parse a JSON body; asserts the status.</summary>
    public async Task<JsonElement> GetJsonAsync(string path, HttpStatusCode expected = HttpStatusCode.OK)
    {
        using var response = await GetAsync(path);
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == expected, $"GET {path} answered {(int)response.StatusCode}, expected {(int)expected}: {text}");
        using var doc = JsonDocument.Parse(text);
        return doc.RootElement.Clone();
    }

    /// <summary>Polls the application's status URL until its status is <paramref name="status"/>.</summary>
    public async Task<JsonElement> WaitForStatusAsync(string statusUrl, string status, TimeSpan timeout) =>
        await Voucher.Testing.Eventually.UntilAsync(
            () => GetJsonAsync(statusUrl),
            view => view.GetProperty("status").GetString() == status,
            timeout,
            $"application at {statusUrl} reaches status {status}");

    /// <summary>
    /// Polls until the application's audit history holds a transition to <paramref name="status"/>. The activity
    /// updates the application row first and appends the audit row just after, so a reader can see the new status
    /// a moment before its history entry.
    /// </summary>
    public async Task<JsonElement> WaitForHistoryAsync(string statusUrl, string status, TimeSpan timeout) =>
        await Voucher.Testing.Eventually.UntilAsync(
            () => GetJsonAsync(statusUrl),
            view => view.GetProperty("history").EnumerateArray().Any(h => h.GetProperty("to").GetString() == status),
            timeout,
            $"the history of {statusUrl} records the transition to {status}");

    /// <summary>
    /// The first link of the notification <paramref name="notificationId"/> in the local mailbox (/dev/mailbox),
    /// after checking it is addressed to <paramref name="recipient"/>. Waits for the outbox to deliver it.
    /// </summary>
    public async Task<Uri> WaitForMailboxLinkAsync(string notificationId, string recipient, TimeSpan timeout) =>
        await Voucher.Testing.Eventually.UntilAsync(
            async () => FindLink(await ReadMailboxAsync(), notificationId, recipient),
            link => link is not null,
            timeout,
            $"the mailbox holds notification {notificationId} to {recipient}") ?? throw new InvalidOperationException();

    async Task<string> ReadMailboxAsync()
    {
        using var response = await GetAsync("dev/mailbox");
        var html = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"GET /dev/mailbox answered {(int)response.StatusCode}");
        return html;
    }

    static Uri? FindLink(string mailboxHtml, string notificationId, string recipient)
    {
        foreach (Match article in ArticlePattern().Matches(mailboxHtml))
        {
            if (WebUtility.HtmlDecode(article.Groups["id"].Value) != notificationId)
            {
                continue;
            }

            var content = article.Groups["body"].Value;
            Assert.Contains("To: " + recipient, WebUtility.HtmlDecode(content), StringComparison.Ordinal);
            var href = HrefPattern().Match(content);
            Assert.True(href.Success, $"notification {notificationId} carries no link: {content}");
            return new Uri(WebUtility.HtmlDecode(href.Groups["href"].Value), UriKind.Absolute);
        }

        return null;
    }

    /// <summary>Mailbox links are absolute (the public base URL); the path and query are requested on this client's host.</summary>
    static string Relative(string pathOrUrl) =>
        Uri.TryCreate(pathOrUrl, UriKind.Absolute, out var absolute) && absolute.Scheme.StartsWith("http", StringComparison.Ordinal)
            ? absolute.PathAndQuery.TrimStart('/')
            : pathOrUrl.TrimStart('/');

    public void Dispose() => http.Dispose();

    [GeneratedRegex("<article class=\"card\" data-notification=\"(?<id>[^\"]*)\">(?<body>.*?)</article>", RegexOptions.Singleline)]
    private static partial Regex ArticlePattern();

    [GeneratedRegex("<a href=\"(?<href>[^\"]*)\">", RegexOptions.Singleline)]
    private static partial Regex HrefPattern();
}
