namespace Voucher.Workflows.Tests.Marketplace;

/// <summary>
/// One application instance's marketplace over its own tables on Azurite (a fresh prefix per test), a fake clock, and
/// the parties and inputs the marketplace tests share.
/// </summary>
internal sealed class MarketWorld
{
    public static readonly VoucherPrincipal Province = new("prov", "省中心", Role.Province, "shanxi");

    MarketWorld(VoucherStore store, FakeTimeProvider time)
    {
        Store = store;
        Time = time;
        Catalogue = new CatalogueStore(store, time);
        Market = new MarketStore(store);
        Index = new CatalogueIndex(Catalogue, time, NullLogger<CatalogueIndex>.Instance);
        var province = new ProvincePolicyStore(store);
        Policies = new PolicyService(new PolicyStore(store, time), province, new Voucher.Workflows.Audit.AuditLog(store), time, NullLogger<PolicyService>.Instance);
        Search = new CatalogueSearch(Index, province);
        Institutions = new InstitutionService(Catalogue, Index, time, NullLogger<InstitutionService>.Instance);
        Services = new CatalogueService(Catalogue, Index, NullLogger<CatalogueService>.Instance);
        Demands = new DemandService(Market, Catalogue, store, time, NullLogger<DemandService>.Instance);
        Offers = new OfferService(Market, Catalogue, Index, time, NullLogger<OfferService>.Instance);
        Orders = new OrderService(Market);
        Faculty = new FacultyRecords(Market, Catalogue, new RedemptionStore(store));
    }

    public VoucherStore Store { get; }

    public FakeTimeProvider Time { get; }

    public CatalogueStore Catalogue { get; }

    public MarketStore Market { get; }

    public CatalogueIndex Index { get; }

    /// <summary>The province policy administration (its eligible categories decide the "voucher-eligible" filter and badge).</summary>
    public PolicyService Policies { get; }

    public CatalogueSearch Search { get; }

    public InstitutionService Institutions { get; }

    public CatalogueService Services { get; }

    public DemandService Demands { get; }

    public OfferService Offers { get; }

    public OrderService Orders { get; }

    public FacultyRecords Faculty { get; }

    public static async Task<MarketWorld> NewAsync(AzuriteFixture azurite) =>
        new(await StoreFactory.NewAsync(azurite), new FakeTimeProvider(DateTimeOffset.UtcNow));

    /// <summary>A second application instance's search over the same tables (its own in-memory index and policy cache).</summary>
    public CatalogueSearch OtherInstance() =>
        new(new CatalogueIndex(Catalogue, Time, NullLogger<CatalogueIndex>.Instance), new ProvincePolicyStore(Store));

    public static VoucherPrincipal Inst(string id) => new("u-" + id, id, Role.Institution, id);

    public static InstitutionProfile Registration(string name, string city = "taiyuan", string type = "university") =>
        new(name, type, city, "SXU-" + Guid.NewGuid().ToString("N")[..6], "SX-OSP-0001", "王老师", "13903510000", "面向中小企业开放");

    public static ServiceContent Service(string title, string category = "testing", decimal from = 800m, decimal? to = 3000m, int days = 7, string staff = "王建国、李敏", string description = "出具 CMA 检测报告") =>
        new(title, category, description, "GB/T 5750", "Agilent 7900", from, to, days, "0351-7010000", staff);

    public async Task<string> VerifiedInstitutionAsync(string id, string name, string city = "taiyuan")
    {
        Assert.True((await Institutions.RegisterAsync(Inst(id), Registration(name, city), default)).Succeeded);
        Assert.True((await Institutions.DecideAsync(Province, new DecideVerification(id, true, null), default)).Succeeded);
        return id;
    }

    public async Task<ServiceEntity> PublishedAsync(string institutionId, ServiceContent content) =>
        (await Services.PublishAsync(Inst(institutionId), content, default)).Value;

    /// <summary>A registered enterprise of <paramref name="city"/> as its signed-in user.</summary>
    public async Task<VoucherPrincipal> EnterpriseAsync(string city = "taiyuan")
    {
        var enterprise = A.Enterprise().InCity(city).Build();
        await Store.UpsertAsync(VoucherStore.Enterprises, enterprise);
        return new VoucherPrincipal("sme-" + enterprise.Uscc, "SME", Role.Enterprise, enterprise.Uscc);
    }

    public string Deadline(int days = 20) => MarketInput.Date(Domain.ChinaTime.DateOf(Time.GetUtcNow().UtcDateTime).AddDays(days));

    /// <summary>A page request as <paramref name="caller"/> with a query string (and a form body when <paramref name="form"/> is given).</summary>
    public static RequestContext PageRequest(VoucherPrincipal? caller, string query, params (string Name, string Value)[] route) =>
        PageRequest(caller, query, null, route);

    public static RequestContext PageRequest(VoucherPrincipal? caller, string query, Dictionary<string, string>? form, params (string Name, string Value)[] route)
    {
        var http = new DefaultHttpContext();
        http.Request.Method = form is null ? "GET" : "POST";
        http.Request.QueryString = new QueryString(query);
        if (form is not null)
        {
            http.Request.ContentType = "application/x-www-form-urlencoded";
            http.Request.Form = new FormCollection(form.ToDictionary(kv => kv.Key, kv => new Microsoft.Extensions.Primitives.StringValues(kv.Value)));
        }

        return new RequestContext(http, TestRequests.Route(route), caller, null!);
    }

    public static async Task<string> HtmlAsync(Task<IResult> page) =>
        await PageHtml.RenderAsync(await page);

    /// <summary>Where a form post sent the browser back to.</summary>
    public static async Task<string> RedirectAsync(Task<IResult> post) =>
        Uri.UnescapeDataString(Assert.IsType<RedirectHttpResult>(await post).Url);

    /// <summary>The failure of an act that should have failed, as the type expected.</summary>
    public static TFailure Failed<TFailure, T>(Outcome<T> outcome)
        where TFailure : Failure =>
        Assert.IsType<TFailure>(outcome.Failure);

    /// <summary>The fields an invalid act named, in order.</summary>
    public static string[] Fields<T>(Outcome<T> outcome) =>
        [.. Failed<Failure.Invalid, T>(outcome).Errors.Select(e => e.Field)];
}
