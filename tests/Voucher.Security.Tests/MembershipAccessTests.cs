using System.Text.RegularExpressions;
using Voucher.Workflows.Accounts;
using Voucher.Workflows.Audit;
using Voucher.Workflows.Http;
using Voucher.Workflows.Portal;

namespace Voucher.Security.Tests;

/// <summary>
/// The principal is built from the person's active membership (the host's cache of it, evicted by the host's own
/// changes at once and by the change feed for other hosts'), over the real local host: a pending claim fills in the
/// profile but does not apply; a revoked officer is refused on the very next request; an
/// officer of one city cannot act in another; a person with two memberships acts only as the active one, and switching
/// (or a forged membership cookie) changes only what it may; a person without a membership is told so.
/// </summary>
[Collection(SecurityCollection.Name)]
public sealed partial class MembershipAccessTests(SecurityHost host)
{
    const string BureauOnlyPage = "portal/objections";

    MembershipStore Memberships => new(host.Store, new AuditLog(host.Store), TimeProvider.System);

    [Fact]
    public async Task A_pending_enterprise_person_fills_in_the_profile_but_cannot_apply_until_verified()
    {
        var uscc = TestUscc.New("taiyuan");
        var person = new Visitor(host);
        await person.SignInAsync(("role", "enterprise"), ("scope", uscc), ("name", "待审经办人"), ("pending", "1"));
        var membership = Assert.Single(await Memberships.OfPersonAsync(person.Subject!, default));
        Assert.Equal((MembershipState.Pending, uscc), (membership.State, membership.Scope));

        Assert.Equal(HttpStatusCode.Created, (await person.PostJsonAsync("api/enterprises", SecurityHost.Registration(uscc, "待审核测试科技有限公司", "taiyuan", "孙联系", "13903510077"))).Status);
        Assert.Equal(HttpStatusCode.OK, (await person.GetAsync("portal/profile")).Status);

        var api = await person.PostJsonAsync("api/applications", new { uscc });
        Assert.Equal(HttpStatusCode.Forbidden, api.Status);
        Assert.Contains(HttpDispatcher.PageText.PendingApi, api.Body, StringComparison.Ordinal);
        var page = await person.PostFormAsync("portal/apply", ("uscc", uscc));
        Assert.Equal(HttpStatusCode.Forbidden, page.Status);
        Assert.Contains(HttpDispatcher.PageText.Pending(Role.Enterprise), page.Body, StringComparison.Ordinal);
        Assert.Contains("待审核", (await person.GetAsync("account")).Body, StringComparison.Ordinal);

        // Verified by the city (the onboarding work list's act), here through another host's store (this test process's):
        // the local host learns it from the membership change feed within about a second, and the person applies.
        var verified = await Memberships.VerifyAsync(membership.Id, "city-bureau:taiyuan", default);
        Assert.True(verified.Administrator);
        var applied = await Eventually.UntilAsync(() => person.PostJsonAsync("api/applications", new { uscc }), a => a.Status != HttpStatusCode.Forbidden,
            TimeSpan.FromSeconds(5), "the host sees the verification made by another host");
        Assert.Equal(HttpStatusCode.Accepted, applied.Status);
    }

    [Fact]
    public async Task A_person_without_a_membership_applies_for_an_institution_fills_in_its_profile_and_confirms_only_once_the_province_verified()
    {
        var person = new Visitor(host);
        await person.SignInAsync(("role", AuthPages.NoRole), ("name", "机构申请人"), ("person", "inst-applicant-" + Guid.NewGuid().ToString("N")));
        var code = "SXI-" + Guid.NewGuid().ToString("N")[..8].ToUpperInvariant();
        var institutionId = "inst-" + code.ToLowerInvariant();

        // Before: no institution route opens (the only way to an institution role is a membership).
        Assert.Equal(HttpStatusCode.Forbidden, (await person.GetAsync("portal/institution")).Status);

        var form = await person.GetAsync("portal/claims?kind=institution");
        Assert.Contains("登记或认领服务机构", form.Body, StringComparison.Ordinal);
        var applied = await person.SendAsync(HttpMethod.Post, "portal/claims", new MultipartFormDataContent
        {
            { new StringContent("institution"), "kind" },
            { new StringContent(code), "uscc" },
            { new StringContent("山西安全测试研究院"), "enterpriseName" },
            { new StringContent("taiyuan"), "cityCode" },
            { new ByteArrayContent(TestFiles.Pdf("licence")), "licence", "licence.pdf" },
            { new ByteArrayContent(TestFiles.Pdf("letter")), "letter", "letter.pdf" },
        });
        Assert.Equal(HttpStatusCode.Redirect, applied.Status);
        var claimId = applied.Location!.Split('?')[0].Split('/')[^1];
        var membership = Assert.Single(await Memberships.OfPersonAsync(person.Subject!, default));
        Assert.Equal((Role.Institution, institutionId, MembershipState.Pending), (membership.Role, membership.Scope, membership.State));

        // Pending: the home says so, the profile may be filled in (it registers the institution), confirming is refused.
        Assert.Contains("待审核", (await person.GetAsync("")).Body, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.Redirect, (await person.PostFormAsync("portal/institution/profile", ("name", "山西安全测试研究院"), ("type", "research-institute"), ("cityCode", "taiyuan"),
            ("code", code), ("sharingPlatformId", "SX-OSP-9001"), ("contactName", "机构申请人"), ("contactPhone", "13903510099"), ("introduction", ""))).Status);
        var bind = await person.PostJsonAsync($"api/redemptions/{host.Ids["redA"]}/binding", new { decision = "accept" });
        Assert.Equal(HttpStatusCode.Forbidden, bind.Status);
        Assert.Contains(HttpDispatcher.PageText.PendingApi, bind.Body, StringComparison.Ordinal);

        // A city bureau is not its reviewer; the province is.
        Assert.Equal(HttpStatusCode.NotFound, (await host.GetAsync("cityTY", $"portal/work/claims/{claimId}")).Status);
        Assert.Contains("山西安全测试研究院", (await host.GetAsync("prov", "portal/work/claims")).Body, StringComparison.Ordinal);
        var decided = await host.SendAsync("prov", HttpMethod.Post, $"portal/work/claims/{claimId}/decision", Form(("decision", "verify")));
        Assert.True(decided.Status is HttpStatusCode.Redirect or HttpStatusCode.SeeOther, decided.ToString());

        // Verified with its institution: the next request acts as the institution's administrator.
        var after = Assert.Single(await Memberships.OfPersonAsync(person.Subject!, default));
        Assert.Equal((MembershipState.Verified, true), (after.State, after.Administrator));
        Assert.Equal(Voucher.Domain.InstitutionStatus.Verified, (await new Voucher.Workflows.Marketplace.CatalogueStore(host.Store, TimeProvider.System).GetInstitutionAsync(institutionId, default))!.Status);
        Assert.Equal(HttpStatusCode.OK, (await person.GetAsync("portal/institution/demands")).Status);
        var bound = await person.PostJsonAsync($"api/redemptions/{host.Ids["redA"]}/binding", new { decision = "accept" });
        Assert.DoesNotContain(HttpDispatcher.PageText.PendingApi, bound.Body, StringComparison.Ordinal);
        Assert.NotEqual(HttpStatusCode.Forbidden, bound.Status);
    }

    [Fact]
    public async Task An_enterprise_adds_people_on_its_page_and_removes_them_in_the_one_members_page()
    {
        var uscc = host.Ids["usccA"];
        var colleague = new Visitor(host);
        var name = "企业同事" + Guid.NewGuid().ToString("N")[..4];
        await colleague.SignInAsync(("role", AuthPages.NoRole), ("name", name), ("person", "colleague-" + Guid.NewGuid().ToString("N")));
        var number = Regex.Match((await colleague.GetAsync("portal/claims")).Body, "account-number-value[^>]*>([0-9]{10})<").Groups[1].Value;
        Assert.Equal(10, number.Length);

        // Added by enterprise A's administrator on /portal/members; the page's removal links to the one members page.
        Assert.Equal(HttpStatusCode.Redirect, (await host.SendAsync("entA", HttpMethod.Post, "portal/members", Form(("accountNumber", number)))).Status);
        var page = await host.GetAsync("entA", "portal/members");
        Assert.Contains(name, page.Body, StringComparison.Ordinal);
        var onePlace = MembersModel.MembersPath(Role.Enterprise, uscc);
        Assert.Contains($"href=\"{onePlace.Replace("&", "&amp;", StringComparison.Ordinal)}\"", page.Body, StringComparison.Ordinal);
        Assert.DoesNotContain("/removal", page.Body, StringComparison.Ordinal);
        var membership = Assert.Single(await Memberships.OfPersonAsync(colleague.Subject!, default));

        // The old removal form's address sends the browser there and removes nobody.
        var old = await host.SendAsync("entA", HttpMethod.Post, $"portal/members/{membership.Id}/removal", Form());
        Assert.Equal((HttpStatusCode.Redirect, onePlace), (old.Status, old.Location));
        Assert.Equal(MembershipState.Verified, (await Memberships.FindAsync(membership.Id, default))!.State);

        // The members page lists the enterprise's people and removes with a reason.
        Assert.Contains(name, (await host.GetAsync("entA", onePlace)).Body, StringComparison.Ordinal);
        var removed = await host.SendAsync("entA", HttpMethod.Post, $"account/members/{membership.Id}/revoke", Form(("reason", "离职")));
        Assert.Equal(HttpStatusCode.Redirect, removed.Status);
        Assert.Equal(MembershipState.Revoked, (await Memberships.FindAsync(membership.Id, default))!.State);
    }

    [Fact]
    public async Task A_revoked_officer_is_refused_on_the_very_next_request_and_the_last_administrator_stays()
    {
        var officer = new Visitor(host);
        await officer.SignInAsync(("role", "city-bureau"), ("scope", "taiyuan"), ("name", "撤销测试科员"));
        Assert.Equal(HttpStatusCode.OK, (await officer.GetAsync(BureauOnlyPage)).Status);
        var membership = Assert.Single(await Memberships.OfPersonAsync(officer.Subject!, default));
        Assert.False(membership.Administrator);

        // The Taiyuan administrator (the matrix's cityTY, the party's first member) revokes through the members page.
        var members = await host.GetAsync("cityTY", "account/members");
        Assert.Equal(HttpStatusCode.OK, members.Status);
        Assert.Contains("撤销测试科员", members.Body, StringComparison.Ordinal);
        var revoked = await host.SendAsync("cityTY", HttpMethod.Post, $"account/members/{membership.Id}/revoke", Form(("reason", "调离岗位")));
        Assert.Equal(HttpStatusCode.Redirect, revoked.Status);
        Assert.Contains("done=", revoked.Location, StringComparison.Ordinal);

        var next = await officer.GetAsync(BureauOnlyPage);
        Assert.Equal(HttpStatusCode.Forbidden, next.Status);
        Assert.Contains(HttpDispatcher.PageText.NoMembership, next.Body, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.Forbidden, (await officer.GetAsync("api/settlements/" + host.Ids["batchTY"])).Status);
        Assert.Contains("已撤销", (await officer.GetAsync("account")).Body, StringComparison.Ordinal);

        // The Datong administrator may not remove itself: the message stands by the member, nothing changes.
        var self = host.Ids["memberDT"] = MembershipKeys.IdOf(AuthPages.DevelopmentSubject("city-bureau|datong|cityDT"), Role.CityBureau, "datong");
        var refused = await host.SendAsync("cityDT", HttpMethod.Post, $"account/members/{self}/revoke", Form(("reason", "离职")));
        Assert.Equal(HttpStatusCode.UnprocessableEntity, refused.Status);
        Assert.Contains(System.Net.WebUtility.HtmlEncode(MembershipStore.LastAdministratorRefusal), refused.Body, StringComparison.Ordinal);
        Assert.Contains($"id=\"reason-{self}-error\"", refused.Body, StringComparison.Ordinal);
        Assert.Equal(MembershipState.Verified, (await Memberships.FindAsync(self, default))!.State);
        Assert.Equal(HttpStatusCode.OK, (await host.GetAsync("cityDT", BureauOnlyPage)).Status);
    }

    [Fact]
    public async Task An_officer_of_one_city_cannot_act_in_another()
    {
        var datong = new Visitor(host);
        await datong.SignInAsync(("role", "city-bureau"), ("scope", "datong"), ("name", "大同科员"));
        Assert.Equal(HttpStatusCode.NotFound, (await datong.GetAsync($"api/applications/{host.Ids["appA"]}")).Status);
        Assert.Equal(HttpStatusCode.NotFound, (await datong.GetAsync($"api/settlements/{host.Ids["batchTY"]}")).Status);
        Assert.Equal(HttpStatusCode.OK, (await datong.GetAsync($"api/settlements/{host.Ids["batchDT"]}")).Status);
        // Nor manage another city's members or invite to it.
        Assert.Equal(HttpStatusCode.Forbidden, (await host.GetAsync("cityDT", "account/members?role=city-bureau&scope=taiyuan")).Status);
    }

    [Fact]
    public async Task A_person_with_two_memberships_acts_only_as_the_active_one_and_switching_changes_it()
    {
        var uscc = TestUscc.New("taiyuan");
        var person = new Visitor(host);
        await person.SignInAsync(("role", "city-bureau"), ("scope", "taiyuan"), ("name", "双重身份"), ("person", "dual-" + uscc));
        var bureau = person.Cookie(MembershipPrincipals.ActiveCookie)!;
        await person.SignInAsync(("role", "enterprise"), ("scope", uscc), ("name", "双重身份"), ("person", "dual-" + uscc));
        var enterprise = person.Cookie(MembershipPrincipals.ActiveCookie)!;
        Assert.NotEqual(bureau, enterprise);
        Assert.Equal(2, (await Memberships.OfPersonAsync(person.Subject!, default)).Count);

        // Acting as the enterprise: the bureau's page is refused, the enterprise's own open.
        Assert.Equal(HttpStatusCode.Forbidden, (await person.GetAsync(BureauOnlyPage)).Status);
        Assert.Equal(HttpStatusCode.OK, (await person.GetAsync("portal/profile")).Status);

        // The header offers both; switching to the bureau changes what the person may do on the next request.
        var home = await person.GetAsync("");
        Assert.Equal(2, SwitchOptions().Matches(home.Body.Split("id=\"membership-switch-phone\"")[0]).Count);
        Assert.Contains("太原市科技局", home.Body, StringComparison.Ordinal);
        var switched = await person.PostFormAsync("account/membership", ("membership", bureau));
        Assert.Equal(HttpStatusCode.Redirect, switched.Status);
        Assert.Equal(bureau, person.Cookie(MembershipPrincipals.ActiveCookie));
        Assert.Equal(HttpStatusCode.OK, (await person.GetAsync(BureauOnlyPage)).Status);
        Assert.Equal(HttpStatusCode.Forbidden, (await person.GetAsync("portal/profile")).Status);

        // Another person's membership id cannot be switched to, and as a cookie it is ignored: the person acts as their own.
        var other = host.Ids["memberTY"];
        var refused = await person.PostFormAsync("account/membership", ("membership", other));
        Assert.Contains("error=", refused.Location, StringComparison.Ordinal);
        var intruder = new Visitor(host);
        await intruder.SignInAsync(("role", "enterprise"), ("scope", TestUscc.New("taiyuan")), ("name", "冒用者"));
        intruder.SetCookie(MembershipPrincipals.ActiveCookie, other);
        Assert.Equal(HttpStatusCode.Forbidden, (await intruder.GetAsync(BureauOnlyPage)).Status);
        Assert.Equal(HttpStatusCode.OK, (await intruder.GetAsync("portal/profile")).Status);
        Assert.NotEqual(other, intruder.Cookie(MembershipPrincipals.ActiveCookie));
    }

    [Fact]
    public async Task A_person_without_a_membership_is_told_so_and_sees_their_account()
    {
        var person = new Visitor(host);
        await person.SignInAsync(("role", AuthPages.NoRole), ("name", "无身份访客"), ("person", "bare-" + Guid.NewGuid().ToString("N")));
        Assert.NotNull(person.Subject);
        var refused = await person.GetAsync(BureauOnlyPage);
        Assert.Equal(HttpStatusCode.Forbidden, refused.Status);
        Assert.Contains(HttpDispatcher.PageText.NoMembership, refused.Body, StringComparison.Ordinal);
        Assert.Contains("href=\"/account\"", refused.Body, StringComparison.Ordinal);
        var api = await person.PostJsonAsync("api/applications", new { uscc = host.Ids["usccA"] });
        Assert.Equal(HttpStatusCode.Forbidden, api.Status);
        var account = await person.GetAsync("account");
        Assert.Equal(HttpStatusCode.OK, account.Status);
        Assert.Contains("无身份访客", account.Body, StringComparison.Ordinal);
        Assert.Contains("您还没有任何身份", account.Body, StringComparison.Ordinal);
    }

    static FormUrlEncodedContent Form(params (string Key, string Value)[] fields) =>
        new(fields.Select(f => new KeyValuePair<string, string>(f.Key, f.Value)));

    [GeneratedRegex("<option value=\"[0-9a-f]{20}\"")]
    private static partial Regex SwitchOptions();
}

/// <summary>A browser of its own on the security host: its cookies (the sign-in and the active membership) kept as a browser keeps them.</summary>
internal sealed class Visitor(SecurityHost host)
{
    readonly Dictionary<string, string> cookies = new(StringComparer.Ordinal);

    /// <summary>The person's subject, read back from the development cookie's identity.</summary>
    public string? Subject { get; private set; }

    public async Task SignInAsync(params (string Key, string Value)[] fields)
    {
        var answer = await SendAsync(HttpMethod.Post, "dev/signin", new FormUrlEncodedContent(fields.Select(f => new KeyValuePair<string, string>(f.Key, f.Value))));
        Assert.True(answer.Status == HttpStatusCode.Redirect, $"sign-in answered {answer}");
        var role = fields.First(f => f.Key == "role").Value;
        var person = fields.FirstOrDefault(f => f.Key == "person").Value;
        var name = fields.FirstOrDefault(f => f.Key == "name").Value ?? "";
        var scope = fields.FirstOrDefault(f => f.Key == "scope").Value ?? "";
        Subject = AuthPages.DevelopmentSubject(person is { Length: > 0 } ? person : role == AuthPages.NoRole ? "none|" + name : $"{role}|{scope}|{name}");
    }

    public string? Cookie(string name) => cookies.GetValueOrDefault(name);

    public void SetCookie(string name, string value) => cookies[name] = value;

    public Task<Answer> GetAsync(string path) => SendAsync(HttpMethod.Get, path);

    public Task<Answer> PostJsonAsync(string path, object body) => SendAsync(HttpMethod.Post, path, JsonContent.Create(body));

    public Task<Answer> PostFormAsync(string path, params (string Key, string Value)[] fields) =>
        SendAsync(HttpMethod.Post, path, new FormUrlEncodedContent(fields.Select(f => new KeyValuePair<string, string>(f.Key, f.Value))));

    public async Task<Answer> SendAsync(HttpMethod method, string path, HttpContent? content = null)
    {
        using var request = new HttpRequestMessage(method, path.TrimStart('/')) { Content = content };
        if (cookies.Count > 0)
        {
            request.Headers.Add("Cookie", string.Join("; ", cookies.Select(c => c.Key + "=" + c.Value)));
        }

        using var response = await host.Http.SendAsync(request);
        if (response.Headers.TryGetValues("Set-Cookie", out var set))
        {
            foreach (var header in set)
            {
                var pair = header.Split(';')[0];
                var eq = pair.IndexOf('=', StringComparison.Ordinal);
                var (cookie, value) = (pair[..eq], pair[(eq + 1)..]);
                if (value.Length == 0 || header.Contains("expires=Thu, 01 Jan 1970", StringComparison.OrdinalIgnoreCase))
                {
                    cookies.Remove(cookie);
                }
                else
                {
                    cookies[cookie] = value;
                }
            }
        }

        return new Answer(response.StatusCode, await response.Content.ReadAsStringAsync(), response.Headers.Location?.ToString(), response.Content.Headers.ContentType?.MediaType);
    }
}
