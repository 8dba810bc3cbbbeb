using System.Net.Http.Headers;
using Voucher.Workflows.Accounts;

namespace Voucher.Contract.Tests;

/// <summary>
/// The status GETs a client polls answer an <c>ETag</c>; <c>If-None-Match</c> with it answers 304 with no body until the
/// status changes, at one storage read (the row, which names its latest history entry), counted on the host's own meter (<c>/dev/metrics</c>,
/// calls under <c>route:GetApplication</c>), and the principal's membership lookup (under <c>principal</c>) served from the
/// host's cache, not read per poll.
/// </summary>
[Collection(ContractCollection.Name)]
public sealed class StatusETagTests(ContractSite site, ITestOutputHelper output)
{
    [Fact]
    public async Task ApplicationStatus_TaggedUnchangedAnswers304_ChangedAnswers200WithANewTag()
    {
        var uscc = TestUscc.New();
        using var enterprise = await SiteClient.SignInAsync(site.Host.BaseAddress, "enterprise", uscc, "王工");
        var registered = await enterprise.PostJsonAsync("api/enterprises", new
        {
            uscc, name = "条件请求测试科技有限公司", cityCode = "taiyuan", sizeClass = "small", techSmeNumber = "202614010001", contactName = "王工", contactPhone = "13903510001",
        });
        Assert.True(registered.Status == HttpStatusCode.Created, $"registration: {registered}");
        var submitted = await enterprise.PostJsonAsync("api/applications", new { uscc });
        Assert.True(submitted.Status == HttpStatusCode.Accepted, $"submission: {submitted}");
        var path = "api/applications/" + SiteClient.Json(submitted.Body).GetProperty("applicationId").GetString();
        await enterprise.WaitForStatusAsync(path, "UnderReview", TimeSpan.FromMinutes(2));

        // The step writes the row, then its history entry: the row's own tag ("r…) comes with the first answer whose
        // history holds the entry the row names (a moment after the status); before that the tag is the body's hash.
        var watch = System.Diagnostics.Stopwatch.StartNew();
        var first = await enterprise.Http.GetAsync(path);
        while (first.Headers.ETag?.Tag.StartsWith("\"r", StringComparison.Ordinal) != true && watch.Elapsed < TimeSpan.FromSeconds(30))
        {
            first.Dispose();
            await Task.Delay(100);
            first = await enterprise.Http.GetAsync(path);
        }

        using var firstAnswer = first;
        Assert.Equal(HttpStatusCode.OK, first.StatusCode);
        var etag = first.Headers.ETag;
        Assert.NotNull(etag);
        Assert.StartsWith("\"r", etag.Tag, StringComparison.Ordinal);
        Assert.Equal("application/json; charset=utf-8", first.Content.Headers.ContentType?.ToString());
        Assert.Equal("UnderReview", SiteClient.Json(await first.Content.ReadAsStringAsync()).GetProperty("status").GetString());

        // Unchanged: 304, no body, the same tag; each costs one read, the application's row — the principal's membership
        // comes from the host's cache (at most one read if its entry expires during the polls, never one per poll).
        const int Polls = 5;
        var before = await RouteCallsAsync("route:GetApplication|");
        var principalBefore = await RouteCallsAsync(MembershipPrincipals.Origin + "|");
        for (var i = 0; i < Polls; i++)
        {
            using var again = await GetIfNoneMatchAsync(enterprise, path, etag!);
            Assert.Equal(HttpStatusCode.NotModified, again.StatusCode);
            Assert.Empty(await again.Content.ReadAsByteArrayAsync());
            Assert.Equal(etag, again.Headers.ETag);
        }

        var after = await RouteCallsAsync("route:GetApplication|");
        var principalReads = (await RouteCallsAsync(MembershipPrincipals.Origin + "|")).Total - principalBefore.Total;
        var perPoll = (double)(after.Total - before.Total) / Polls;
        output.WriteLine($"storage calls per 304 GET of an application: {perPoll:0.##} ({string.Join(", ", after.ByKind.Select(k => $"{k.Key} {k.Value - before.ByKind.GetValueOrDefault(k.Key)}"))}); membership reads in {Polls} polls: {principalReads}");
        // The calendar in force (the days left) is read at most once per 30 s per host, which may fall into these polls.
        var calendarReads = after.ByKind.Where(k => k.Key.Contains("Policies", StringComparison.Ordinal)).Sum(k => k.Value - before.ByKind.GetValueOrDefault(k.Key));
        Assert.True(calendarReads <= 1, $"calendar reads during {Polls} polls: {calendarReads}");
        Assert.True(after.Total - before.Total - calendarReads <= Polls, $"a 304 poll costs {perPoll} storage calls");
        Assert.True(principalReads <= 1, $"{principalReads} membership reads in {Polls} polls");

        // Another tag, or a weak form of the same one: as the header's rules say.
        using (var other = await GetIfNoneMatchAsync(enterprise, path, new EntityTagHeaderValue("\"something-else\"")))
        {
            Assert.Equal(HttpStatusCode.OK, other.StatusCode);
        }

        using (var weak = await GetIfNoneMatchAsync(enterprise, path, new EntityTagHeaderValue(etag!.Tag, isWeak: true)))
        {
            Assert.Equal(HttpStatusCode.NotModified, weak.StatusCode);
        }

        // Changed: the bureau approves; the old tag now gets the new status and a new tag.
        using var bureau = await SiteClient.SignInAsync(site.Host.BaseAddress, "city-bureau", "taiyuan", "王芳");
        var decided = await bureau.PostJsonAsync(path + "/decision", new { round = 1, approve = true });
        Assert.True(decided.Status == HttpStatusCode.Accepted, $"decision: {decided}");
        await enterprise.WaitForStatusAsync(path, "Approved", TimeSpan.FromMinutes(2));
        using var changed = await GetIfNoneMatchAsync(enterprise, path, etag);
        Assert.Equal(HttpStatusCode.OK, changed.StatusCode);
        Assert.NotEqual(etag, changed.Headers.ETag);
        Assert.Equal("Approved", SiteClient.Json(await changed.Content.ReadAsStringAsync()).GetProperty("status").GetString());

        // Someone else's application is still a plain 404, tag or not.
        using var stranger = await SiteClient.SignInAsync(site.Host.BaseAddress, "enterprise", TestUscc.New(), "李工");
        using var hidden = await GetIfNoneMatchAsync(stranger, path, changed.Headers.ETag!);
        Assert.Equal(HttpStatusCode.NotFound, hidden.StatusCode);
        Assert.Null(hidden.Headers.ETag);
    }

    static async Task<HttpResponseMessage> GetIfNoneMatchAsync(SiteClient client, string path, EntityTagHeaderValue etag)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, path);
        request.Headers.IfNoneMatch.Add(etag);
        return await client.Http.SendAsync(request);
    }

    async Task<(long Total, Dictionary<string, long> ByKind)> RouteCallsAsync(string prefix)
    {
        using var anonymous = SiteClient.Anonymous(site.Host.BaseAddress);
        var metrics = await anonymous.GetJsonAsync("dev/metrics");
        var byKind = metrics.GetProperty("operations").EnumerateObject()
            .Where(p => p.Name.StartsWith(prefix, StringComparison.Ordinal))
            .ToDictionary(p => p.Name[prefix.Length..], p => p.Value.GetInt64());
        return (byKind.Values.Sum(), byKind);
    }
}
