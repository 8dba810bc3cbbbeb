using Voucher.Workflows.Web;
using static Voucher.Workflows.Tests.Marketplace.MarketWorld;

namespace Voucher.Workflows.Tests.Marketplace;

/// <summary>
/// The marketplace pages' guardrails over the real services: retiring a service, deciding a verification and accepting
/// an offer are asked first on a confirmation page naming what follows, and act only on the confirming post; actions
/// the state no longer allows are not offered. Also the catalogue's filters and the service page's voucher action
/// through their handlers.
/// </summary>
[Collection(AzuriteCollection.Name)]
public sealed class MarketplaceConfirmationTests(AzuriteFixture azurite)
{
    static readonly Dictionary<string, string> Empty = [];

    [Fact]
    public async Task Retiring_a_service_is_confirmed_first_and_then_nothing_more_is_offered_for_it()
    {
        var w = await MarketWorld.NewAsync(azurite);
        var a = await w.VerifiedInstitutionAsync("inst-ret", "太原理工大学");
        var s = await w.PublishedAsync(a, Service("金属材料力学性能测试"));
        var pages = new InstitutionServicePages(w.Services, w.Search, w.Institutions);
        var home = new InstitutionMarketPages(w.Institutions, w.Services);
        var retire = new Dictionary<string, string> { ["status"] = "retired" };

        var confirm = await HtmlAsync(pages.SetStatusAsync(PageRequest(Inst(a), "", retire, ("serviceId", s.ServiceId))));
        Assert.Contains("确认下架“金属材料力学性能测试”？", confirm, StringComparison.Ordinal);
        Assert.Contains("<dt>当前状态</dt><dd>已发布</dd>", confirm, StringComparison.Ordinal);
        Assert.Contains("<input type=\"hidden\" name=\"status\" value=\"retired\" />", confirm, StringComparison.Ordinal);
        Assert.Equal(ServiceStatus.Published, (await w.Catalogue.GetServiceAsync(a, s.ServiceId, default))!.Status);

        retire["confirmed"] = "yes";
        Assert.Contains("done=金属材料力学性能测试：已下架", await RedirectAsync(pages.SetStatusAsync(PageRequest(Inst(a), "", retire, ("serviceId", s.ServiceId)))), StringComparison.Ordinal);
        var page = await HtmlAsync(home.HomeAsync(PageRequest(Inst(a), "")));
        Assert.Contains("已下架，不能修改或恢复", page, StringComparison.Ordinal);
        Assert.DoesNotContain("暂停接单", page, StringComparison.Ordinal);
        var form = await HtmlAsync(pages.ServiceFormAsync(PageRequest(Inst(a), "", ("serviceId", s.ServiceId))));
        Assert.Contains("该服务已下架，不能再修改。", form, StringComparison.Ordinal);
        Assert.DoesNotContain("<form", form, StringComparison.Ordinal);

        // A crafted pause of the retired service is refused with the reason in Chinese.
        Assert.Contains("error=服务已下架，不能恢复", await RedirectAsync(pages.SetStatusAsync(PageRequest(Inst(a), "", new Dictionary<string, string> { ["status"] = "paused" }, ("serviceId", s.ServiceId)))), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Verifying_or_rejecting_an_institution_is_confirmed_first_naming_the_institution()
    {
        var w = await MarketWorld.NewAsync(azurite);
        Assert.True((await w.Institutions.RegisterAsync(Inst("inst-ver"), Registration("晋城检测研究院", "jincheng"), default)).Succeeded);
        var pages = new ProvinceInstitutionPages(w.Institutions);

        var list = await HtmlAsync(pages.ListAsync(PageRequest(Province, "")));
        Assert.Contains("aria-label=\"通过认证：晋城检测研究院\"", list, StringComparison.Ordinal);
        Assert.Contains("<dt>所在地市</dt><dd>晋城市</dd>", list, StringComparison.Ordinal);

        Assert.Contains("error=不通过认证须填写理由", await RedirectAsync(pages.DecideAsync(PageRequest(Province, "", new Dictionary<string, string> { ["approve"] = "false" }, ("institutionId", "inst-ver")))), StringComparison.Ordinal);
        var reject = await HtmlAsync(pages.DecideAsync(PageRequest(Province, "", new Dictionary<string, string> { ["approve"] = "false", ["reason"] = "平台编号不符" }, ("institutionId", "inst-ver"))));
        Assert.Contains("确认“晋城检测研究院”不通过认证？", reject, StringComparison.Ordinal);
        Assert.Contains("<dt>理由</dt><dd>平台编号不符</dd>", reject, StringComparison.Ordinal);

        var approve = new Dictionary<string, string> { ["approve"] = "true" };
        Assert.Contains("确认“晋城检测研究院”通过认证？", await HtmlAsync(pages.DecideAsync(PageRequest(Province, "", approve, ("institutionId", "inst-ver")))), StringComparison.Ordinal);
        Assert.Equal(InstitutionStatus.Pending, (await w.Catalogue.GetInstitutionAsync("inst-ver", default))!.Status);
        approve["confirmed"] = "yes";
        Assert.Contains("done=晋城检测研究院：已认证", await RedirectAsync(pages.DecideAsync(PageRequest(Province, "", approve, ("institutionId", "inst-ver")))), StringComparison.Ordinal);
        Assert.DoesNotContain("晋城检测研究院", await HtmlAsync(pages.ListAsync(PageRequest(Province, ""))), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Accepting_an_offer_is_confirmed_naming_price_and_the_offers_it_ends_and_then_no_other_offer_is_offered()
    {
        var w = await MarketWorld.NewAsync(azurite);
        var a = await w.VerifiedInstitutionAsync("inst-acc-a", "太原理工大学");
        var b = await w.VerifiedInstitutionAsync("inst-acc-b", "山西大学");
        var sa = await w.PublishedAsync(a, Service("拉伸性能测试"));
        var sb = await w.PublishedAsync(b, Service("金属拉伸试验"));
        var sme = await w.EnterpriseAsync();
        var demandId = (await w.Demands.PostAsync(sme, new DemandDetails("testing", "铝合金板材拉伸检测", 20000m, "taiyuan", w.Deadline()), default)).Value.DemandId;
        await w.Offers.MakeAsync(Inst(a), new MakeOffer(demandId, new OfferTerms(sa.ServiceId, 9000m, 5, "一周完成")), default);
        await w.Offers.MakeAsync(Inst(b), new MakeOffer(demandId, new OfferTerms(sb.ServiceId, 9500m, 4, null)), default);
        var pages = new EnterpriseMarketPages(w.Demands, w.Offers, w.Orders, w.Search, new VoucherRepository(w.Store), new RedemptionStore(w.Store), w.Time);

        var market = await HtmlAsync(pages.MarketAsync(PageRequest(sme, "")));
        Assert.Contains("aria-label=\"选择此报价：太原理工大学\"", market, StringComparison.Ordinal);
        Assert.Contains("<td data-label=\"状态\">待选择</td>", market, StringComparison.Ordinal);

        var accept = new Dictionary<string, string> { ["institutionId"] = a, ["contractNumber"] = "HT-2026-7" };
        var confirm = await HtmlAsync(pages.AcceptAsync(PageRequest(sme, "", accept, ("demandId", demandId))));
        Assert.Contains("确认选择“太原理工大学”的报价？", confirm, StringComparison.Ordinal);
        Assert.Contains("<dt>报价</dt><dd>¥9,000.00</dd>", confirm, StringComparison.Ordinal);
        Assert.Contains("其他 1 份报价不再有效", confirm, StringComparison.Ordinal);
        Assert.Contains("value=\"HT-2026-7\"", confirm, StringComparison.Ordinal);
        Assert.Equal(DemandStatus.Open, (await w.Market.GetDemandAsync(demandId, default))!.Status);

        accept["confirmed"] = "yes";
        Assert.StartsWith("/portal/orders/SO", await RedirectAsync(pages.AcceptAsync(PageRequest(sme, "", accept, ("demandId", demandId)))), StringComparison.Ordinal);
        var after = await HtmlAsync(pages.MarketAsync(PageRequest(sme, "")));
        Assert.DoesNotContain("选择此报价", after, StringComparison.Ordinal);
        Assert.Contains("需求已对接，不能选择", after, StringComparison.Ordinal);
        Assert.Contains("<td data-label=\"状态\">已采纳</td>", after, StringComparison.Ordinal);
        Assert.DoesNotContain(">关闭需求</button>", after, StringComparison.Ordinal);

        // The other offer, asked for by a crafted post, is refused without a confirmation.
        var other = new Dictionary<string, string> { ["institutionId"] = b };
        Assert.Contains("error=该需求已选定其他机构", await RedirectAsync(pages.AcceptAsync(PageRequest(sme, "", other, ("demandId", demandId)))), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Catalogue_handler_opens_more_filters_only_when_a_filter_is_set_and_the_service_page_offers_the_voucher_by_role()
    {
        var w = await MarketWorld.NewAsync(azurite);
        var a = await w.VerifiedInstitutionAsync("inst-cat", "晋中检测中心", "jinzhong");
        var s = await w.PublishedAsync(a, Service("水质全分析"));
        var pages = new CataloguePages(w.Search, w.Services);

        var plain = await HtmlAsync(pages.SearchPageAsync(PageRequest(null, "?q=水质")));
        Assert.Contains("<details class=\"filters\"><summary>更多筛选</summary>", plain, StringComparison.Ordinal);
        Assert.Contains("晋中检测中心 · 晋中市", plain, StringComparison.Ordinal);
        Assert.Contains("<details class=\"filters\" open>", await HtmlAsync(pages.SearchPageAsync(PageRequest(null, "?q=水质&city=jinzhong"))), StringComparison.Ordinal);
        var refused = await pages.SearchPageAsync(PageRequest(null, "?priceMin=abc"));
        Assert.Equal(StatusCodes.Status400BadRequest, Assert.IsType<PageResult>(refused).StatusCode);
        Assert.Contains("<details class=\"filters\" open>", await PageHtml.RenderAsync(refused), StringComparison.Ordinal);

        var route = new[] { ("institutionId", a), ("serviceId", s.ServiceId) };
        var enterprise = await HtmlAsync(pages.ServicePageAsync(PageRequest(await w.EnterpriseAsync(), "", route)));
        Assert.Contains($"href=\"/portal/redemptions/new?institutionId={a}&amp;serviceId={s.ServiceId}\">用创新券兑付此服务</a>", enterprise, StringComparison.Ordinal);
        var anonymous = await HtmlAsync(pages.ServicePageAsync(PageRequest(null, "", route)));
        Assert.Contains(">登录后使用创新券</a>", anonymous, StringComparison.Ordinal);
        Assert.DoesNotContain("/portal/redemptions/new", anonymous, StringComparison.Ordinal);
        var own = await HtmlAsync(pages.ServicePageAsync(PageRequest(Inst(a), "", route)));
        Assert.DoesNotContain("用创新券兑付此服务", own, StringComparison.Ordinal);
        Assert.DoesNotContain("登录后使用创新券", own, StringComparison.Ordinal);
    }
}
