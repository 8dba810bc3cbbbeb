using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Time.Testing;
using Voucher.Domain;
using Voucher.Domain.Catalogue;
using Voucher.Testing;
using Voucher.Workflows.Marketplace;
using Voucher.Workflows.Policies;
using Voucher.Workflows.Redemptions;
using Voucher.Workflows.Security;
using Voucher.Workflows.Storage;
using Voucher.Workflows.Supervision;
using Voucher.Workflows.Tests.Support;

namespace Voucher.Workflows.Tests.Marketplace;

/// <summary>
/// The marketplace on Azurite: registration and verification, publishing, versions, search through the index and its
/// freshness across instances (the change log), ownership, demand → offer → order, the faculty record, and the
/// redemption prefill from an order. Each test has its own table prefix.
/// </summary>
[Collection(AzuriteCollection.Name)]
public sealed class MarketplaceTests(AzuriteFixture azurite)
{
    static readonly VoucherPrincipal Province = new("prov", "省中心", Role.Province, "shanxi");

    sealed class World(VoucherStore store, FakeTimeProvider time)
    {
        public VoucherStore Store { get; } = store;

        public FakeTimeProvider Time { get; } = time;

        public CatalogueStore Catalogue { get; } = new(store, time);

        public CatalogueIndex Index { get; private set; } = null!;

        public MarketService Market { get; private set; } = null!;

        /// <summary>The province policy administration (its eligible categories decide the "voucher-eligible" filter and badge).</summary>
        public PolicyService Policies { get; private set; } = null!;

        public World Init()
        {
            Index = new CatalogueIndex(Catalogue, Time);
            var province = new ProvincePolicyStore(Store);
            Policies = new PolicyService(new PolicyStore(Store, Time), province, Time, Microsoft.Extensions.Logging.Abstractions.NullLogger<PolicyService>.Instance);
            Market = new MarketService(Store, Catalogue, Index, province, Time);
            return this;
        }

        /// <summary>A second application instance over the same tables (its own in-memory index and policy cache).</summary>
        public MarketService OtherInstance() => new(Store, Catalogue, new CatalogueIndex(Catalogue, Time), new ProvincePolicyStore(Store), Time);
    }

    async Task<World> NewAsync() => new World(await StoreFactory.NewAsync(azurite), new FakeTimeProvider(DateTimeOffset.UtcNow)).Init();

    static VoucherPrincipal Inst(string id) => new("u-" + id, id, Role.Institution, id);

    static InstitutionRequest Registration(string name, string city = "taiyuan", string type = "university") =>
        new(name, type, city, "SXU-" + Guid.NewGuid().ToString("N")[..6], "SX-OSP-0001", "王老师", "13903510000", "面向中小企业开放");

    static ServiceRequest Service(string title, string category = "testing", decimal from = 800m, decimal? to = 3000m, int days = 7, string staff = "王建国、李敏", string description = "出具 CMA 检测报告") =>
        new(title, category, description, "GB/T 5750", "Agilent 7900", from, to, days, "0351-7010000", staff);

    async Task<string> VerifiedInstitutionAsync(World w, string id, string name, string city = "taiyuan")
    {
        Assert.True((await w.Market.RegisterInstitutionAsync(Inst(id), Registration(name, city), default)).Ok);
        Assert.True((await w.Market.DecideInstitutionAsync(Province, id, new VerificationRequest(true, null), default)).Ok);
        return id;
    }

    [Fact]
    public async Task Only_a_verified_institution_publishes_and_only_its_published_services_are_found()
    {
        var w = await NewAsync();
        var p = Inst("inst-a");
        var registered = await w.Market.RegisterInstitutionAsync(p, Registration("山西大学分析测试中心"), default);
        Assert.Equal(StatusCodes.Status201Created, registered.Status);
        Assert.Equal("pending", registered.Value!.EffectiveStatus);
        Assert.Equal(["inst-a"], (await w.Market.PendingInstitutionsAsync(default)).Select(i => i.InstitutionId));

        var early = await w.Market.PublishServiceAsync(p, Service("ICP-MS 微量元素检测"), default);
        Assert.Equal(StatusCodes.Status422UnprocessableEntity, early.Status);
        Assert.Empty(await w.Catalogue.ServicesOfAsync("inst-a", default));

        var noReason = await w.Market.DecideInstitutionAsync(Province, "inst-a", new VerificationRequest(false, " "), default);
        Assert.Equal("reason", Assert.Single(noReason.Errors).Field);
        Assert.False((await w.Market.DecideInstitutionAsync(Inst("inst-a"), "inst-a", new VerificationRequest(true, null), default)).Ok);
        Assert.True((await w.Market.DecideInstitutionAsync(Province, "inst-a", new VerificationRequest(true, null), default)).Ok);
        Assert.Empty(await w.Market.PendingInstitutionsAsync(default));

        var published = await w.Market.PublishServiceAsync(p, Service("ICP-MS 微量元素检测"), default);
        Assert.True(published.Ok, published.Message);
        var hits = (await w.Market.SearchAsync(new SearchQuery("微量元素"), default)).Hits;
        Assert.Equal(published.Value!.ServiceId, Assert.Single(hits).Doc.ServiceId);
        Assert.Equal("taiyuan", hits[0].Doc.CityCode);
        Assert.Equal("university", hits[0].Doc.InstitutionType);

        // A registered but unverified institution's service rows never reach the index.
        await w.Market.RegisterInstitutionAsync(Inst("inst-b"), Registration("未核验机构"), default);
        await w.Store.UpsertAsync(VoucherStore.Services, new Catalogue.ServiceEntity { PartitionKey = "inst-b", RowKey = "svc-x", Title = "微量元素检测", Category = "testing", CityCode = "taiyuan" });
        await w.Catalogue.NoteChangeAsync("service", "inst-b", "svc-x", default);
        w.Time.Advance(CatalogueIndex.MaxStaleness);
        Assert.Single((await w.Market.SearchAsync(new SearchQuery("微量元素"), default)).Hits);
    }

    [Fact]
    public async Task Edits_keep_every_version_pause_and_retire_change_visibility_and_another_institution_is_refused()
    {
        var w = await NewAsync();
        var a = await VerifiedInstitutionAsync(w, "inst-a", "太原理工大学材料测试中心");
        await VerifiedInstitutionAsync(w, "inst-b", "大同大学", "datong");
        var s = (await w.Market.PublishServiceAsync(Inst(a), Service("扫描电镜材料表征"), default)).Value!;

        var edited = await w.Market.UpdateServiceAsync(Inst(a), a, s.ServiceId, Service("场发射扫描电镜分析", from: 900m), default);
        Assert.True(edited.Ok, edited.Message);
        Assert.Equal(2, edited.Value!.Version);
        Assert.Equal(90_000, edited.Value.PriceFromFen);
        Assert.Empty((await w.Market.SearchAsync(new SearchQuery("材料表征"), default)).Hits);
        Assert.Single((await w.Market.SearchAsync(new SearchQuery("场发射"), default)).Hits);

        var foreign = await w.Market.UpdateServiceAsync(Inst("inst-b"), a, s.ServiceId, Service("被篡改"), default);
        Assert.Equal(StatusCodes.Status403Forbidden, foreign.Status);
        Assert.Equal(StatusCodes.Status403Forbidden, (await w.Market.SetServiceStatusAsync(Inst("inst-b"), a, s.ServiceId, "retired", default)).Status);
        Assert.Equal("场发射扫描电镜分析", (await w.Catalogue.GetServiceAsync(a, s.ServiceId, default))!.Title);

        Assert.True((await w.Market.SetServiceStatusAsync(Inst(a), a, s.ServiceId, "paused", default)).Ok);
        Assert.Empty((await w.Market.SearchAsync(new SearchQuery("电镜"), default)).Hits);
        Assert.True((await w.Market.SetServiceStatusAsync(Inst(a), a, s.ServiceId, "published", default)).Ok);
        Assert.Single((await w.Market.SearchAsync(new SearchQuery("电镜"), default)).Hits);
        Assert.True((await w.Market.SetServiceStatusAsync(Inst(a), a, s.ServiceId, "retired", default)).Ok);
        Assert.Empty((await w.Market.SearchAsync(new SearchQuery("电镜"), default)).Hits);
        Assert.Equal(StatusCodes.Status422UnprocessableEntity, (await w.Market.SetServiceStatusAsync(Inst(a), a, s.ServiceId, "published", default)).Status);
        Assert.Equal(StatusCodes.Status422UnprocessableEntity, (await w.Market.UpdateServiceAsync(Inst(a), a, s.ServiceId, Service("再改"), default)).Status);

        var versions = await w.Catalogue.VersionsAsync(a, s.ServiceId, default);
        Assert.Equal([1, 2, 3, 4, 5], versions.Select(v => v.Version));
        Assert.Equal("扫描电镜材料表征", versions[0].Title);
        Assert.Equal("retired", versions[^1].Status);
    }

    [Fact]
    public async Task Invalid_service_input_names_each_field_and_writes_nothing()
    {
        var w = await NewAsync();
        var a = await VerifiedInstitutionAsync(w, "inst-a", "山西大学");
        var bad = await w.Market.PublishServiceAsync(Inst(a), new ServiceRequest("", "astrology", "", null, null, 0m, null, 0, "", ""), default);
        Assert.Equal(["category", "contact", "description", "priceFrom", "staff", "title", "turnaroundDays"], bad.Errors.Select(e => e.Field).Distinct().Order(StringComparer.Ordinal));
        var inverted = await w.Market.PublishServiceAsync(Inst(a), Service("检测", from: 500m, to: 100m), default);
        Assert.Equal("priceTo", Assert.Single(inverted.Errors).Field);
        Assert.Empty(await w.Catalogue.ServicesOfAsync(a, default));
    }

    [Fact]
    public async Task Another_instance_sees_a_change_through_the_change_log_after_its_refresh_interval()
    {
        var w = await NewAsync();
        var a = await VerifiedInstitutionAsync(w, "inst-a", "山西农业大学");
        await w.Market.PublishServiceAsync(Inst(a), Service("小杂粮种质资源鉴定", "germplasm"), default);
        var other = w.OtherInstance();
        Assert.Single((await other.SearchAsync(new SearchQuery("种质"), default)).Hits);

        var second = (await w.Market.PublishServiceAsync(Inst(a), Service("苹果种质资源评价", "germplasm"), default)).Value!;
        Assert.Equal(2, (await w.Market.SearchAsync(new SearchQuery("种质"), default)).Total); // the writer sees it at once
        Assert.Equal(1, (await other.SearchAsync(new SearchQuery("种质"), default)).Total); // the other within its interval not yet
        w.Time.Advance(CatalogueIndex.RefreshInterval + TimeSpan.FromMilliseconds(10));
        await SeesAsync(other, "种质", 2, "a refresh in the background after the interval");

        await w.Market.SetServiceStatusAsync(Inst(a), a, second.ServiceId, "paused", default);
        w.Time.Advance(CatalogueIndex.MaxStaleness);
        Assert.Equal(1, (await other.SearchAsync(new SearchQuery("种质"), default)).Total); // past the bound, the search waits for it

        // Revoking the institution's verification (a profile change that needs re-verification) takes all of it out.
        var changed = await w.Market.UpdateInstitutionAsync(Inst(a), a, Registration("山西农业大学") with { SharingPlatformId = "SX-OSP-9999" }, default);
        Assert.Equal("pending", changed.Value!.EffectiveStatus);
        w.Time.Advance(CatalogueIndex.MaxStaleness);
        Assert.Equal(0, (await other.SearchAsync(new SearchQuery("种质"), default)).Total);
        Assert.Equal(0, (await w.Market.SearchAsync(new SearchQuery("种质"), default)).Total);
    }

    static Task SeesAsync(MarketService market, string keywords, int total, string because) =>
        Eventually.UntilAsync(async () => (await market.SearchAsync(new SearchQuery(keywords), default)).Total == total, TimeSpan.FromSeconds(10), because);

    [Fact]
    public async Task Demand_offer_and_acceptance_make_one_service_order_and_feed_the_faculty_record_and_redemption()
    {
        var w = await NewAsync();
        var a = await VerifiedInstitutionAsync(w, "inst-a", "太原理工大学");
        var b = await VerifiedInstitutionAsync(w, "inst-b", "山西省科技情报所");
        var testing = (await w.Market.PublishServiceAsync(Inst(a), Service("金属材料力学性能测试", staff: "刘洋、陈静"), default)).Value!;
        var novelty = (await w.Market.PublishServiceAsync(Inst(b), Service("科技查新", "novelty-search"), default)).Value!;
        var bTesting = (await w.Market.PublishServiceAsync(Inst(b), Service("材料成分分析"), default)).Value!;
        var enterprise = TestEnterprises.Registered("taiyuan");
        await w.Store.UpsertAsync(VoucherStore.Enterprises, enterprise);
        var sme = new VoucherPrincipal("sme", "SME", Role.Enterprise, enterprise.Uscc);
        var deadline = ChinaTime.DateOf(w.Time.GetUtcNow().UtcDateTime).AddDays(20).ToString("yyyy-MM-dd");

        var invalid = await w.Market.PostDemandAsync(sme, new DemandRequest("testing", "x", 0m, "beijing", "2020-01-01"), default);
        Assert.Equal(["budget", "cityCode", "deadline"], invalid.Errors.Select(e => e.Field).Order(StringComparer.Ordinal));
        var demand = (await w.Market.PostDemandAsync(sme, new DemandRequest("testing", "铝合金板材拉伸与冲击检测", 20000m, "taiyuan", deadline), default)).Value!;

        Assert.Equal([demand.DemandId], (await w.Market.MatchingDemandAsync(a, default)).Select(m => m.Demand.DemandId));
        Assert.Single(await w.Market.MatchingDemandAsync(b, default)); // b also publishes a testing service

        var wrongCategory = await w.Market.MakeOfferAsync(Inst(b), demand.DemandId, new OfferRequest(novelty.ServiceId, 1000m, 5, null), default);
        Assert.Equal("serviceId", Assert.Single(wrongCategory.Errors).Field);
        var notTheirs = await w.Market.MakeOfferAsync(Inst(b), demand.DemandId, new OfferRequest(testing.ServiceId, 1000m, 5, null), default);
        Assert.Equal("serviceId", Assert.Single(notTheirs.Errors).Field);
        Assert.True((await w.Market.MakeOfferAsync(Inst(a), demand.DemandId, new OfferRequest(testing.ServiceId, 12000.50m, 6, "一周完成"), default)).Ok);
        Assert.True((await w.Market.MakeOfferAsync(Inst(b), demand.DemandId, new OfferRequest(bTesting.ServiceId, 15000m, 5, null), default)).Ok);
        Assert.Equal(2, (await w.Market.OffersAsync(demand.DemandId, default)).Count);

        var stranger = new VoucherPrincipal("other", "Other", Role.Enterprise, TestEnterprises.Registered("taiyuan").Uscc);
        Assert.Equal(StatusCodes.Status404NotFound, (await w.Market.AcceptOfferAsync(stranger, demand.DemandId, a, null, default)).Status);

        var order = await w.Market.AcceptOfferAsync(sme, demand.DemandId, a, "HT-2026-0042", default);
        Assert.True(order.Ok, order.Message);
        Assert.Equal(1_200_050, order.Value!.AgreedPriceFen);
        Assert.Equal("HT-2026-0042", order.Value.ContractNumber);
        Assert.Equal(testing.ServiceId, order.Value.ServiceId);
        Assert.Equal(order.Value.OrderId, (await w.Market.AcceptOfferAsync(sme, demand.DemandId, a, "HT-2026-0042", default)).Value!.OrderId);
        Assert.Equal(StatusCodes.Status409Conflict, (await w.Market.AcceptOfferAsync(sme, demand.DemandId, b, null, default)).Status);
        Assert.Equal(StatusCodes.Status409Conflict, (await w.Market.MakeOfferAsync(Inst(b), demand.DemandId, new OfferRequest(bTesting.ServiceId, 9000m, 5, null), default)).Status);
        Assert.Empty(await w.Market.MatchingDemandAsync(a, default));
        Assert.Equal(1, (await w.Catalogue.GetServiceAsync(a, testing.ServiceId, default))!.UsedCount);
        Assert.Single(await w.Market.OrdersOfAsync("ent:" + enterprise.Uscc, default));
        Assert.Single(await w.Market.OrdersOfAsync("inst:" + a, default));
        Assert.Empty(await w.Market.OrdersOfAsync("inst:" + b, default));

        var faculty = new FacultyRecords(w.Market, w.Catalogue, new RedemptionStore(w.Store));
        var record = await faculty.ForInstitutionAsync(a, null, default);
        Assert.Equal(["刘洋", "陈静"], record.Select(e => e.Staff));
        Assert.All(record, e => Assert.Equal(Cny.FromFen(1_200_050), e.Amount));
        Assert.Single(await faculty.ForInstitutionAsync(a, "陈静", default));
        var csv = System.Text.Encoding.UTF8.GetString(FacultyRecords.Csv(record));
        Assert.Contains("\"刘洋\"", csv, StringComparison.Ordinal);
        Assert.Contains("\"12000.50\"", csv, StringComparison.Ordinal);

        var (prefilled, problem) = await OrderPrefill.ApplyAsync(w.Store, sme, new CreateRedemptionRequest("V-1", null, null, null, null, null, order.Value.OrderId), default);
        Assert.Null(problem);
        Assert.Equal((a, testing.ServiceId, "HT-2026-0042", 12000.50m), (prefilled.InstitutionId, prefilled.ServiceId, prefilled.ContractNumber, prefilled.AmountPaid));
        var (_, refused) = await OrderPrefill.ApplyAsync(w.Store, stranger, new CreateRedemptionRequest("V-1", null, null, null, null, null, order.Value.OrderId), default);
        Assert.NotNull(refused);
    }

    [Fact]
    public async Task Search_filters_sorts_and_finds_similar_services_over_stored_rows()
    {
        var w = await NewAsync();
        var a = await VerifiedInstitutionAsync(w, "inst-a", "太原机构", "taiyuan");
        var b = await VerifiedInstitutionAsync(w, "inst-b", "大同机构", "datong");
        await w.Market.PublishServiceAsync(Inst(a), Service("扫描电镜材料表征", from: 600m, to: null, days: 5), default);
        await w.Market.PublishServiceAsync(Inst(b), Service("场发射扫描电镜分析", from: 300m, to: 900m, days: 9), default);
        var other = (await w.Market.PublishServiceAsync(Inst(b), Service("煤炭智能化咨询", "consulting", from: 5000m, to: 20000m, days: 20), default)).Value!;

        var datong = await w.Market.SearchAsync(new SearchQuery("电镜", CityCode: "datong"), default);
        Assert.Equal(["场发射扫描电镜分析"], datong.Hits.Select(h => h.Doc.Title));
        var byPrice = await w.Market.SearchAsync(new SearchQuery("电镜", Sort: SearchSort.Price), default);
        Assert.Equal(["场发射扫描电镜分析", "扫描电镜材料表征"], byPrice.Hits.Select(h => h.Doc.Title));
        var byTurnaround = await w.Market.SearchAsync(new SearchQuery("电镜", Sort: SearchSort.Turnaround), default);
        Assert.Equal(["扫描电镜材料表征", "场发射扫描电镜分析"], byTurnaround.Hits.Select(h => h.Doc.Title));
        Assert.Equal(1, (await w.Market.SearchAsync(new SearchQuery(Category: "consulting"), default)).Total);
        Assert.Equal(2, (await w.Market.SearchAsync(new SearchQuery(PriceMaxFen: 100_000), default)).Total);
        Assert.Equal(2, (await w.Market.SearchAsync(new SearchQuery(), default)).Cities["datong"]);

        var sem = byPrice.Hits[1].Doc;
        var similar = await w.Market.SimilarAsync(sem.InstitutionId, sem.ServiceId, default);
        Assert.Equal("场发射扫描电镜分析", similar[0].Title);
        Assert.DoesNotContain(similar, d => d.ServiceId == sem.ServiceId);
        Assert.NotEqual(other.ServiceId, similar[0].ServiceId);
    }

    [Fact]
    public async Task Voucher_eligible_filter_and_badges_follow_the_province_policys_eligible_categories()
    {
        var w = await NewAsync();
        var a = await VerifiedInstitutionAsync(w, "inst-elig", "晋中机构", "jinzhong");
        var testing = (await w.Market.PublishServiceAsync(Inst(a), Service("材料成分检测"), default)).Value!;
        var consulting = (await w.Market.PublishServiceAsync(Inst(a), Service("工艺诊断咨询", "consulting", from: 3000m, to: 9000m), default)).Value!;
        async Task<string[]> EligibleTitlesAsync(MarketService market, bool eligible) =>
            [.. (await market.SearchAsync(new SearchQuery(VoucherEligible: eligible), default)).Hits.Select(h => h.Doc.Title).Order(StringComparer.Ordinal)];

        // The default policy: every category of the scheme is eligible.
        Assert.Equal(["工艺诊断咨询", "材料成分检测"], await EligibleTitlesAsync(w.Market, true));

        // The province centre takes consulting off the list: the filter, the hits' flags, the pages and another
        // instance follow, without the catalogue changing.
        var withoutConsulting = ProvincePolicy.DefaultEligibleCategories.Where(c => c != "consulting").ToList();
        var province = new VoucherPrincipal("p", "prov", Role.Province, null);
        var published = await w.Policies.PublishProvincePolicyAsync(province, new ProvincePolicyChange(null, null, withoutConsulting, null, null, null, null, null, null, null, "咨询类暂不纳入 (consulting paused)"), default);
        Assert.True(published.Succeeded);
        Assert.Equal(["材料成分检测"], await EligibleTitlesAsync(w.Market, true));
        Assert.Equal(["工艺诊断咨询"], await EligibleTitlesAsync(w.Market, false));
        Assert.Equal(["材料成分检测"], await EligibleTitlesAsync(w.OtherInstance(), true));
        var all = await w.Market.SearchAsync(new SearchQuery(), default);
        Assert.Equal([(testing.ServiceId, true), (consulting.ServiceId, false)], all.Hits.Select(h => (h.Doc.ServiceId, h.VoucherEligible)).OrderBy(x => x.ServiceId == consulting.ServiceId));

        var pages = new CataloguePages(w.Market, w.Catalogue);
        var filtered = await HtmlAsync(pages.SearchPageAsync(PageRequest("?eligible=true")));
        Assert.Contains("材料成分检测", filtered, StringComparison.Ordinal);
        Assert.DoesNotContain("工艺诊断咨询", filtered, StringComparison.Ordinal);
        var unfiltered = await HtmlAsync(pages.SearchPageAsync(PageRequest("")));
        Assert.Contains("工艺诊断咨询", unfiltered, StringComparison.Ordinal);
        Assert.Single(unfiltered.Split("<li class=\"result\""), item => item.Contains("<span class=\"ok\">可用创新券</span>", StringComparison.Ordinal));
        var consultingPage = await HtmlAsync(pages.ServicePageAsync(PageRequest("", ("institutionId", a), ("serviceId", consulting.ServiceId))));
        Assert.Contains("（不可用创新券 not voucher-eligible）", consultingPage, StringComparison.Ordinal);
        var testingPage = await HtmlAsync(pages.ServicePageAsync(PageRequest("", ("institutionId", a), ("serviceId", testing.ServiceId))));
        Assert.Contains("（可用创新券 voucher-eligible）", testingPage, StringComparison.Ordinal);

        // Put back: the result set follows again.
        Assert.True((await w.Policies.PublishProvincePolicyAsync(province, new ProvincePolicyChange(null, null, ProvincePolicy.DefaultEligibleCategories, null, null, null, null, null, null, null, "恢复 (restored)"), default)).Succeeded);
        Assert.Equal(["工艺诊断咨询", "材料成分检测"], await EligibleTitlesAsync(w.Market, true));
    }

    static Voucher.Workflows.Http.RequestContext PageRequest(string query, params (string Name, string Value)[] route)
    {
        var http = new DefaultHttpContext();
        http.Request.Method = "GET";
        http.Request.QueryString = new QueryString(query);
        var values = new Microsoft.AspNetCore.Routing.RouteValueDictionary();
        foreach (var (name, value) in route)
        {
            values[name] = value;
        }

        return new Voucher.Workflows.Http.RequestContext(http, values, null, null!);
    }

    static async Task<string> HtmlAsync(Task<IResult> page) =>
        Assert.IsType<Microsoft.AspNetCore.Http.HttpResults.ContentHttpResult>(await page).ResponseContent!;

    [Fact]
    public async Task Demo_data_seeds_a_searchable_catalogue_in_every_city_and_one_demand_with_an_offer_once()
    {
        var w = await NewAsync();
        var demo = Voucher.Workflows.Demo.DemoData.Over(w.Store, w.Time);
        await demo.SeedAsync();
        await demo.SeedAsync();

        var all = await w.Market.SearchAsync(new SearchQuery(PageSize: 1), default);
        Assert.InRange(all.Total, 200, 400);
        Assert.Equal(11, all.Cities.Count);
        Assert.Equal(6, all.Categories.Count);
        Assert.NotEmpty((await w.Market.SearchAsync(new SearchQuery("电镜"), default)).Hits);
        var uscc = Voucher.Workflows.Demo.DemoData.Enterprises[0].Uscc;
        var demand = Assert.Single(await w.Market.DemandsOfEnterpriseAsync(uscc, default));
        Assert.Equal("inst-tyut", Assert.Single(await w.Market.OffersAsync(demand.DemandId, default)).InstitutionId);
        var sem = await w.Catalogue.GetServiceAsync("inst-tyut", "svc-sem", default);
        Assert.Equal("刘洋、陈静", sem!.Staff);
    }
}
