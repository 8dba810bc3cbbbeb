using Microsoft.Extensions.Configuration;

namespace Voucher.Security.Tests;

/// <summary>
/// Callback links over HTTP: forged, altered, non-canonical, expired, wrong action and replayed tokens on the review route;
/// the key ring (key ids, rotation, the sample key) of links and development sign-in cookies.
/// </summary>
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
        // keyId.payload.signature: the payload lies between the two dots.
        var dot = good.IndexOf('.', StringComparison.Ordinal);
        var lastDot = good.LastIndexOf('.');

        static string B64(byte[] b) => Convert.ToBase64String(b).TrimEnd('=').Replace('+', '-').Replace('/', '_');
        var forged = B64(System.Security.Cryptography.RandomNumberGenerator.GetBytes(60)) + "." + B64(System.Security.Cryptography.RandomNumberGenerator.GetBytes(32));
        var alteredPayload = FlipChar(good, (dot + lastDot) / 2);
        var alteredSignature = FlipChar(good, lastDot + 5);
        // Payload of another (valid) application with this application's signature: a signature does not transfer.
        var other = Sign(host.Ids["appA"]);
        var otherPayload = other[..other.LastIndexOf('.')] + good[lastDot..];
        Assert.NotEqual(good, otherPayload);
        var wrongKey = new LinkSigner(new Voucher.Workflows.Security.LinkKey(new byte[32]), TimeProvider.System)
            .Sign(new LinkClaims($"application-{id}", "review", "city-bureau:taiyuan", 1, DateTimeOffset.UtcNow.AddDays(5).ToUnixTimeSeconds()));

        foreach (var (what, token) in new[] { ("forged", forged), ("altered payload", alteredPayload), ("altered signature", alteredSignature), ("payload swap", otherPayload), ("other key", wrongKey), ("no dot", good.Replace(".", "", StringComparison.Ordinal)), ("three dots", good + ".x"), ("unknown key id", "0badc0de" + good[dot..]) })
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

        var approved = await ApprovedWithVoucherAsync(id);
        Assert.True(approved.GetProperty("decision").GetProperty("approved").GetBoolean());
    }

    /// <summary>
    /// Waits until the application is approved and its voucher written, so that the voucher does not land later, while
    /// another test of this host's collection compares storage before and after a refused request.
    /// </summary>
    async Task<System.Text.Json.JsonElement> ApprovedWithVoucherAsync(string id) => await Eventually.UntilAsync(
        async () => (await host.GetAsync("cityTY", $"api/applications/{id}")).Json(),
        v => v.GetProperty("status").GetString() == "Approved" && v.TryGetProperty("voucherId", out var voucher) && voucher.ValueKind == System.Text.Json.JsonValueKind.String,
        TimeSpan.FromSeconds(60), $"{id} approved by the link and its voucher issued");

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
        var root = Voucher.LocalHost.Azurite.RepoRoot.Find();
        var source = File.ReadAllText(Path.Combine(root, "workflows", "Voucher.Workflows", "Security", "LinkKey.cs"));
        Assert.Contains("CryptographicOperations.FixedTimeEquals", source, StringComparison.Ordinal);
        foreach (var file in new[] { Path.Combine("Security", "LinkKey.cs"), Path.Combine("Links", "SignedLink.cs"), Path.Combine("Security", "DevelopmentPrincipalSource.cs") })
        {
            Assert.DoesNotContain("SequenceEqual", File.ReadAllText(Path.Combine(root, "workflows", "Voucher.Workflows", file)), StringComparison.Ordinal);
        }

        var signer = host.Signer;
        var claims = new LinkClaims("application-x", "review", "city-bureau:taiyuan", 2, DateTimeOffset.UtcNow.AddDays(1).ToUnixTimeSeconds());
        var token = signer.Sign(claims);
        Assert.Equal(LinkCheck.Valid, signer.Verify(token, out var read));
        Assert.Equal(claims, read);
        Assert.Equal(LinkCheck.BadSignature, signer.Verify(FlipChar(token, token.Length - 5), out _));
        Assert.Equal(LinkCheck.BadSignature, signer.Verify(FlipChar(token, token.IndexOf('.', StringComparison.Ordinal) + 3), out _));
        Assert.Equal(LinkCheck.Malformed, signer.Verify(new string('a', 3000), out _));
        Assert.Equal(LinkCheck.Expired, signer.Verify(signer.Sign(claims with { ExpiresUnixSeconds = 1 }), out _));
        // Bound to the round and party: each claim change gives another signature.
        Assert.NotEqual(token.Split('.')[1], signer.Sign(claims with { Round = 3 }).Split('.')[1]);
        Assert.NotEqual(token.Split('.')[1], signer.Sign(claims with { Party = "city-bureau:datong" }).Split('.')[1]);
    }

    const string Alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";

    static byte[] DecodeLeniently(string base64Url)
    {
        var padded = base64Url.TrimEnd('=').Replace('-', '+').Replace('_', '/');
        return Convert.FromBase64String(padded + new string('=', (4 - padded.Length % 4) % 4));
    }

    /// <summary>
    /// Other spellings of a valid signature: the last character's unused low bits set (the same bytes when decoded),
    /// '=' padding, standard base64 ('+' and '/').
    /// </summary>
    static IEnumerable<(string What, string Token)> OtherSpellings(Func<int, string> signRound)
    {
        var token = signRound(1);
        var signature = token[(token.LastIndexOf('.') + 1)..];
        var sameBytes = token[..^1] + Alphabet[Alphabet.IndexOf(token[^1], StringComparison.Ordinal) ^ 1];
        Assert.Equal(DecodeLeniently(signature), DecodeLeniently(sameBytes[(sameBytes.LastIndexOf('.') + 1)..]));
        yield return ("last character with the same bytes", sameBytes);
        yield return ("added padding", token + "=");
        yield return ("added double padding", token + "==");

        // Standard base64 needs a signature with '-' or '_': sign other rounds until one has it.
        var round = Enumerable.Range(1, 200).First(r => signRound(r)[(signRound(r).LastIndexOf('.') + 1)..].IndexOfAny(['-', '_']) >= 0);
        var withUrlChars = signRound(round);
        var dot = withUrlChars.LastIndexOf('.');
        yield return ($"standard base64 (round {round})", withUrlChars[..(dot + 1)] + withUrlChars[(dot + 1)..].Replace('-', '+').Replace('_', '/'));
    }

    [Fact]
    public async Task Non_canonical_spellings_of_a_real_signature_are_refused_over_http()
    {
        var id = await NewApplicationUnderReviewAsync();
        foreach (var (what, token) in OtherSpellings(round => Sign(id, round: round)).Where(s => !s.What.StartsWith("standard", StringComparison.Ordinal)))
        {
            var get = await host.GetAsync("anon", $"review/{Uri.EscapeDataString(token)}");
            var post = await PostReviewAsync(Uri.EscapeDataString(token));
            output.WriteLine($"{what}: GET {get.Code}, POST {post.Code}");
            Assert.True(get.Status == HttpStatusCode.BadRequest, $"{what} GET: {get}");
            Assert.True(post.Status == HttpStatusCode.BadRequest, $"{what} POST: {post}");
        }

        // Standard base64 in round 1's link (when its signature has '-' or '_'), escaped as a URL needs.
        var good = Sign(id);
        var signature = good[(good.LastIndexOf('.') + 1)..];
        if (signature.IndexOfAny(['-', '_']) >= 0)
        {
            var standard = good[..(good.LastIndexOf('.') + 1)] + signature.Replace('-', '+').Replace('_', '/');
            Assert.Equal(HttpStatusCode.BadRequest, (await PostReviewAsync(Uri.EscapeDataString(standard))).Status);
        }

        await AssertStillUnderReviewAsync(id);
        var real = await PostReviewAsync(good);
        Assert.True(real.Status == HttpStatusCode.OK, real.ToString());
        await ApprovedWithVoucherAsync(id);
    }

    static readonly byte[] OldKey = Enumerable.Range(0, 32).Select(i => (byte)(i * 3 + 1)).ToArray();
    static readonly byte[] NewKey = Enumerable.Range(0, 32).Select(i => (byte)(200 - i)).ToArray();

    static LinkClaims Claims(int round = 1) => new("application-x", "review", "city-bureau:taiyuan", round, DateTimeOffset.UtcNow.AddDays(1).ToUnixTimeSeconds());

    [Fact]
    public void Only_the_canonical_signature_verifies()
    {
        var signer = new LinkSigner(new LinkKey(NewKey), TimeProvider.System);
        Assert.Equal(LinkCheck.Valid, signer.Verify(signer.Sign(Claims()), out _));
        foreach (var (what, token) in OtherSpellings(round => signer.Sign(Claims(round))))
        {
            var check = signer.Verify(token, out var claims);
            output.WriteLine($"{what}: {check}");
            Assert.True(check is LinkCheck.BadSignature or LinkCheck.Malformed, $"{what}: {check}");
            Assert.Null(claims);
        }
    }

    [Fact]
    public void Tokens_name_their_key_and_a_previous_key_verifies_only_while_configured()
    {
        var before = new LinkSigner(new LinkKey(OldKey), TimeProvider.System);
        var during = new LinkSigner(new LinkKey(NewKey, OldKey), TimeProvider.System);
        var after = new LinkSigner(new LinkKey(NewKey), TimeProvider.System);
        var old = before.Sign(Claims());
        Assert.StartsWith(LinkKey.IdOf(OldKey) + ".", old, StringComparison.Ordinal);
        Assert.Equal(Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(OldKey))[..8], LinkKey.IdOf(OldKey));

        // During the rotation: new links are signed with the new key; old links still verify; after it, they do not.
        var fresh = during.Sign(Claims());
        Assert.StartsWith(LinkKey.IdOf(NewKey) + ".", fresh, StringComparison.Ordinal);
        Assert.Equal(LinkCheck.Valid, during.Verify(old, out _));
        Assert.Equal(LinkCheck.Valid, during.Verify(fresh, out _));
        Assert.Equal(LinkCheck.Valid, after.Verify(fresh, out _));
        Assert.Equal(LinkCheck.BadSignature, after.Verify(old, out var refused));
        Assert.Null(refused);

        // An unknown key id is refused, and so is a token naming one key but signed with another.
        var parts = fresh.Split('.');
        Assert.Equal(LinkCheck.BadSignature, during.Verify("0badc0de." + parts[1] + "." + parts[2], out _));
        Assert.Equal(LinkCheck.BadSignature, during.Verify(LinkKey.IdOf(OldKey) + "." + parts[1] + "." + parts[2], out _));
        Assert.Equal(LinkCheck.Malformed, during.Verify(parts[0].ToUpperInvariant() + "." + parts[1] + "." + parts[2], out _));
    }

    [Fact]
    public void Links_without_a_key_id_verify_with_the_current_key_only()
    {
        // The shape sent before key ids: payload.mac, the MAC of "link|payload".
        static string Legacy(byte[] key, LinkClaims claims)
        {
            var payload = LinkKey.Encode(System.Text.Json.JsonSerializer.SerializeToUtf8Bytes(claims));
            return payload + "." + LinkKey.Encode(System.Security.Cryptography.HMACSHA256.HashData(key, Encoding.ASCII.GetBytes("link|" + payload)));
        }

        Assert.Equal(LinkCheck.Valid, new LinkSigner(new LinkKey(OldKey), TimeProvider.System).Verify(Legacy(OldKey, Claims()), out _));
        Assert.Equal(LinkCheck.BadSignature, new LinkSigner(new LinkKey(NewKey, OldKey), TimeProvider.System).Verify(Legacy(OldKey, Claims()), out _));
    }

    [Fact]
    public void Key_ring_reads_current_and_previous_keys_from_configuration()
    {
        var key = LinkKey.FromConfiguration(Configuration(NewKey, $"{Convert.ToBase64String(OldKey)}, {Convert.ToBase64String(new byte[32])}"));
        Assert.Equal(LinkKey.IdOf(NewKey), key.Id);
        Assert.Equal([LinkKey.IdOf(OldKey), LinkKey.IdOf(new byte[32])], key.PreviousIds);
        Assert.Empty(LinkKey.FromConfiguration(Configuration(NewKey, "")).PreviousIds);
        Assert.Throws<InvalidOperationException>(() => LinkKey.FromConfiguration(Configuration(NewKey, Convert.ToBase64String(NewKey))));
        Assert.Throws<InvalidOperationException>(() => LinkKey.FromConfiguration(Configuration(NewKey, Convert.ToBase64String(new byte[16]))));
        Assert.Throws<InvalidOperationException>(() => LinkKey.FromConfiguration(Configuration(NewKey, "not base64!")));
    }

    static IConfiguration Configuration(byte[] current, string? previous = null, string? functionsEnvironment = null, string? dotnetEnvironment = null) =>
        new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Voucher:LinkSigningKey"] = Convert.ToBase64String(current),
            ["Voucher:LinkSigningKeyPrevious"] = previous,
            ["AZURE_FUNCTIONS_ENVIRONMENT"] = functionsEnvironment,
            ["DOTNET_ENVIRONMENT"] = dotnetEnvironment,
        }).Build();

    [Fact]
    public void Sample_key_is_refused_outside_development_and_warned_about_on_the_local_host()
    {
        // The constant is the key local.settings.sample.json publishes (the local host's default).
        var sampleFile = File.ReadAllText(Path.Combine(Voucher.LocalHost.Azurite.RepoRoot.Find(), "local.settings.sample.json"));
        var published = System.Text.Json.JsonDocument.Parse(sampleFile).RootElement.GetProperty("Values").GetProperty("Voucher__LinkSigningKey").GetString();
        Assert.Equal(LinkKey.SampleKeyBase64, published);
        var sample = Convert.FromBase64String(LinkKey.SampleKeyBase64);

        foreach (var (functions, dotnet) in new[] { ((string?)null, (string?)null), ("Production", null), (null, "Production"), ("Staging", "Development") })
        {
            var e = Assert.Throws<InvalidOperationException>(() => LinkKey.RefuseSampleKeyOutsideDevelopment(Configuration(sample, null, functions, dotnet)));
            Assert.Contains("sample key", e.Message, StringComparison.Ordinal);
        }

        Assert.Throws<InvalidOperationException>(() => LinkKey.RefuseSampleKeyOutsideDevelopment(Configuration(NewKey, LinkKey.SampleKeyBase64, "Production")));
        LinkKey.RefuseSampleKeyOutsideDevelopment(Configuration(sample, null, "Development"));
        LinkKey.RefuseSampleKeyOutsideDevelopment(Configuration(sample, null, null, "development"));
        LinkKey.RefuseSampleKeyOutsideDevelopment(Configuration(NewKey, Convert.ToBase64String(OldKey), "Production"));
        // Only the sample key stops the start: a missing or malformed key is reported where the key is first used.
        LinkKey.RefuseSampleKeyOutsideDevelopment(new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?> { ["AZURE_FUNCTIONS_ENVIRONMENT"] = "Production" }).Build());
        LinkKey.RefuseSampleKeyOutsideDevelopment(new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?> { ["Voucher:LinkSigningKey"] = "@Microsoft.KeyVault(SecretUri=x)" }).Build());

        // That the Functions app applies the rule when it composes: FunctionsCompositionTests (Voucher.Contract.Tests).

        // The local host warns on the sample key (current or previous) and says nothing otherwise.
        Assert.Equal([LinkKey.SampleKeyWarning], Voucher.LocalHost.Hosting.LocalHostApp.StartupWarnings(new LinkKey(sample)));
        Assert.Equal([LinkKey.SampleKeyWarning], Voucher.LocalHost.Hosting.LocalHostApp.StartupWarnings(new LinkKey(NewKey, sample)));
        Assert.Empty(Voucher.LocalHost.Hosting.LocalHostApp.StartupWarnings(new LinkKey(NewKey)));
    }

    [Fact]
    public void Development_sign_in_cookie_names_its_key_verifies_only_canonically_and_follows_the_rotation()
    {
        var principal = new SignedInIdentity("dev-link-test", "链接测试", null);
        var old = new DevelopmentPrincipalSource(new LinkKey(OldKey)).CreateCookieValue(principal);
        Assert.Equal(LinkKey.IdOf(OldKey), old.Split('.')[1]);

        SignedInIdentity? Read(DevelopmentPrincipalSource source, string cookie)
        {
            var http = new Microsoft.AspNetCore.Http.DefaultHttpContext();
            http.Request.Headers.Cookie = $"{DevelopmentPrincipalSource.CookieName}={cookie}";
            return source.Read(http.Request);
        }

        var during = new DevelopmentPrincipalSource(new LinkKey(NewKey, OldKey));
        var after = new DevelopmentPrincipalSource(new LinkKey(NewKey));
        Assert.Equal(principal.Subject, Read(during, old)?.Subject);
        Assert.Null(Read(after, old));
        var fresh = during.CreateCookieValue(principal);
        Assert.Equal(LinkKey.IdOf(NewKey), fresh.Split('.')[1]);
        Assert.Equal("链接测试", Read(after, fresh)?.Name);

        var sameBytes = fresh[..^1] + Alphabet[Alphabet.IndexOf(fresh[^1], StringComparison.Ordinal) ^ 1];
        var parts = fresh.Split('.');
        foreach (var (what, cookie) in new[]
        {
            ("same bytes", sameBytes), ("padding", fresh + "="), ("unknown key id", parts[0] + ".0badc0de." + parts[2]),
            ("no key id", parts[0] + "." + parts[2]), ("altered payload", FlipChar(parts[0], 5) + "." + parts[1] + "." + parts[2]),
        })
        {
            Assert.True(Read(during, cookie) is null, what);
        }
    }
}
