namespace Voucher.EndToEnd.Tests.Support;

/// <summary>
/// A browser-like client of one host (<see cref="SiteClient"/>: its own cookies, one signed-in party, no redirects
/// followed) whose requests answer the whole <see cref="HttpResponseMessage"/>, for tests that read headers and
/// statuses; the caller disposes each response.
/// </summary>
public sealed class PortalClient : IDisposable
{
    readonly SiteClient site;

    PortalClient(SiteClient site) => this.site = site;

    public CookieContainer Cookies => site.Cookies;

    public Uri BaseAddress => site.Http.BaseAddress!;

    public static PortalClient Anonymous(Uri baseAddress) => new(SiteClient.Anonymous(baseAddress));

    /// <summary>Signs in through the local host's development sign-in (POST /dev/signin); asserts the redirect and the cookie.</summary>
    public static async Task<PortalClient> SignInAsync(Uri baseAddress, string role, string scope, string name) =>
        new(await SiteClient.SignInAsync(baseAddress, role, scope, name));

    public Task<HttpResponseMessage> GetAsync(string path) => site.Http.GetAsync(SiteClient.Relative(path));

    /// <summary>Any request, with this client's cookies (the caller sets its own headers).</summary>
    public Task<HttpResponseMessage> SendAsync(HttpRequestMessage request) => site.Http.SendAsync(request);

    public Task<HttpResponseMessage> PostJsonAsync(string path, object body) => site.Http.PostAsJsonAsync(SiteClient.Relative(path), body);

    public Task<HttpResponseMessage> PostFormAsync(string path, IDictionary<string, string> fields) =>
        site.Http.PostAsync(SiteClient.Relative(path), new FormUrlEncodedContent(fields));

    /// <summary>GET and parse a JSON body; asserts the status.</summary>
    public async Task<JsonElement> GetJsonAsync(string path, HttpStatusCode expected = HttpStatusCode.OK)
    {
        var (status, text) = await site.GetAsync(path);
        Assert.True(status == expected, $"GET {path} answered {(int)status}, expected {(int)expected}: {text}");
        return SiteClient.Json(text);
    }

    /// <summary>Polls the application's status URL until its status is <paramref name="status"/>.</summary>
    public Task<JsonElement> WaitForStatusAsync(string statusUrl, string status, TimeSpan timeout) => site.WaitForStatusAsync(statusUrl, status, timeout);

    /// <summary>
    /// Polls until the application's audit history holds a transition to <paramref name="status"/>. The activity
    /// updates the application row first and appends the audit row just after, so a reader can see the new status
    /// a moment before its history entry.
    /// </summary>
    public Task<JsonElement> WaitForHistoryAsync(string statusUrl, string status, TimeSpan timeout) =>
        Eventually.UntilAsync(
            () => GetJsonAsync(statusUrl),
            view => view.GetProperty("history").EnumerateArray().Any(h => h.GetProperty("to").GetString() == status),
            timeout,
            $"the history of {statusUrl} records the transition to {status}");

    /// <summary>
    /// The first link of the notification <paramref name="notificationId"/> in the local mailbox (/dev/mailbox),
    /// after checking it is addressed to <paramref name="recipient"/>. Waits for the outbox to deliver it.
    /// </summary>
    public async Task<Uri> WaitForMailboxLinkAsync(string notificationId, string recipient, TimeSpan timeout) =>
        new(await site.WaitForMailboxLinkAsync(notificationId, timeout, recipient), UriKind.Absolute);

    public void Dispose() => site.Dispose();
}
