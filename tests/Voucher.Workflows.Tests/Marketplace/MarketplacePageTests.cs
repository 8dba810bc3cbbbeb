using static Voucher.Workflows.Tests.Marketplace.MarketWorld;

namespace Voucher.Workflows.Tests.Marketplace;

/// <summary>The pages over the marketplace services: the withdraw and close buttons, and what each party sees after.</summary>
[Collection(AzuriteCollection.Name)]
public sealed class MarketplacePageTests(AzuriteFixture azurite)
{
    [Fact]
    public async Task The_institution_withdraws_its_offer_and_the_enterprise_closes_its_demand_from_their_pages()
    {
        var w = await MarketWorld.NewAsync(azurite);
        var a = await w.VerifiedInstitutionAsync("inst-a", "太原理工大学");
        var testing = await w.PublishedAsync(a, Service("金属材料力学性能测试"));
        var sme = await w.EnterpriseAsync();
        var demandId = (await w.Demands.PostAsync(sme, new DemandDetails("testing", "铝合金板材拉伸检测", 20000m, "taiyuan", w.Deadline()), default)).Value.DemandId;
        await w.Offers.MakeAsync(Inst(a), new MakeOffer(demandId, new OfferTerms(testing.ServiceId, 9000m, 5, "一周完成")), default);
        var institution = new InstitutionDemandPages(w.Institutions, w.Services, w.Demands, w.Offers);
        var enterprise = new EnterpriseMarketPages(w.Demands, w.Offers, w.Orders, w.Search, new VoucherRepository(w.Store), new RedemptionStore(w.Store), w.Time);
        var empty = new Dictionary<string, string>();

        Assert.Contains(">撤回报价</button>", await HtmlAsync(institution.DemandsAsync(PageRequest(Inst(a), ""))), StringComparison.Ordinal);
        Assert.Contains("done=已撤回报价", await RedirectAsync(institution.WithdrawAsync(PageRequest(Inst(a), "", empty, ("demandId", demandId)))), StringComparison.Ordinal);
        var offerPage = await HtmlAsync(institution.DemandsAsync(PageRequest(Inst(a), "")));
        Assert.Contains("报价已撤回，可以重新报价", offerPage, StringComparison.Ordinal);
        Assert.Contains(">提交报价</button>", offerPage, StringComparison.Ordinal);
        Assert.DoesNotContain(">撤回报价</button>", offerPage, StringComparison.Ordinal);

        var marketPage = await HtmlAsync(enterprise.MarketAsync(PageRequest(sme, "")));
        Assert.Contains("机构已撤回报价", marketPage, StringComparison.Ordinal);
        Assert.DoesNotContain("选择此报价", marketPage, StringComparison.Ordinal);
        Assert.Contains(">关闭需求</button>", marketPage, StringComparison.Ordinal);

        // Closing cannot be undone: the first post asks, naming the offers it ends; the confirming post closes.
        var confirm = await HtmlAsync(enterprise.CloseAsync(PageRequest(sme, "", empty, ("demandId", demandId))));
        Assert.Contains("确认关闭这项需求？", confirm, StringComparison.Ordinal);
        Assert.Contains("<dt>已收到报价</dt><dd>0 份</dd>", confirm, StringComparison.Ordinal);
        Assert.Contains("name=\"confirmed\" value=\"yes\"", confirm, StringComparison.Ordinal);
        Assert.Contains(">征集中<", await HtmlAsync(enterprise.MarketAsync(PageRequest(sme, ""))), StringComparison.Ordinal);
        var confirmed = new Dictionary<string, string> { ["confirmed"] = "yes" };
        Assert.Contains("done=需求已关闭", await RedirectAsync(enterprise.CloseAsync(PageRequest(sme, "", confirmed, ("demandId", demandId)))), StringComparison.Ordinal);
        var closedPage = await HtmlAsync(enterprise.MarketAsync(PageRequest(sme, "")));
        Assert.Contains(">已关闭<", closedPage, StringComparison.Ordinal);
        Assert.Contains("需求已关闭，不再征集报价，也不能选择报价。", closedPage, StringComparison.Ordinal);
        Assert.DoesNotContain(">关闭需求</button>", closedPage, StringComparison.Ordinal);
        Assert.DoesNotContain(demandId, await HtmlAsync(institution.DemandsAsync(PageRequest(Inst(a), ""))), StringComparison.Ordinal);

        // Closing it again asks nothing: the demand is no longer open.
        Assert.Contains("done=需求已关闭", await RedirectAsync(enterprise.CloseAsync(PageRequest(sme, "", empty, ("demandId", demandId)))), StringComparison.Ordinal);

        // Offering on the closed demand: back to the list with the reason.
        var form = new Dictionary<string, string> { ["serviceId"] = testing.ServiceId, ["price"] = "8000", ["turnaroundDays"] = "5" };
        Assert.Contains("error=" + demandId + "：需求已结束", await RedirectAsync(institution.OfferAsync(PageRequest(Inst(a), "", form, ("demandId", demandId)))), StringComparison.Ordinal);
    }
}
