using System.Text.RegularExpressions;
using Voucher.Workflows.Web;

namespace Voucher.Workflows.Tests.Marketplace;

/// <summary>
/// The marketplace's Razor pages rendered alone, by the renderer the hosts use: the service page's voucher action per
/// visitor, the catalogue's collapsed filters and result cards, the institution's service actions, all in Chinese.
/// </summary>
public sealed partial class MarketplaceComponentTests
{
    static readonly PageRenderer Renderer = new(new ServiceCollection().BuildServiceProvider(), NullLoggerFactory.Instance);

    static readonly VoucherPrincipal Enterprise = new("dev:enterprise:91140100MA0DEM001U", "王芳", Role.Enterprise, "91140100MA0DEM001U");

    static readonly VoucherPrincipal Institution = new("dev:institution:inst-czmc", "李老师", Role.Institution, "inst-czmc");

    const string SignIn = "/dev/signin?returnUrl=%2Fcatalogue%2Finst-czmc%2Fsvc-1";

    static ServiceEntity Service(ServiceStatus status = ServiceStatus.Published, string category = "testing") => new()
    {
        PartitionKey = "inst-czmc", RowKey = "svc-1", Title = "扫描电镜形貌分析", Category = category, Description = "场发射扫描电镜观察材料表面形貌",
        PriceFromFen = 80_000, PriceToFen = 300_000, TurnaroundDays = 7, Staff = "刘洋、陈静", Contact = "0355-2010000", InstitutionName = "长治医学院",
        InstitutionType = "university", CityCode = "changzhi", Status = status, Version = 2,
    };

    static Task<string> ServicePageAsync(VoucherPrincipal? visitor, ServiceEntity s, bool voucherEligible = true) =>
        Renderer.RenderAsync<ServicePage>(new Dictionary<string, object?>
        {
            ["Model"] = new ServicePageModel(s, s.InstitutionName, "高等院校", "长治", voucherEligible, ServiceAction.For(visitor, s, voucherEligible, SignIn),
                visitor?.Role == Role.Enterprise, [], [new VersionRow("第 2 版", "修改", "2026-12-18 09:30", s.Title, "¥800.00 – ¥3,000.00", "已发布")]),
        });

    [Fact]
    public async Task Service_page_offers_a_signed_in_enterprise_the_redemption_prefilled_with_institution_and_service()
    {
        var html = await ServicePageAsync(Enterprise, Service());

        Assert.Contains("<a class=\"button primary\" href=\"/portal/redemptions/new?institutionId=inst-czmc&amp;serviceId=svc-1\">用创新券兑付此服务</a>", html);
        Assert.DoesNotContain("登录后使用创新券", html);
        Assert.Contains("<dt>服务机构</dt><dd>长治医学院（高等院校，长治）</dd>", html);
        Assert.Contains("<span class=\"tag voucher\">可用创新券</span>", html);
        Assert.Contains("<td data-label=\"状态\">已发布</td>", html);
        Assert.DoesNotContain("inst-czmc", Visible(html));
    }

    [Fact]
    public async Task Service_page_asks_a_signed_out_visitor_to_sign_in_and_offers_other_roles_nothing()
    {
        var anonymous = await ServicePageAsync(null, Service());
        Assert.Contains($"<a class=\"button\" href=\"{SignIn}\">登录后使用创新券</a>", anonymous);
        Assert.DoesNotContain("/portal/redemptions/new", anonymous);

        foreach (var other in new[] { Institution, new VoucherPrincipal("p", "省中心", Role.Province, null), new VoucherPrincipal("c", "赵敏", Role.CityBureau, "taiyuan") })
        {
            var html = await ServicePageAsync(other, Service());
            Assert.DoesNotContain("用创新券兑付此服务", html);
            Assert.DoesNotContain("登录后使用创新券", html);
            Assert.DoesNotContain("service-action", html);
        }
    }

    [Theory]
    [InlineData(ServiceStatus.Paused, true, "该服务已暂停接单，暂不能用创新券兑付。")]
    [InlineData(ServiceStatus.Retired, true, "该服务已下架，不能用创新券兑付。")]
    [InlineData(ServiceStatus.Published, false, "该服务类别不在创新券支持范围内，不能用创新券兑付。")]
    public async Task Service_page_says_why_a_voucher_cannot_pay_for_a_service_that_is_not_published_or_not_eligible(ServiceStatus status, bool eligible, string reason)
    {
        foreach (var visitor in new[] { Enterprise, null })
        {
            var html = await ServicePageAsync(visitor, Service(status), eligible);
            Assert.Contains(reason, html);
            Assert.DoesNotContain("/portal/redemptions/new", html);
            Assert.DoesNotContain("登录后使用创新券", html);
        }

        Assert.DoesNotContain(reason, await ServicePageAsync(Institution, Service(status), eligible));
    }

    static Task<string> CatalogueAsync(bool filtersOpen, IReadOnlyList<FieldError>? errors = null) =>
        Renderer.RenderAsync<CataloguePage>(new Dictionary<string, object?>
        {
            ["Model"] = new CatalogueModel(
                new FormState(new Dictionary<string, string?> { ["q"] = "电镜<b>", ["city"] = filtersOpen ? "changzhi" : "" }, errors ?? []),
                false, filtersOpen, new HashSet<string> { "testing" },
                errors is { Count: > 0 } ? null : new CatalogueResults(1, false,
                    [new ServiceSummary("/catalogue/inst-czmc/svc-1", "扫描电镜形貌分析", "长治医学院", "长治", "检验检测", "¥800.00 – ¥3,000.00", 7, 12, "场发射扫描电镜", true)],
                    [new FacetGroup("地市", [new FacetItem("长治", 1, "/catalogue?city=changzhi", false)])], 1, 1, null, null)),
        });

    [Fact]
    public async Task Catalogue_puts_the_search_box_first_and_collapses_the_other_filters_under_more_filters_until_one_is_set()
    {
        var plain = await CatalogueAsync(filtersOpen: false);
        Assert.Contains("<details class=\"filters\"><summary>更多筛选</summary>", plain);
        Assert.True(plain.IndexOf("id=\"q\"", StringComparison.Ordinal) < plain.IndexOf("<details", StringComparison.Ordinal));
        foreach (var filter in new[] { "id=\"category\"", "id=\"city\"", "id=\"type\"", "id=\"priceMin\"", "id=\"sort\"", "name=\"eligible\"" })
        {
            Assert.True(plain.IndexOf(filter, StringComparison.Ordinal) > plain.IndexOf("<summary>更多筛选</summary>", StringComparison.Ordinal), filter);
        }

        Assert.Contains("value=\"电镜&lt;b&gt;\"", plain);
        Assert.Contains("<details class=\"filters\" open><summary>更多筛选</summary>", await CatalogueAsync(filtersOpen: true));
    }

    [Fact]
    public async Task Catalogue_shows_each_result_as_a_card_with_institution_category_price_turnaround_and_voucher_mark()
    {
        var html = await CatalogueAsync(filtersOpen: false);

        var card = html[html.IndexOf("<li class=\"result\">", StringComparison.Ordinal)..html.IndexOf("</li>", StringComparison.Ordinal)];
        Assert.Contains("<a href=\"/catalogue/inst-czmc/svc-1\">扫描电镜形貌分析</a>", card);
        Assert.Contains("长治医学院 · 长治", card);
        Assert.Contains("<span class=\"tag\">检验检测</span>", card);
        Assert.Contains("<span class=\"tag voucher\">可用创新券</span>", card);
        Assert.Contains("<p class=\"price\">¥800.00 – ¥3,000.00</p>", card);
        Assert.Contains("周期 7 天", card);
        Assert.Contains("<h2 id=\"results-h\">共 1 项服务</h2>", html);
        AssertChineseOnly(html);
    }

    [Fact]
    public async Task Catalogue_refused_search_lists_the_messages_in_Chinese_opens_the_filters_and_shows_no_results()
    {
        var html = await CatalogueAsync(filtersOpen: true, [new FieldError("priceMin", "请填写以元为单位的金额，如 5000 (An amount in yuan)")]);

        Assert.Contains("<a href=\"#priceMin\">请填写以元为单位的金额，如 5000</a>", html);
        Assert.Contains("<p class=\"error\" id=\"priceMin-error\">请填写以元为单位的金额，如 5000</p>", html);
        Assert.Contains("<details class=\"filters\" open>", html);
        Assert.DoesNotContain("results-h", html);
        Assert.DoesNotContain("An amount", html);
    }

    [Fact]
    public async Task Institution_home_offers_only_the_actions_each_service_state_allows_in_Chinese()
    {
        var institution = new InstitutionEntity { PartitionKey = "inst-czmc", Name = "长治医学院", Type = "university", CityCode = "changzhi", Verified = true, Status = InstitutionStatus.Verified };
        var published = Service(ServiceStatus.Published);
        var paused = Service(ServiceStatus.Paused);
        paused.RowKey = "svc-2";
        paused.Title = "能谱成分分析";
        var retired = Service(ServiceStatus.Retired);
        retired.RowKey = "svc-3";
        retired.Title = "透射电镜分析";
        var html = await Renderer.RenderAsync<InstitutionMarketHomePage>(new Dictionary<string, object?>
        {
            ["Model"] = new Voucher.Workflows.Marketplace.InstitutionHomeModel(institution, FormState.Empty, [published, paused, retired]),
        });

        Assert.Contains("<dt>认证状态</dt><dd><strong>已认证</strong></dd>", html);
        Assert.Contains("aria-label=\"暂停接单“扫描电镜形貌分析”\">暂停接单</button>", html);
        Assert.Contains("aria-label=\"恢复接单“能谱成分分析”\">恢复接单</button>", html);
        var retiredRow = html[html.IndexOf("透射电镜分析", StringComparison.Ordinal)..];
        retiredRow = retiredRow[..retiredRow.IndexOf("</tr>", StringComparison.Ordinal)];
        Assert.Contains("已下架，不能修改或恢复", retiredRow);
        Assert.DoesNotContain("<button", retiredRow);
        Assert.Equal(2, Regex.Matches(html, ">下架</button>").Count);
        Assert.DoesNotContain("onsubmit", html);
        AssertChineseOnly(html);
    }

    /// <summary>The page's text without its markup.</summary>
    static string Visible(string html) => Tags().Replace(html, " ");

    /// <summary>No enum names, no English beside the Chinese labels, no principal ids in the visible text.</summary>
    static void AssertChineseOnly(string html)
    {
        var text = Visible(html);
        foreach (var word in new[] { "Published", "Paused", "Retired", "Verified", "Pending", "Accepted", "Withdrawn", "Search", "Price", "Institution", "voucher", "dev:", "institution:" })
        {
            Assert.DoesNotContain(word, text, StringComparison.Ordinal);
        }
    }

    [GeneratedRegex("<[^>]+>")]
    private static partial Regex Tags();
}
