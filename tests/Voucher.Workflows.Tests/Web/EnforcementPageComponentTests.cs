using System.Text.RegularExpressions;
using Voucher.Workflows.Agencies;
using Voucher.Workflows.Portal;
using Voucher.Workflows.Web;

namespace Voucher.Workflows.Tests.Web;

/// <summary>
/// The guide, the supervision and the delegation pages rendered by the hosts' renderer: the guide's sections and its
/// numbers taken from the policy in force, plain Chinese (state names from the glossary, no enum names, no principal
/// ids), amounts in ¥ and encoding of what users typed.
/// </summary>
public sealed class EnforcementPageComponentTests
{
    static readonly PageRenderer Renderer = new(new ServiceCollection().BuildServiceProvider(), NullLoggerFactory.Instance);

    static async Task<string> Render<T>(object model) where T : Microsoft.AspNetCore.Components.IComponent =>
        System.Net.WebUtility.HtmlDecode(await Renderer.RenderAsync<T>(new Dictionary<string, object?> { ["Model"] = model }));

    /// <summary>Visible text: tags and the contents of attributes removed.</summary>
    static string Text(string html) => Regex.Replace(html, "<[^>]*>", " ");

    static GuideModel Guide(CityPolicy policy, ProvincePolicy? province = null) =>
        new(Cities.Get(policy.CityCode), policy, province ?? ProvincePolicy.Default(DateTimeOffset.UnixEpoch), GuideMoneyRules.For(policy), EvidenceRules.DefaultMaxBytes);

    [Fact]
    public async Task Guide_has_every_section_of_a_service_guide_and_the_anchor_other_pages_link_to()
    {
        var html = await Render<GuidePage>(Guide(CityPolicy.Default("taiyuan", DateTimeOffset.UnixEpoch)));

        foreach (var heading in new[] { "受理条件", "申请材料", "办理流程", "办理时限", "收费标准", "政策依据", "补助标准与年度限额", "可兑付的服务", "常见问题", "资格自测" })
        {
            Assert.Contains($"<h2>{heading}</h2>", html);
        }

        Assert.Contains("id=\"annual-cap-rules\"", html);
        Assert.Contains("免费", html);
        // The step diagram, in order.
        var diagram = Regex.Match(html, "<ol class=\"guide-steps\">(.*?)</ol>", RegexOptions.Singleline).Groups[1].Value;
        var steps = Regex.Matches(diagram, "<li><strong>([^<]+)</strong>").Select(m => m.Groups[1].Value).ToList();
        Assert.Equal(["申领", "购买服务", "兑付申请", "机构确认", "结算审核", "公示", "拨付"], steps);
        Assert.Contains("action=\"/guide/self-check\"", html);
        Assert.Contains("第 1 版", html);
    }

    [Fact]
    public async Task Guide_numbers_come_from_the_policy_in_force()
    {
        var policy = CityPolicy.Default("changzhi", DateTimeOffset.UnixEpoch).NextVersion("province", "调整时限", new DateTimeOffset(2026, 3, 1, 0, 0, 0, TimeSpan.Zero)) with
        {
            ReviewWorkingDays = 12, BindingWorkingDays = 7, PublicityWorkingDays = 6, ValidityMonths = 18, ExcessRatio = 0.6m,
            AnnualCap = Cny.FromYuan(300_000m), Cadence = SettlementCadence.Monthly, LargeDenominationEnabled = true,
        };
        var province = ProvincePolicy.Default(DateTimeOffset.UnixEpoch) with { Version = 3, EligibleCategories = ["testing", "consulting"] };
        var html = await Render<GuidePage>(Guide(policy, province));
        var text = Text(html);

        Assert.Contains("12 个工作日", text);
        Assert.Contains("7 个工作日", text);
        Assert.Contains("6 个工作日", text);
        Assert.Contains("18 个月", text);
        Assert.Contains("按月", text);
        Assert.Contains("按 60% 的比例补助", text);
        Assert.Contains("30万元", text);
        Assert.Contains("另可申请 10万元 面额", text);
        // The worked example is computed: 8万 paid against 5万 → 5万 + 0.6 × 3万 = 6.8万.
        Assert.Contains("合计补助  6.8万元", text);
        Assert.Contains("山西省科技创新券省级规则 第 3 版", text);
        Assert.Contains("长治市创新券政策 第 2 版（2026年3月1日起施行）", text);
        Assert.Contains("检验检测", text);
        Assert.DoesNotContain("科技查新", text);
        Assert.DoesNotContain("10 个工作日", text);
        Assert.DoesNotContain("Monthly", text);
    }

    [Fact]
    public async Task Guide_in_seal_mode_says_the_seal_replaces_the_system_confirmation()
    {
        var html = Text(await Render<GuidePage>(Guide(CityPolicy.Default("datong", DateTimeOffset.UnixEpoch) with { BindingMode = BindingMode.Seal })));

        Assert.Contains("合同加盖服务机构公章，代替系统确认", html);
        Assert.DoesNotContain("Seal", html);
    }

    [Fact]
    public async Task Claw_backs_page_shows_states_from_the_glossary_amounts_in_yuan_and_encodes_names()
    {
        var due = new ClawBackEntity { PartitionKey = "taiyuan", RowKey = "V1~R1", ViolationId = "V1", RedemptionId = "R1", Uscc = "91140100MA0DEM001U", EnterpriseName = "太原<测试>科技", AmountFen = 6_500_000, Kind = "paid", CreatedAt = DateTimeOffset.UtcNow };
        var done = new ClawBackEntity { PartitionKey = "taiyuan", RowKey = "V2~R2", ViolationId = "V2", RedemptionId = "R2", Uscc = "91140100MA0DEM002U", EnterpriseName = "晋中科技", AmountFen = 100_000, Kind = "prepaid", Status = ClawBackStatus.Confirmed, Reference = "ZH-1", ConfirmedAt = DateTimeOffset.UtcNow };
        var raw = await Renderer.RenderAsync<ClawBacksPage>(new Dictionary<string, object?> { ["Model"] = new ClawBacksModel(Cities.Get("taiyuan"), [due], [done], new ClawBackFailure("V1~R1", "", "请填写追回凭证号。")) });
        var html = System.Net.WebUtility.HtmlDecode(raw);

        Assert.Contains("太原&lt;测试&gt;科技", raw);
        Assert.Contains("待追回（1 笔）", html);
        Assert.Contains("已追回", html);
        Assert.Contains("¥65,000.00", html);
        Assert.Contains("已拨付资金", html);
        Assert.Contains("id=\"ref-1-error\"", html);
        Assert.DoesNotMatch(@"\b(Due|Confirmed|paid|prepaid|Claw-backs?)\b", Text(html));
    }

    [Fact]
    public async Task Credit_page_names_entries_in_Chinese_and_states_the_bar_as_a_date()
    {
        var view = new CreditView("91140100MA0DEM001U", "太原测试科技", false, [2025, 2026], "2029-06-30",
            [new CreditEntryEntity { PartitionKey = "u", RowKey = "violation~V1", Kind = "violation", Reference = "V1", At = DateTimeOffset.UtcNow, AmountFen = 6_500_000, Detail = "违规：伪造报告；限制申请至 2029-06-30 (violation; barred until 2029-06-30)" }]);
        var text = Text(await Render<CreditPage>(view));

        Assert.Contains("2029年6月30日 前（含当日）不得申请创新券", text);
        Assert.Contains("违规处理", text);
        Assert.Contains("2025年、2026年", text);
        Assert.DoesNotMatch(@"\b(violation|Violation|Yes|No|barred)\b", text);
    }

    [Fact]
    public async Task Agency_desk_names_parties_by_name_and_offers_acting_only_under_a_delegation_in_force()
    {
        var active = new DelegationEntity { PartitionKey = "a", RowKey = "d1", AgencyId = "agency-x", AgencyName = "晋科代理", PartyKind = RoleNames.ClaimValue(Role.Enterprise), PartyId = "91140100MA0DEM001U", Actions = DelegationActions.ViewRecords, ValidUntil = "2099-01-01" };
        var revoked = new DelegationEntity { PartitionKey = "a", RowKey = "d2", AgencyId = "agency-x", AgencyName = "晋科代理", PartyKind = RoleNames.ClaimValue(Role.Institution), PartyId = "inst-czmc", Actions = DelegationActions.ConfirmBinding, ValidUntil = "2099-01-01", Status = DelegationStatus.Revoked };
        var model = new AgencyHomeModel(new AgencyEntity { RowKey = "agency-x", Name = "晋科代理", CityCode = "taiyuan" },
            [new PartyRow(active, "太原测试科技", DelegationState.Active, ["查看申请、创新券和兑付记录"], true), new PartyRow(revoked, "长治医学院", DelegationState.Revoked, ["确认兑付申请（机构确认）"], false)],
            active.PartyId, "太原测试科技", null, []);
        var html = await Render<AgencyHomePage>(model);

        Assert.Contains("正在代办</dt><dd>太原测试科技", html);
        Assert.Contains("aria-label=\"继续代办 太原测试科技\"", html);
        Assert.Contains("委托已撤销，不能代办", html);
        Assert.DoesNotContain("代为办理 长治医学院", html);
        Assert.DoesNotContain("inst-czmc", Text(html));
        Assert.DoesNotMatch(@"\b(Active|Revoked|agency|institution)\b", Text(html));
    }

    [Fact]
    public async Task Delegations_page_offers_revoking_only_active_delegations_and_keeps_what_was_typed()
    {
        var active = new DelegationEntity { PartitionKey = "a", RowKey = "d1", AgencyId = "agency-x", AgencyName = "晋科代理", PartyKind = RoleNames.ClaimValue(Role.Enterprise), PartyId = "p", Actions = DelegationActions.ViewRecords, ValidUntil = "2099-01-01" };
        var expired = new DelegationEntity { PartitionKey = "a", RowKey = "d2", AgencyId = "agency-y", AgencyName = "并州代理", PartyKind = RoleNames.ClaimValue(Role.Enterprise), PartyId = "p", Actions = DelegationActions.ViewRecords, ValidUntil = "2020-01-01" };
        var model = new DelegationsModel(
            [new DelegationRow(active, DelegationState.Active, ["查看申请、创新券和兑付记录"]), new DelegationRow(expired, DelegationState.Expired, ["查看申请、创新券和兑付记录"])],
            [new AgencyEntity { RowKey = "agency-x", Name = "晋科代理", CityCode = "taiyuan" }],
            [.. DelegationActions.For(Role.Enterprise).Select(g => (g.Name, g.Label))], "agency-x", [DelegationActions.ApplyForVoucher], "2026-13-01",
            [new FieldError("validUntil", "日期格式须为 yyyy-MM-dd (Date as yyyy-MM-dd)")]);
        var html = await Render<DelegationsPage>(model);

        Assert.Single(Regex.Matches(html, "/revoke\""));
        Assert.Contains("aria-label=\"撤销 晋科代理\"", html);
        Assert.Contains("已到期", html);
        Assert.Contains("value=\"2026-13-01\"", html);
        Assert.Contains("<option value=\"agency-x\" selected", html);
        Assert.Matches("value=\"apply-for-voucher\" checked", html);
        Assert.DoesNotContain("(Date as", html);
        Assert.DoesNotContain("onsubmit", html);
    }
}
