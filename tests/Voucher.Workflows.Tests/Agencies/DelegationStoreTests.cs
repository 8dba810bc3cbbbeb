using Microsoft.Extensions.Time.Testing;
using Voucher.Testing;
using Voucher.Workflows.Agencies;
using Voucher.Workflows.Applications;
using Voucher.Workflows.Audit;
using Voucher.Workflows.Enterprises;
using Voucher.Workflows.Security;
using Voucher.Workflows.Storage;
using Voucher.Workflows.Tests.Support;
using Voucher.Workflows.Vouchers;

namespace Voucher.Workflows.Tests.Agencies;

/// <summary>Delegations, the audit of agency actions and the enterprise profile, on Azurite.</summary>
[Collection(AzuriteCollection.Name)]
public sealed class DelegationStoreTests(AzuriteFixture azurite)
{
    // 2026-11-27 09:00 China time
    readonly FakeTimeProvider time = new(new DateTimeOffset(2026, 11, 27, 1, 0, 0, TimeSpan.Zero));

    async Task<(VoucherStore Store, DelegationStore Delegations, AgencyEntity Agency)> NewAsync(string agencyId = "agency-one")
    {
        var store = await StoreFactory.NewAsync(azurite);
        var delegations = new DelegationStore(store, new AuditLog(store), time);
        var agency = new AgencyEntity { RowKey = agencyId, Name = "测试代理 Test agency", CityCode = "taiyuan", ContactName = "c", ContactPhone = "13900000000", RegisteredAt = time.GetUtcNow() };
        Assert.True(await delegations.TryRegisterAgencyAsync(agency, default));
        Assert.False(await delegations.TryRegisterAgencyAsync(agency, default));
        return (store, delegations, agency);
    }

    static VoucherPrincipal Enterprise(string uscc) => new("u:" + uscc, "SME", Role.Enterprise, uscc);

    [Fact]
    public async Task Create_ListedForThePartyAndTheAgency_AndAudited()
    {
        var (store, delegations, agency) = await NewAsync();
        var uscc = TestEnterprises.NewUscc("taiyuan");
        var other = TestEnterprises.NewUscc("datong");

        var created = await delegations.CreateAsync(Enterprise(uscc), agency, [DelegationActions.ApplyForVoucher, DelegationActions.ViewRecords], new DateOnly(2027, 3, 31), default);
        await delegations.CreateAsync(Enterprise(other), agency, [DelegationActions.ViewRecords], new DateOnly(2027, 1, 31), default);

        var mine = Assert.Single(await delegations.ForPartyAsync(Role.Enterprise, uscc, default));
        Assert.Equal((created.DelegationId, "agency-one", "apply-for-voucher,view-records", "2027-03-31"), (mine.DelegationId, mine.AgencyId, mine.Actions, mine.ValidUntil));
        Assert.Equal(2, (await delegations.ForAgencyAsync("agency-one", default)).Count);
        var between = Assert.Single(await delegations.BetweenAsync("agency-one", uscc, default));
        Assert.Equal(DelegationState.Active, between.ToGrant().StateOn(delegations.Today));
        Assert.Empty(await delegations.BetweenAsync("agency-two", uscc, default));

        var log = Assert.Single(await new AuditLog(store).ReadAsync(AuditSubjects.Delegations($"enterprise:{uscc}")));
        Assert.Equal(("", "Active", $"enterprise:{uscc}"), (log.FromState, log.ToState, log.Actor));
    }

    [Fact]
    public async Task Revoke_TakesEffectOnTheNextRead_OnceOnly_AndOnlyByTheParty()
    {
        var (store, delegations, agency) = await NewAsync();
        var uscc = TestEnterprises.NewUscc("taiyuan");
        var intruder = Enterprise(TestEnterprises.NewUscc("taiyuan"));
        var created = await delegations.CreateAsync(Enterprise(uscc), agency, [DelegationActions.ViewRecords], new DateOnly(2027, 3, 31), default);

        Assert.Equal(DelegationStore.RevokeOutcome.NotFound, (await delegations.RevokeAsync(intruder, created.DelegationId, default)).Outcome);
        Assert.Equal(DelegationState.Active, Assert.Single(await delegations.BetweenAsync("agency-one", uscc, default)).ToGrant().StateOn(delegations.Today));

        time.Advance(TimeSpan.FromHours(1));
        var (outcome, revoked) = await delegations.RevokeAsync(Enterprise(uscc), created.DelegationId, default);
        Assert.Equal(DelegationStore.RevokeOutcome.Revoked, outcome);
        Assert.Equal(time.GetUtcNow(), revoked!.RevokedAt);

        var decision = DelegationRule.Decide("agency-one", uscc, (await delegations.BetweenAsync("agency-one", uscc, default)).Select(d => d.ToGrant()), "GetVoucher", delegations.Today);
        Assert.False(decision.Allowed);
        Assert.Contains("revoked", decision.Refusal);
        Assert.Equal(DelegationStore.RevokeOutcome.AlreadyRevoked, (await delegations.RevokeAsync(Enterprise(uscc), created.DelegationId, default)).Outcome);

        var log = await new AuditLog(store).ReadAsync(AuditSubjects.Delegations($"enterprise:{uscc}"));
        Assert.Equal(["Active", "Revoked"], log.Select(l => l.ToState).ToArray());
    }

    [Fact]
    public async Task Expiry_LastDayHolds_TheNextDayRefuses()
    {
        var (_, delegations, agency) = await NewAsync();
        var uscc = TestEnterprises.NewUscc("taiyuan");
        await delegations.CreateAsync(Enterprise(uscc), agency, [DelegationActions.ViewRecords], delegations.Today, default);

        Assert.True(DelegationRule.Decide("agency-one", uscc, (await delegations.BetweenAsync("agency-one", uscc, default)).Select(d => d.ToGrant()), "GetVoucher", delegations.Today).Allowed);
        time.Advance(TimeSpan.FromDays(1));
        Assert.False(DelegationRule.Decide("agency-one", uscc, (await delegations.BetweenAsync("agency-one", uscc, default)).Select(d => d.ToGrant()), "GetVoucher", delegations.Today).Allowed);
    }

    [Fact]
    public async Task AuditLog_RecordsAgencyAndParty_FromTheActorOrTheRequestsContext()
    {
        var store = await StoreFactory.NewAsync(azurite);
        var audit = new AuditLog(store);
        var at = time.GetUtcNow();

        await audit.AppendAsync("subject-1", AgencyActor.Format("enterprise:X", "agency-one"), at, "a", "b", 1, "event carried the actor");
        using (ActingContext.Enter(new ActingContext("agency-two", "enterprise:Y", "agency-two.1")))
        {
            await audit.AppendAsync("subject-1", "Y", at, "b", "c", 1, "handler passed only the party");
        }

        await audit.AppendAsync("subject-1", "system", at, "c", "d", 1, "no agency");

        var rows = (await audit.ReadAsync("subject-1")).ToDictionary(r => r.ToState);
        Assert.Equal(("agency-one", "enterprise:X"), (rows["b"].Agency, rows["b"].ActedFor));
        Assert.Equal(("agency-two", "enterprise:Y", "enterprise:Y via agency:agency-two"), (rows["c"].Agency, rows["c"].ActedFor, rows["c"].Actor));
        Assert.Equal(("", "", "system"), (rows["d"].Agency, rows["d"].ActedFor, rows["d"].Actor));
    }

    [Fact]
    public async Task Profile_SavesChangedFields_AuditsNamesNotValues_RefusesBadInputUnchanged()
    {
        var store = await StoreFactory.NewAsync(azurite);
        var audit = new AuditLog(store);
        var profile = new EnterpriseProfile(store, new ApplicationStore(store), new VoucherRepository(store), audit, time);
        var e = TestEnterprises.Registered("taiyuan");
        await store.TryAddAsync(VoucherStore.Enterprises, e);
        var me = Enterprise(e.Uscc) with { Agency = "agency-one" };

        var (outcome, saved, _) = await profile.SaveForAsync(me, e.Uscc, new UpdateEnterpriseProfileRequest(e.Name, "datong", "medium", e.TechSmeNumber, "新联系人", "13911112222", "太原市小店区 1 号"), default);
        Assert.Equal(EnterpriseProfile.Outcome.Saved, outcome);
        var row = await store.GetAsync<EnterpriseEntity>(VoucherStore.Enterprises, e.Uscc, EnterpriseEntity.ProfileRow);
        Assert.Equal(("datong", "medium", "新联系人", "13911112222", "太原市小店区 1 号"), (row!.CityCode, row.SizeClass, row.ContactName, row.ContactPhone, row.Address));
        var log = Assert.Single(await audit.ReadAsync(AuditSubjects.Enterprise(e.Uscc)));
        Assert.Equal(("agency-one", $"enterprise:{e.Uscc}"), (log.Agency, log.ActedFor));
        Assert.Contains("contactPhone", log.Detail);
        Assert.DoesNotContain("13911112222", log.Detail);

        var bad = await profile.SaveForAsync(me, e.Uscc, new UpdateEnterpriseProfileRequest("", "datong", "huge", e.TechSmeNumber, "x", "12", new string('地', 201)), default);
        Assert.Equal(EnterpriseProfile.Outcome.Invalid, bad.Outcome);
        Assert.Equal(["address", "contactPhone", "name", "sizeClass"], bad.Errors.Select(x => x.Field).Distinct().Order().ToArray());
        Assert.Equal("13911112222", (await store.GetAsync<EnterpriseEntity>(VoucherStore.Enterprises, e.Uscc, EnterpriseEntity.ProfileRow))!.ContactPhone);

        var other = await profile.SaveForAsync(Enterprise(TestEnterprises.NewUscc("taiyuan")), e.Uscc, new UpdateEnterpriseProfileRequest(e.Name, "datong", "small", e.TechSmeNumber, "x", "13911112222", ""), default);
        Assert.Equal(EnterpriseProfile.Outcome.Forbidden, other.Outcome);
    }

    [Fact]
    public async Task Profile_CityIsFixedOnceThereIsAnApplication()
    {
        var store = await StoreFactory.NewAsync(azurite);
        var profile = new EnterpriseProfile(store, new ApplicationStore(store), new VoucherRepository(store), new AuditLog(store), time);
        var e = TestEnterprises.Registered("taiyuan");
        e.SizeClass = "small";
        await store.TryAddAsync(VoucherStore.Enterprises, e);
        Assert.True(await new ApplicationStore(store).TryCreateAsync(new ApplicationEntity
        {
            PartitionKey = e.Uscc, RowKey = ApplicationStore.NewId(e.Uscc, 2026, 1), EnterpriseName = e.Name, CityCode = "taiyuan", SubmittedAt = time.GetUtcNow(),
        }));

        var moved = await profile.SaveForAsync(Enterprise(e.Uscc), e.Uscc, new UpdateEnterpriseProfileRequest(e.Name, "datong", "small", e.TechSmeNumber, e.ContactName, e.ContactPhone, ""), default);
        Assert.Equal(EnterpriseProfile.Outcome.Invalid, moved.Outcome);
        Assert.Equal("cityCode", Assert.Single(moved.Errors).Field);

        var same = await profile.SaveForAsync(Enterprise(e.Uscc), e.Uscc, new UpdateEnterpriseProfileRequest(e.Name, "taiyuan", "small", e.TechSmeNumber, e.ContactName, e.ContactPhone, ""), default);
        Assert.Equal(EnterpriseProfile.Outcome.Unchanged, same.Outcome);
    }
}

[Collection(AzuriteCollection.Name)]
public sealed class AgencyDemoDataTests(AzuriteFixture azurite)
{
    [Fact]
    public async Task Seed_TwiceGivesOneAgencyActingForTheFirstDemoEnterpriseInEveryEnterpriseGroup()
    {
        var store = await StoreFactory.NewAsync(azurite);
        var seed = new Demo.AgencyDemoData(store, TimeProvider.System);

        await seed.SeedAsync();
        await seed.SeedAsync();

        var delegations = new DelegationStore(store, new AuditLog(store), TimeProvider.System);
        Assert.NotNull(await delegations.GetAgencyAsync(Demo.AgencyDemoData.AgencyId, default));
        var d = Assert.Single(await delegations.ForAgencyAsync(Demo.AgencyDemoData.AgencyId, default));
        Assert.Equal(Demo.DemoData.Enterprises[0].Uscc, d.PartyId);
        Assert.Equal(DelegationActions.For(Role.Enterprise).Select(g => g.Name), d.ToGrant().Actions);
        Assert.Equal(DelegationState.Active, d.ToGrant().StateOn(delegations.Today));
    }
}
