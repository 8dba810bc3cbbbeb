using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using Voucher.Demo;
using Voucher.Domain;
using Voucher.Testing;
using Voucher.Workflows.Agencies;
using Voucher.Workflows.Applications;
using Voucher.Workflows.Audit;
using Voucher.Workflows.Enterprises;
using Voucher.Workflows.Security;
using Voucher.Workflows.Services;
using Voucher.Workflows.Storage;
using Voucher.Workflows.Tests.Support;
using Voucher.Workflows.Vouchers;

namespace Voucher.Workflows.Tests.Agencies;

/// <summary>Agencies and delegations (the service's acts, the store, the state machine) and the audit of agency actions, on Azurite.</summary>
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

    AgencyService Service(DelegationStore delegations) => new(delegations, time, NullLogger<AgencyService>.Instance);

    [Fact]
    public async Task Create_ListedForThePartyAndTheAgency_AndAudited()
    {
        var (store, delegations, agency) = await NewAsync();
        var uscc = TestUscc.New("taiyuan");
        var other = TestUscc.New("datong");

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
        var agencies = Service(delegations);
        var uscc = TestUscc.New("taiyuan");
        var intruder = Enterprise(TestUscc.New("taiyuan"));
        var created = await delegations.CreateAsync(Enterprise(uscc), agency, [DelegationActions.ViewRecords], new DateOnly(2027, 3, 31), default);
        Assert.Equal(DelegationStatus.Active, created.Status);

        Assert.IsType<Failure.NotFound>((await agencies.RevokeDelegationAsync(intruder, created.DelegationId, default)).Failure);
        Assert.Equal(DelegationState.Active, Assert.Single(await delegations.BetweenAsync("agency-one", uscc, default)).ToGrant().StateOn(delegations.Today));

        time.Advance(TimeSpan.FromHours(1));
        var revoked = await agencies.RevokeDelegationAsync(Enterprise(uscc), created.DelegationId, default);
        Assert.Equal((time.GetUtcNow(), DelegationStatus.Revoked), (revoked.Value.RevokedAt, revoked.Value.Status));
        Assert.Equal(DelegationStatus.Revoked, (await delegations.GetAsync(Role.Enterprise, uscc, created.DelegationId, default))!.Status);

        var decision = DelegationRule.Decide("agency-one", uscc, (await delegations.BetweenAsync("agency-one", uscc, default)).Select(d => d.ToGrant()), "GetVoucher", delegations.Today);
        Assert.False(decision.Allowed);
        Assert.Contains("revoked", decision.Refusal);
        Assert.IsType<Failure.Conflict>((await agencies.RevokeDelegationAsync(Enterprise(uscc), created.DelegationId, default)).Failure);

        var log = await new AuditLog(store).ReadAsync(AuditSubjects.Delegations($"enterprise:{uscc}"));
        Assert.Equal(["Active", "Revoked"], log.Select(l => l.ToState).ToArray());
    }

    [Fact]
    public void Delegation_MoveTo_RefusesRevokingTwice_AndARowRevokedBeforeTheStatusWasStoredReadsRevoked()
    {
        var at = time.GetUtcNow();
        var d = new DelegationEntity { PartitionKey = "enterprise:X", RowKey = "agency-one.1", ValidUntil = "2027-01-01" };
        d.Revoke("enterprise:X", at);

        var e = Assert.Throws<DomainException>(() => d.Revoke("enterprise:X", at.AddHours(1)));
        Assert.Contains("Revoked to Revoked", e.Message, StringComparison.Ordinal);
        Assert.Throws<DomainException>(() => d.MoveTo(DelegationStatus.Active));
        Assert.Equal((DelegationStatus.Revoked, at), (d.Status, d.RevokedAt!.Value));

        // Rows written before the status column: only RevokedAt says it was revoked.
        var legacy = new DelegationEntity { PartitionKey = "enterprise:X", RowKey = "agency-one.2", ValidUntil = "2027-01-01", RevokedAt = at };
        Assert.Equal(DelegationStatus.Revoked, legacy.Status);
        Assert.Throws<DomainException>(() => legacy.Revoke("enterprise:X", at));
    }

    [Fact]
    public async Task Grant_NamesEachBadField_RefusesAnAgencyOrBureau_AndRecordsNothing()
    {
        var (_, delegations, _) = await NewAsync("agency-grant");
        var agencies = Service(delegations);
        var uscc = TestUscc.New("taiyuan");

        var bad = await agencies.GrantDelegationAsync(Enterprise(uscc), new CreateDelegationRequest("agency-none", ["approve-everything"], "2026-11-26"), default);
        Assert.Equal(["actions", "agencyId", "validUntil"], Assert.IsType<Failure.Invalid>(bad.Failure).Errors.Select(e => e.Field).Order());
        Assert.IsType<Failure.Forbidden>((await agencies.GrantDelegationAsync(new VoucherPrincipal("a", "agency", Role.Agency, "agency-grant"), new CreateDelegationRequest("agency-grant", [DelegationActions.ViewRecords], "2026-12-31"), default)).Failure);
        Assert.IsType<Failure.Forbidden>((await agencies.GrantDelegationAsync(new VoucherPrincipal("b", "bureau", Role.CityBureau, "taiyuan"), new CreateDelegationRequest("agency-grant", [DelegationActions.ViewRecords], "2026-12-31"), default)).Failure);
        Assert.Empty(await delegations.ForAgencyAsync("agency-grant", default));

        var granted = await agencies.GrantDelegationAsync(Enterprise(uscc), new CreateDelegationRequest(" agency-grant ", [DelegationActions.ViewRecords], "2026-12-31"), default);
        Assert.Equal(("agency-grant", uscc, DelegationStatus.Active), (granted.Value.AgencyId, granted.Value.PartyId, granted.Value.Status));
        Assert.Equal(uscc, (await agencies.ActForAsync(new VoucherPrincipal("a", "agency", Role.Agency, "agency-grant"), uscc.ToLowerInvariant(), default)).Value);
        Assert.IsType<Failure.Refused>((await agencies.ActForAsync(new VoucherPrincipal("a", "agency", Role.Agency, "agency-other"), uscc, default)).Failure);
    }

    [Fact]
    public async Task RegisterAgency_ValidatesFirst_ThenRefusesAnotherAgencysId_ThenASecondRegistration()
    {
        var (_, delegations, _) = await NewAsync("agency-reg");
        var agencies = Service(delegations);
        var self = new VoucherPrincipal("a", "agency", Role.Agency, "agency-new");

        var bad = await agencies.RegisterAgencyAsync(self, new RegisterAgencyRequest("A/B", " ", "atlantis", "", "123"), default);
        Assert.Equal(["agencyId", "cityCode", "contactName", "contactPhone", "name"], Assert.IsType<Failure.Invalid>(bad.Failure).Errors.Select(e => e.Field).Order());
        Assert.IsType<Failure.Forbidden>((await agencies.RegisterAgencyAsync(self, new RegisterAgencyRequest("agency-reg2", "冒名", "taiyuan", "x", "13903510000"), default)).Failure);
        Assert.IsType<Failure.Conflict>((await agencies.RegisterAgencyAsync(new VoucherPrincipal("p", "prov", Role.Province, null), new RegisterAgencyRequest("agency-reg", "再次", "taiyuan", "x", "13903510000"), default)).Failure);

        var registered = await agencies.RegisterAgencyAsync(self, new RegisterAgencyRequest(null, "新代理", "datong", "联系人", "0351-1234567"), default);
        Assert.Equal(("agency-new", "datong"), (registered.Value.AgencyId, registered.Value.CityCode));
    }

    [Fact]
    public async Task Expiry_LastDayHolds_TheNextDayRefuses()
    {
        var (_, delegations, agency) = await NewAsync();
        var uscc = TestUscc.New("taiyuan");
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
}

[Collection(AzuriteCollection.Name)]
public sealed class AgencyDemoDataTests(AzuriteFixture azurite)
{
    [Fact]
    public async Task Seed_TwiceGivesOneAgencyActingForTheFirstDemoEnterpriseInEveryEnterpriseGroup()
    {
        var store = await StoreFactory.NewAsync(azurite);
        var seed = new AgencyDemoData(store, TimeProvider.System);

        await seed.SeedAsync();
        await seed.SeedAsync();

        var delegations = new DelegationStore(store, new AuditLog(store), TimeProvider.System);
        Assert.NotNull(await delegations.GetAgencyAsync(AgencyDemoData.AgencyId, default));
        var d = Assert.Single(await delegations.ForAgencyAsync(AgencyDemoData.AgencyId, default));
        Assert.Equal(DemoData.Enterprises[0].Uscc, d.PartyId);
        Assert.Equal(DelegationActions.For(Role.Enterprise).Select(g => g.Name), d.ToGrant().Actions);
        Assert.Equal(DelegationState.Active, d.ToGrant().StateOn(delegations.Today));
    }
}
