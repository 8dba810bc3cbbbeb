using Microsoft.AspNetCore.Http;
using Voucher.Domain;
using Voucher.Domain.Catalogue;
using Voucher.Testing;
using Voucher.Workflows.Marketplace;
using Voucher.Workflows.Redemptions;
using Voucher.Workflows.Security;
using Voucher.Workflows.Services;
using Voucher.Workflows.Tests.Support;
using Voucher.Workflows.Storage;
using Voucher.Workflows.Policies;
using Voucher.Workflows.Supervision;
using static Voucher.Workflows.Tests.Marketplace.MarketWorld;

namespace Voucher.Workflows.Tests.Marketplace;

/// <summary>
/// The marketplace on Azurite: registration and verification, publishing, versions, search through the index and its
/// freshness across instances (the change log), ownership, demand → offer → order, the faculty record, and the
/// redemption prefill from an order. Each test has its own table prefix.
/// </summary>
[Collection(AzuriteCollection.Name)]
public sealed class MarketplaceTests(AzuriteFixture azurite)
{
    Task<MarketWorld> NewAsync() => MarketWorld.NewAsync(azurite);

    [Fact]
    public async Task Only_a_verified_institution_publishes_and_only_its_published_services_are_found()
    {
        var w = await NewAsync();
        var p = Inst("inst-a");
        var registered = await w.Institutions.RegisterAsync(p, Registration("山西大学分析测试中心"), default);
        Assert.Equal(InstitutionStatus.Pending, registered.Value.Status);
        Assert.Equal(["inst-a"], (await w.Institutions.PendingAsync(Province, default)).Value.Select(i => i.InstitutionId));

        var early = await w.Services.PublishAsync(p, Service("ICP-MS 微量元素检测"), default);
        Failed<Failure.Refused, ServiceEntity>(early);
        Assert.Empty(await w.Catalogue.ServicesOfAsync("inst-a", default));

        var noReason = await w.Institutions.DecideAsync(Province, new DecideVerification("inst-a", false, " "), default);
        Assert.Equal(["reason"], Fields(noReason));
        Failed<Failure.Forbidden, InstitutionEntity>(await w.Institutions.DecideAsync(Inst("inst-a"), new DecideVerification("inst-a", true, null), default));
        Assert.True((await w.Institutions.DecideAsync(Province, new DecideVerification("inst-a", true, null), default)).Succeeded);
        Assert.Empty((await w.Institutions.PendingAsync(Province, default)).Value);

        var published = await w.Services.PublishAsync(p, Service("ICP-MS 微量元素检测"), default);
        Assert.True(published.Succeeded, published.Failure?.Message);
        var hits = (await w.Search.SearchAsync(new SearchQuery("微量元素"), default)).Hits;
        Assert.Equal(published.Value.ServiceId, Assert.Single(hits).Doc.ServiceId);
        Assert.Equal("taiyuan", hits[0].Doc.CityCode);
        Assert.Equal("university", hits[0].Doc.InstitutionType);

        // A registered but unverified institution's service rows never reach the index.
        await w.Institutions.RegisterAsync(Inst("inst-b"), Registration("未核验机构"), default);
        await w.Store.UpsertAsync(VoucherStore.Services, new ServiceEntity { PartitionKey = "inst-b", RowKey = "svc-x", Title = "微量元素检测", Category = "testing", CityCode = "taiyuan" });
        await w.Catalogue.NoteServiceChangeAsync("inst-b", "svc-x", default);
        w.Time.Advance(CatalogueIndex.MaxStaleness);
        Assert.Single((await w.Search.SearchAsync(new SearchQuery("微量元素"), default)).Hits);
    }

    [Fact]
    public async Task Edits_keep_every_version_pause_and_retire_change_visibility_and_another_institution_is_refused()
    {
        var w = await NewAsync();
        var a = await w.VerifiedInstitutionAsync("inst-a", "太原理工大学材料测试中心");
        await w.VerifiedInstitutionAsync("inst-b", "大同大学", "datong");
        var s = await w.PublishedAsync(a, Service("扫描电镜材料表征"));
        Task<Outcome<ServiceEntity>> StatusAsync(string who, string status) =>
            w.Services.ChangeStatusAsync(Inst(who), new ChangeServiceStatus(a, s.ServiceId, status), default);

        var edited = await w.Services.EditAsync(Inst(a), new EditService(a, s.ServiceId, Service("场发射扫描电镜分析", from: 900m)), default);
        Assert.True(edited.Succeeded, edited.Failure?.Message);
        Assert.Equal(2, edited.Value.Version);
        Assert.Equal(90_000, edited.Value.PriceFromFen);
        Assert.Empty((await w.Search.SearchAsync(new SearchQuery("材料表征"), default)).Hits);
        Assert.Single((await w.Search.SearchAsync(new SearchQuery("场发射"), default)).Hits);

        Failed<Failure.Forbidden, ServiceEntity>(await w.Services.EditAsync(Inst("inst-b"), new EditService(a, s.ServiceId, Service("被篡改")), default));
        Failed<Failure.Forbidden, ServiceEntity>(await StatusAsync("inst-b", "retired"));
        Assert.Equal("场发射扫描电镜分析", (await w.Catalogue.GetServiceAsync(a, s.ServiceId, default))!.Title);

        Assert.True((await StatusAsync(a, "paused")).Succeeded);
        Assert.Empty((await w.Search.SearchAsync(new SearchQuery("电镜"), default)).Hits);
        Assert.True((await StatusAsync(a, "published")).Succeeded);
        Assert.Single((await w.Search.SearchAsync(new SearchQuery("电镜"), default)).Hits);
        Assert.True((await StatusAsync(a, "retired")).Succeeded);
        Assert.Empty((await w.Search.SearchAsync(new SearchQuery("电镜"), default)).Hits);
        Failed<Failure.Refused, ServiceEntity>(await StatusAsync(a, "published"));
        Failed<Failure.Refused, ServiceEntity>(await w.Services.EditAsync(Inst(a), new EditService(a, s.ServiceId, Service("再改")), default));

        var versions = await w.Catalogue.VersionsAsync(a, s.ServiceId, default);
        Assert.Equal([1, 2, 3, 4, 5], versions.Select(v => v.Version));
        Assert.Equal("扫描电镜材料表征", versions[0].Title);
        Assert.Equal(ServiceStatus.Retired, versions[^1].Status);
    }

    [Fact]
    public async Task Invalid_service_input_names_each_field_and_writes_nothing()
    {
        var w = await NewAsync();
        var a = await w.VerifiedInstitutionAsync("inst-a", "山西大学");
        var bad = await w.Services.PublishAsync(Inst(a), new ServiceContent("", "astrology", "", null, null, 0m, null, 0, "", ""), default);
        Assert.Equal(["category", "contact", "description", "priceFrom", "staff", "title", "turnaroundDays"], Fields(bad).Distinct().Order(StringComparer.Ordinal));
        var inverted = await w.Services.PublishAsync(Inst(a), Service("检测", from: 500m, to: 100m), default);
        Assert.Equal(["priceTo"], Fields(inverted));
        Assert.Empty(await w.Catalogue.ServicesOfAsync(a, default));
    }

    [Fact]
    public async Task Another_instance_sees_a_change_through_the_change_log_after_its_refresh_interval()
    {
        var w = await NewAsync();
        var a = await w.VerifiedInstitutionAsync("inst-a", "山西农业大学");
        await w.PublishedAsync(a, Service("小杂粮种质资源鉴定", "germplasm"));
        var other = w.OtherInstance();
        Assert.Single((await other.SearchAsync(new SearchQuery("种质"), default)).Hits);

        var second = await w.PublishedAsync(a, Service("苹果种质资源评价", "germplasm"));
        Assert.Equal(2, (await w.Search.SearchAsync(new SearchQuery("种质"), default)).Total); // the writer sees it at once
        Assert.Equal(1, (await other.SearchAsync(new SearchQuery("种质"), default)).Total); // the other within its interval not yet
        w.Time.Advance(CatalogueIndex.RefreshInterval + TimeSpan.FromMilliseconds(10));
        await SeesAsync(other, "种质", 2, "a refresh in the background after the interval");

        await w.Services.ChangeStatusAsync(Inst(a), new ChangeServiceStatus(a, second.ServiceId, "paused"), default);
        w.Time.Advance(CatalogueIndex.MaxStaleness);
        Assert.Equal(1, (await other.SearchAsync(new SearchQuery("种质"), default)).Total); // past the bound, the search waits for it

        // Revoking the institution's verification (a profile change that needs re-verification) takes all of it out.
        var changed = await w.Institutions.EditProfileAsync(Inst(a), new EditInstitutionProfile(a, Registration("山西农业大学") with { SharingPlatformId = "SX-OSP-9999" }), default);
        Assert.Equal(InstitutionStatus.Pending, changed.Value.Status);
        Assert.False(changed.Value.Verified);
        w.Time.Advance(CatalogueIndex.MaxStaleness);
        Assert.Equal(0, (await other.SearchAsync(new SearchQuery("种质"), default)).Total);
        Assert.Equal(0, (await w.Search.SearchAsync(new SearchQuery("种质"), default)).Total);
    }

    static Task SeesAsync(CatalogueSearch search, string keywords, int total, string because) =>
        Eventually.UntilAsync(async () => (await search.SearchAsync(new SearchQuery(keywords), default)).Total == total, TimeSpan.FromSeconds(10), because);

    [Fact]
    public async Task Demand_offer_and_acceptance_make_one_service_order_and_feed_the_faculty_record_and_redemption()
    {
        var w = await NewAsync();
        var a = await w.VerifiedInstitutionAsync("inst-a", "太原理工大学");
        var b = await w.VerifiedInstitutionAsync("inst-b", "山西省科技情报所");
        var testing = await w.PublishedAsync(a, Service("金属材料力学性能测试", staff: "刘洋、陈静"));
        var novelty = await w.PublishedAsync(b, Service("科技查新", "novelty-search"));
        var bTesting = await w.PublishedAsync(b, Service("材料成分分析"));
        var sme = await w.EnterpriseAsync();

        var invalid = await w.Demands.PostAsync(sme, new DemandDetails("testing", "x", 0m, "beijing", "2020-01-01"), default);
        Assert.Equal(["budget", "cityCode", "deadline"], Fields(invalid).Order(StringComparer.Ordinal));
        var demand = (await w.Demands.PostAsync(sme, new DemandDetails("testing", "铝合金板材拉伸与冲击检测", 20000m, "taiyuan", w.Deadline()), default)).Value;

        Assert.Equal([demand.DemandId], (await w.Demands.ForCallerAsync(Inst(a), default)).Select(m => m.Demand.DemandId));
        Assert.Single(await w.Demands.ForCallerAsync(Inst(b), default)); // b also publishes a testing service

        Task<Outcome<OfferEntity>> OfferAsync(string who, string serviceId, decimal price, int days = 5, string? message = null) =>
            w.Offers.MakeAsync(Inst(who), new MakeOffer(demand.DemandId, new OfferTerms(serviceId, price, days, message)), default);
        Assert.Equal(["serviceId"], Fields(await OfferAsync(b, novelty.ServiceId, 1000m))); // wrong category
        Assert.Equal(["serviceId"], Fields(await OfferAsync(b, testing.ServiceId, 1000m))); // not b's service
        Assert.True((await OfferAsync(a, testing.ServiceId, 12000.50m, 6, "一周完成")).Succeeded);
        Assert.True((await OfferAsync(b, bTesting.ServiceId, 15000m)).Succeeded);
        Assert.Equal(2, (await w.Demands.ViewAsync(sme, demand.DemandId, default)).Value.Offers.Count);

        var stranger = await w.EnterpriseAsync();
        Failed<Failure.NotFound, OrderTaken>(await w.Offers.AcceptAsync(stranger, new AcceptOffer(demand.DemandId, a, null), default));

        var order = await w.Offers.AcceptAsync(sme, new AcceptOffer(demand.DemandId, a, "HT-2026-0042"), default);
        Assert.True(order.Succeeded, order.Failure?.Message);
        Assert.False(order.Value.Existing);
        Assert.Equal(1_200_050, order.Value.Order.AgreedPriceFen);
        Assert.Equal("HT-2026-0042", order.Value.Order.ContractNumber);
        Assert.Equal(testing.ServiceId, order.Value.Order.ServiceId);
        var again = await w.Offers.AcceptAsync(sme, new AcceptOffer(demand.DemandId, a, "HT-2026-0042"), default);
        Assert.Equal((order.Value.Order.OrderId, true), (again.Value.Order.OrderId, again.Value.Existing));
        Failed<Failure.Conflict, OrderTaken>(await w.Offers.AcceptAsync(sme, new AcceptOffer(demand.DemandId, b, null), default));
        Failed<Failure.Conflict, OfferEntity>(await OfferAsync(b, bTesting.ServiceId, 9000m));
        Assert.Empty(await w.Demands.ForCallerAsync(Inst(a), default));
        var settled = (await w.Demands.ViewAsync(sme, demand.DemandId, default)).Value;
        Assert.Equal(DemandStatus.Accepted, settled.Demand.Status);
        Assert.Equal([(a, OfferStatus.Accepted), (b, OfferStatus.Open)], settled.Offers.Select(o => (o.InstitutionId, o.Status)).OrderBy(x => x.InstitutionId));
        Assert.Equal(1, (await w.Catalogue.GetServiceAsync(a, testing.ServiceId, default))!.UsedCount);
        Assert.Single(await w.Orders.ForCallerAsync(sme, default));
        Assert.Single(await w.Orders.ForCallerAsync(Inst(a), default));
        Assert.Empty(await w.Orders.ForCallerAsync(Inst(b), default));
        var orderId = order.Value.Order.OrderId;
        Assert.True((await w.Orders.ViewAsync(Inst(a), orderId, default)).Succeeded);
        Failed<Failure.NotFound, OrderEntity>(await w.Orders.ViewAsync(Inst(b), orderId, default));
        Failed<Failure.NotFound, OrderEntity>(await w.Orders.ViewAsync(stranger, orderId, default));

        var record = await w.Faculty.ForInstitutionAsync(a, null, default);
        Assert.Equal(["刘洋", "陈静"], record.Select(e => e.Staff));
        Assert.All(record, e => Assert.Equal(Cny.FromFen(1_200_050), e.Amount));
        Assert.Single(await w.Faculty.ForInstitutionAsync(a, "陈静", default));
        Assert.Equal(2, (await w.Faculty.ReadAsync(Province, a, "", default)).Value.Count);
        Failed<Failure.Forbidden, List<FacultyEntry>>(await w.Faculty.ReadAsync(Inst(b), a, "", default));
        var csv = System.Text.Encoding.UTF8.GetString(FacultyRecords.Csv(record));
        Assert.Contains("\"刘洋\"", csv, StringComparison.Ordinal);
        Assert.Contains("\"12000.50\"", csv, StringComparison.Ordinal);

        var (prefilled, problem) = await OrderPrefill.ApplyAsync(w.Store, sme, new CreateRedemptionRequest("V-1", null, null, null, null, null, orderId), default);
        Assert.Null(problem);
        Assert.Equal((a, testing.ServiceId, "HT-2026-0042", 12000.50m), (prefilled.InstitutionId, prefilled.ServiceId, prefilled.ContractNumber, prefilled.AmountPaid));
        var (_, refused) = await OrderPrefill.ApplyAsync(w.Store, stranger, new CreateRedemptionRequest("V-1", null, null, null, null, null, orderId), default);
        Assert.NotNull(refused);
    }

    [Fact]
    public async Task Search_filters_sorts_and_finds_similar_services_over_stored_rows()
    {
        var w = await NewAsync();
        var a = await w.VerifiedInstitutionAsync("inst-a", "太原机构", "taiyuan");
        var b = await w.VerifiedInstitutionAsync("inst-b", "大同机构", "datong");
        await w.PublishedAsync(a, Service("扫描电镜材料表征", from: 600m, to: null, days: 5));
        await w.PublishedAsync(b, Service("场发射扫描电镜分析", from: 300m, to: 900m, days: 9));
        var other = await w.PublishedAsync(b, Service("煤炭智能化咨询", "consulting", from: 5000m, to: 20000m, days: 20));

        var datong = await w.Search.SearchAsync(new SearchQuery("电镜", CityCode: "datong"), default);
        Assert.Equal(["场发射扫描电镜分析"], datong.Hits.Select(h => h.Doc.Title));
        var byPrice = await w.Search.SearchAsync(new SearchQuery("电镜", Sort: SearchSort.Price), default);
        Assert.Equal(["场发射扫描电镜分析", "扫描电镜材料表征"], byPrice.Hits.Select(h => h.Doc.Title));
        var byTurnaround = await w.Search.SearchAsync(new SearchQuery("电镜", Sort: SearchSort.Turnaround), default);
        Assert.Equal(["扫描电镜材料表征", "场发射扫描电镜分析"], byTurnaround.Hits.Select(h => h.Doc.Title));
        Assert.Equal(1, (await w.Search.SearchAsync(new SearchQuery(Category: "consulting"), default)).Total);
        Assert.Equal(2, (await w.Search.SearchAsync(new SearchQuery(PriceMaxFen: 100_000), default)).Total);
        Assert.Equal(2, (await w.Search.SearchAsync(new SearchQuery(), default)).Cities["datong"]);

        var sem = byPrice.Hits[1].Doc;
        var similar = await w.Search.SimilarAsync(sem.InstitutionId, sem.ServiceId, default);
        Assert.Equal("场发射扫描电镜分析", similar[0].Title);
        Assert.DoesNotContain(similar, d => d.ServiceId == sem.ServiceId);
        Assert.NotEqual(other.ServiceId, similar[0].ServiceId);
    }

    [Fact]
    public async Task Voucher_eligible_filter_and_badges_follow_the_province_policys_eligible_categories()
    {
        var w = await NewAsync();
        var a = await w.VerifiedInstitutionAsync("inst-elig", "晋中机构", "jinzhong");
        var testing = await w.PublishedAsync(a, Service("材料成分检测"));
        var consulting = await w.PublishedAsync(a, Service("工艺诊断咨询", "consulting", from: 3000m, to: 9000m));
        async Task<string[]> EligibleTitlesAsync(CatalogueSearch market, bool eligible) =>
            [.. (await market.SearchAsync(new SearchQuery(VoucherEligible: eligible), default)).Hits.Select(h => h.Doc.Title).Order(StringComparer.Ordinal)];

        // The default policy: every category of the scheme is eligible.
        Assert.Equal(["工艺诊断咨询", "材料成分检测"], await EligibleTitlesAsync(w.Search, true));

        // The province centre takes consulting off the list: the filter, the hits' flags, the pages and another
        // instance follow, without the catalogue changing.
        var withoutConsulting = ProvincePolicy.DefaultEligibleCategories.Where(c => c != "consulting").ToList();
        var province = new VoucherPrincipal("p", "prov", Role.Province, null);
        var published = await w.Policies.PublishProvincePolicyAsync(province, new ProvincePolicyChange(null, null, withoutConsulting, null, null, null, null, null, null, null, "咨询类暂不纳入 (consulting paused)"), default);
        Assert.True(published.Succeeded);
        Assert.Equal(["材料成分检测"], await EligibleTitlesAsync(w.Search, true));
        Assert.Equal(["工艺诊断咨询"], await EligibleTitlesAsync(w.Search, false));
        Assert.Equal(["材料成分检测"], await EligibleTitlesAsync(w.OtherInstance(), true));
        var all = await w.Search.SearchAsync(new SearchQuery(), default);
        Assert.Equal([(testing.ServiceId, true), (consulting.ServiceId, false)], all.Hits.Select(h => (h.Doc.ServiceId, h.VoucherEligible)).OrderBy(x => x.ServiceId == consulting.ServiceId));

        var pages = new CataloguePages(w.Search, w.Services);
        var filtered = await HtmlAsync(pages.SearchPageAsync(PageRequest(null, "?eligible=true")));
        Assert.Contains("材料成分检测", filtered, StringComparison.Ordinal);
        Assert.DoesNotContain("工艺诊断咨询", filtered, StringComparison.Ordinal);
        var unfiltered = await HtmlAsync(pages.SearchPageAsync(PageRequest(null, "")));
        Assert.Contains("工艺诊断咨询", unfiltered, StringComparison.Ordinal);
        Assert.Single(unfiltered.Split("<li class=\"result\""), item => item.Contains("<span class=\"tag voucher\">可用创新券</span>", StringComparison.Ordinal));
        var consultingPage = await HtmlAsync(pages.ServicePageAsync(PageRequest(null, "", ("institutionId", a), ("serviceId", consulting.ServiceId))));
        Assert.Contains("（不可用创新券）", consultingPage, StringComparison.Ordinal);
        var testingPage = await HtmlAsync(pages.ServicePageAsync(PageRequest(null, "", ("institutionId", a), ("serviceId", testing.ServiceId))));
        Assert.Contains("（可用创新券）", testingPage, StringComparison.Ordinal);

        // Put back: the result set follows again.
        Assert.True((await w.Policies.PublishProvincePolicyAsync(province, new ProvincePolicyChange(null, null, ProvincePolicy.DefaultEligibleCategories, null, null, null, null, null, null, null, "恢复 (restored)"), default)).Succeeded);
        Assert.Equal(["工艺诊断咨询", "材料成分检测"], await EligibleTitlesAsync(w.Search, true));
    }

    [Fact]
    public async Task Demo_data_seeds_a_searchable_catalogue_in_every_city_and_one_demand_with_an_offer_once()
    {
        var w = await NewAsync();
        var demo = Voucher.Demo.DemoData.Over(w.Store, w.Time);
        await demo.SeedAsync();
        await demo.SeedAsync();

        var all = await w.Search.SearchAsync(new SearchQuery(PageSize: 1), default);
        Assert.InRange(all.Total, 200, 400);
        Assert.Equal(11, all.Cities.Count);
        Assert.Equal(6, all.Categories.Count);
        Assert.NotEmpty((await w.Search.SearchAsync(new SearchQuery("电镜"), default)).Hits);
        var uscc = Voucher.Demo.DemoData.Enterprises[0].Uscc;
        var demand = Assert.Single(await w.Demands.ForCallerAsync(new VoucherPrincipal("sme", "SME", Role.Enterprise, uscc), default));
        Assert.Equal("inst-tyut", Assert.Single(demand.Offers).InstitutionId);
        var sem = await w.Catalogue.GetServiceAsync("inst-tyut", "svc-sem", default);
        Assert.Equal("刘洋、陈静", sem!.Staff);
    }
}
