using Voucher.Workflows.Accounts;
using Voucher.Workflows.Tests.Marketplace;

namespace Voucher.Workflows.Tests.Accounts;

/// <summary>
/// Institutions' people are verified by the province with the institution: the province centre's existing verification
/// (<see cref="InstitutionService.DecideAsync"/>) verifies the memberships waiting for the institution (the first one its
/// administrator) or rejects them with its reason; another institution's people are untouched.
/// </summary>
[Collection(AzuriteCollection.Name)]
public sealed class OnboardingInstitutionTests(AzuriteFixture azurite)
{
    static readonly VoucherPrincipal Province = new("prov", "省中心", Role.Province, "shanxi");

    async Task<(InstitutionService Institutions, MembershipStore Memberships)> NewAsync()
    {
        var store = await StoreFactory.NewAsync(azurite);
        var time = new FakeTimeProvider(new DateTimeOffset(2026, 12, 6, 2, 0, 0, TimeSpan.Zero));
        var catalogue = new CatalogueStore(store, time);
        var memberships = new MembershipStore(store, new AuditLog(store), time);
        var institutions = new InstitutionService(catalogue, new CatalogueIndex(catalogue, time, NullLogger<CatalogueIndex>.Instance), time, NullLogger<InstitutionService>.Instance, new ClaimInstitutions(memberships));
        return (institutions, memberships);
    }

    static VoucherPrincipal Pending(string subject, string institutionId) => new(subject, "孙丽", Role.Institution, institutionId) { Verified = false };

    [Fact]
    public async Task Verifying_the_institution_verifies_the_people_waiting_for_it_and_the_first_becomes_administrator()
    {
        var (institutions, memberships) = await NewAsync();
        var first = await memberships.RequestAsync("oidc|inst-a-1", Role.Institution, "inst-onb-a", "oidc|inst-a-1", default);
        var second = await memberships.RequestAsync("oidc|inst-a-2", Role.Institution, "inst-onb-a", "oidc|inst-a-2", default);
        var other = await memberships.RequestAsync("oidc|inst-b-1", Role.Institution, "inst-onb-b", "oidc|inst-b-1", default);
        Assert.True((await institutions.RegisterAsync(Pending("oidc|inst-a-1", "inst-onb-a"), MarketWorld.Registration("太原认领测试研究院"), default)).Succeeded);

        var decided = await institutions.DecideAsync(Province, new DecideVerification("inst-onb-a", true, null), default);

        Assert.Equal(InstitutionStatus.Verified, decided.Value.Status);
        var a = await memberships.FindAsync(first.Id, default);
        var b = await memberships.FindAsync(second.Id, default);
        Assert.Equal((MembershipState.Verified, true), (a!.State, a.Administrator));
        Assert.Equal((MembershipState.Verified, false), (b!.State, b.Administrator));
        Assert.Equal(MembershipState.Pending, (await memberships.FindAsync(other.Id, default))!.State);

        // The same decision again changes nothing.
        Assert.True((await institutions.DecideAsync(Province, new DecideVerification("inst-onb-a", true, null), default)).Succeeded);
        Assert.Equal(a, await memberships.FindAsync(first.Id, default));
    }

    [Fact]
    public async Task Rejecting_the_institution_rejects_the_people_waiting_for_it_with_the_reason()
    {
        var (institutions, memberships) = await NewAsync();
        var waiting = await memberships.RequestAsync("oidc|inst-c-1", Role.Institution, "inst-onb-c", "oidc|inst-c-1", default);
        Assert.True((await institutions.RegisterAsync(Pending("oidc|inst-c-1", "inst-onb-c"), MarketWorld.Registration("大同认领测试研究院", "datong"), default)).Succeeded);

        await institutions.DecideAsync(Province, new DecideVerification("inst-onb-c", false, "共享平台登记编号与机构不符"), default);

        var m = await memberships.FindAsync(waiting.Id, default);
        Assert.Equal((MembershipState.Rejected, "共享平台登记编号与机构不符"), (m!.State, m.Reason));
    }
}
