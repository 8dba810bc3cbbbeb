using System.Net.Http.Headers;
using Voucher.Workflows.Accounts;

namespace Voucher.Contract.Tests;

/// <summary>
/// The status GETs a client polls answer an <c>ETag</c>; <c>If-None-Match</c> with it answers 304 with no body until the
/// status changes, at one storage read (the row, which names what was written after it: the application's latest
/// history entry; the redemption's entry and evidence files, <c>RedemptionViewKey</c>), counted on the host's own meter
/// (<c>/dev/metrics</c>, calls under <c>route:GetApplication</c> and <c>route:GetRedemption</c>), and the principal's
/// membership lookup (under <c>principal</c>) served from the host's cache, not read per poll.
/// </summary>
[Collection(ContractCollection.Name)]
public sealed class StatusETagTests(ContractSite site, ITestOutputHelper output)
{
    [Fact]
    public async Task ApplicationStatus_TaggedUnchangedAnswers304_ChangedAnswers200WithANewTag()
    {
        var (enterprise, path) = await SubmittedApplicationAsync();
        using var signedIn = enterprise;
        await enterprise.WaitForStatusAsync(path, "UnderReview", TimeSpan.FromMinutes(2));

        // The step writes the row, then its history entry: the row's own tag ("r…) comes with the first answer whose
        // history holds the entry the row names (a moment after the status); before that the tag is the body's hash.
        using var first = await RowTaggedAnswerAsync(enterprise, path);
        var etag = first.Headers.ETag!;
        Assert.Equal("UnderReview", SiteClient.Json(await first.Content.ReadAsStringAsync()).GetProperty("status").GetString());

        // Unchanged: 304, no body, the same tag; each costs one read, the application's row — the principal's membership
        // comes from the host's cache (at most one read if its entry expires during the polls, never one per poll).
        var principalBefore = await RouteCallsAsync(MembershipPrincipals.Origin + "|");
        await AssertPollsCostOneReadAsync(enterprise, path, etag, "route:GetApplication|", "an application");
        var principalReads = (await RouteCallsAsync(MembershipPrincipals.Origin + "|")).Total - principalBefore.Total;
        output.WriteLine($"membership reads in {Polls} polls: {principalReads}");
        Assert.True(principalReads <= 1, $"{principalReads} membership reads in {Polls} polls");

        // Another tag, or a weak form of the same one: as the header's rules say.
        using (var other = await GetIfNoneMatchAsync(enterprise, path, new EntityTagHeaderValue("\"something-else\"")))
        {
            Assert.Equal(HttpStatusCode.OK, other.StatusCode);
        }

        using (var weak = await GetIfNoneMatchAsync(enterprise, path, new EntityTagHeaderValue(etag.Tag, isWeak: true)))
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

    /// <summary>
    /// A redemption's status (its history and evidence files written apart from its row): tagged by the row once the row
    /// vouches for the whole answer, 304 at one read while nothing changes; an upload, the institution's binding and the
    /// queue step each answer the old tag with 200 and a new one, and the row vouches again within seconds of each, not
    /// after a settling time.
    /// </summary>
    [Fact]
    public async Task RedemptionStatus_TaggedUnchangedAnswers304AtOneRead_UploadAndBindingAnswer200WithANewTag()
    {
        SiteClient enterprise;
        string? voucherId;
        using (var bureau = await SiteClient.SignInAsync(site.Host.BaseAddress, "city-bureau", "taiyuan", "王芳"))
        {
            (enterprise, voucherId) = await VoucherAsync(bureau, "taiyuan");
        }

        using var signedIn = enterprise;
        var requested = await enterprise.PostJsonAsync("api/redemptions", new { voucherId, institutionId = "inst-sxu", serviceId = "svc-icp-ms", contractNumber = "ETAG-" + voucherId, amountPaid = 80000 });
        Assert.True(requested.Status == HttpStatusCode.Accepted, $"request: {requested}");
        var path = "api/redemptions/" + SiteClient.Json(requested.Body).GetProperty("redemptionId").GetString();

        using var first = await RowTaggedAnswerAsync(enterprise, path);
        var etag = first.Headers.ETag!;
        Assert.Equal("AwaitingBinding", SiteClient.Json(await first.Content.ReadAsStringAsync()).GetProperty("status").GetString());
        await AssertPollsCostOneReadAsync(enterprise, path, etag, "route:GetRedemption|", "a redemption waiting for its binding");

        // An upload changes the evidence list, not the status: the old tag gets the file, the new tag soon vouches again.
        var uploaded = await enterprise.PostFileAsync(path + "/evidence/report", TestFiles.Pdf("result report"), "report.pdf", "application/pdf");
        Assert.True(uploaded.Status == HttpStatusCode.Created, $"upload: {uploaded}");
        using (var afterUpload = await GetIfNoneMatchAsync(enterprise, path, etag))
        {
            Assert.Equal(HttpStatusCode.OK, afterUpload.StatusCode);
            Assert.NotEqual(etag, afterUpload.Headers.ETag);
            var report = SiteClient.Json(await afterUpload.Content.ReadAsStringAsync()).GetProperty("evidence").EnumerateArray().Single(e => e.GetProperty("kind").GetString() == "report");
            Assert.True(report.GetProperty("present").GetBoolean());
        }

        using var uploadedAnswer = await RowTaggedAnswerAsync(enterprise, path);
        etag = uploadedAnswer.Headers.ETag!;
        await AssertPollsCostOneReadAsync(enterprise, path, etag, "route:GetRedemption|", "a redemption after an upload");

        // The institution's binding: a step of the orchestration writes the row and its entry.
        using (var institution = await SiteClient.SignInAsync(site.Host.BaseAddress, "institution", "inst-sxu", "山西大学经办人"))
        {
            var bound = await institution.PostJsonAsync(path + "/binding", new { round = 1, confirm = true });
            Assert.True(bound.Status == HttpStatusCode.Accepted, $"binding: {bound}");
        }

        await enterprise.WaitForStatusAsync(path, "AwaitingEvidence", TimeSpan.FromMinutes(2));
        using (var afterBinding = await GetIfNoneMatchAsync(enterprise, path, etag))
        {
            Assert.Equal(HttpStatusCode.OK, afterBinding.StatusCode);
            Assert.NotEqual(etag, afterBinding.Headers.ETag);
        }

        using var boundAnswer = await RowTaggedAnswerAsync(enterprise, path);
        var history = SiteClient.Json(await boundAnswer.Content.ReadAsStringAsync()).GetProperty("history").EnumerateArray().Select(h => h.GetProperty("to").GetString()).ToList();
        Assert.Contains("AwaitingEvidence", history);
        await AssertPollsCostOneReadAsync(enterprise, path, boundAnswer.Headers.ETag!, "route:GetRedemption|", "a bound redemption");

        // Someone else's redemption is a plain 404, tag or not.
        using var stranger = await SiteClient.SignInAsync(site.Host.BaseAddress, "enterprise", TestUscc.New(), "李工");
        using var hidden = await GetIfNoneMatchAsync(stranger, path, boundAnswer.Headers.ETag!);
        Assert.Equal(HttpStatusCode.NotFound, hidden.StatusCode);
        Assert.Null(hidden.Headers.ETag);
    }

    /// <summary>
    /// A settlement batch's status (its row and the orchestration's progress): tagged by the row while the orchestration
    /// waits — under review, in publicity, closed — and 304 at one read then; the submission and the end of the publicity
    /// answer the old tag with 200 and a new one. Changzhi, which no other test here settles.
    /// </summary>
    [Fact]
    public async Task SettlementStatus_TaggedByTheRowWhileItWaits_304AtOneRead_EachStageAnswers200WithANewTag()
    {
        const string city = "changzhi";
        using var bureau = await SiteClient.SignInAsync(site.Host.BaseAddress, "city-bureau", city, "长治市科技局审核员");
        var (enterprise, voucherId) = await VoucherAsync(bureau, city);
        using var signedIn = enterprise;
        var requested = await enterprise.PostJsonAsync("api/redemptions", new { voucherId, institutionId = "inst-sxu", serviceId = "svc-icp-ms", contractNumber = "ETAG-B-" + voucherId, amountPaid = 20000 });
        Assert.True(requested.Status == HttpStatusCode.Accepted, $"request: {requested}");
        var redemptionId = SiteClient.Json(requested.Body).GetProperty("redemptionId").GetString()!;
        foreach (var kind in new[] { "report", "contract", "payment" })
        {
            var uploaded = await enterprise.PostFileAsync($"api/redemptions/{redemptionId}/evidence/{kind}", TestFiles.Pdf(kind), kind + ".pdf", "application/pdf");
            Assert.True(uploaded.Status == HttpStatusCode.Created, $"upload {kind}: {uploaded}");
        }

        using (var institution = await SiteClient.SignInAsync(site.Host.BaseAddress, "institution", "inst-sxu", "山西大学经办人"))
        {
            await Eventually.UntilAsync(
                async () => (await institution.PostJsonAsync($"api/redemptions/{redemptionId}/binding", new { round = 1, confirm = true })).Status == HttpStatusCode.Accepted,
                TimeSpan.FromMinutes(2), "the institution binds the redemption");
        }

        await enterprise.WaitForStatusAsync($"api/redemptions/{redemptionId}", "Queued", TimeSpan.FromMinutes(2));
        await QueueStep.WaitForItsTailAsync(site.Store, redemptionId, TimeSpan.FromMinutes(1));
        var path = "api/settlements/" + await bureau.StartSettlementAsync(city);
        using var reviewing = await RowTaggedAnswerAsync(bureau, path, TimeSpan.FromMinutes(3));
        Assert.Equal("Reviewing", SiteClient.Json(await reviewing.Content.ReadAsStringAsync()).GetProperty("stage").GetString());
        await AssertPollsCostOneReadAsync(bureau, path, reviewing.Headers.ETag!, "route:GetSettlement|", "a batch under review");

        // Submitted: the old tag gets the new stage; in publicity the row vouches again.
        var saved = await bureau.PostJsonAsync(path + "/decisions", new { decisions = new[] { new { redemptionId, decision = "approve" } } });
        Assert.True(saved.Status == HttpStatusCode.OK, $"decisions: {saved}");
        var submitted = await bureau.PostJsonAsync(path + "/submit", new { });
        Assert.True(submitted.Status == HttpStatusCode.Accepted, $"submit: {submitted}");
        using (var afterSubmit = await GetIfNoneMatchAsync(bureau, path, reviewing.Headers.ETag!))
        {
            Assert.Equal(HttpStatusCode.OK, afterSubmit.StatusCode);
            Assert.NotEqual(reviewing.Headers.ETag, afterSubmit.Headers.ETag);
            Assert.NotEqual("Reviewing", SiteClient.Json(await afterSubmit.Content.ReadAsStringAsync()).GetProperty("stage").GetString());
        }

        await Eventually.UntilAsync(() => bureau.GetJsonAsync(path), v => v.GetProperty("stage").GetString() == "Publicity", TimeSpan.FromMinutes(2), "the batch is in publicity");
        using var publicity = await RowTaggedAnswerAsync(bureau, path, TimeSpan.FromSeconds(30));
        var publicityTag = publicity.Headers.ETag!;
        var publicityView = SiteClient.Json(await publicity.Content.ReadAsStringAsync());
        Assert.Equal("Publicity", publicityView.GetProperty("stage").GetString());
        await AssertPollsCostOneReadAsync(bureau, path, publicityTag, "route:GetSettlement|", "a batch in publicity");

        // The window (one minute here) ends: the close's progress shows to whoever names the publicity's tag, and the
        // closed batch is tagged by its row again.
        var closed = await Eventually.UntilAsync(() => bureau.GetJsonAsync(path), v => v.GetProperty("stage").GetString() == "Closed" && v.GetProperty("runtimeStatus").GetString() == "Completed",
            TimeSpan.FromMinutes(3), "the batch is closed");
        using (var afterClose = await GetIfNoneMatchAsync(bureau, path, publicityTag))
        {
            Assert.Equal(HttpStatusCode.OK, afterClose.StatusCode);
            Assert.NotEqual(publicityTag, afterClose.Headers.ETag);
        }

        using var closedAnswer = await RowTaggedAnswerAsync(bureau, path, TimeSpan.FromSeconds(30));
        Assert.Equal("Closed", SiteClient.Json(await closedAnswer.Content.ReadAsStringAsync()).GetProperty("stage").GetString());
        await AssertPollsCostOneReadAsync(bureau, path, closedAnswer.Headers.ETag!, "route:GetSettlement|", "a closed batch");
        output.WriteLine($"closed batch: {closed}");
    }

    /// <summary>Polls naming an unchanged tag, per check.</summary>
    const int Polls = 5;

    /// <summary>A new enterprise of <paramref name="city"/>, registered, with its application submitted: its signed-in client and the application's status path.</summary>
    async Task<(SiteClient Enterprise, string Path)> SubmittedApplicationAsync(string city = "taiyuan")
    {
        var uscc = TestUscc.New();
        var enterprise = await SiteClient.SignInAsync(site.Host.BaseAddress, "enterprise", uscc, "王工");
        var registered = await enterprise.PostJsonAsync("api/enterprises", new
        {
            uscc, name = "条件请求测试科技有限公司", cityCode = city, sizeClass = "small", techSmeNumber = "202614010001", contactName = "王工", contactPhone = "13903510001",
        });
        Assert.True(registered.Status == HttpStatusCode.Created, $"registration: {registered}");
        var submitted = await enterprise.PostJsonAsync("api/applications", new { uscc });
        Assert.True(submitted.Status == HttpStatusCode.Accepted, $"submission: {submitted}");
        return (enterprise, "api/applications/" + SiteClient.Json(submitted.Body).GetProperty("applicationId").GetString());
    }

    /// <summary>A new enterprise of <paramref name="city"/> whose application <paramref name="bureau"/> approved: its signed-in client and its voucher.</summary>
    async Task<(SiteClient Enterprise, string? VoucherId)> VoucherAsync(SiteClient bureau, string city)
    {
        var (enterprise, applicationPath) = await SubmittedApplicationAsync(city);
        await enterprise.WaitForStatusAsync(applicationPath, "UnderReview", TimeSpan.FromMinutes(2));
        var decided = await bureau.PostJsonAsync(applicationPath + "/decision", new { round = 1, approve = true });
        Assert.True(decided.Status == HttpStatusCode.Accepted, $"decision: {decided}");
        return (enterprise, (await enterprise.WaitForStatusAsync(applicationPath, "Approved", TimeSpan.FromMinutes(2))).GetProperty("voucherId").GetString());
    }

    /// <summary>The first answer (within 30 s, or <paramref name="within"/>) whose tag is the row's own (<c>"r…</c>), asserted 200 JSON.</summary>
    static async Task<HttpResponseMessage> RowTaggedAnswerAsync(SiteClient client, string path, TimeSpan? within = null)
    {
        var watch = System.Diagnostics.Stopwatch.StartNew();
        var answer = await client.Http.GetAsync(path);
        while (answer.Headers.ETag?.Tag.StartsWith("\"r", StringComparison.Ordinal) != true && watch.Elapsed < (within ?? TimeSpan.FromSeconds(30)))
        {
            answer.Dispose();
            await Task.Delay(100);
            answer = await client.Http.GetAsync(path);
        }

        Assert.Equal(HttpStatusCode.OK, answer.StatusCode);
        Assert.True(answer.Headers.ETag?.Tag.StartsWith("\"r", StringComparison.Ordinal) == true, $"{path}: no answer tagged by the row within {watch.Elapsed.TotalSeconds:0} s (last tag {answer.Headers.ETag})");
        Assert.Equal("application/json; charset=utf-8", answer.Content.Headers.ContentType?.ToString());
        return answer;
    }

    /// <summary>Five polls naming <paramref name="etag"/>: each 304 with no body and the same tag, at one storage read each (plus the calendar in force, at most once).</summary>
    async Task AssertPollsCostOneReadAsync(SiteClient client, string path, EntityTagHeaderValue etag, string origin, string what)
    {
        var before = await RouteCallsAsync(origin);
        for (var i = 0; i < Polls; i++)
        {
            using var again = await GetIfNoneMatchAsync(client, path, etag);
            Assert.Equal(HttpStatusCode.NotModified, again.StatusCode);
            Assert.Empty(await again.Content.ReadAsByteArrayAsync());
            Assert.Equal(etag, again.Headers.ETag);
        }

        var after = await RouteCallsAsync(origin);
        var calendarReads = after.ByKind.Where(k => k.Key.Contains("Policies", StringComparison.Ordinal)).Sum(k => k.Value - before.ByKind.GetValueOrDefault(k.Key));
        output.WriteLine($"storage calls per 304 GET of {what}: {(double)(after.Total - before.Total) / Polls:0.##} ({string.Join(", ", after.ByKind.Select(k => $"{k.Key} {k.Value - before.ByKind.GetValueOrDefault(k.Key)}"))})");
        // The calendar in force (the days left) is read at most once per 30 s per host, which may fall into these polls.
        Assert.True(calendarReads <= 1, $"calendar reads during {Polls} polls: {calendarReads}");
        Assert.True(after.Total - before.Total - calendarReads <= Polls, $"{what}: {Polls} polls cost {after.Total - before.Total} storage calls");
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
