using System.Text.RegularExpressions;
using Voucher.Workflows.Web;

namespace Voucher.Workflows.Tests.Portal;

/// <summary>The layout's phone menu, badge and footer; the public home; the enterprise home's guardrail; the progress numbers.</summary>
public sealed partial class PortalComponentTests
{
    static PageRenderer Renderer(string helpDeskPhone = "") =>
        new(new ServiceCollection().AddSingleton(new VoucherSettings { PublicBaseUrl = "x", OutboxSchedule = "x", TaskHubName = "x", HelpDeskPhone = helpDeskPhone }).BuildServiceProvider(), NullLoggerFactory.Instance);

    static Task<string> Page<TComponent>(object model, VoucherPrincipal? principal = null, int unread = 0, string helpDeskPhone = "")
        where TComponent : Microsoft.AspNetCore.Components.IComponent =>
        Renderer(helpDeskPhone).RenderPageAsync(new ShellModel("首页", principal, unread, true, "/", null, null), typeof(TComponent), new Dictionary<string, object?> { ["Model"] = model });

    static readonly VoucherPrincipal Bureau = new("dev:city-bureau:taiyuan", "王芳", Role.CityBureau, "taiyuan");

    static readonly MessageModel Missing = new(MessageKind.NotFound, "您访问的页面不存在或已被移除。");

    /// <summary>Visible text only (tags and attribute values removed).</summary>
    static string Text(string html) => Tags().Replace(html, " ");

    [GeneratedRegex("<[^>]+>")]
    private static partial Regex Tags();

    [GeneratedRegex("[A-Za-z]{3,}")]
    private static partial Regex EnglishWord();

    [Fact]
    public async Task Shell_HasAPhoneMenuThatWorksWithoutScript_WithTheNavigationTheBadgeAndThePerson()
    {
        var html = await Page<MessagePage>(Missing, Bureau, unread: 3);

        var menu = Regex.Match(html, "<details class=\"menu\">(.*?)</details>", RegexOptions.Singleline);
        Assert.True(menu.Success, "the header has a <details> menu for phones");
        Assert.Contains("<summary><span>菜单</span><span class=\"badge\" aria-label=\"3 条未读\">3</span></summary>", menu.Value);
        foreach (var href in new[] { "/", "/inbox", "/publicity", "/catalogue", "/guide", "/signout" })
        {
            Assert.Contains($"<a href=\"{href}\">", menu.Value);
        }

        Assert.Contains("太原市科技局 · 王芳", menu.Value);
        Assert.Contains("<nav class=\"site-nav\" aria-label=\"主导航\">", html);
        Assert.Contains("<span class=\"person\">太原市科技局 · 王芳</span>", html);
        Assert.DoesNotContain("taiyuan", Text(html));
        Assert.DoesNotContain("<script>", html);
        Assert.DoesNotContain(" style=", html);
    }

    [Fact]
    public async Task Shell_Badge_ShowsNinetyNinePlusAboveNinetyNine_AndNothingWhenAllIsRead()
    {
        // The encoder writes "+" as a character reference; the browser reads "99+".
        Assert.Contains("<span class=\"badge\" aria-label=\"99+ 条未读\">99+</span>", System.Net.WebUtility.HtmlDecode(await Page<MessagePage>(Missing, Bureau, unread: 100)));
        Assert.DoesNotContain("class=\"badge\"", await Page<MessagePage>(Missing, Bureau, unread: 0));
    }

    [Fact]
    public async Task Shell_NamesOtherRolesByRoleAndName_AndVisitorsGetNoInboxLink()
    {
        var enterprise = new VoucherPrincipal("dev:enterprise:91140100MA0DEM001U", "李强", Role.Enterprise, "91140100MA0DEM001U");
        var html = await Page<MessagePage>(Missing, enterprise);
        Assert.Contains("<span class=\"person\">企业 · 李强</span>", html);
        Assert.DoesNotContain("91140100MA0DEM001U", html);

        var visitor = await Page<MessagePage>(Missing);
        Assert.DoesNotContain("href=\"/inbox\"", visitor);
        Assert.Contains(">登录</a>", visitor);
    }

    [Fact]
    public async Task Shell_Footer_ShowsTheHelpDeskPhoneOnlyWhenConfigured()
    {
        Assert.Contains("咨询电话：<a href=\"tel:0351-1234567\">0351-1234567</a>", await Page<MessagePage>(Missing, helpDeskPhone: "0351-1234567"));
        Assert.DoesNotContain("咨询电话", await Page<MessagePage>(Missing));
    }

    [Fact]
    public async Task MessagePage_NotFound_OffersAWayBackAndTheGuide()
    {
        var html = await Page<MessagePage>(Missing, Bureau);

        Assert.Contains("您访问的页面不存在或已被移除。", html);
        Assert.Contains("<a href=\"/\">返回首页</a>", html);
        Assert.Contains("<a href=\"/guide\">办事指南</a>", html);
    }

    static PublicHomeModel PublicModel() => new(
        [new NoticeItem("太原市科技创新券兑付公示", "公示期 2026-12-01 至 2026-12-07，共 3 项", "/publicity")],
        new HeadlineFigures(2026, 120, "356.5", 98, 110),
        PolicyBasis.Documents,
        "0351-1234567");

    [Fact]
    public async Task PublicHome_HasNoticesStepsLookupFiguresSearchPolicyAndPhone_InChineseOnly()
    {
        var html = await Page<PublicHome>(PublicModel());
        var main = Regex.Match(html, "<main id=\"main\">(.*)</main>", RegexOptions.Singleline).Value;

        foreach (var heading in new[] { "通知公告", "办件进度", "办事指南", "2026年全省数据", "服务目录", "政策文件", "咨询电话" })
        {
            Assert.Contains($">{heading}</h2>", main);
        }

        Assert.Contains("<a href=\"/publicity\">太原市科技创新券兑付公示</a>", main);
        var steps = Regex.Matches(Regex.Match(main, "<ol class=\"steps\">(.*?)</ol>", RegexOptions.Singleline).Value, "<li><span>([^<]+)<").Select(m => m.Groups[1].Value);
        Assert.Equal(["申领", "购买服务", "兑付申请", "机构确认", "结算审核", "公示", "拨付"], steps);
        Assert.Contains("<form class=\"inline\" method=\"get\" action=\"/progress\">", main);
        Assert.Contains("<input id=\"no\" name=\"no\"", main);
        Assert.Contains("<form class=\"inline\" method=\"get\" action=\"/catalogue\" role=\"search\">", main);
        Assert.Contains("<input id=\"q\" name=\"q\" type=\"search\"", main);
        Assert.Contains("<strong>356.5</strong><span>已拨付金额（万元）</span>", main);
        Assert.Contains("《科技型中小企业评价办法》（国科发政〔2017〕115号）", main);
        Assert.Empty(EnglishWord().Matches(Text(main)));
    }

    static EnterpriseHomeModel EnterpriseModel(ApplyGuard guard, params VoucherRow[] vouchers) => new(
        "太原示范科技有限公司", "91140100MA0DEM001U", "太原市", "小型企业", guard, null,
        [new ApplicationRow("91140100MA0DEM001U-2026-01", "已通过", "已办结", "2026-03-02", null, null)],
        vouchers);

    [Fact]
    public async Task EnterpriseHome_ApplyAllowed_OffersTheButtonThatPostsToTheConfirmationStep()
    {
        var html = await Page<EnterpriseHome>(EnterpriseModel(new ApplyGuard(true, null)));

        Assert.Contains("<form method=\"post\" action=\"/portal/apply\"><button type=\"submit\">申请创新券</button></form>", html);
        Assert.DoesNotContain("onsubmit", html);
        Assert.Contains("<a href=\"/portal/applications/91140100MA0DEM001U-2026-01\">91140100MA0DEM001U-2026-01</a>", html);
        Assert.Contains("暂无创新券", html);
    }

    [Fact]
    public async Task EnterpriseHome_LiveVoucher_NoButton_SaysWhy_AndListsTheVoucherInChinese()
    {
        var today = new DateOnly(2026, 6, 1);
        var voucher = new VoucherView("V-91140100MA0DEM001U-2026-01", "91140100MA0DEM001U", "91140100MA0DEM001U-2026-01", "taiyuan",
            Cny.FromYuan(50_000m), Cny.FromYuan(20_000m), Cny.FromYuan(30_000m), "2026-03-02", "2027-03-01", 273, VoucherStatus.Active, 1);
        var guard = ApplyGuard.Of([], [voucher], null, today);
        var html = await Page<EnterpriseHome>(EnterpriseModel(guard,
            new VoucherRow(voucher.Id, "¥50,000.00", "¥20,000.00", "¥30,000.00", "2027-03-01", 273, Glossary.Of(VoucherStatus.Active))));

        Assert.False(guard.Allowed);
        Assert.DoesNotContain("action=\"/portal/apply\"", html);
        Assert.Contains("暂不能申请创新券：您已有一张有效的创新券（余额 3万元，有效期至 2027年3月1日），用完或到期后才能再次申请。", html);
        Assert.Contains("<a href=\"/portal/vouchers/V-91140100MA0DEM001U-2026-01\">V-91140100MA0DEM001U-2026-01</a>", html);
        foreach (var cell in new[] { "面额\">¥50,000.00", "已用\">¥20,000.00", "余额\">¥30,000.00", "状态\">有效" })
        {
            Assert.Contains("data-label=\"" + cell, html);
        }

        Assert.Contains("（剩余 273 天）", html);
        Assert.DoesNotContain("Active", Text(html));
    }

    [Fact]
    public void ApplyGuard_OpenApplication_BarAndNothing()
    {
        var today = new DateOnly(2026, 6, 1);
        var open = new ApplicationEntity { PartitionKey = "91140100MA0DEM001U", RowKey = "91140100MA0DEM001U-2026-02", Status = ApplicationStatus.UnderReview };
        var finished = new ApplicationEntity { PartitionKey = "91140100MA0DEM001U", RowKey = "91140100MA0DEM001U-2026-01", Status = ApplicationStatus.Rejected };
        var used = new VoucherView("V-x", "u", "a", "taiyuan", Cny.FromYuan(50_000m), Cny.FromYuan(50_000m), Cny.Zero, "2025-01-01", "2026-01-01", 0, VoucherStatus.UsedUp, 1);

        Assert.Equal("您的申请（办件编号 91140100MA0DEM001U-2026-02）正在办理中，办结后才能再次申请。", ApplyGuard.Of([finished, open], [], null, today).WhyNot);
        Assert.Equal("贵企业因违规被限制申请创新券，限制期至 2027年1月31日，详见“信用记录”。", ApplyGuard.Of([finished], [used], new DateOnly(2027, 1, 31), today).WhyNot);
        Assert.Equal(new ApplyGuard(true, null), ApplyGuard.Of([finished], [used], new DateOnly(2026, 5, 31), today));
    }

    [Fact]
    public async Task Inbox_ShowsSubjectChinaTimeBodyAndLinks_MarksTheNewOnes_InChineseOnly()
    {
        var at = new DateTimeOffset(2026, 12, 1, 1, 30, 0, TimeSpan.Zero);
        var model = new InboxModel(
        [
            new InboxItem("decision-1", "创新券申请已通过", Glossary.Time(at), "面额5万元，有效期至2027年12月1日。", [new NotificationLink("查看创新券", "/portal/vouchers/V-x")], true, null),
            new InboxItem("review-1", "请审核<申请>", Glossary.Time(at.AddDays(-1)), "正文", [], false, null),
        ], 1, Mailbox: false);

        var html = await Page<InboxPage>(model, Bureau);
        var main = Regex.Match(html, "<main id=\"main\">(.*)</main>", RegexOptions.Singleline).Value;

        Assert.Contains("有 1 条新通知。", main);
        Assert.Contains("<article class=\"notification unread\" data-notification=\"decision-1\">", main);
        Assert.Contains("<span class=\"badge\">新</span>", main);
        Assert.Contains("<time>2026-12-01 09:30</time>", main);
        Assert.Contains("<a href=\"/portal/vouchers/V-x\">查看创新券</a>", main);
        Assert.Contains("请审核&lt;申请&gt;", main);
        Assert.Contains("<article class=\"notification\" data-notification=\"review-1\">", main);
        Assert.Empty(EnglishWord().Matches(Text(main)));
    }

    [Theory]
    [InlineData("91140100MA0DEM001U-2026-01", "/portal/applications/91140100MA0DEM001U-2026-01")]
    [InlineData(" 91140100ma0dem001u-2026-01 ", "/portal/applications/91140100MA0DEM001U-2026-01")]
    [InlineData("V-91140100MA0DEM001U-2026-01", "/portal/vouchers/V-91140100MA0DEM001U-2026-01")]
    [InlineData("V-91140100MA0DEM001U-2026-01-R2", "/portal/redemptions/V-91140100MA0DEM001U-2026-01-R2")]
    [InlineData("abc", null)]
    [InlineData("V-abc-R1", null)]
    [InlineData("91140100MA0DEM001X-2026-01", null)]
    [InlineData("../../api/x", null)]
    [InlineData("", null)]
    public void ProgressNumbers_RouteByShape(string number, string? path) => Assert.Equal(path, ProgressNumbers.PathOf(number));
}
