using Microsoft.Extensions.Time.Testing;
using Voucher.Domain;
using Voucher.Testing;
using Voucher.Workflows.Accounts;
using Voucher.Workflows.Audit;
using Voucher.Workflows.Security;
using Voucher.Workflows.Storage;
using Voucher.Workflows.Tests.Support;

namespace Voucher.Workflows.Tests.Accounts;

/// <summary>The membership store on Azurite: idempotent grants and claims, the first verified member as administrator, the last administrator kept, the party index.</summary>
[Collection(AzuriteCollection.Name)]
public sealed class MembershipStoreTests(AzuriteFixture azurite)
{
    readonly FakeTimeProvider time = new(new DateTimeOffset(2026, 12, 6, 1, 0, 0, TimeSpan.Zero));

    async Task<(VoucherStore Store, MembershipStore Memberships)> NewAsync()
    {
        var store = await StoreFactory.NewAsync(azurite);
        return (store, new MembershipStore(store, new AuditLog(store), time));
    }

    [Fact]
    public async Task Grant_twice_is_one_membership_listed_for_the_person_and_the_party_and_audited_once()
    {
        var (store, memberships) = await NewAsync();
        var person = await memberships.EnsurePersonAsync("oidc|a/b#1", "王芳", "13900000001", default);
        Assert.Equal(("oidc|a/b#1", "王芳", "13900000001"), (person.Subject, person.Name, person.Phone));

        var first = await memberships.GrantAsync("oidc|a/b#1", Role.CityBureau, "taiyuan", true, "province", default);
        time.Advance(TimeSpan.FromMinutes(1));
        var again = await memberships.GrantAsync("oidc|a/b#1", Role.CityBureau, "taiyuan", false, "province", default);

        Assert.Equal(first, again);
        Assert.Equal(MembershipKeys.IdOf("oidc|a/b#1", Role.CityBureau, "taiyuan"), first.Id);
        Assert.True(MembershipKeys.IsIdShape(first.Id));
        Assert.Equal((MembershipState.Verified, true), (first.State, first.Administrator));
        Assert.Equal(first, Assert.Single(await memberships.OfPersonAsync("oidc|a/b#1", default)));
        Assert.Equal(first, Assert.Single(await memberships.OfPartyAsync(Role.CityBureau, "taiyuan", default)));
        Assert.Empty(await memberships.OfPartyAsync(Role.CityBureau, "datong", default));
        Assert.Equal(first, await memberships.FindAsync(first.Id, default));
        Assert.Null(await memberships.FindOfPersonAsync("someone-else", first.Id, default));
        Assert.Null(await memberships.FindAsync("not-an-id", default));

        var trail = Assert.Single(await new AuditLog(store).ReadAsync(MembershipKeys.AuditSubject(first.Id)));
        Assert.Equal(("", "Verified", "province"), (trail.FromState, trail.ToState, trail.Actor));

        // The person's name follows the provider; a sign-in without a phone keeps the verified one.
        var renamed = await memberships.EnsurePersonAsync("oidc|a/b#1", "王芳芳", null, default);
        Assert.Equal(("王芳芳", "13900000001", person.FirstSeen), (renamed.Name, renamed.Phone, renamed.FirstSeen));
    }

    [Fact]
    public async Task The_first_verified_member_becomes_the_administrator_the_second_does_not()
    {
        var (_, memberships) = await NewAsync();
        var uscc = TestUscc.New("taiyuan");
        var a = await memberships.RequestAsync("person-a", Role.Enterprise, uscc, "person-a", default);
        var b = await memberships.RequestAsync("person-b", Role.Enterprise, uscc, "person-b", default);
        Assert.Equal(a, await memberships.RequestAsync("person-a", Role.Enterprise, uscc, "person-a", default));
        Assert.Equal((MembershipState.Pending, false), (a.State, a.Administrator));
        Assert.False(a.State == MembershipState.Verified);
        Assert.True(a.Acts);

        time.Advance(TimeSpan.FromMinutes(1));
        var verifiedB = await memberships.VerifyAsync(b.Id, "city-bureau:taiyuan", default);
        time.Advance(TimeSpan.FromMinutes(1));
        var verifiedA = await memberships.VerifyAsync(a.Id, "city-bureau:taiyuan", default);

        Assert.Equal((MembershipState.Verified, true), (verifiedB.State, verifiedB.Administrator));
        Assert.Equal((MembershipState.Verified, false), (verifiedA.State, verifiedA.Administrator));
        Assert.Equal(verifiedA, await memberships.VerifyAsync(a.Id, "city-bureau:taiyuan", default));
        Assert.Equal([verifiedA.Id, verifiedB.Id], (await memberships.OfPartyAsync(Role.Enterprise, uscc, default)).Select(m => m.Id));
    }

    [Fact]
    public async Task The_last_administrator_cannot_be_revoked_another_member_can_and_a_second_administrator_frees_the_first()
    {
        var (_, memberships) = await NewAsync();
        var admin = await memberships.GrantAsync("officer-1", Role.CityBureau, "datong", true, "province", default);
        var member = await memberships.GrantAsync("officer-2", Role.CityBureau, "datong", false, "officer-1", default);

        var refused = await Assert.ThrowsAsync<DomainException>(() => memberships.RevokeAsync(admin.Id, "officer-1", "离职", default));
        Assert.Equal(MembershipStore.LastAdministratorRefusal, refused.Message);
        Assert.Equal(MembershipState.Verified, (await memberships.FindAsync(admin.Id, default))!.State);
        await Assert.ThrowsAsync<DomainException>(() => memberships.SetAdministratorAsync(admin.Id, false, "officer-1", default));
        await Assert.ThrowsAsync<DomainException>(() => memberships.RevokeAsync(member.Id, "officer-1", " ", default));

        time.Advance(TimeSpan.FromMinutes(1));
        var revoked = await memberships.RevokeAsync(member.Id, "officer-1", "调岗", default);
        Assert.Equal((MembershipState.Revoked, "调岗", false), (revoked.State, revoked.Reason, revoked.Acts));
        Assert.Equal(revoked, await memberships.RevokeAsync(member.Id, "officer-1", "调岗", default));

        // Granted again (an invitation accepted) and made administrator: now the first may leave.
        var back = await memberships.GrantAsync("officer-2", Role.CityBureau, "datong", false, "province", default);
        Assert.Equal(MembershipState.Verified, back.State);
        await memberships.SetAdministratorAsync(back.Id, true, "officer-1", default);
        var gone = await memberships.RevokeAsync(admin.Id, "officer-2", "离职", default);
        Assert.Equal(MembershipState.Revoked, gone.State);
        Assert.Equal(
            [(gone.Id, MembershipState.Revoked), (back.Id, MembershipState.Verified)],
            (await memberships.OfPartyAsync(Role.CityBureau, "datong", default)).Select(m => (m.Id, m.State)));
    }

    [Fact]
    public async Task Two_administrators_revoking_each_other_at_once_leave_the_party_one_administrator()
    {
        var (_, memberships) = await NewAsync();
        for (var round = 0; round < 10; round++)
        {
            var scope = $"inst-race-{round}-{Guid.NewGuid():N}";
            var a = await memberships.GrantAsync($"oidc|race-a-{round}", Role.Institution, scope, true, "province", default);
            var b = await memberships.GrantAsync($"oidc|race-b-{round}", Role.Institution, scope, true, "province", default);
            Assert.True(a.Administrator && b.Administrator);

            // Both start together, each removing the other (two pages posted at the same moment).
            using var start = new Barrier(2);
            async Task<bool> RevokeAsync(Membership target, Membership by)
            {
                await Task.Yield();
                start.SignalAndWait();
                try
                {
                    await memberships.RevokeAsync(target.Id, "person:" + by.Subject, "互相撤销", default);
                    return true;
                }
                catch (DomainException e)
                {
                    Assert.Equal(MembershipStore.LastAdministratorRefusal, e.Message);
                    return false;
                }
            }

            var done = await Task.WhenAll(Task.Run(() => RevokeAsync(a, b)), Task.Run(() => RevokeAsync(b, a)));

            Assert.Equal(1, done.Count(d => d));
            var left = Assert.Single(await memberships.OfPartyAsync(Role.Institution, scope, default), m => m is { State: MembershipState.Verified, Administrator: true });
            Assert.Equal(done[0] ? b.Id : a.Id, left.Id);
        }
    }

    [Fact]
    public async Task A_rejected_claim_cannot_be_verified_and_a_claim_again_waits_once_more()
    {
        var (_, memberships) = await NewAsync();
        var claim = await memberships.RequestAsync("inst-person", Role.Institution, "inst-x", "inst-person", default);
        var rejected = await memberships.RejectAsync(claim.Id, "province", "授权委托书不清晰", default);
        Assert.Equal((MembershipState.Rejected, "授权委托书不清晰"), (rejected.State, rejected.Reason));
        await Assert.ThrowsAsync<DomainException>(() => memberships.VerifyAsync(claim.Id, "province", default));

        time.Advance(TimeSpan.FromMinutes(1));
        var again = await memberships.RequestAsync("inst-person", Role.Institution, "inst-x", "inst-person", default);
        Assert.Equal((claim.Id, MembershipState.Pending, (string?)null), (again.Id, again.State, again.Reason));
    }

    [Fact]
    public async Task A_crash_between_the_record_and_its_party_copy_heals_on_the_retried_change()
    {
        var (store, memberships) = await NewAsync();
        var granted = await memberships.GrantAsync("healing", Role.Province, null, true, "bootstrap", default);
        await store.Table(VoucherStore.MembershipIndex).DeleteEntityAsync(MembershipKeys.PartyPartition(Role.Province, null), granted.Id);
        Assert.Empty(await memberships.OfPartyAsync(Role.Province, null, default));

        await memberships.GrantAsync("healing", Role.Province, null, true, "bootstrap", default);
        Assert.Equal(granted, Assert.Single(await memberships.OfPartyAsync(Role.Province, null, default)));
    }
}
