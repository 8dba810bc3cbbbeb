using System.Globalization;
using System.Security.Cryptography;

namespace Voucher.Security.Tests;

/// <summary>
/// A small host (3 requests per minute and client on public forms) over its own Azurite, behind a "front end": the
/// tests connect from 127.0.0.1, which this host trusts as its proxy (as Azure's platform front end is), so the
/// rightmost X-Forwarded-For hop the test writes is the client each test plays.
/// </summary>
public sealed class RateLimitedHost() : LocalSite(new LocalSiteSettings
{
    TaskHubPrefix = "secrate", PublicRateLimitPerMinute = 3, OnlyTestsSettle = true, ForwardedHeadersKnownNetworks = "127.0.0.1/32, ::1/128",
});

[CollectionDefinition(Name)]
public sealed class RateLimitCollection : ICollectionFixture<RateLimitedHost>
{
    public const string Name = "security-rate-limit";
}

/// <summary>The same small limit with the product's default proxy setting: no proxy is trusted, the peer is the client.</summary>
public sealed class UntrustedForwardingHost() : LocalSite(new LocalSiteSettings { TaskHubPrefix = "secspoof", PublicRateLimitPerMinute = 3, OnlyTestsSettle = true });

[CollectionDefinition(Name)]
public sealed class UntrustedForwardingCollection : ICollectionFixture<UntrustedForwardingHost>
{
    public const string Name = "security-untrusted-forwarding";
}

/// <summary>
/// Issue #19: a client that writes a new X-Forwarded-For on every request is still one client. On the local host as
/// shipped (no trusted proxy) the header is ignored altogether.
/// </summary>
[Collection(UntrustedForwardingCollection.Name)]
public sealed class SpoofedForwardingTests(UntrustedForwardingHost fixture, ITestOutputHelper output)
{
    [Fact]
    public async Task Objection_form_flood_with_a_different_spoofed_X_Forwarded_For_per_request_gets_429_once_over_the_limit()
    {
        using var client = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false, UseCookies = false, UseProxy = false }) { BaseAddress = fixture.Host.BaseAddress };
        var statuses = new List<int>();
        for (var i = 0; i < 12; i++)
        {
            using var request = new HttpRequestMessage(HttpMethod.Post, "publicity/V-x-R1/objection")
            {
                Content = new FormUrlEncodedContent(new Dictionary<string, string> { ["contact"] = "李四", ["grounds"] = "测试" }),
            };
            // Every request claims to come from somewhere else, as the attacker in the issue did.
            request.Headers.Add("X-Forwarded-For", $"198.51.100.{i + 1}");
            using var response = await client.SendAsync(request);
            statuses.Add((int)response.StatusCode);
            if (i >= 3)
            {
                Assert.Contains("频繁", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
            }
        }

        output.WriteLine($"objection form, 12 posts with 12 different X-Forwarded-For values: {string.Join(", ", statuses)}");
        Assert.All(statuses.Take(3), s => Assert.True(s != 429 && s < 500, $"within the limit: {s}"));
        Assert.All(statuses.Skip(3), s => Assert.Equal(429, s));
    }
}

/// <summary>The fourth attempt within a minute from one client gets 429 with a message; another client is not affected.</summary>
[Collection(RateLimitCollection.Name)]
public sealed class RateLimitTests(RateLimitedHost fixture, ITestOutputHelper output)
{
    HttpClient Client(string forwardedFor, string? cookie = null)
    {
        var client = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false, UseCookies = false, UseProxy = false }) { BaseAddress = fixture.Host.BaseAddress };
        client.DefaultRequestHeaders.Add("X-Forwarded-For", forwardedFor);
        if (cookie is not null)
        {
            client.DefaultRequestHeaders.Add("Cookie", cookie);
        }

        return client;
    }

    static int played;

    /// <summary>A client no other call of this run plays: the rightmost hop (the client the host counts) is unique, not random (two random ones collided once in 253).</summary>
    static string Address()
    {
        var n = Interlocked.Increment(ref played);
        return $"203.0.113.{RandomNumberGenerator.GetInt32(1, 254)}, 10.1.{n / 250}.{(n % 250) + 1}";
    }

    async Task<string> SignInAsync(string forwardedFor, string uscc)
    {
        using var client = Client(forwardedFor);
        using var response = await client.PostAsync("dev/signin", new FormUrlEncodedContent(new Dictionary<string, string> { ["role"] = "enterprise", ["scope"] = uscc, ["name"] = "限流" }));
        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        return response.Headers.GetValues("Set-Cookie").First().Split(';')[0];
    }

    static async Task<List<(HttpStatusCode Status, string Body)>> FourAsync(Func<Task<HttpResponseMessage>> send)
    {
        var answers = new List<(HttpStatusCode, string)>();
        for (var i = 0; i < 4; i++)
        {
            using var response = await send();
            answers.Add((response.StatusCode, await response.Content.ReadAsStringAsync()));
        }

        return answers;
    }

    void AssertFourthLimited(string what, List<(HttpStatusCode Status, string Body)> answers)
    {
        output.WriteLine($"{what}: {string.Join(", ", answers.Select(a => (int)a.Status))} (host start-up {fixture.StartupTime.TotalSeconds:0.0} s)");
        Assert.All(answers.Take(3), a => Assert.True(a.Status != HttpStatusCode.TooManyRequests && (int)a.Status < 500, $"{what}: {(int)a.Status} {a.Body}"));
        Assert.Equal(HttpStatusCode.TooManyRequests, answers[3].Status);
        Assert.Contains("频繁", answers[3].Body, StringComparison.Ordinal);
        // When to try again: "in a minute" in the API's ProblemDetails, "一分钟后" on the pages (Chinese only).
        Assert.True(answers[3].Body.Contains("minute", StringComparison.OrdinalIgnoreCase) || answers[3].Body.Contains("一分钟", StringComparison.Ordinal), $"{what}: {answers[3].Body}");
    }

    [Fact]
    public async Task Hops_the_client_wrote_left_of_the_front_ends_entry_do_not_make_a_new_client()
    {
        // The "front end" (this test, from a trusted address) appends the one client address; the client varies the rest.
        var frontEndSaw = $"192.0.2.{RandomNumberGenerator.GetInt32(1, 254)}";
        var statuses = new List<int>();
        for (var i = 0; i < 6; i++)
        {
            using var client = Client($"198.51.100.{i + 1}, 10.9.8.{i + 1}, {frontEndSaw}");
            using var response = await client.PostAsync("publicity/V-x-R2/objection", new FormUrlEncodedContent(new Dictionary<string, string> { ["contact"] = "李四", ["grounds"] = "测试" }));
            statuses.Add((int)response.StatusCode);
        }

        output.WriteLine($"objection form behind a trusted front end, spoofed hops to the left: {string.Join(", ", statuses)}");
        Assert.All(statuses.Take(3), s => Assert.NotEqual(429, s));
        Assert.All(statuses.Skip(3), s => Assert.Equal(429, s));
    }

    [Fact]
    public async Task Fourth_sign_in_within_a_minute_gets_429()
    {
        var address = Address();
        using var client = Client(address);
        var answers = await FourAsync(() => client.PostAsync("dev/signin", new FormUrlEncodedContent(new Dictionary<string, string> { ["role"] = "city-bureau", ["scope"] = "taiyuan" })));
        AssertFourthLimited("sign-in", answers);
    }

    [Fact]
    public async Task Fourth_registration_within_a_minute_gets_429_on_the_api_and_the_form()
    {
        var address = Address();
        var cookie = await SignInAsync(Address(), TestUscc.New());
        using var client = Client(address, cookie);
        var api = await FourAsync(() => client.PostAsJsonAsync("api/enterprises", new { uscc = "bad" }));
        AssertFourthLimited("registration API", api);
        Assert.Equal("application/problem+json", (await client.PostAsJsonAsync("api/enterprises", new { uscc = "bad" })).Content.Headers.ContentType?.MediaType);

        using var formClient = Client(Address(), cookie);
        var form = await FourAsync(() => formClient.PostAsync("portal/register", new FormUrlEncodedContent(new Dictionary<string, string> { ["name"] = "" })));
        AssertFourthLimited("registration form", form);
    }

    [Fact]
    public async Task Fourth_receipt_lookup_within_a_minute_gets_429_and_the_form_alone_is_not_counted()
    {
        using var client = Client(Address());
        Assert.All(await FourAsync(() => client.GetAsync("publicity/receipts")), a => Assert.Equal(HttpStatusCode.OK, a.Status));
        var lookups = await FourAsync(() => client.GetAsync("publicity/receipts?no=ABCD-EFGH-JKLM"));
        Assert.All(lookups.Take(3), a => Assert.Equal(HttpStatusCode.NotFound, a.Status));
        AssertFourthLimited("receipt lookup", lookups);
    }

    [Fact]
    public async Task Fourth_objection_within_a_minute_gets_429_on_the_api_and_the_form()
    {
        using var client = Client(Address());
        var api = await FourAsync(() => client.PostAsJsonAsync("api/publicity/V-x-R1/objections", new { contact = "李四", grounds = "测试" }));
        output.WriteLine($"objection API: {string.Join(", ", api.Select(a => (int)a.Status))}");
        Assert.All(api.Take(3), a => Assert.NotEqual(HttpStatusCode.TooManyRequests, a.Status));
        Assert.True(api[3].Status == HttpStatusCode.TooManyRequests, $"the 4th objection through the API answered {(int)api[3].Status}: {api[3].Body}");

        using var formClient = Client(Address());
        var form = await FourAsync(() => formClient.PostAsync("publicity/V-x-R1/objection", new FormUrlEncodedContent(new Dictionary<string, string> { ["contact"] = "李四", ["grounds"] = "测试" })));
        AssertFourthLimited("objection form", form);
    }
}
