using System.Globalization;
using System.Security.Cryptography;

namespace Voucher.Security.Tests;

/// <summary>A small host (3 requests per minute and client on public forms) over its own Azurite.</summary>
public sealed class RateLimitedHost() : LocalSite(new LocalSiteSettings { TaskHubPrefix = "secrate", PublicRateLimitPerMinute = 3, OnlyTestsSettle = true });

[CollectionDefinition(Name)]
public sealed class RateLimitCollection : ICollectionFixture<RateLimitedHost>
{
    public const string Name = "security-rate-limit";
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

    static string Address() => $"203.0.113.{RandomNumberGenerator.GetInt32(1, 254)}, 10.0.0.{RandomNumberGenerator.GetInt32(1, 254)}";

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
        // The API says it in both languages; a page in Chinese only (一分钟后再试).
        Assert.True(answers[3].Body.Contains("minute", StringComparison.OrdinalIgnoreCase) || answers[3].Body.Contains("分钟", StringComparison.Ordinal), $"{what}: {answers[3].Body}");
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
