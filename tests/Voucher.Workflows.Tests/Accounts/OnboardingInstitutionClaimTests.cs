using Voucher.Workflows.Accounts;
using Voucher.Workflows.Tests.Marketplace;

namespace Voucher.Workflows.Tests.Accounts;

/// <summary>
/// Institution onboarding through the claim (the same <see cref="ClaimService"/> as an enterprise's, party kind
/// Institution), on Azurite with the real membership store and institution service: a person with no membership applies
/// by the institution's code with the two documents — a pending institution membership and a row in the province's list
/// (no city's); only the province sees and decides it; verifying it verifies the membership and, when the pending person
/// registered the institution meanwhile, the institution itself through the province's institution verification;
/// rejecting rejects both with the reason.
/// </summary>
[Collection(AzuriteCollection.Name)]
public sealed class OnboardingInstitutionClaimTests(AzuriteFixture azurite)
{
    readonly FakeTimeProvider time = new(new DateTimeOffset(2026, 12, 6, 2, 0, 0, TimeSpan.Zero));

    static readonly VoucherPrincipal Province = new("prov-1", "省中心审核员", Role.Province, null);
    static readonly VoucherPrincipal Taiyuan = new("bureau-taiyuan-1", "王芳", Role.CityBureau, "taiyuan");

    sealed record Site(VoucherStore Store, MembershipStore Memberships, ClaimService Claims, InstitutionService Institutions);

    async Task<Site> NewAsync()
    {
        var store = await StoreFactory.NewAsync(azurite);
        var settings = VoucherSettings.FromConfiguration(new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?> { ["Voucher:MaxEvidenceBytes"] = "4096" }).Build());
        var memberships = new MembershipStore(store, new AuditLog(store), time);
        var catalogue = new CatalogueStore(store, time);
        var institutions = new InstitutionService(catalogue, new CatalogueIndex(catalogue, time, NullLogger<CatalogueIndex>.Instance), time, NullLogger<InstitutionService>.Instance, new ClaimInstitutions(memberships));
        var claims = new ClaimService(store, new EvidenceStore(store, settings, time, new Voucher.Workflows.Settlement.Risk.EvidenceHashIndex(store)), memberships, new AuditLog(store),
            new Outbox(store, new InboxSender(store), NullLogger<Outbox>.Instance), time, NullLogger<ClaimService>.Instance, institutions);
        return new Site(store, memberships, claims, institutions);
    }

    static Dictionary<ClaimDocument, EvidenceFile?> GoodFiles() => new()
    {
        [ClaimDocument.Licence] = new EvidenceFile(new MemoryStream(Redemptions.TestFiles.Png()), 300, "法人证书.png"),
        [ClaimDocument.Letter] = new EvidenceFile(new MemoryStream(Redemptions.TestFiles.Pdf(marker: "letter")), 600, "授权委托书.pdf"),
    };

    static string NewCode() => "SXU-" + Guid.NewGuid().ToString("N")[..8].ToUpperInvariant();

    async Task<(Site Site, ClaimEntity Claim, string InstitutionId)> AppliedAsync(string subject = "oidc|inst-person")
    {
        var site = await NewAsync();
        var code = NewCode();
        await site.Memberships.EnsurePersonAsync(subject, "孙丽", "13903510088", default);
        var outcome = await site.Claims.SubmitAsync(new Claimant(subject, "孙丽"), new ClaimRequest(code.ToLowerInvariant(), "山西测试研究院", "taiyuan", PartyKind.Institution), GoodFiles(), default);
        Assert.Null(outcome.Failure);
        return (site, outcome.Value, "inst-" + code.ToLowerInvariant());
    }

    static VoucherPrincipal Pending(ClaimEntity claim) => new(claim.Subject, claim.ClaimantName, Role.Institution, claim.Scope) { Verified = false, MembershipId = claim.MembershipId };

    [Fact]
    public async Task An_application_waits_with_a_pending_institution_membership_in_the_provinces_list_only()
    {
        var (site, claim, institutionId) = await AppliedAsync();

        Assert.Equal((PartyKind.Institution, institutionId, ClaimStatus.Pending), (claim.Kind, claim.Scope, claim.Status));
        var membership = await site.Memberships.FindAsync(claim.MembershipId, default);
        Assert.Equal((Role.Institution, institutionId, MembershipState.Pending), (membership!.Role, membership.Scope, membership.State));

        var row = Assert.Single((await site.Claims.ReviewListAsync(Province, default)).Value);
        Assert.Equal((claim.ClaimId, nameof(PartyKind.Institution)), (row.RowKey, row.KindName));
        Assert.Empty((await site.Claims.ReviewListAsync(Taiyuan, default)).Value);
        Assert.Single(await site.Store.PartitionAsync<NotificationEntity>(VoucherStore.Inbox, Addresses.Province));
        Assert.Empty(await site.Store.PartitionAsync<NotificationEntity>(VoucherStore.Inbox, Addresses.CityBureau("taiyuan")));

        // The institution's own city bureau is not its reviewer: the claim answers as a missing one.
        Assert.IsType<Failure.NotFound>((await site.Claims.ForReviewerAsync(Taiyuan, claim.ClaimId, default)).Failure);
        Assert.IsType<Failure.NotFound>((await site.Claims.DecideAsync(Taiyuan, claim.ClaimId, true, null, default)).Failure);
        Assert.Equal("application/pdf", (await site.Claims.OpenDocumentAsync(Province, claim.ClaimId, "letter", default)).Value.File.ContentType);

        // The claimant finds it among their claims (from the institution membership).
        Assert.Equal(claim.ClaimId, Assert.Single(await site.Claims.MineAsync(claim.Subject, default)).ClaimId);
        Assert.Equal(claim.ClaimId, (await site.Claims.OwnForAsync(Pending(claim), claim.Scope, default))!.ClaimId);
    }

    [Fact]
    public async Task Verifying_verifies_the_membership_and_the_institution_the_pending_person_registered_meanwhile()
    {
        var (site, claim, institutionId) = await AppliedAsync();

        // Pending: the person fills in the institution's profile (it waits for the province like any registration).
        Assert.Null((await site.Institutions.RegisterAsync(Pending(claim), MarketWorld.Registration("山西测试研究院"), default)).Failure);

        var outcome = await site.Claims.DecideAsync(Province, claim.ClaimId, true, null, default);

        Assert.Null(outcome.Failure);
        Assert.StartsWith("省中心审核员 · 省科技厅", outcome.Value.DecidedBy, StringComparison.Ordinal);
        var membership = await site.Memberships.FindAsync(claim.MembershipId, default);
        Assert.Equal((MembershipState.Verified, true), (membership!.State, membership.Administrator));
        var institution = await new CatalogueStore(site.Store, time).GetInstitutionAsync(institutionId, default);
        Assert.Equal(InstitutionStatus.Verified, institution!.Status);
        Assert.Empty((await site.Institutions.PendingAsync(Province, default)).Value);
        var notice = Assert.Single(await site.Store.PartitionAsync<NotificationEntity>(VoucherStore.Inbox, Addresses.For(Role.Institution, institutionId))).ToNotification();
        Assert.Equal("服务机构认领已通过审核", notice.Subject);

        // The same decision again changes nothing.
        Assert.Null((await site.Claims.DecideAsync(Province, claim.ClaimId, true, null, default)).Failure);
        Assert.Equal(membership, await site.Memberships.FindAsync(claim.MembershipId, default));
    }

    [Fact]
    public async Task Verifying_before_the_profile_verifies_the_membership_and_the_profile_then_waits_for_the_province()
    {
        var (site, claim, institutionId) = await AppliedAsync();

        Assert.Null((await site.Claims.DecideAsync(Province, claim.ClaimId, true, null, default)).Failure);

        Assert.Equal(MembershipState.Verified, (await site.Memberships.FindAsync(claim.MembershipId, default))!.State);
        var verified = Pending(claim) with { Verified = true };
        Assert.Equal(InstitutionStatus.Pending, (await site.Institutions.RegisterAsync(verified, MarketWorld.Registration("山西测试研究院"), default)).Value.Status);
        Assert.Equal(institutionId, Assert.Single((await site.Institutions.PendingAsync(Province, default)).Value).InstitutionId);
    }

    [Fact]
    public async Task Rejecting_rejects_the_membership_and_the_new_institution_with_the_reason()
    {
        var (site, claim, institutionId) = await AppliedAsync();
        Assert.Null((await site.Institutions.RegisterAsync(Pending(claim), MarketWorld.Registration("山西测试研究院"), default)).Failure);

        var outcome = await site.Claims.DecideAsync(Province, claim.ClaimId, false, "法人证书与机构名称不符", default);

        Assert.Equal((ClaimStatus.Rejected, "法人证书与机构名称不符"), (outcome.Value.Status, outcome.Value.Reason));
        var membership = await site.Memberships.FindAsync(claim.MembershipId, default);
        Assert.Equal((MembershipState.Rejected, "法人证书与机构名称不符"), (membership!.State, membership.Reason));
        var institution = await new CatalogueStore(site.Store, time).GetInstitutionAsync(institutionId, default);
        Assert.Equal((InstitutionStatus.Rejected, "法人证书与机构名称不符"), (institution!.Status, institution.DecisionReason));
    }

    [Fact]
    public async Task The_institutions_administrator_adds_a_colleague_by_account_number_and_settles_the_colleagues_waiting_claim()
    {
        var (site, claim, institutionId) = await AppliedAsync("oidc|inst-admin");
        // A colleague applied for the same institution before anyone was verified: both wait.
        await site.Memberships.EnsurePersonAsync("oidc|inst-colleague", "周强", null, default);
        var waiting = await site.Claims.SubmitAsync(new Claimant("oidc|inst-colleague", "周强"), new ClaimRequest(claim.Uscc, "山西测试研究院", "taiyuan", PartyKind.Institution), GoodFiles(), default);
        Assert.Null(waiting.Failure);
        Assert.Null((await site.Claims.DecideAsync(Province, claim.ClaimId, true, null, default)).Failure);

        var members = new OnboardingMembers(site.Memberships, site.Claims);
        var admin = new VoucherPrincipal(claim.Subject, "孙丽", Role.Institution, institutionId) { MembershipId = claim.MembershipId };
        var list = (await members.ListAsync(admin, default)).Value;
        Assert.Equal((PartyKind.Institution, institutionId, true, "服务机构"), (list.Kind, list.Scope, list.CallerIsAdministrator, list.Noun));

        var number = await site.Claims.AccountNumberAsync("oidc|inst-colleague", default);
        var added = await members.AddAsync(admin, number, default);

        Assert.Null(added.Failure);
        Assert.Equal((Role.Institution, institutionId, MembershipState.Verified, false), (added.Value.Role, added.Value.Scope, added.Value.State, added.Value.Administrator));
        var settled = (await site.Store.GetAsync<ClaimEntity>(OnboardingTables.Claims, waiting.Value.ClaimId, ClaimEntity.Row))!;
        Assert.Equal(ClaimStatus.Verified, settled.Status);
        Assert.Equal("孙丽（服务机构管理员添加）", settled.DecidedBy);

        // The colleague is no administrator: may not add; an enterprise's people page is not an institution's.
        var colleague = new VoucherPrincipal("oidc|inst-colleague", "周强", Role.Institution, institutionId) { MembershipId = added.Value.Id };
        Assert.IsType<Failure.Forbidden>((await members.AddAsync(colleague, number, default)).Failure);
        Assert.Equal(["孙丽", "周强"], (await members.ListAsync(colleague, default)).Value.Members.Select(m => m.Name));
        Assert.IsType<Failure.Forbidden>((await members.ListAsync(new VoucherPrincipal("b", "王芳", Role.CityBureau, "taiyuan"), default)).Failure);
    }

    [Fact]
    public async Task A_bad_code_is_refused_by_its_field_and_an_institution_with_an_administrator_cannot_be_claimed()
    {
        var (site, claim, institutionId) = await AppliedAsync();
        var bad = await site.Claims.SubmitAsync(new Claimant("oidc|other", "李四"), new ClaimRequest("x!", "研究院", "taiyuan", PartyKind.Institution), GoodFiles(), default);
        Assert.Equal("uscc", Assert.Single(Assert.IsType<Failure.Invalid>(bad.Failure).Errors).Field);

        Assert.Null((await site.Claims.DecideAsync(Province, claim.ClaimId, true, null, default)).Failure);
        var again = await site.Claims.SubmitAsync(new Claimant("oidc|other", "李四"), new ClaimRequest(claim.Uscc, "山西测试研究院", "taiyuan", PartyKind.Institution), GoodFiles(), default);
        Assert.Equal("uscc", Assert.Single(Assert.IsType<Failure.Invalid>(again.Failure).Errors).Field);
        Assert.Empty(await site.Memberships.OfPersonAsync("oidc|other", default));
        Assert.Single(await site.Memberships.OfPartyAsync(Role.Institution, institutionId, default));
    }
}
