using System.Security.Cryptography;
using System.Text.RegularExpressions;

namespace Voucher.Browser.Tests;

/// <summary>
/// The marketplace journey through the pages only, in headless Chromium against the local host: an institution
/// registers (a wrong phone number is refused next to the field, the typed name kept), the province centre verifies
/// it, it publishes a service; an enterprise with a voucher finds it in the catalogue with keyword and filters,
/// posts a demand; the institution responds with an offer; the enterprise accepts it, and from the service order
/// starts a redemption with the order's details filled in. The marketplace pages are scanned with axe on the way.
/// </summary>
[Collection("browser")]
public sealed class MarketplaceBrowserTests(BrowserFixture browser, LocalSiteFixture site, ITestOutputHelper output)
    : IClassFixture<LocalSiteFixture>
{
    readonly BrowserRun run = new(browser, site, output);

    [Fact]
    public Task Search_with_filters_post_a_demand_respond_accept_and_start_a_redemption_from_the_order() =>
        run.RunAsync(nameof(Search_with_filters_post_a_demand_respond_accept_and_start_a_redemption_from_the_order), JourneyAsync);

    async Task JourneyAsync()
    {
        var institutionId = "inst-bt-" + Convert.ToHexString(RandomNumberGenerator.GetBytes(3)).ToLowerInvariant();
        const string InstitutionName = "太原光谱测试研究院";
        const string ServiceTitle = "荧光寿命光谱检测";

        // The institution registers; a wrong phone number is refused next to its field and nothing typed is lost.
        var institution = await run.NewPageAsync();
        await Portal.SignInAsync(institution, "institution", institutionId, "机构管理员");
        await institution.GotoAsync("/portal/institution");
        await institution.Locator("#name").FillAsync(InstitutionName);
        await institution.Locator("#type").SelectOptionAsync("research-institute");
        await institution.Locator("#cityCode").SelectOptionAsync("taiyuan");
        await institution.Locator("#code").FillAsync("SXGP-2026");
        await institution.Locator("#sharingPlatformId").FillAsync("SX-OSP-2026-088");
        await institution.Locator("#contactName").FillAsync("周老师");
        await institution.Locator("#contactPhone").FillAsync("12345");
        await institution.GetByRole(AriaRole.Button, new() { Name = "提交登记" }).ClickAsync();
        await Expect(institution.Locator("#contactPhone-error")).ToBeVisibleAsync();
        await Expect(institution.Locator("#name")).ToHaveValueAsync(InstitutionName);
        await Expect(institution.Locator("#contactPhone")).ToHaveAttributeAsync("aria-describedby", "contactPhone-error");
        await institution.Locator("#contactPhone").FillAsync("13903511234");
        await institution.GetByRole(AriaRole.Button, new() { Name = "提交登记" }).ClickAsync();
        await Expect(institution.GetByRole(AriaRole.Status)).ToContainTextAsync("已提交登记");
        await Expect(institution.Locator("dl.facts")).ToContainTextAsync("待审核");
        output.WriteLine("institution registered, awaiting verification");

        // The province centre verifies it, after a confirmation page naming the institution.
        var province = await run.NewPageAsync();
        await Portal.SignInAsync(province, "province", "", "省中心审核员"); // the province centre has no scope
        await province.GotoAsync("/portal/institutions");
        var card = province.Locator($"section[data-institution='{institutionId}']");
        await Expect(card).ToContainTextAsync("SX-OSP-2026-088");
        await run.ScanAsync(province, "province institution verification");
        await card.GetByRole(AriaRole.Button, new() { Name = "通过认证：" + InstitutionName }).ClickAsync();
        await Expect(province.Locator("section.confirm h2")).ToContainTextAsync($"确认“{InstitutionName}”通过认证？");
        await province.GetByRole(AriaRole.Button, new() { Name = "确认通过认证" }).ClickAsync();
        await Expect(province.GetByRole(AriaRole.Status)).ToContainTextAsync(InstitutionName + "：已认证");

        // The institution publishes a service.
        await institution.GotoAsync("/portal/institution/services/new");
        await institution.Locator("#title").FillAsync(ServiceTitle);
        await institution.Locator("#category").SelectOptionAsync("testing");
        await institution.Locator("#description").FillAsync("稳态/瞬态荧光光谱仪测定材料荧光寿命与量子产率，出具检测报告。");
        await institution.Locator("#specifications").FillAsync("JY/T 0571");
        await institution.Locator("#equipment").FillAsync("FLS1000 荧光光谱仪");
        await institution.Locator("#priceFrom").FillAsync("800");
        await institution.Locator("#priceTo").FillAsync("3000");
        await institution.Locator("#turnaroundDays").FillAsync("6");
        await institution.Locator("#contact").FillAsync("0351-7011234");
        await institution.Locator("#staff").FillAsync("周明、吴芳");
        await institution.GetByRole(AriaRole.Button, new() { Name = "发布服务", Exact = true }).ClickAsync();
        await Expect(institution.GetByRole(AriaRole.Status)).ToContainTextAsync("已发布");
        await Expect(institution.Locator("tbody tr", new() { HasText = ServiceTitle })).ToContainTextAsync("已发布");
        await run.ScanAsync(institution, "institution services");
        output.WriteLine($"institution services: {await Screenshots.SaveAsync(institution, "marketplace-institution-services")}");
        output.WriteLine("verified and published");

        // An enterprise with a voucher (apply; the bureau approves through the review link in the mailbox).
        var enterprise = await run.NewPageAsync(); // the apply step below accepts its confirm() dialogs from then on
        var (_, applicationId) = await Portal.NewEnterpriseApplicationAsync(enterprise, "太原晋源光电科技有限公司");
        var reviewer = await run.NewPageAsync();
        var href = await Portal.ReviewLinkFromMailboxAsync(reviewer, applicationId);
        await reviewer.GotoAsync(href);
        await reviewer.Locator("input[name=decision][value=approve]").CheckAsync();
        Portal.AcceptDialogs(reviewer);
        await reviewer.GetByRole(AriaRole.Button, new() { Name = "提交决定", Exact = true }).ClickAsync();
        await Expect(reviewer.GetByRole(AriaRole.Status)).ToContainTextAsync("已批准");
        var vouchers = enterprise.Locator("section.card", new() { Has = enterprise.GetByRole(AriaRole.Heading, new() { Name = "我的创新券" }) });
        await Portal.ReloadUntilVisibleAsync(enterprise, "/", vouchers.Locator("tbody tr", new() { HasText = "有效" }), "the voucher is issued");
        output.WriteLine($"voucher issued for {applicationId}");

        // Catalogue search: keyword plus category, city and voucher-eligible filters (under 更多筛选), sorted by price.
        await enterprise.GotoAsync("/catalogue");
        await Expect(enterprise.Locator("details.filters")).Not.ToHaveAttributeAsync("open", "");
        await enterprise.Locator("#q").FillAsync("荧光寿命");
        await enterprise.Locator("details.filters > summary").ClickAsync();
        await enterprise.Locator("#category").SelectOptionAsync("testing");
        await enterprise.Locator("#city").SelectOptionAsync("taiyuan");
        await enterprise.Locator("input[name=eligible]").CheckAsync();
        await enterprise.Locator("#sort").SelectOptionAsync("price");
        await enterprise.GetByRole(AriaRole.Button, new() { Name = "搜索", Exact = true }).ClickAsync();
        await Expect(enterprise.Locator("#results-h")).ToContainTextAsync("共 1 项服务");
        await Expect(enterprise.Locator("li.result")).ToContainTextAsync(InstitutionName);
        await Expect(enterprise.Locator("li.result .tag.voucher")).ToHaveTextAsync("可用创新券");
        Assert.Contains("city=taiyuan", enterprise.Url, StringComparison.Ordinal);
        await run.ScanAsync(enterprise, "catalogue search");
        output.WriteLine($"catalogue: {await Screenshots.SaveAsync(enterprise, "marketplace-catalogue")}");
        var serviceHref = await enterprise.Locator("li.result h3 a").GetAttributeAsync("href");

        // The service page offers the enterprise its voucher for this service, the redemption prefilled.
        await enterprise.Locator("li.result h3 a").ClickAsync();
        var redeem = enterprise.GetByRole(AriaRole.Link, new() { Name = "用创新券兑付此服务" });
        await Expect(redeem).ToHaveAttributeAsync("href", new Regex($"^/portal/redemptions/new\\?institutionId={institutionId}&serviceId=svc-"));
        await run.ScanAsync(enterprise, "service page");
        output.WriteLine($"service page: {await Screenshots.SaveAsync(enterprise, "marketplace-service")}");
        await PhoneAsync(serviceHref!);
        await enterprise.GoBackAsync();

        await enterprise.Locator("#city").SelectOptionAsync("datong");
        await enterprise.GetByRole(AriaRole.Button, new() { Name = "搜索", Exact = true }).ClickAsync();
        await Expect(enterprise.Locator("#results-h")).ToContainTextAsync("共 0 项服务");
        await Expect(enterprise.Locator("#q")).ToHaveValueAsync("荧光寿命");

        // The enterprise posts a demand (a budget in words is refused next to the field first).
        await enterprise.GotoAsync("/portal/market");
        await enterprise.Locator("#category").SelectOptionAsync("testing");
        await enterprise.Locator("#description").FillAsync("新型发光材料需要测定荧光寿命，共 5 个样品。");
        await enterprise.Locator("#cityCode").SelectOptionAsync("taiyuan");
        await enterprise.Locator("#budget").FillAsync("一万五");
        await enterprise.GetByRole(AriaRole.Button, new() { Name = "发布需求" }).ClickAsync();
        await Expect(enterprise.Locator("#budget-error")).ToBeVisibleAsync();
        await Expect(enterprise.Locator("#budget")).ToHaveValueAsync("一万五");
        await Expect(enterprise.Locator("#description")).ToHaveValueAsync("新型发光材料需要测定荧光寿命，共 5 个样品。");
        await enterprise.Locator("#budget").FillAsync("15000");
        await enterprise.GetByRole(AriaRole.Button, new() { Name = "发布需求" }).ClickAsync();
        await Expect(enterprise.GetByRole(AriaRole.Status)).ToContainTextAsync("需求已发布");
        var demandId = Regex.Match(await enterprise.GetByRole(AriaRole.Status).InnerTextAsync(), @"DM\w+").Value;
        Assert.NotEmpty(demandId);
        await run.ScanAsync(enterprise, "enterprise demands");
        output.WriteLine($"enterprise demands: {await Screenshots.SaveAsync(enterprise, "marketplace-enterprise-demands")}");
        output.WriteLine($"demand {demandId} posted");

        // The institution sees it among matching demand and sends an offer.
        await institution.GotoAsync("/portal/institution/demands");
        var demand = institution.Locator($"section[data-demand='{demandId}']");
        await Expect(demand).ToContainTextAsync("新型发光材料");
        await demand.Locator($"#{demandId}-price").FillAsync("12000");
        await demand.Locator($"#{demandId}-turnaroundDays").FillAsync("5");
        await demand.Locator($"#{demandId}-message").FillAsync("一周内出具报告。");
        await run.ScanAsync(institution, "matching demand");
        output.WriteLine($"matching demand: {await Screenshots.SaveAsync(institution, "marketplace-matching-demand")}");
        await demand.GetByRole(AriaRole.Button, new() { Name = "提交报价" }).ClickAsync();
        await Expect(institution.GetByRole(AriaRole.Status)).ToContainTextAsync("报价已提交");

        // The enterprise selects the offer, confirms on the page naming price and order, and lands on the service order.
        await enterprise.GotoAsync("/portal/market");
        var offers = enterprise.Locator($"article[data-demand='{demandId}']");
        await Expect(offers.Locator("tbody tr", new() { HasText = InstitutionName })).ToContainTextAsync("¥12,000.00");
        await offers.GetByRole(AriaRole.Button, new() { Name = "选择此报价：" + InstitutionName }).ClickAsync();
        await Expect(enterprise.Locator("section.confirm")).ToContainTextAsync("¥12,000.00");
        await run.ScanAsync(enterprise, "accept confirmation");
        output.WriteLine($"accept confirmation: {await Screenshots.SaveAsync(enterprise, "marketplace-accept-confirmation")}");
        await enterprise.GetByRole(AriaRole.Button, new() { Name = "确认选择并生成订单" }).ClickAsync();
        await enterprise.WaitForURLAsync(url => new Uri(url).AbsolutePath.StartsWith("/portal/orders/", StringComparison.Ordinal));
        await Expect(enterprise.Locator("dl.facts")).ToContainTextAsync(ServiceTitle);
        await Expect(enterprise.Locator("dl.facts")).ToContainTextAsync("周明、吴芳");

        // The redemption form is filled in from the order; submitting it starts the redemption.
        await Expect(enterprise.Locator("#order-contract")).ToHaveValueAsync(new Regex("^HT-SO"));
        await Expect(enterprise.Locator("#order-amount")).ToHaveValueAsync("12000.00");
        await run.ScanAsync(enterprise, "service order");
        output.WriteLine($"service order: {await Screenshots.SaveAsync(enterprise, "marketplace-order")}");
        await enterprise.GetByRole(AriaRole.Button, new() { Name = "提交兑付申请" }).ClickAsync();
        await enterprise.WaitForURLAsync(url => new Uri(url).AbsolutePath.StartsWith("/portal/redemptions/", StringComparison.Ordinal));
        await Expect(enterprise.Locator("p.ok[role=status]").First).ToContainTextAsync("兑付申请已提交");
        await Expect(enterprise.Locator("dl.facts").First).ToContainTextAsync(InstitutionName);
        await Expect(enterprise.Locator("dl.facts").First).ToContainTextAsync("¥12,000.00");
        output.WriteLine($"redemption started from the order: {await Screenshots.SaveAsync(enterprise, "marketplace-redemption-from-order")}");

        // The work pages at phone width: tables stack into cards, nothing wider than 390 px.
        await PhoneWidthAsync(enterprise, "/portal/market", "marketplace-enterprise-demands-phone");
        await PhoneWidthAsync(institution, "/portal/institution", "marketplace-institution-services-phone");
        await PhoneWidthAsync(institution, "/portal/faculty", "marketplace-faculty-phone");
        await PhoneWidthAsync(province, "/portal/institutions", "marketplace-province-institutions-phone");

        run.AssertNoSeriousFindings();
    }

    async Task PhoneWidthAsync(IPage page, string path, string screenshot)
    {
        await page.SetViewportSizeAsync(390, 844);
        await page.GotoAsync(path);
        var overflow = await WidthOverflowAsync(page);
        output.WriteLine($"{path} (phone): {await Screenshots.SaveAsync(page, screenshot)}");
        Assert.True(overflow <= 1, $"{path} is {overflow}px wider than a 390px phone");
    }

    /// <summary>
    /// The catalogue and a service page at phone width, signed out: the search box first, the filters collapsed, result
    /// cards, the sign-in action; nothing wider than 390 px. Screenshots kept.
    /// </summary>
    async Task PhoneAsync(string serviceHref)
    {
        var phone = await run.NewPageAsync(new BrowserNewContextOptions
        {
            ViewportSize = new ViewportSize { Width = 390, Height = 844 }, DeviceScaleFactor = 2, IsMobile = true, HasTouch = true,
        });
        await phone.GotoAsync("/catalogue?q=" + Uri.EscapeDataString("荧光寿命"));
        await Expect(phone.Locator("details.filters")).Not.ToHaveAttributeAsync("open", "");
        await Expect(phone.Locator("#city")).Not.ToBeVisibleAsync();
        await Expect(phone.Locator("li.result").First).ToBeVisibleAsync();
        Assert.True(await WidthOverflowAsync(phone) <= 1, "the catalogue is wider than a 390px phone");
        output.WriteLine($"catalogue (phone): {await Screenshots.SaveAsync(phone, "marketplace-catalogue-phone")}");

        await phone.GotoAsync(serviceHref);
        await Expect(phone.GetByRole(AriaRole.Link, new() { Name = "登录后使用创新券" })).ToBeVisibleAsync();
        Assert.True(await WidthOverflowAsync(phone) <= 1, "the service page is wider than a 390px phone");
        output.WriteLine($"service page (phone): {await Screenshots.SaveAsync(phone, "marketplace-service-phone")}");
        await run.ClosePageAsync(phone);
    }

    static Task<int> WidthOverflowAsync(IPage page) => page.EvaluateAsync<int>("() => document.documentElement.scrollWidth - window.innerWidth");
}
