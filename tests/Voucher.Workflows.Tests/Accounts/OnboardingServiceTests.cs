using Voucher.Workflows.Accounts;

namespace Voucher.Workflows.Tests.Accounts;

/// <summary>
/// Enterprise onboarding on Azurite with the real membership store: a claim waits (pending membership, its city's list
/// row, both documents stored); the city bureau verifies (the membership verified, the first one administrator, the
/// claimant told) or rejects with a reason; another city's bureau neither sees nor decides it; the same claim again and
/// bad files change nothing; an administrator adds a person by 账号编号 and the last administrator stays.
/// </summary>
[Collection(AzuriteCollection.Name)]
public sealed class OnboardingServiceTests(AzuriteFixture azurite)
{
    readonly FakeTimeProvider time = new(new DateTimeOffset(2026, 12, 6, 2, 0, 0, TimeSpan.Zero));

    static readonly VoucherPrincipal Taiyuan = new("bureau-taiyuan-1", "王芳", Role.CityBureau, "taiyuan");
    static readonly VoucherPrincipal Datong = new("bureau-datong-1", "李强", Role.CityBureau, "datong");

    sealed record Site(VoucherStore Store, MembershipStore Memberships, ClaimService Claims, OnboardingMembers Members);

    async Task<Site> NewAsync()
    {
        var store = await StoreFactory.NewAsync(azurite);
        var settings = VoucherSettings.FromConfiguration(new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?> { ["Voucher:MaxEvidenceBytes"] = "4096" }).Build());
        var memberships = new MembershipStore(store, new AuditLog(store), time);
        var claims = new ClaimService(store, new EvidenceStore(store, settings, time, new Voucher.Workflows.Settlement.Risk.EvidenceHashIndex(store)), memberships, new AuditLog(store), new Outbox(store, new InboxSender(store), NullLogger<Outbox>.Instance), time, NullLogger<ClaimService>.Instance);
        return new Site(store, memberships, claims, new OnboardingMembers(memberships, claims));
    }

    static Claimant Person(string subject, string uscc, string name = "张伟") => new(subject, name);

    static Dictionary<ClaimDocument, EvidenceFile?> Files(byte[]? licence, byte[]? letter) => new()
    {
        [ClaimDocument.Licence] = licence is null ? null : new EvidenceFile(new MemoryStream(licence), licence.Length, "营业执照.png"),
        [ClaimDocument.Letter] = letter is null ? null : new EvidenceFile(new MemoryStream(letter), letter.Length, "授权委托书.pdf"),
    };

    static Dictionary<ClaimDocument, EvidenceFile?> GoodFiles() => Files(Redemptions.TestFiles.Png(), Redemptions.TestFiles.Pdf(marker: "letter"));

    static async Task<List<string>> BlobsAsync(VoucherStore store, string claimId)
    {
        var names = new List<string>();
        await foreach (var b in store.EvidenceBlobs.GetBlobsAsync(Azure.Storage.Blobs.Models.BlobTraits.None, Azure.Storage.Blobs.Models.BlobStates.None, $"claims/{claimId}/", default))
        {
            names.Add(b.Name);
        }

        return names;
    }

    async Task<(Site Site, ClaimEntity Claim, string Uscc)> ClaimedAsync(string subject = "oidc|person-a")
    {
        var site = await NewAsync();
        var uscc = TestUscc.New("taiyuan");
        await site.Memberships.EnsurePersonAsync(subject, "张伟", null, default);
        var outcome = await site.Claims.SubmitAsync(Person(subject, uscc), new ClaimRequest(uscc.ToLowerInvariant(), " 太原示范科技有限公司 ", "taiyuan"), GoodFiles(), default);
        Assert.Null(outcome.Failure);
        return (site, outcome.Value, uscc);
    }

    [Fact]
    public async Task A_claim_waits_with_a_pending_membership_both_documents_and_a_row_in_its_citys_list()
    {
        var (site, claim, uscc) = await ClaimedAsync();

        Assert.Equal((uscc, "太原示范科技有限公司", "taiyuan", ClaimStatus.Pending), (claim.Uscc, claim.EnterpriseName, claim.CityCode, claim.Status));
        var membership = await site.Memberships.FindAsync(claim.MembershipId, default);
        Assert.Equal((Role.Enterprise, uscc, MembershipState.Pending), (membership!.Role, membership.Scope, membership.State));
        Assert.Equal(("image/png", "application/pdf"), (claim.File(ClaimDocument.Licence).ContentType, claim.File(ClaimDocument.Letter).ContentType));
        Assert.Equal(2, (await BlobsAsync(site.Store, claim.ClaimId)).Count);

        var row = Assert.Single((await site.Claims.ReviewListAsync(Taiyuan, default)).Value);
        Assert.Equal((claim.ClaimId, "Pending", "张伟"), (row.RowKey, row.StatusName, row.ClaimantName));
        Assert.Empty((await site.Claims.ReviewListAsync(Datong, default)).Value);

        // The bureau hears of it in its inbox; the claimant sees the claim among their own.
        var notice = Assert.Single(await site.Store.PartitionAsync<NotificationEntity>(VoucherStore.Inbox, Addresses.CityBureau("taiyuan")));
        Assert.Contains(ClaimPaths.Review(claim.ClaimId), notice.ToNotification().Links.Select(l => l.Url));
        Assert.Equal(claim.ClaimId, Assert.Single(await site.Claims.MineAsync("oidc|person-a", default)).ClaimId);
    }

    [Fact]
    public async Task Verifying_makes_the_membership_verified_and_the_first_one_administrator_and_tells_the_claimant()
    {
        var (site, claim, uscc) = await ClaimedAsync();

        var outcome = await site.Claims.DecideAsync(Taiyuan, claim.ClaimId, true, null, default);

        Assert.Null(outcome.Failure);
        var membership = await site.Memberships.FindAsync(claim.MembershipId, default);
        Assert.Equal((MembershipState.Verified, true), (membership!.State, membership.Administrator));
        Assert.Equal(ClaimStatus.Verified, (await site.Claims.OwnAsync("oidc|person-a", claim.ClaimId, default)).Value.Status);
        Assert.Equal("Verified", Assert.Single((await site.Claims.ReviewListAsync(Taiyuan, default)).Value).StatusName);
        var notice = Assert.Single(await site.Store.PartitionAsync<NotificationEntity>(VoucherStore.Inbox, Addresses.Enterprise(uscc))).ToNotification();
        Assert.Equal("企业认领已通过审核", notice.Subject);
        Assert.Equal(ClaimPaths.Own(claim.ClaimId), Assert.Single(notice.Links).Url);
        Assert.Equal(["", "Pending"], (await new AuditLog(site.Store).ReadAsync(ClaimService.AuditSubject(claim.ClaimId))).Select(e => e.FromState).Order());

        // The same decision again changes nothing; the other one is refused.
        Assert.Null((await site.Claims.DecideAsync(Taiyuan, claim.ClaimId, true, null, default)).Failure);
        Assert.Single(await site.Store.PartitionAsync<NotificationEntity>(VoucherStore.Inbox, Addresses.Enterprise(uscc)));
        Assert.IsType<Failure.Conflict>((await site.Claims.DecideAsync(Taiyuan, claim.ClaimId, false, "材料不清晰", default)).Failure);
        Assert.Equal(MembershipState.Verified, (await site.Memberships.FindAsync(claim.MembershipId, default))!.State);
    }

    [Fact]
    public async Task An_enterprise_with_a_verified_administrator_cannot_be_claimed_by_another_person()
    {
        var (site, claim, uscc) = await ClaimedAsync();
        Assert.Null((await site.Claims.DecideAsync(Taiyuan, claim.ClaimId, true, null, default)).Failure);

        // A stranger claiming the verified enterprise gets no pending membership (which would open its profile): the
        // claim is refused by its USCC field, and the administrator adds people instead.
        await site.Memberships.EnsurePersonAsync("oidc|stranger", "李四", null, default);
        var outcome = await site.Claims.SubmitAsync(Person("oidc|stranger", uscc), new ClaimRequest(uscc, "太原示范科技有限公司", "taiyuan"), GoodFiles(), default);

        var error = Assert.Single(FieldErrorsOf(outcome.Failure));
        Assert.Equal("uscc", error.Field);
        Assert.Contains("管理员", error.Message, StringComparison.Ordinal);
        Assert.Empty(await site.Memberships.OfPersonAsync("oidc|stranger", default));
        Assert.Empty(await site.Claims.MineAsync("oidc|stranger", default));
    }

    static IReadOnlyList<FieldError> FieldErrorsOf(Failure? failure) => Assert.IsType<Failure.Invalid>(failure).Errors;

    [Fact]
    public async Task Rejecting_needs_a_reason_by_its_field_and_then_rejects_the_membership_with_it()
    {
        var (site, claim, uscc) = await ClaimedAsync();

        var noReason = await site.Claims.DecideAsync(Taiyuan, claim.ClaimId, false, "  ", default);
        Assert.Equal("reason", Assert.Single(Assert.IsType<Failure.Invalid>(noReason.Failure).Errors).Field);
        Assert.Equal(MembershipState.Pending, (await site.Memberships.FindAsync(claim.MembershipId, default))!.State);
        Assert.Equal("decision", Assert.Single(Assert.IsType<Failure.Invalid>((await site.Claims.DecideAsync(Taiyuan, claim.ClaimId, null, null, default)).Failure).Errors).Field);

        var outcome = await site.Claims.DecideAsync(Taiyuan, claim.ClaimId, false, "授权委托书未加盖企业公章", default);

        Assert.Equal((ClaimStatus.Rejected, "授权委托书未加盖企业公章"), (outcome.Value.Status, outcome.Value.Reason));
        var membership = await site.Memberships.FindAsync(claim.MembershipId, default);
        Assert.Equal((MembershipState.Rejected, "授权委托书未加盖企业公章"), (membership!.State, membership.Reason));
        var notice = Assert.Single(await site.Store.PartitionAsync<NotificationEntity>(VoucherStore.Inbox, Addresses.Enterprise(uscc))).ToNotification();
        Assert.Contains("授权委托书未加盖企业公章", notice.Body);

        // Claimed again after the rejection: waiting once more.
        time.Advance(TimeSpan.FromDays(1));
        var again = await site.Claims.SubmitAsync(Person("oidc|person-a", uscc), new ClaimRequest(uscc, "太原示范科技有限公司", "taiyuan"), GoodFiles(), default);
        Assert.Equal(ClaimStatus.Pending, again.Value.Status);
        Assert.Equal(MembershipState.Pending, (await site.Memberships.FindAsync(claim.MembershipId, default))!.State);
    }

    [Fact]
    public async Task Another_citys_bureau_neither_sees_nor_decides_a_claim_and_is_answered_as_for_a_missing_one()
    {
        var (site, claim, _) = await ClaimedAsync();

        var seen = await site.Claims.ForReviewerAsync(Datong, claim.ClaimId, default);
        var decided = await site.Claims.DecideAsync(Datong, claim.ClaimId, true, null, default);
        var document = await site.Claims.OpenDocumentAsync(Datong, claim.ClaimId, "licence", default);
        var missing = await site.Claims.ForReviewerAsync(Datong, "c" + new string('0', 24), default);

        Assert.Equal(missing.Failure, seen.Failure);
        Assert.Equal(missing.Failure, decided.Failure);
        Assert.Equal(missing.Failure, document.Failure);
        Assert.IsType<Failure.NotFound>(missing.Failure);
        Assert.Equal(MembershipState.Pending, (await site.Memberships.FindAsync(claim.MembershipId, default))!.State);
        Assert.Equal("Pending", Assert.Single((await site.Claims.ReviewListAsync(Taiyuan, default)).Value).StatusName);

        // Its own city's bureau reads the document as stored.
        var opened = await site.Claims.OpenDocumentAsync(Taiyuan, claim.ClaimId, "letter", default);
        Assert.Equal("application/pdf", opened.Value.File.ContentType);
    }

    [Fact]
    public async Task The_same_claim_again_changes_nothing()
    {
        var (site, claim, uscc) = await ClaimedAsync();
        var blobs = await BlobsAsync(site.Store, claim.ClaimId);
        time.Advance(TimeSpan.FromHours(1));

        var again = await site.Claims.SubmitAsync(Person("oidc|person-a", uscc), new ClaimRequest(uscc, "另一个名字", "datong"), GoodFiles(), default);

        Assert.IsType<Failure.Conflict>(again.Failure);
        var stored = (await site.Claims.OwnAsync("oidc|person-a", claim.ClaimId, default)).Value;
        Assert.Equal((claim.EnterpriseName, claim.CityCode, claim.SubmittedAt, claim.LicenceBlob), (stored.EnterpriseName, stored.CityCode, stored.SubmittedAt, stored.LicenceBlob));
        Assert.Equal(blobs, await BlobsAsync(site.Store, claim.ClaimId));
        Assert.Single((await site.Claims.ReviewListAsync(Taiyuan, default)).Value);
        Assert.Empty((await site.Claims.ReviewListAsync(Datong, default)).Value);
        Assert.Single(await site.Store.PartitionAsync<NotificationEntity>(VoucherStore.Inbox, Addresses.CityBureau("taiyuan")));
    }

    [Fact]
    public async Task Bad_files_and_fields_are_refused_by_their_field_and_nothing_is_kept()
    {
        var site = await NewAsync();
        var uscc = TestUscc.New("taiyuan");
        var person = Person("oidc|person-b", uscc);
        var claimId = ClaimIds.Of(person.Subject, uscc);

        var missing = await site.Claims.SubmitAsync(person, new ClaimRequest(uscc, "太原企业", "taiyuan"), Files(null, Redemptions.TestFiles.Pdf()), default);
        Assert.Equal(["licence"], Assert.IsType<Failure.Invalid>(missing.Failure).Errors.Select(e => e.Field));

        var text = await site.Claims.SubmitAsync(person, new ClaimRequest(uscc, "太原企业", "taiyuan"), Files(Redemptions.TestFiles.Png(), Redemptions.TestFiles.Text), default);
        Assert.Equal(["letter"], Assert.IsType<Failure.Invalid>(text.Failure).Errors.Select(e => e.Field));

        var large = await site.Claims.SubmitAsync(person, new ClaimRequest(uscc, "太原企业", "taiyuan"), Files(Redemptions.TestFiles.Png(5000), Redemptions.TestFiles.Pdf()), default);
        Assert.Equal(["licence"], Assert.IsType<Failure.Invalid>(large.Failure).Errors.Select(e => e.Field));

        var fields = await site.Claims.SubmitAsync(person, new ClaimRequest(uscc[..17] + "0", "", "beijing"), GoodFiles(), default);
        Assert.Equal(["uscc", "enterpriseName", "cityCode"], Assert.IsType<Failure.Invalid>(fields.Failure).Errors.Select(e => e.Field));

        Assert.Empty(await BlobsAsync(site.Store, claimId));
        Assert.Null(await site.Store.GetAsync<ClaimEntity>(OnboardingTables.Claims, claimId, ClaimEntity.Row));
        Assert.Empty(await site.Memberships.OfPersonAsync(person.Subject, default));
        Assert.Empty((await site.Claims.ReviewListAsync(Taiyuan, default)).Value);
    }

    [Fact]
    public async Task An_administrator_adds_a_person_by_account_number_and_a_member_may_not()
    {
        var (site, claim, uscc) = await ClaimedAsync("oidc|admin");
        await site.Claims.DecideAsync(Taiyuan, claim.ClaimId, true, null, default);
        var admin = new VoucherPrincipal("oidc|admin", "张伟", Role.Enterprise, uscc) { MembershipId = claim.MembershipId };

        // The person signs in and opens their page once: their number is known from then on.
        await site.Memberships.EnsurePersonAsync("oidc|colleague", "赵敏", null, default);
        Assert.Equal("accountNumber", Assert.Single(Assert.IsType<Failure.Invalid>((await site.Members.AddAsync(admin, ClaimIds.AccountNumber("oidc|colleague"), default)).Failure).Errors).Field);
        var number = await site.Claims.AccountNumberAsync("oidc|colleague", default);
        Assert.Equal("accountNumber", Assert.Single(Assert.IsType<Failure.Invalid>((await site.Members.AddAsync(admin, "12345", default)).Failure).Errors).Field);

        var added = await site.Members.AddAsync(admin, number[..4] + " " + number[4..], default);

        Assert.Equal((MembershipState.Verified, false, uscc), (added.Value.State, added.Value.Administrator, added.Value.Scope));
        var list = (await site.Members.ListAsync(admin, default)).Value;
        Assert.True(list.CallerIsAdministrator);
        Assert.Equal(["张伟", "赵敏"], list.Members.Select(m => m.Name));

        // The added person is no administrator: may not add (removal is the members page's, AccountPages).
        var member = new VoucherPrincipal("oidc|colleague", "赵敏", Role.Enterprise, uscc) { MembershipId = added.Value.Id };
        Assert.IsType<Failure.Forbidden>((await site.Members.AddAsync(member, number, default)).Failure);
        Assert.False((await site.Members.ListAsync(member, default)).Value.CallerIsAdministrator);
    }
}
