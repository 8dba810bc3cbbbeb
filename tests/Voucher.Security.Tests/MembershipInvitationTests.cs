using System.Text.Json;
using System.Text.RegularExpressions;
using Voucher.Workflows.Accounts;
using Voucher.Workflows.Audit;
using Voucher.Workflows.Portal;

namespace Voucher.Security.Tests;

/// <summary>
/// Invitations over the real local host: the province's administrator invites a city officer; the signed single-use link
/// is refused forged, expired and once used by someone else; accepted, it grants a verified membership the next request
/// acts with. A city's administrator invites only to its own city's bureaus.
/// </summary>
[Collection(SecurityCollection.Name)]
public sealed class MembershipInvitationTests(SecurityHost host)
{
    MembershipStore Memberships => new(host.Store, new AuditLog(host.Store), TimeProvider.System);

    static FormUrlEncodedContent Form(params (string Key, string Value)[] fields) =>
        new(fields.Select(f => new KeyValuePair<string, string>(f.Key, f.Value)));

    async Task<string> InviteAsync(string inviter, string role, string scope, string invitee)
    {
        var created = await host.SendAsync(inviter, HttpMethod.Post, "account/invitations", Form(("role", role), ("scope", scope), ("inviteeName", invitee), ("contact", "13900001111")));
        Assert.True(created.Status == HttpStatusCode.Redirect, created.ToString());
        Assert.Contains("done=", created.Location, StringComparison.Ordinal);
        var page = await host.GetAsync(inviter, created.Location!);
        Assert.Equal(HttpStatusCode.OK, page.Status);
        var match = Regex.Match(page.Body, Regex.Escape(invitee) + ".*?/invite/([A-Za-z0-9_.-]+)<", RegexOptions.Singleline);
        Assert.True(match.Success, "the members page shows the invitation's link");
        return match.Groups[1].Value;
    }

    static JsonElement Claims(string token)
    {
        var payload = token.Split('.')[1].Replace('-', '+').Replace('_', '/');
        payload += new string('=', (4 - payload.Length % 4) % 4);
        return JsonDocument.Parse(Convert.FromBase64String(payload)).RootElement.Clone();
    }

    [Fact]
    public async Task Invitations_forged_expired_and_replayed_are_refused_and_an_accepted_one_grants_the_membership()
    {
        var invitee = "受邀科员-" + Guid.NewGuid().ToString("N")[..6];
        var token = await InviteAsync("prov", "city-bureau", "datong", invitee);

        // Opened before signing in: what it is, and a way to sign in and come back.
        var anonymous = await host.GetAsync("anon", "invite/" + token);
        Assert.Equal(HttpStatusCode.OK, anonymous.Status);
        Assert.Contains("大同市科技局", anonymous.Body, StringComparison.Ordinal);
        Assert.Contains("登录后接受邀请", anonymous.Body, StringComparison.Ordinal);

        var person = new Visitor(host);
        await person.SignInAsync(("role", AuthPages.NoRole), ("name", invitee), ("person", invitee));
        Assert.Equal(HttpStatusCode.Forbidden, (await person.GetAsync("portal/objections")).Status);

        // Forged: one character of the signature changed.
        var forged = token[..^1] + (token[^1] == 'A' ? 'B' : 'A');
        foreach (var answer in new[] { await person.GetAsync("invite/" + forged), await person.PostFormAsync($"invite/{forged}/accept") })
        {
            Assert.Equal(HttpStatusCode.BadRequest, answer.Status);
            Assert.Contains(InvitationService.Forged, answer.Body, StringComparison.Ordinal);
        }

        // Expired: the same invitation, signed with an expiry in the past.
        var claims = Claims(token);
        var expired = host.Signer.Sign(new LinkClaims(claims.GetProperty("i").GetString()!, InvitationService.Action, claims.GetProperty("p").GetString()!, 1, DateTimeOffset.UtcNow.AddMinutes(-1).ToUnixTimeSeconds()));
        foreach (var answer in new[] { await person.GetAsync("invite/" + expired), await person.PostFormAsync($"invite/{expired}/accept") })
        {
            Assert.Equal(HttpStatusCode.Gone, answer.Status);
            Assert.Contains(InvitationService.Expired, answer.Body, StringComparison.Ordinal);
        }

        Assert.Empty(await Memberships.OfPersonAsync(person.Subject!, default));

        // Accepted: a verified Datong officer from the next request on (not the administrator: Datong has one).
        var page = await person.GetAsync("invite/" + token);
        Assert.Equal(HttpStatusCode.OK, page.Status);
        Assert.Contains("接受邀请", page.Body, StringComparison.Ordinal);
        var accepted = await person.PostFormAsync($"invite/{token}/accept");
        Assert.Equal(HttpStatusCode.Redirect, accepted.Status);
        Assert.StartsWith("/account?done=", accepted.Location, StringComparison.Ordinal);
        var membership = Assert.Single(await Memberships.OfPersonAsync(person.Subject!, default));
        Assert.Equal((Role.CityBureau, "datong", MembershipState.Verified, false), (membership.Role, membership.Scope, membership.State, membership.Administrator));
        Assert.Equal(HttpStatusCode.OK, (await person.GetAsync("portal/objections")).Status);
        Assert.Equal(HttpStatusCode.OK, (await person.GetAsync($"api/settlements/{host.Ids["batchDT"]}")).Status);
        Assert.Equal(HttpStatusCode.NotFound, (await person.GetAsync($"api/settlements/{host.Ids["batchTY"]}")).Status);

        // Replayed by someone else: refused, and nothing granted.
        var other = new Visitor(host);
        await other.SignInAsync(("role", AuthPages.NoRole), ("name", "第二人"), ("person", invitee + "-other"));
        foreach (var answer in new[] { await other.PostFormAsync($"invite/{token}/accept"), await other.GetAsync("invite/" + token) })
        {
            Assert.Equal(HttpStatusCode.Gone, answer.Status);
            Assert.Contains(InvitationService.Used, answer.Body, StringComparison.Ordinal);
        }

        Assert.Empty(await Memberships.OfPersonAsync(other.Subject!, default));

        // The inviter sees it accepted, by whom.
        var members = await host.GetAsync("prov", "account/members?role=city-bureau&scope=datong");
        Assert.Contains("已接受：" + invitee, members.Body, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_withdrawn_invitation_is_refused_as_a_used_one_and_listed_as_withdrawn()
    {
        var invitee = "撤回受邀人-" + Guid.NewGuid().ToString("N")[..6];
        var token = await InviteAsync("prov", "city-bureau", "datong", invitee);
        var id = Claims(token).GetProperty("i").GetString()!;

        // Another city's administrator cannot withdraw it (answered as a missing one); nor can a missing id be.
        var foreign = await host.SendAsync("cityTY", HttpMethod.Post, $"account/invitations/{id}/withdrawal", Form(("role", "city-bureau"), ("scope", "datong")));
        Assert.Equal(HttpStatusCode.NotFound, foreign.Status);

        var withdrawn = await host.SendAsync("prov", HttpMethod.Post, $"account/invitations/{id}/withdrawal", Form(("role", "city-bureau"), ("scope", "datong")));
        Assert.Equal(HttpStatusCode.Redirect, withdrawn.Status);
        Assert.Contains("done=", withdrawn.Location, StringComparison.Ordinal);
        var members = await host.GetAsync("prov", "account/members?role=city-bureau&scope=datong");
        Assert.Matches(Regex.Escape(invitee) + "[^<]*</td>\\s*<td[^>]*>已撤回", members.Body);
        Assert.DoesNotContain("/invite/" + token, members.Body, StringComparison.Ordinal);

        // The link now answers exactly as a used one, before and after signing in; nothing is granted.
        var person = new Visitor(host);
        await person.SignInAsync(("role", AuthPages.NoRole), ("name", invitee), ("person", invitee));
        foreach (var answer in new[] { await host.GetAsync("anon", "invite/" + token), await person.GetAsync("invite/" + token), await person.PostFormAsync($"invite/{token}/accept") })
        {
            Assert.Equal(HttpStatusCode.Gone, answer.Status);
            Assert.Contains(InvitationService.Used, answer.Body, StringComparison.Ordinal);
        }

        Assert.Empty(await Memberships.OfPersonAsync(person.Subject!, default));

        // Withdrawn again changes nothing; an accepted invitation cannot be withdrawn.
        Assert.Equal(HttpStatusCode.Redirect, (await host.SendAsync("prov", HttpMethod.Post, $"account/invitations/{id}/withdrawal", Form(("role", "city-bureau"), ("scope", "datong")))).Status);
        var acceptedInvitee = "已接受受邀人-" + Guid.NewGuid().ToString("N")[..6];
        var acceptedToken = await InviteAsync("prov", "city-bureau", "datong", acceptedInvitee);
        var acceptor = new Visitor(host);
        await acceptor.SignInAsync(("role", AuthPages.NoRole), ("name", acceptedInvitee), ("person", acceptedInvitee));
        Assert.Equal(HttpStatusCode.Redirect, (await acceptor.PostFormAsync($"invite/{acceptedToken}/accept")).Status);
        var late = await host.SendAsync("prov", HttpMethod.Post, $"account/invitations/{Claims(acceptedToken).GetProperty("i").GetString()}/withdrawal", Form(("role", "city-bureau"), ("scope", "datong")));
        Assert.Equal(HttpStatusCode.Conflict, late.Status);
        Assert.Equal(MembershipState.Verified, Assert.Single(await Memberships.OfPersonAsync(acceptor.Subject!, default)).State);
    }

    [Fact]
    public async Task A_city_administrator_invites_only_its_own_citys_bureau_staff_and_others_may_not_invite()
    {
        var province = await host.SendAsync("cityTY", HttpMethod.Post, "account/invitations", Form(("role", "province"), ("scope", ""), ("inviteeName", "越权受邀人")));
        Assert.Equal(HttpStatusCode.BadRequest, province.Status);
        Assert.Contains("请选择可邀请的身份", province.Body, StringComparison.Ordinal);
        Assert.Contains("越权受邀人", province.Body, StringComparison.Ordinal);

        // The scope typed is ignored: a Taiyuan administrator's invitation is for Taiyuan.
        var invitee = "太原财政受邀人-" + Guid.NewGuid().ToString("N")[..6];
        var token = await InviteAsync("cityTY", "finance-bureau", "datong", invitee);
        Assert.Equal("party|finance-bureau|taiyuan", Claims(token).GetProperty("p").GetString());

        Assert.Equal(HttpStatusCode.Forbidden, (await host.SendAsync("finTY", HttpMethod.Post, "account/invitations", Form(("role", "finance-bureau"), ("scope", "taiyuan"), ("inviteeName", "某人")))).Status);
        Assert.Equal(HttpStatusCode.Forbidden, (await host.SendAsync("entA", HttpMethod.Post, "account/invitations", Form(("role", "city-bureau"), ("scope", "taiyuan"), ("inviteeName", "某人")))).Status);
    }
}
