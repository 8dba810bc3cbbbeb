using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging.Abstractions;
using Moq;
using Voucher.Testing;
using Voucher.Workflows.Accounts;
using Voucher.Workflows.Audit;
using Voucher.Workflows.Security;
using Voucher.Workflows.Storage;
using Voucher.Workflows.Tests.Support;

namespace Voucher.Workflows.Tests.Accounts;

/// <summary>
/// The principal of a request, from the person's active membership on Azurite: the cookie's membership when it is the
/// person's own and acts, else the first acting one; read from storage once and then from this host's cache until a
/// change evicts it; an Entra ID token's app role granted once (a revocation sticks).
/// </summary>
[Collection(AzuriteCollection.Name)]
public sealed class MembershipPrincipalsTests(AzuriteFixture azurite)
{
    static HttpContext Request(string? activeCookie = null)
    {
        var http = new DefaultHttpContext();
        if (activeCookie is not null)
        {
            http.Request.Headers.Cookie = $"{MembershipPrincipals.ActiveCookie}={activeCookie}";
        }

        return http;
    }

    static MembershipPrincipals Principals(MembershipStore store, SignedInIdentity? identity)
    {
        var source = new Mock<IPrincipalSource>();
        source.Setup(s => s.Read(It.IsAny<HttpRequest>())).Returns(identity);
        return new MembershipPrincipals(source.Object, store, NullLogger<MembershipPrincipals>.Instance);
    }

    async Task<MembershipStore> NewAsync()
    {
        var store = await StoreFactory.NewAsync(azurite);
        return new MembershipStore(store, new AuditLog(store), TimeProvider.System);
    }

    [Fact]
    public async Task The_cookie_picks_the_persons_own_acting_membership_a_foreign_or_revoked_one_falls_back()
    {
        var store = await NewAsync();
        var uscc = TestUscc.New("taiyuan");
        var bureau = await store.GrantAsync("p-1", Role.CityBureau, "taiyuan", false, "test", default);
        var enterprise = await store.RequestAsync("p-1", Role.Enterprise, uscc, "p-1", default);
        var foreign = await store.GrantAsync("p-2", Role.Province, null, true, "test", default);
        var me = new SignedInIdentity("p-1", "王芳", null);

        var chosen = await Principals(store, me).ResolveAsync(Request(enterprise.Id));
        Assert.Equal((Role.Enterprise, uscc, enterprise.Id, false), (chosen!.Principal!.Role, chosen.Principal.Scope, chosen.Principal.MembershipId, chosen.Principal.Verified));
        Assert.Equal(("p-1", "王芳"), (chosen.Principal.UserId, chosen.Principal.DisplayName));

        // Someone else's membership id: ignored; the first acting membership is the verified one, and the cookie now names it.
        var http = Request(foreign.Id);
        var fallback = await Principals(store, me).ResolveAsync(http);
        Assert.Equal((Role.CityBureau, bureau.Id, true), (fallback!.Principal!.Role, fallback.Principal.MembershipId, fallback.Principal.Verified));
        Assert.Contains($"{MembershipPrincipals.ActiveCookie}={bureau.Id}", http.Response.Headers.SetCookie.ToString(), StringComparison.Ordinal);

        // Revoked: the next request acts as the remaining claim; rejected too: signed in, but no principal.
        await store.GrantAsync("p-3", Role.CityBureau, "taiyuan", true, "test", default);
        await store.RevokeAsync(bureau.Id, "city-bureau:taiyuan", "调岗", default);
        Assert.Equal(enterprise.Id, (await Principals(store, me).ResolveAsync(Request(bureau.Id)))!.Principal!.MembershipId);
        await store.RejectAsync(enterprise.Id, "city-bureau:taiyuan", "材料不符", default);
        var none = await Principals(store, me).ResolveAsync(Request(enterprise.Id));
        Assert.NotNull(none);
        Assert.Null(none.Principal);
        Assert.Null(await Principals(store, null).ResolveAsync(Request()));
    }

    [Fact]
    public async Task The_first_request_reads_the_persons_memberships_once_later_ones_read_nothing_until_a_change()
    {
        var (table, metrics) = await StoreFactory.NewCountedAsync(azurite);
        var store = new MembershipStore(table, new AuditLog(table), TimeProvider.System);
        var granted = await store.GrantAsync("p-9", Role.Expert, "expert-9", true, "test", default);
        var principals = Principals(store, new SignedInIdentity("p-9", "赵专家", null));

        // One partition query for the first request; none for the next ones (this host's cache), cookie or not.
        Assert.Equal(1, await StoreFactory.TableCallsAsync(metrics, () => principals.ResolveAsync(Request(granted.Id))));
        Assert.Equal(0, await StoreFactory.TableCallsAsync(metrics, () => principals.ResolveAsync(Request())));
        Assert.Equal(0, await StoreFactory.TableCallsAsync(metrics, () => principals.ResolveAsync(Request("../../x"))));
        Assert.Equal(0, await StoreFactory.TableCallsAsync(metrics, () => principals.ResolveAsync(Request(granted.Id))));

        // A change through this host's store evicts the person: the next request reads again and sees it.
        await store.GrantAsync("p-10", Role.Expert, "expert-9", true, "test", default);
        await store.RevokeAsync(granted.Id, "expert:expert-9", "离任", default);
        SignedIn? after = null;
        Assert.Equal(1, await StoreFactory.TableCallsAsync(metrics, async () => after = await principals.ResolveAsync(Request(granted.Id))));
        Assert.Null(after!.Principal);
    }

    [Fact]
    public async Task An_Entra_ID_app_role_is_granted_once_and_a_revocation_sticks()
    {
        var store = await NewAsync();
        var subject = "oid-" + Guid.NewGuid().ToString("N");
        var token = new SignedInIdentity(subject, "李四", "13900000003") { ClaimedRoles = [(Role.Province, null), (Role.FinanceBureau, "datong")] };

        var first = await Principals(store, token).ResolveAsync(Request());
        Assert.NotNull(first!.Principal);
        var granted = await store.OfPersonAsync(subject, default);
        Assert.Equal(2, granted.Count);
        Assert.All(granted, m => Assert.Equal((MembershipState.Verified, MembershipPrincipals.TokenGrant), (m.State, m.ChangedBy)));
        Assert.Equal("13900000003", (await store.FindPersonAsync(subject, default))!.Phone);

        // A second administrator of the province, then the token's province membership is revoked: it stays revoked.
        var province = granted.Single(m => m.Role == Role.Province);
        await store.GrantAsync("another", Role.Province, null, true, "test", default);
        await store.RevokeAsync(province.Id, "province", "离职", default);
        var next = await Principals(store, token).ResolveAsync(Request(province.Id));
        Assert.Equal(Role.FinanceBureau, next!.Principal!.Role);
        Assert.Equal(MembershipState.Revoked, (await store.FindAsync(province.Id, default))!.State);
    }
}
