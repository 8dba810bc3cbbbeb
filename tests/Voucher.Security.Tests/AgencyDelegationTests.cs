using Voucher.Workflows.Agencies;

namespace Voucher.Security.Tests;

/// <summary>
/// An agency acts for a party only within a valid delegation: it can act through the party's own routes (API with
/// X-Acting-For, pages after picking the party), and the audit names both; another action, another party, an expired
/// or a revoked delegation is refused with 403 naming the missing delegation; a party cannot manage another's delegations.
/// </summary>
[Collection(SecurityCollection.Name)]
public sealed class AgencyDelegationTests(SecurityHost host, ITestOutputHelper output)
{
    const string AgencyId = "agency-deleg-1";
    const string Agency = "agency-deleg";

    async Task<string> SignInAsync(string caller, string role, string scope)
    {
        if (!host.Cookies.TryGetValue(caller, out var existing) || existing is null)
        {
            await host.SignInCallerAsync(caller, role, scope);
        }

        return caller;
    }

    async Task<(Answer Answer, string? SetCookie)> SendAsync(string caller, HttpMethod method, string path, HttpContent? content = null, string? actingFor = null, string? extraCookie = null)
    {
        using var request = new HttpRequestMessage(method, path) { Content = content };
        request.Headers.Add("Cookie", host.Cookies[caller] + (extraCookie is null ? "" : "; " + extraCookie));
        if (actingFor is not null)
        {
            request.Headers.Add(ActingFor.HeaderName, actingFor);
        }

        using var response = await host.Http.SendAsync(request);
        var setCookie = response.Headers.TryGetValues("Set-Cookie", out var values) ? values.FirstOrDefault(v => v.StartsWith(ActingFor.CookieName + "=", StringComparison.Ordinal)) : null;
        return (new Answer(response.StatusCode, await response.Content.ReadAsStringAsync(), response.Headers.Location?.ToString(), response.Content.Headers.ContentType?.MediaType), setCookie);
    }

    async Task<Answer> AsAgency(HttpMethod method, string path, string actingFor, object? json = null) =>
        (await SendAsync(Agency, method, path, json is null ? null : JsonContent.Create(json), actingFor)).Answer;

    /// <summary>A fresh registered Taiyuan enterprise (its own caller) and the agency, registered once.</summary>
    async Task<(string Caller, string Uscc)> NewEnterpriseAsync()
    {
        await SignInAsync(Agency, "agency", AgencyId);
        var register = await host.PostJsonAsync(Agency, "api/agencies", new { name = "授权测试代理有限公司", cityCode = "taiyuan", contactName = "周代理", contactPhone = "13903518888" });
        Assert.True(register.Status is HttpStatusCode.Created or HttpStatusCode.Conflict, register.ToString());

        var uscc = TestUscc.New();
        var caller = await SignInAsync("deleg:" + uscc, "enterprise", uscc);
        var created = await host.PostJsonAsync(caller, "api/enterprises", SecurityHost.Registration(uscc, "委托测试科技有限公司", "taiyuan", "吴联系", "13903517777"));
        Assert.Equal(HttpStatusCode.Created, created.Status);
        return (caller, uscc);
    }

    async Task<string> DelegateAsync(string caller, string[] actions, string? validUntil = null)
    {
        var answer = await host.PostJsonAsync(caller, "api/delegations", new { agencyId = AgencyId, actions, validUntil = validUntil ?? Today.AddDays(30).ToString("yyyy-MM-dd") });
        Assert.True(answer.Status == HttpStatusCode.Created, answer.ToString());
        return answer.Json().GetProperty("delegationId").GetString()!;
    }

    static DateOnly Today => ChinaTime.DateOf(DateTime.UtcNow);

    static void AssertRefused(Answer answer, params string[] mentions)
    {
        Assert.True(answer.Status == HttpStatusCode.Forbidden, answer.ToString());
        foreach (var m in mentions)
        {
            Assert.Contains(m, answer.Body, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task Agency_within_its_delegation_submits_an_application_and_the_audit_names_agency_and_enterprise()
    {
        var (enterprise, uscc) = await NewEnterpriseAsync();
        await DelegateAsync(enterprise, [DelegationActions.ApplyForVoucher, DelegationActions.ViewRecords]);

        var submitted = await AsAgency(HttpMethod.Post, "api/applications", uscc, new { uscc });
        Assert.True(submitted.Status == HttpStatusCode.Accepted, submitted.ToString());
        var applicationId = submitted.Json().GetProperty("applicationId").GetString()!;

        // The enterprise sees the application as its own; the agency reads it through view-records.
        var seen = await host.GetAsync(enterprise, $"api/applications/{applicationId}");
        Assert.Equal(HttpStatusCode.OK, seen.Status);
        Assert.Equal(HttpStatusCode.OK, (await AsAgency(HttpMethod.Get, $"api/applications/{applicationId}", uscc)).Status);

        // The "Submitted" row is written by the eligibility step (with the next change), from who submitted as recorded
        // on the application row: it names the agency although no request is running any more.
        var rows = await Voucher.Testing.Eventually.UntilAsync(
            () => RowsAsync("Audit", "application:" + applicationId),
            r => r.Any(x => x.GetString("ToState") == "Submitted"),
            TimeSpan.FromSeconds(60),
            "the eligibility step writes the Submitted audit row");
        var submittedRow = Assert.Single(rows, r => r.GetString("ToState") == "Submitted");
        Assert.Equal(AgencyId, submittedRow.GetString("Agency"));
        Assert.Equal($"enterprise:{uscc}", submittedRow.GetString("ActedFor"));
        Assert.Equal($"enterprise:{uscc} via agency:{AgencyId}", submittedRow.GetString("Actor"));
        output.WriteLine($"audit actor: {submittedRow.GetString("Actor")}");
    }

    [Fact]
    public async Task Agency_outside_its_delegation_is_refused_naming_the_missing_delegation()
    {
        var (enterprise, uscc) = await NewEnterpriseAsync();
        await DelegateAsync(enterprise, [DelegationActions.ViewRecords]);

        Assert.Equal(HttpStatusCode.OK, (await AsAgency(HttpMethod.Get, $"api/enterprises/{uscc}", uscc)).Status);

        // another action group
        AssertRefused(await AsAgency(HttpMethod.Post, "api/applications", uscc, new { uscc }), DelegationActions.ApplyForVoucher, uscc, AgencyId);
        AssertRefused(await AsAgency(HttpMethod.Put, $"api/enterprises/{uscc}/profile", uscc, new { name = "x" }), DelegationActions.EditProfile);
        // another enterprise (A never delegated), naming it or not
        var usccA = host.Ids["usccA"];
        AssertRefused(await AsAgency(HttpMethod.Get, $"api/enterprises/{usccA}", usccA), usccA, "no delegation found");
        // another enterprise's application, read on behalf of the delegating one: answered as a missing one (no existence oracle)
        var theirs = await AsAgency(HttpMethod.Get, $"api/applications/{host.Ids["appA"]}", uscc);
        Assert.True(theirs.Status == HttpStatusCode.NotFound, theirs.ToString());
        AssertRefused((await SendAsync(Agency, HttpMethod.Get, $"api/enterprises/{uscc}")).Answer, "X-Acting-For");
        // routes no delegation can open
        AssertRefused(await AsAgency(HttpMethod.Post, $"api/applications/{host.Ids["appA"]}/decision", uscc, new { round = 1, approve = true }), "cannot be delegated");
        AssertRefused(await AsAgency(HttpMethod.Post, "api/delegations", uscc, new { agencyId = AgencyId, actions = new[] { "apply-for-voucher" }, validUntil = Today.ToString("yyyy-MM-dd") }), "cannot be delegated");
        // nothing was applied for
        Assert.Empty(await RowsAsync("Applications", uscc));
    }

    [Fact]
    public async Task Agency_with_the_market_group_posts_a_demand_for_the_enterprise_and_without_it_is_refused()
    {
        var (enterprise, uscc) = await NewEnterpriseAsync();
        var deadline = Today.AddDays(10).ToString("yyyy-MM-dd");
        var demand = new { category = "testing", description = "代理代发需求 demand posted by an agency", budget = 15000m, cityCode = "taiyuan", deadline };

        await DelegateAsync(enterprise, [DelegationActions.ViewRecords]);
        AssertRefused(await AsAgency(HttpMethod.Post, "api/demands", uscc, demand), DelegationActions.UseMarket);
        Assert.Equal(0, (await host.GetAsync(enterprise, "api/demands")).Json().GetArrayLength());

        await DelegateAsync(enterprise, [DelegationActions.UseMarket]);
        var posted = await AsAgency(HttpMethod.Post, "api/demands", uscc, demand);
        Assert.True(posted.Status == HttpStatusCode.Created, posted.ToString());
        var demandId = posted.Json().GetProperty("demandId").GetString()!;

        // The demand is the enterprise's own: it reads it without any agency involved.
        var seen = await host.GetAsync(enterprise, $"api/demands/{demandId}");
        Assert.True(seen.Status == HttpStatusCode.OK, seen.ToString());
        Assert.Equal(1, (await host.GetAsync(enterprise, "api/demands")).Json().GetArrayLength());
        output.WriteLine($"agency posted demand {demandId} for {uscc}");
    }

    [Fact]
    public async Task Revocation_takes_effect_on_the_next_request_for_the_api_and_the_pages()
    {
        var (enterprise, uscc) = await NewEnterpriseAsync();
        var delegationId = await DelegateAsync(enterprise, [DelegationActions.ViewRecords, DelegationActions.EditProfile]);

        // The agency picks the party on its page; the party's own home page and forms then work for it.
        var (picked, cookie) = await SendAsync(Agency, HttpMethod.Post, "portal/agency/acting", new FormUrlEncodedContent(new Dictionary<string, string> { ["partyId"] = uscc }));
        Assert.True(picked.Status == HttpStatusCode.Redirect && cookie is not null, picked.ToString());
        var acting = cookie!.Split(';')[0];
        var home = (await SendAsync(Agency, HttpMethod.Get, "", extraCookie: acting)).Answer;
        Assert.True(home.Status == HttpStatusCode.OK && home.Body.Contains("委托测试科技有限公司", StringComparison.Ordinal), home.ToString());
        var saved = (await SendAsync(Agency, HttpMethod.Post, "portal/profile", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["name"] = "委托测试科技有限公司", ["cityCode"] = "taiyuan", ["sizeClass"] = "medium", ["techSmeNumber"] = "202614010001",
            ["contactName"] = "吴联系", ["contactPhone"] = "13903517777", ["address"] = "太原市万柏林区代理路 8 号",
        }), extraCookie: acting)).Answer;
        Assert.True(saved.Status == HttpStatusCode.Redirect && saved.Location!.Contains("done=", StringComparison.Ordinal), saved.ToString());
        var profileAudit = await RowsAsync("Audit", "enterprise:" + uscc);
        Assert.Equal(AgencyId, Assert.Single(profileAudit).GetString("Agency"));

        var revoked = await host.PostJsonAsync(enterprise, $"api/delegations/{delegationId}/revoke", new { });
        Assert.Equal(HttpStatusCode.OK, revoked.Status);
        Assert.Equal("revoked", revoked.Json().GetProperty("state").GetString());

        AssertRefused(await AsAgency(HttpMethod.Get, $"api/enterprises/{uscc}", uscc), "revoked", delegationId);
        AssertRefused((await SendAsync(Agency, HttpMethod.Get, "", extraCookie: acting)).Answer, "revoked");
        AssertRefused((await SendAsync(Agency, HttpMethod.Get, "portal/profile", extraCookie: acting)).Answer, "revoked");
        // its own page still works and shows the delegation as revoked
        var own = (await SendAsync(Agency, HttpMethod.Get, "portal/agency", extraCookie: acting)).Answer;
        Assert.True(own.Status == HttpStatusCode.OK && own.Body.Contains("已撤销", StringComparison.Ordinal), own.ToString());
        Assert.Equal(HttpStatusCode.Conflict, (await host.PostJsonAsync(enterprise, $"api/delegations/{delegationId}/revoke", new { })).Status);
    }

    [Fact]
    public async Task An_expired_delegation_is_refused()
    {
        var (enterprise, uscc) = await NewEnterpriseAsync();
        // Granted 40 days ago until 10 days ago: written as the product would have written it then.
        var store = new Voucher.Workflows.Storage.VoucherStore(host.Azurite.Tables, host.Azurite.Blobs);
        var then = new PastTime(DateTimeOffset.UtcNow.AddDays(-40));
        var delegations = new DelegationStore(store, new Voucher.Workflows.Audit.AuditLog(store), then);
        var agency = (await delegations.GetAgencyAsync(AgencyId, default))!;
        await delegations.CreateAsync(new VoucherPrincipal("u", "SME", Role.Enterprise, uscc), agency, [DelegationActions.ViewRecords], delegations.Today.AddDays(30), default);

        AssertRefused(await AsAgency(HttpMethod.Get, $"api/enterprises/{uscc}", uscc), "expired");
        var listed = await host.GetAsync(enterprise, "api/delegations");
        Assert.Equal("expired", Assert.Single(listed.Json().EnumerateArray()).GetProperty("state").GetString());
    }

    [Fact]
    public async Task A_party_cannot_see_or_revoke_another_partys_delegation()
    {
        var (enterprise, uscc) = await NewEnterpriseAsync();
        var delegationId = await DelegateAsync(enterprise, [DelegationActions.ViewRecords]);
        var (other, _) = await NewEnterpriseAsync();

        Assert.Equal(HttpStatusCode.NotFound, (await host.PostJsonAsync(other, $"api/delegations/{delegationId}/revoke", new { })).Status);
        Assert.Equal(HttpStatusCode.NotFound, (await host.PostJsonAsync("instTY", $"api/delegations/{delegationId}/revoke", new { })).Status);
        var page = await host.SendAsync(other, HttpMethod.Post, $"portal/delegations/{delegationId}/revoke", new FormUrlEncodedContent([]));
        Assert.Contains("error=", page.Location, StringComparison.Ordinal);
        Assert.Empty((await host.GetAsync(other, "api/delegations")).Json().EnumerateArray());
        Assert.Equal(HttpStatusCode.Forbidden, (await host.PostJsonAsync(Agency, $"api/delegations/{delegationId}/revoke", new { })).Status);

        // still in force
        Assert.Equal(HttpStatusCode.OK, (await AsAgency(HttpMethod.Get, $"api/enterprises/{uscc}", uscc)).Status);
        var mine = Assert.Single((await host.GetAsync(enterprise, "api/delegations")).Json().EnumerateArray());
        Assert.Equal("active", mine.GetProperty("state").GetString());
    }

    [Fact]
    public async Task An_institution_delegates_binding_and_the_agency_answers_through_the_form_not_the_signed_link()
    {
        await NewEnterpriseAsync();
        var redB = host.Ids["redB"];
        var inst = SecurityHost.InstDt;
        var granted = await host.PostJsonAsync("instDT", "api/delegations", new { agencyId = AgencyId, actions = new[] { DelegationActions.ViewRecords }, validUntil = Today.ToString("yyyy-MM-dd") });
        Assert.Equal(HttpStatusCode.Created, granted.Status);

        Assert.Equal(HttpStatusCode.OK, (await AsAgency(HttpMethod.Get, $"api/redemptions/{redB}", inst)).Status);
        AssertRefused(await AsAgency(HttpMethod.Post, $"api/redemptions/{redB}/binding", inst, new { round = 99, confirm = true }), DelegationActions.ConfirmBinding, inst);
        AssertRefused(await AsAgency(HttpMethod.Post, "api/applications", inst, new { uscc = host.Ids["usccB"] }), "no action group", "SubmitApplication");

        Assert.Equal(HttpStatusCode.Created, (await host.PostJsonAsync("instDT", "api/delegations", new { agencyId = AgencyId, actions = new[] { DelegationActions.ConfirmBinding, DelegationActions.ViewRecords }, validUntil = Today.ToString("yyyy-MM-dd") })).Status);
        // Allowed through: the handler itself answers (a wrong round changes nothing).
        Assert.Equal(HttpStatusCode.Conflict, (await AsAgency(HttpMethod.Post, $"api/redemptions/{redB}/binding", inst, new { round = 99, confirm = true })).Status);
        var page = (await SendAsync(Agency, HttpMethod.Get, $"portal/redemptions/{redB}", actingFor: inst)).Answer;
        Assert.True(page.Status == HttpStatusCode.OK, page.ToString());
        Assert.Contains($"/portal/redemptions/{redB}/binding", page.Body, StringComparison.Ordinal);
        Assert.DoesNotContain("href=\"/binding/", page.Body, StringComparison.Ordinal);
        // The institution itself still gets its signed link.
        Assert.Contains("href=\"/binding/", (await host.GetAsync("instDT", $"portal/redemptions/{redB}")).Body, StringComparison.Ordinal);
    }

    async Task<List<TableEntity>> RowsAsync(string table, string partitionKey)
    {
        var rows = new List<TableEntity>();
        await foreach (var row in host.Azurite.Tables.GetTableClient(table).QueryAsync<TableEntity>(TableClient.CreateQueryFilter($"PartitionKey eq {partitionKey}")))
        {
            rows.Add(row);
        }

        return rows;
    }

    sealed class PastTime(DateTimeOffset now) : TimeProvider
    {
        public override DateTimeOffset GetUtcNow() => now;
    }
}
