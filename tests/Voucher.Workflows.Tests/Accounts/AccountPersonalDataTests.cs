using System.Text.Json;
using Voucher.Workflows.Accounts;
using Voucher.Workflows.Retention;

namespace Voucher.Workflows.Tests.Accounts;

/// <summary>
/// Accounts' personal data under the existing rules, on Azurite: the enterprise's personal-data copy holds its people
/// (name, phone), their memberships and the claims on it with the documents' SHA-256 and the claims' audit entries; the
/// retention run deletes a decided claim's documents after their years (a rejection's sooner), audited, and keeps a
/// waiting or recent one; it erases the name and phone of a person none of whose memberships has acted for the years.
/// Repeated, each changes nothing more.
/// </summary>
[Collection(AzuriteCollection.Name)]
public sealed class AccountPersonalDataTests(AzuriteFixture azurite)
{
    readonly FakeTimeProvider time = new(new DateTimeOffset(2026, 12, 6, 2, 0, 0, TimeSpan.Zero));

    static readonly VoucherPrincipal Taiyuan = new("bureau-taiyuan-1", "王芳", Role.CityBureau, "taiyuan");

    sealed record Site(VoucherStore Store, AuditLog Audit, MembershipStore Memberships, ClaimService Claims, AccountPersonalData People);

    async Task<Site> NewAsync()
    {
        var store = await StoreFactory.NewAsync(azurite);
        var settings = VoucherSettings.FromConfiguration(new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?> { ["Voucher:MaxEvidenceBytes"] = "4096" }).Build());
        var audit = new AuditLog(store);
        var memberships = new MembershipStore(store, audit, time);
        var claims = new ClaimService(store, new EvidenceStore(store, settings, time, new Voucher.Workflows.Settlement.Risk.EvidenceHashIndex(store)), memberships, audit,
            new Outbox(store, new InboxSender(store), NullLogger<Outbox>.Instance), time, NullLogger<ClaimService>.Instance);
        return new Site(store, audit, memberships, claims, new AccountPersonalData(store, memberships, audit, new RetentionSettings { EvidenceYears = 10 }));
    }

    static Dictionary<ClaimDocument, EvidenceFile?> GoodFiles() => new()
    {
        [ClaimDocument.Licence] = new EvidenceFile(new MemoryStream(Redemptions.TestFiles.Png()), 300, "营业执照.png"),
        [ClaimDocument.Letter] = new EvidenceFile(new MemoryStream(Redemptions.TestFiles.Pdf(marker: "letter")), 600, "授权委托书.pdf"),
    };

    static async Task<bool> ExistsAsync(VoucherStore store, string blobName) => blobName.Length > 0 && (await store.EvidenceBlobs.GetBlobClient(blobName).ExistsAsync()).Value;

    async Task<ClaimEntity> ClaimAsync(Site site, string subject, string name, string? phone, string uscc, bool? verify, string reason = "营业执照不清晰")
    {
        await site.Memberships.EnsurePersonAsync(subject, name, phone, default);
        var claim = (await site.Claims.SubmitAsync(new Claimant(subject, name), new ClaimRequest(uscc, "太原个人信息测试科技有限公司", "taiyuan"), GoodFiles(), default)).Value;
        if (verify is { } v)
        {
            Assert.Null((await site.Claims.DecideAsync(Taiyuan, claim.ClaimId, v, v ? null : reason, default)).Failure);
        }

        return (await site.Claims.OwnAsync(subject, claim.ClaimId, default)).Value;
    }

    [Fact]
    public async Task The_enterprises_personal_data_copy_holds_its_people_their_memberships_and_the_claims_with_their_documents()
    {
        var site = await NewAsync();
        var e = A.Enterprise().InCity("taiyuan").Build();
        await site.Store.TryAddAsync(VoucherStore.Enterprises, e);
        var claim = await ClaimAsync(site, "oidc|pd-admin", "郑个人", "13903510456", e.Uscc, true);

        var export = new PersonalDataExport(site.Store, site.Audit, time, NullLogger<PersonalDataExport>.Instance, site.People);
        using var doc = JsonDocument.Parse((await export.ExportAsync(new VoucherPrincipal("oidc|pd-admin", "郑个人", Role.Enterprise, e.Uscc), default)).Value);

        var person = Assert.Single(doc.RootElement.GetProperty("people").EnumerateArray());
        Assert.Equal(("郑个人", "13903510456"), (person.GetProperty("Name").GetString(), person.GetProperty("Phone").GetString()));
        var membership = Assert.Single(doc.RootElement.GetProperty("memberships").EnumerateArray());
        Assert.Equal((claim.MembershipId, "Verified"), (membership.GetProperty("Id").GetString(), membership.GetProperty("State").GetString()));
        var claimed = Assert.Single(doc.RootElement.GetProperty("claims").EnumerateArray());
        Assert.Equal((claim.LicenceSha256, "营业执照.png"), (claimed.GetProperty("LicenceSha256").GetString(), claimed.GetProperty("LicenceFileName").GetString()));
        var subjects = doc.RootElement.GetProperty("audit").EnumerateArray().Select(a => a.GetProperty("subject").GetString()).ToList();
        Assert.Contains(ClaimService.AuditSubject(claim.ClaimId), subjects);
        Assert.Contains(MembershipKeys.AuditSubject(claim.MembershipId), subjects);
    }

    [Fact]
    public async Task Retention_deletes_a_decided_claims_documents_after_their_years_and_keeps_a_waiting_or_recent_one()
    {
        var site = await NewAsync();
        var verified = await ClaimAsync(site, "oidc|rt-verified", "甲", null, TestUscc.New("taiyuan"), true);
        var rejected = await ClaimAsync(site, "oidc|rt-rejected", "乙", null, TestUscc.New("taiyuan"), false);
        var waiting = await ClaimAsync(site, "oidc|rt-waiting", "丙", null, TestUscc.New("taiyuan"), null);

        // Two years on: the rejection's documents are past their year; the verified claim's are kept ten.
        var twoYears = time.GetUtcNow().AddYears(2);
        Assert.Equal(2, (await site.People.ApplyRetentionAsync(twoYears, default)).ClaimDocuments);
        var afterRejection = (await site.Claims.OwnAsync("oidc|rt-rejected", rejected.ClaimId, default)).Value;
        Assert.Equal(("", ""), (afterRejection.LicenceBlob, afterRejection.LetterBlob));
        Assert.Equal(rejected.LicenceSha256, afterRejection.LicenceSha256);
        Assert.False(await ExistsAsync(site.Store, rejected.LicenceBlob));
        Assert.False(await ExistsAsync(site.Store, rejected.LetterBlob));
        Assert.True(await ExistsAsync(site.Store, verified.LicenceBlob));
        Assert.Contains((await site.Audit.ReadAsync(ClaimService.AuditSubject(rejected.ClaimId))), a => a.Actor == AccountPersonalData.Actor && a.Detail.Contains(rejected.LicenceSha256, StringComparison.Ordinal));
        Assert.Equal(0, (await site.People.ApplyRetentionAsync(twoYears, default)).ClaimDocuments);

        // Eleven years on: the verified claim's too; a waiting claim keeps its documents however old.
        Assert.Equal(2, (await site.People.ApplyRetentionAsync(time.GetUtcNow().AddYears(11), default)).ClaimDocuments);
        Assert.False(await ExistsAsync(site.Store, verified.LetterBlob));
        Assert.True(await ExistsAsync(site.Store, waiting.LicenceBlob));
        Assert.True(await ExistsAsync(site.Store, waiting.LetterBlob));
    }

    [Fact]
    public async Task Retention_erases_the_name_and_phone_of_a_person_whose_memberships_ended_years_ago()
    {
        var site = await NewAsync();
        var left = await ClaimAsync(site, "oidc|rt-left", "吕离开", "13903510777", TestUscc.New("taiyuan"), false);
        var stays = await ClaimAsync(site, "oidc|rt-stays", "韩留下", "13903510888", TestUscc.New("taiyuan"), true);

        Assert.Equal(0, (await site.People.ApplyRetentionAsync(time.GetUtcNow().AddYears(9), default)).People);
        Assert.Equal("吕离开", (await site.Memberships.FindPersonAsync("oidc|rt-left", default))!.Name);

        Assert.Equal(1, (await site.People.ApplyRetentionAsync(time.GetUtcNow().AddYears(11), default)).People);
        var erased = await site.Memberships.FindPersonAsync("oidc|rt-left", default);
        Assert.Equal((AccountPersonalData.ErasedName, (string?)null), (erased!.Name, erased.Phone));
        Assert.Equal(("韩留下", "13903510888"), ((await site.Memberships.FindPersonAsync("oidc|rt-stays", default))!.Name, (await site.Memberships.FindPersonAsync("oidc|rt-stays", default))!.Phone));
        Assert.Single(await site.Audit.ReadAsync(AccountPersonalData.PersonAuditSubject("oidc|rt-left")));
        Assert.Equal(MembershipState.Rejected, (await site.Memberships.FindAsync(left.MembershipId, default))!.State);
        Assert.Equal(MembershipState.Verified, (await site.Memberships.FindAsync(stays.MembershipId, default))!.State);
        Assert.Equal(0, (await site.People.ApplyRetentionAsync(time.GetUtcNow().AddYears(12), default)).People);
    }
}
