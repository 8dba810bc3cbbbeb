namespace Voucher.Security.Tests;

/// <summary>Callback links over HTTP: forged, altered, expired, wrong action and replayed tokens on the review route.</summary>
[Collection(SecurityCollection.Name)]
public sealed class LinkTests(SecurityHost host, ITestOutputHelper output)
{
    static Dictionary<string, string> Approve => new() { ["decision"] = "approve", ["reason"] = "" };

    /// <summary>A fresh enterprise with an application under review in round 1 (its own application: these tests decide it).</summary>
    async Task<string> NewApplicationUnderReviewAsync()
    {
        var uscc = TestUscc.New();
        var caller = "link-" + uscc;
        await host.SignInCallerAsync(caller, "enterprise", uscc, "link");

        var registered = await host.PostJsonAsync(caller, "api/enterprises", SecurityHost.Registration(uscc, "链接测试科技有限公司", "taiyuan", "孙工", "13903519999"));
        Assert.True(registered.Status == HttpStatusCode.Created, registered.ToString());
        var submitted = await host.PostJsonAsync(caller, "api/applications", new { uscc });
        Assert.True(submitted.Status == HttpStatusCode.Accepted, submitted.ToString());
        var id = submitted.Json().GetProperty("applicationId").GetString()!;
        await Eventually.UntilAsync(
            async () => (await host.GetAsync(caller, $"api/applications/{id}")).Json().GetProperty("status").GetString() == "UnderReview",
            TimeSpan.FromSeconds(60), $"{id} under review");
        host.Ids["linkCaller"] = caller;
        return id;
    }

    string Sign(string applicationId, string action = "review", long? expires = null, int round = 1) =>
        host.Signer.Sign(new LinkClaims($"application-{applicationId}", action, "city-bureau:taiyuan", round, expires ?? DateTimeOffset.UtcNow.AddDays(5).ToUnixTimeSeconds()));

    async Task<Answer> PostReviewAsync(string token) =>
        await host.SendAsync("anon", HttpMethod.Post, $"review/{token}", new FormUrlEncodedContent(Approve));

    async Task AssertStillUnderReviewAsync(string applicationId) =>
        Assert.Equal("UnderReview", (await host.GetAsync("cityTY", $"api/applications/{applicationId}")).Json().GetProperty("status").GetString());

    static string FlipChar(string s, int index) => s[..index] + (s[index] == 'A' ? 'B' : 'A') + s[(index + 1)..];

    [Fact]
    public async Task Forged_altered_expired_and_wrong_action_tokens_are_refused_then_the_real_link_works_once()
    {
        var id = await NewApplicationUnderReviewAsync();
        var good = Sign(id);
        var dot = good.IndexOf('.', StringComparison.Ordinal);

        static string B64(byte[] b) => Convert.ToBase64String(b).TrimEnd('=').Replace('+', '-').Replace('/', '_');
        var forged = B64(System.Security.Cryptography.RandomNumberGenerator.GetBytes(60)) + "." + B64(System.Security.Cryptography.RandomNumberGenerator.GetBytes(32));
        var alteredPayload = FlipChar(good, dot / 2);
        var alteredSignature = FlipChar(good, dot + 5);
        // Payload of another (valid) application with this application's signature: a signature does not transfer.
        var otherPayload = Sign(host.Ids["appA"])[..Sign(host.Ids["appA"]).IndexOf('.', StringComparison.Ordinal)] + good[dot..];
        var wrongKey = new LinkSigner(new Voucher.Workflows.Security.LinkKey(new byte[32]), TimeProvider.System)
            .Sign(new LinkClaims($"application-{id}", "review", "city-bureau:taiyuan", 1, DateTimeOffset.UtcNow.AddDays(5).ToUnixTimeSeconds()));

        foreach (var (what, token) in new[] { ("forged", forged), ("altered payload", alteredPayload), ("altered signature", alteredSignature), ("payload swap", otherPayload), ("other key", wrongKey), ("no dot", good.Replace(".", "", StringComparison.Ordinal)), ("two dots", good + ".x") })
        {
            var get = await host.GetAsync("anon", $"review/{token}");
            var post = await PostReviewAsync(token);
            output.WriteLine($"{what}: GET {get.Code}, POST {post.Code}");
            Assert.True(get.Status == HttpStatusCode.BadRequest, $"{what} GET: {get}");
            Assert.True(post.Status == HttpStatusCode.BadRequest, $"{what} POST: {post}");
            Assert.Contains("链接无效", post.Body, StringComparison.Ordinal);
        }

        // A token for another action (binding, batch review, opinion) on the review route is invalid.
        foreach (var action in new[] { "bind", "batch-review", "opinion", "pay", "extend" })
        {
            var post = await PostReviewAsync(Sign(id, action));
            output.WriteLine($"action {action}: POST {post.Code}");
            Assert.True(post.Status == HttpStatusCode.BadRequest, $"action {action}: {post}");
        }

        // A review token naming a redemption instance is refused too.
        var wrongInstance = host.Signer.Sign(new LinkClaims($"redemption-{host.Ids["redB"]}", "review", "city-bureau:taiyuan", 1, DateTimeOffset.UtcNow.AddDays(5).ToUnixTimeSeconds()));
        Assert.Equal(HttpStatusCode.BadRequest, (await PostReviewAsync(wrongInstance)).Status);

        // Expired: signed with the same key, expiry in the past → 410 with an explanation, nothing decided.
        var expired = Sign(id, expires: DateTimeOffset.UtcNow.AddMinutes(-5).ToUnixTimeSeconds());
        var expiredGet = await host.GetAsync("anon", $"review/{expired}");
        var expiredPost = await PostReviewAsync(expired);
        Assert.True(expiredGet.Status == HttpStatusCode.Gone, expiredGet.ToString());
        Assert.True(expiredPost.Status == HttpStatusCode.Gone, expiredPost.ToString());
        Assert.Contains("过期", expiredPost.Body, StringComparison.Ordinal);
        await AssertStillUnderReviewAsync(id);

        // The real link: the first POST decides, the second (replay) answers 409 "已使用", and so does a GET.
        var first = await PostReviewAsync(good);
        Assert.True(first.Status == HttpStatusCode.OK, first.ToString());
        var replay = await host.SendAsync("anon", HttpMethod.Post, $"review/{good}", new FormUrlEncodedContent(new Dictionary<string, string> { ["decision"] = "reject", ["reason"] = "replay" }));
        Assert.True(replay.Status == HttpStatusCode.Conflict, replay.ToString());
        Assert.Contains("已使用", replay.Body, StringComparison.Ordinal);
        var reopened = await host.GetAsync("anon", $"review/{good}");
        Assert.Equal(HttpStatusCode.Conflict, reopened.Status);
        Assert.Contains("已使用", reopened.Body, StringComparison.Ordinal);

        var approved = await Eventually.UntilAsync(
            async () => (await host.GetAsync("cityTY", $"api/applications/{id}")).Json(),
            v => v.GetProperty("status").GetString() == "Approved",
            TimeSpan.FromSeconds(60), $"{id} approved by the link");
        Assert.True(approved.GetProperty("decision").GetProperty("approved").GetBoolean());
    }

    [Fact]
    public async Task Signed_in_bureau_and_link_share_one_decision_per_round()
    {
        var id = await NewApplicationUnderReviewAsync();
        var api = await host.PostJsonAsync("cityTY", $"api/applications/{id}/decision", new { round = 1, approve = false, reason = "资料不全" });
        Assert.True(api.Status == HttpStatusCode.Accepted, api.ToString());
        var link = await PostReviewAsync(Sign(id));
        Assert.True(link.Status == HttpStatusCode.Conflict, link.ToString());
        Assert.Contains("已使用", link.Body, StringComparison.Ordinal);
        var again = await host.PostJsonAsync("cityTY", $"api/applications/{id}/decision", new { round = 1, approve = true });
        Assert.True(again.Status == HttpStatusCode.Conflict, again.ToString());
    }

    [Fact]
    public void Link_signer_compares_in_constant_time_and_rejects_tampering()
    {
        // Constant-time comparison is a code property: the signer must use CryptographicOperations.FixedTimeEquals.
        var source = File.ReadAllText(Path.Combine(Voucher.LocalHost.Azurite.RepoRoot.Find(), "workflows", "Voucher.Workflows", "Links", "SignedLink.cs"));
        Assert.Contains("CryptographicOperations.FixedTimeEquals", source, StringComparison.Ordinal);
        Assert.DoesNotContain("SequenceEqual", source, StringComparison.Ordinal);

        var signer = host.Signer;
        var claims = new LinkClaims("application-x", "review", "city-bureau:taiyuan", 2, DateTimeOffset.UtcNow.AddDays(1).ToUnixTimeSeconds());
        var token = signer.Sign(claims);
        Assert.Equal(LinkCheck.Valid, signer.Verify(token, out var read));
        Assert.Equal(claims, read);
        Assert.Equal(LinkCheck.BadSignature, signer.Verify(FlipChar(token, 3), out _));
        Assert.Equal(LinkCheck.Malformed, signer.Verify(new string('a', 3000), out _));
        Assert.Equal(LinkCheck.Expired, signer.Verify(signer.Sign(claims with { ExpiresUnixSeconds = 1 }), out _));
        // Bound to the round and party: each claim change gives another signature.
        Assert.NotEqual(token.Split('.')[1], signer.Sign(claims with { Round = 3 }).Split('.')[1]);
        Assert.NotEqual(token.Split('.')[1], signer.Sign(claims with { Party = "city-bureau:datong" }).Split('.')[1]);
    }
}
