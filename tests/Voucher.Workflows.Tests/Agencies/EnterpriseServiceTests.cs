namespace Voucher.Workflows.Tests.Agencies;

/// <summary>The enterprises' acts on Azurite: registration, reading a registration, and editing the profile.</summary>
[Collection(AzuriteCollection.Name)]
public sealed class EnterpriseServiceTests(AzuriteFixture azurite)
{
    readonly FakeTimeProvider time = new(new DateTimeOffset(2026, 11, 27, 1, 0, 0, TimeSpan.Zero));

    static VoucherPrincipal Enterprise(string uscc) => new("u:" + uscc, "SME", Role.Enterprise, uscc);

    static EnterpriseService Enterprises(VoucherStore store, AuditLog audit, TimeProvider time) =>
        new(store, new ApplicationStore(store), new VoucherRepository(store), audit, time, NullLogger<EnterpriseService>.Instance);

    static RegisterEnterpriseRequest Registration(string uscc, string city = "taiyuan") =>
        new(uscc, "太原测试科技有限公司", city, "small", "202614010001", "周工", "13903510001");

    [Fact]
    public async Task Register_ValidatesFirst_OnlyForItself_Once_AndReadableByItsCityOnly()
    {
        var store = await StoreFactory.NewAsync(azurite);
        var enterprises = Enterprises(store, new AuditLog(store), time);
        var uscc = TestUscc.New("taiyuan");

        var bad = await enterprises.RegisterAsync(Enterprise(uscc), new RegisterEnterpriseRequest(uscc, " ", "atlantis", "huge", "!", "", "12"), default);
        Assert.Equal(["cityCode", "contactName", "contactPhone", "name", "sizeClass", "techSmeNumber"], Assert.IsType<Failure.Invalid>(bad.Failure).Errors.Select(e => e.Field).Distinct().Order());
        Assert.IsType<Failure.Forbidden>((await enterprises.RegisterAsync(Enterprise(TestUscc.New("taiyuan")), Registration(uscc), default)).Failure);
        Assert.IsType<Failure.NotFound>((await enterprises.ViewAsync(Enterprise(uscc), uscc, default)).Failure);

        Assert.Equal(time.GetUtcNow(), (await enterprises.RegisterAsync(Enterprise(uscc), Registration(uscc), default)).Value.RegisteredAt);
        Assert.IsType<Failure.Conflict>((await enterprises.RegisterAsync(new VoucherPrincipal("p", "prov", Role.Province, null), Registration(uscc), default)).Failure);

        Assert.Equal(uscc, (await enterprises.ViewAsync(new VoucherPrincipal("f", "finance", Role.FinanceBureau, "taiyuan"), uscc.ToLowerInvariant(), default)).Value.Uscc);
        Assert.IsType<Failure.NotFound>((await enterprises.ViewAsync(new VoucherPrincipal("b", "bureau", Role.CityBureau, "datong"), uscc, default)).Failure);
    }

    [Fact]
    public async Task Profile_SavesChangedFields_AuditsNamesNotValues_RefusesBadInputUnchanged()
    {
        var store = await StoreFactory.NewAsync(azurite);
        var audit = new AuditLog(store);
        var profile = Enterprises(store, audit, time);
        var e = A.Enterprise().Build();
        await store.TryAddAsync(VoucherStore.Enterprises, e);
        var me = Enterprise(e.Uscc) with { Agency = "agency-one" };

        var saved = await profile.EditProfileAsync(me, e.Uscc, new UpdateEnterpriseProfileRequest(e.Name, "datong", "medium", e.TechSmeNumber, "新联系人", "13911112222", "太原市小店区 1 号"), default);
        Assert.Equal(["cityCode", "sizeClass", "contactName", "contactPhone", "address"], saved.Value.Changed);
        var row = await store.GetAsync<EnterpriseEntity>(VoucherStore.Enterprises, e.Uscc, EnterpriseEntity.ProfileRow);
        Assert.Equal(("datong", "medium", "新联系人", "13911112222", "太原市小店区 1 号"), (row!.CityCode, row.SizeClass, row.ContactName, row.ContactPhone, row.Address));
        var log = Assert.Single(await audit.ReadAsync(AuditSubjects.Enterprise(e.Uscc)));
        Assert.Equal(("agency-one", $"enterprise:{e.Uscc}"), (log.Agency, log.ActedFor));
        Assert.Contains("contactPhone", log.Detail);
        Assert.DoesNotContain("13911112222", log.Detail);

        var bad = await profile.EditProfileAsync(me, e.Uscc, new UpdateEnterpriseProfileRequest("", "datong", "huge", e.TechSmeNumber, "x", "12", new string('地', 201)), default);
        Assert.Equal(["address", "contactPhone", "name", "sizeClass"], Assert.IsType<Failure.Invalid>(bad.Failure).Errors.Select(x => x.Field).Distinct().Order().ToArray());
        Assert.Equal("13911112222", (await store.GetAsync<EnterpriseEntity>(VoucherStore.Enterprises, e.Uscc, EnterpriseEntity.ProfileRow))!.ContactPhone);

        var other = await profile.EditProfileAsync(Enterprise(TestUscc.New("taiyuan")), e.Uscc, new UpdateEnterpriseProfileRequest(e.Name, "datong", "small", e.TechSmeNumber, "x", "13911112222", ""), default);
        Assert.IsType<Failure.Forbidden>(other.Failure);
        Assert.IsType<Failure.NotFound>((await profile.EditProfileAsync(Enterprise(TestUscc.New("taiyuan")) with { Role = Role.Province }, TestUscc.New("taiyuan"), new UpdateEnterpriseProfileRequest(e.Name, "datong", "small", e.TechSmeNumber, "x", "13911112222", ""), default)).Failure);
    }

    [Fact]
    public async Task Profile_CityIsFixedOnceThereIsAnApplication()
    {
        var store = await StoreFactory.NewAsync(azurite);
        var profile = Enterprises(store, new AuditLog(store), time);
        var e = A.Enterprise().Build();
        await store.TryAddAsync(VoucherStore.Enterprises, e);
        Assert.True(await new ApplicationStore(store).TryCreateAsync(A.Application(e).SubmittedAt(time.GetUtcNow()).Build()));

        var moved = await profile.EditProfileAsync(Enterprise(e.Uscc), e.Uscc, new UpdateEnterpriseProfileRequest(e.Name, "datong", "small", e.TechSmeNumber, e.ContactName, e.ContactPhone, ""), default);
        Assert.Equal("cityCode", Assert.Single(Assert.IsType<Failure.Invalid>(moved.Failure).Errors).Field);

        var same = await profile.EditProfileAsync(Enterprise(e.Uscc), e.Uscc, new UpdateEnterpriseProfileRequest(e.Name, "taiyuan", "small", e.TechSmeNumber, e.ContactName, e.ContactPhone, ""), default);
        Assert.Empty(same.Value.Changed);
    }
}
