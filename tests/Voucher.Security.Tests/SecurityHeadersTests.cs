using Voucher.Workflows.Http;

namespace Voucher.Security.Tests;

/// <summary>
/// Issue #19 item 2 on the running local host: every GET route of the table (the authorisation matrix's paths, as a
/// caller it allows and anonymously) answers with the security headers — pages with the strict CSP, JSON with the API
/// policy — and a request that acts from another origin is refused without a change, while the site's own is accepted.
/// </summary>
[Collection(SecurityCollection.Name)]
public sealed class SecurityHeadersTests(SecurityHost host, ITestOutputHelper output)
{
    async Task<HttpResponseMessage> SendAsync(string caller, HttpMethod method, string path, HttpContent? content = null, params (string Name, string Value)[] headers)
    {
        using var request = new HttpRequestMessage(method, path.TrimStart('/')) { Content = content };
        if (host.Cookies.TryGetValue(caller, out var cookie) && cookie is not null)
        {
            request.Headers.Add("Cookie", cookie);
        }

        foreach (var (name, value) in headers)
        {
            request.Headers.TryAddWithoutValidation(name, value);
        }

        var response = await host.Http.SendAsync(request);
        await response.Content.LoadIntoBufferAsync();
        return response;
    }

    static string? Header(HttpResponseMessage response, string name) =>
        response.Headers.TryGetValues(name, out var values) || response.Content.Headers.TryGetValues(name, out values) ? string.Join(", ", values) : null;

    /// <summary>What is wrong with the response's security headers, or an empty list.</summary>
    static List<string> Problems(HttpResponseMessage response)
    {
        var problems = new List<string>();
        void Expect(string name, string? expected)
        {
            var actual = Header(response, name);
            if (actual != expected)
            {
                problems.Add($"{name}: expected '{expected ?? "(none)"}', got '{actual ?? "(none)"}'");
            }
        }

        Expect("X-Content-Type-Options", "nosniff");
        var mediaType = response.Content.Headers.ContentType?.MediaType ?? "";
        if (Header(response, "X-Frame-Options") == SecurityHeaders.SiteFrameOptions && mediaType is not "text/html" and not "application/json")
        {
            // A file this site's own pages show in a frame (evidence, a claim's document): framed by this site only.
            Expect("Content-Security-Policy", SecurityHeaders.SiteFrameAncestors);
        }
        else
        {
            Expect("X-Frame-Options", "DENY");
        }

        Expect("Referrer-Policy", SecurityHeaders.ReferrerPolicy);
        Expect("Permissions-Policy", SecurityHeaders.PermissionsPolicy);
        // The local host is plain HTTP: HSTS there would be meaningless (and is ignored by browsers).
        Expect("Strict-Transport-Security", null);
        if (mediaType == "text/html")
        {
            Expect("Content-Security-Policy", SecurityHeaders.PageContentSecurityPolicy);
        }
        else if (mediaType.EndsWith("json", StringComparison.Ordinal))
        {
            Expect("Content-Security-Policy", SecurityHeaders.ApiContentSecurityPolicy);
        }

        return problems;
    }

    static string ForgedToken()
    {
        static string B64(byte[] b) => Convert.ToBase64String(b).TrimEnd('=').Replace('+', '-').Replace('/', '_');
        return B64(System.Security.Cryptography.RandomNumberGenerator.GetBytes(48)) + "." + B64(System.Security.Cryptography.RandomNumberGenerator.GetBytes(32));
    }

    [Fact]
    public async Task Every_GET_route_answers_with_the_security_headers_and_pages_with_the_strict_CSP()
    {
        host.Ids["today"] = ChinaTime.DateOf(DateTime.UtcNow).ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture);
        var routes = AuthorizationMatrixTests.Routes().Where(r => r.Method == "GET").OrderBy(r => r.Name, StringComparer.Ordinal).ToList();
        Assert.Equal(VoucherRoutes.All.Count(r => r.Method == "GET"), routes.Count);
        var failures = new List<string>();
        var pages = 0;
        var byKind = new Dictionary<string, int>();
        foreach (var route in routes)
        {
            // Signed-link pages answer their refusal page to a forged token: still a page through the same path.
            var path = host.Fill(route.Path).Replace("{token}", ForgedToken(), StringComparison.Ordinal);
            foreach (var caller in new[] { route.Owner ?? "anon", "anon" }.Distinct())
            {
                using var response = await SendAsync(caller, HttpMethod.Get, path);
                var kind = $"{(int)response.StatusCode} {response.Content.Headers.ContentType?.MediaType ?? "(none)"}";
                byKind[kind] = byKind.GetValueOrDefault(kind) + 1;
                if (response.Content.Headers.ContentType?.MediaType == "text/html")
                {
                    pages++;
                }

                failures.AddRange(Problems(response).Select(p => $"{route.Name} GET /{path} as {caller} ({kind}): {p}"));
            }
        }

        using (var notFound = await SendAsync("entA", HttpMethod.Get, "no/such/page"))
        {
            Assert.Equal(HttpStatusCode.NotFound, notFound.StatusCode);
            failures.AddRange(Problems(notFound).Select(p => "fallback /no/such/page: " + p));
        }

        using (var apiNotFound = await SendAsync("anon", HttpMethod.Get, "api/no/such/thing"))
        {
            failures.AddRange(Problems(apiNotFound).Select(p => "fallback /api/no/such/thing: " + p));
        }

        output.WriteLine($"{routes.Count} GET routes, {pages} HTML answers; answers by status and type: {string.Join(", ", byKind.OrderBy(k => k.Key, StringComparer.Ordinal).Select(k => $"{k.Key} ×{k.Value}"))}");
        Assert.True(failures.Count == 0, string.Join(Environment.NewLine, failures));
        Assert.True(pages >= 40, $"only {pages} HTML answers: the route walk did not reach the pages");
    }

    static FormUrlEncodedContent Registration(string name) => new(new Dictionary<string, string>
    {
        ["name"] = name, ["cityCode"] = "taiyuan", ["sizeClass"] = "small", ["techSmeNumber"] = "202614010001",
        ["contactName"] = "孙跨站", ["contactPhone"] = "13903510009",
    });

    string OwnOrigin => host.Host.BaseAddress.GetLeftPart(UriPartial.Authority);

    [Fact]
    public async Task Cross_origin_form_post_is_refused_with_a_page_and_changes_nothing_while_the_sites_own_is_accepted()
    {
        var caller = "xorigin-" + Guid.NewGuid().ToString("N")[..6];
        await host.SignInCallerAsync(caller, "enterprise", TestUscc.InDivision("140100"));
        var before = await StorageSnapshot.TakeAsync(host.Azurite);

        (string, string)[][] foreign =
        [
            [("Origin", "https://evil.example")],
            [("Origin", "null")],
            [("Origin", "http://127.0.0.1")],
            [("Referer", "https://evil.example/form.html")],
            // Origin wins over a same-site Referer.
            [("Origin", "http://127.0.0.2:1"), ("Referer", OwnOrigin + "/")],
        ];
        foreach (var headers in foreign)
        {
            using var refused = await SendAsync(caller, HttpMethod.Post, "portal/register", Registration("跨站伪造科技有限公司"), headers);
            var body = await refused.Content.ReadAsStringAsync();
            var what = string.Join(" ", headers.Select(h => $"{h.Item1}: {h.Item2}"));
            Assert.True(refused.StatusCode == HttpStatusCode.Forbidden, $"{what}: {(int)refused.StatusCode} {body}");
            Assert.Equal("text/html", refused.Content.Headers.ContentType?.MediaType);
            Assert.Contains(HttpDispatcher.PageText.CrossOrigin, body, StringComparison.Ordinal);
            Assert.Empty(Problems(refused));
        }

        using (var api = await SendAsync(caller, HttpMethod.Post, "api/enterprises", JsonContent.Create(new { name = "x" }), ("Origin", "https://evil.example")))
        {
            Assert.Equal(HttpStatusCode.Forbidden, api.StatusCode);
            Assert.Equal("application/problem+json", api.Content.Headers.ContentType?.MediaType);
            Assert.Contains("Cross-origin", await api.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        }

        // A signed-in person's browser posting the sign-in form from elsewhere (login forgery) is refused as well.
        using (var signIn = await SendAsync("anon", HttpMethod.Post, "dev/signin", new FormUrlEncodedContent(new Dictionary<string, string> { ["role"] = "province", ["scope"] = "shanxi" }), ("Origin", "https://evil.example")))
        {
            Assert.Equal(HttpStatusCode.Forbidden, signIn.StatusCode);
            Assert.False(signIn.Headers.Contains("Set-Cookie"), "a refused sign-in sets no cookie");
        }

        Assert.Equal(before, await StorageSnapshot.TakeAsync(host.Azurite));

        // The site's own page posting (Origin as the browser sends it; then a Referer-only client) is accepted.
        using (var accepted = await SendAsync(caller, HttpMethod.Post, "portal/register", Registration("同源登记科技有限公司"), ("Origin", OwnOrigin)))
        {
            Assert.True(accepted.StatusCode == HttpStatusCode.Redirect, $"{(int)accepted.StatusCode} {await accepted.Content.ReadAsStringAsync()}");
            Assert.Contains("done=", accepted.Headers.Location?.ToString(), StringComparison.Ordinal);
        }

        var after = await StorageSnapshot.TakeAsync(host.Azurite);
        output.WriteLine($"before: {before}{Environment.NewLine}after:  {after}");
        Assert.NotEqual(before, after);

        using var refererOnly = await SendAsync(caller, HttpMethod.Post, "portal/register", Registration("同源登记科技有限公司"), ("Referer", OwnOrigin + "/"));
        Assert.NotEqual(HttpStatusCode.Forbidden, refererOnly.StatusCode);
    }
}
