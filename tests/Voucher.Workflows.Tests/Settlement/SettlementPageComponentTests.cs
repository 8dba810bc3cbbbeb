using System.Text.RegularExpressions;
using Voucher.Workflows.Web;
using Voucher.Workflows.Web.Lists;

namespace Voucher.Workflows.Tests.Settlement;

/// <summary>
/// The settlement pages as components, rendered by the renderer the hosts use: the publicity notice (公示公告), the
/// bureau's start-settlement guardrail, the batch review and the finance bureau's home — Chinese labels, encoding, no
/// enum names or principal ids.
/// </summary>
public sealed partial class SettlementPageComponentTests
{
    static readonly PageRenderer Renderer = new(new ServiceCollection().BuildServiceProvider(), NullLoggerFactory.Instance);

    static Task<string> Render<T>(object model) where T : Microsoft.AspNetCore.Components.IComponent =>
        Renderer.RenderAsync<T>(new Dictionary<string, object?> { ["Model"] = model });

    static PublicityEntry Entry(string id, string enterprise, long yuan, bool objected = false) =>
        new(id, "taiyuan", enterprise, "山西大学分析测试中心", "testing", "ICP-MS 元素分析", Cny.FromYuan(yuan), "2026-11-02", "2026-11-06", objected);

    static PublicityNotice Notice(bool provisional = false) =>
        new("taiyuan-2026M11", "taiyuan", "2026M11", "2026-11-02", "2026-11-06", provisional,
            [Entry("T1-R1", "太原<甲>科技有限公司", 65_000), Entry("T1-R2", "太原乙科技有限公司", 12_000, objected: true)]);

    static PublicityModel Publicity(string? formFor = null, IReadOnlyList<FieldError>? errors = null, bool provisional = false) =>
        new([Notice(provisional)], formFor, formFor is null ? null : "李明 13800138000", null, errors ?? [], null, false);

    [Fact]
    public async Task Publicity_notice_has_title_window_issuing_unit_how_to_object_and_a_numbered_table_with_total()
    {
        var html = await Render<PublicityPage>(Publicity());

        Assert.Contains("太原市2026年第11期科技创新券兑付公示", html);
        Assert.Contains("发布单位：太原市科技局", html);
        Assert.Contains("<dt>公示期</dt>", html);
        Assert.Contains("2026年11月2日至2026年11月6日", html);
        Assert.Contains("<dt>受理单位</dt><dd>太原市科技局</dd>", html);
        Assert.Contains("<dt>提出方式</dt>", html);
        Assert.Contains("<dt>异议范围</dt>", html);
        foreach (var column in new[] { "序号", "企业名称", "服务机构", "服务内容", "兑付金额（元）" })
        {
            Assert.Contains($"<th scope=\"col\"{(column.StartsWith("兑付", StringComparison.Ordinal) ? " class=\"amount\"" : "")}>{column}</th>", html);
        }

        Assert.Contains("<table class=\"stack notice-table\">", html);
        Assert.Contains("<td data-label=\"序号\">1</td>", html);
        Assert.Contains("<td data-label=\"序号\">2</td>", html);
        Assert.Contains("<td data-label=\"服务内容\">检验检测 · ICP-MS 元素分析</td>", html);
        Assert.Contains("¥65,000.00", html);
        Assert.Contains("合计 2 笔", html);
        Assert.Contains("¥77,000.00", html);
        Assert.Contains("太原&lt;甲&gt;科技有限公司", html);
        Assert.Contains("已收到异议，核查中", html);
        Assert.DoesNotContain("推定", html);
        // Each row reaches its objection form through a link; no form is on the page until one is chosen.
        Assert.Contains("href=\"/publicity?object=T1-R1#objection\"", html);
        Assert.DoesNotContain("<form", html);
        AssertPlainChinese(html);
    }

    [Fact]
    public async Task Publicity_notice_marks_a_provisional_end()
    {
        var html = await Render<PublicityPage>(Publicity(provisional: true));

        Assert.Contains(">推定</span>", html);
    }

    [Fact]
    public async Task Publicity_objection_form_of_the_chosen_row_keeps_what_was_typed_shows_messages_and_does_not_print()
    {
        IReadOnlyList<FieldError> errors = [new("grounds", "必填 (Required)")];
        var html = await Render<PublicityPage>(Publicity("T1-R2", errors));

        Assert.Contains("对第 2 项（太原乙科技有限公司）提出异议", html);
        Assert.Contains("<form method=\"post\" action=\"/publicity/T1-R2/objection\" class=\"no-print\"", html);
        Assert.Contains("section class=\"objection no-print\" id=\"objection\"", html);
        Assert.Contains("value=\"李明 13800138000\"", html);
        Assert.Contains("<p class=\"error\" id=\"grounds-error\">必填</p>", html);
        Assert.Contains("aria-describedby=\"grounds-error\"", html);
        Assert.Contains("<li><a href=\"#grounds\">必填</a></li>", html);
        Assert.Contains("<tr data-redemption=\"T1-R2\" class=\"chosen\">", html);
        Assert.DoesNotContain("onsubmit", html);
        Assert.DoesNotContain("<script", html);
        AssertPlainChinese(html);
    }

    [Fact]
    public async Task Publicity_without_notices_says_so()
    {
        var html = await Render<PublicityPage>(new PublicityModel([], null, null, null, [], null, false));

        Assert.Contains("当前没有公示中的科技创新券兑付。", html);
    }

    static BureauSettlementModel Bureau(BatchEntity? current, int queued, long queuedFen)
    {
        var batches = current is null ? new List<BatchLine>() : [new BatchLine(current, "/batches/token-1", false)];
        return new BureauSettlementModel(Cities.Get("taiyuan"), SettlementCadence.Monthly, "2026M11", current, queued, queuedFen, batches, []);
    }

    [Fact]
    public async Task Start_settlement_is_offered_when_the_period_has_no_batch_and_something_is_queued()
    {
        var html = await Render<BureauSettlementSection>(Bureau(null, 3, 15_000_000));

        Assert.Contains("本市按<strong>按月</strong>结算", html);
        Assert.Contains("2026年11月", html);
        Assert.Contains("当前待结算 <strong>3</strong> 笔，核定兑付合计 <strong>¥150,000.00</strong>", html);
        Assert.Contains("<form method=\"post\" action=\"/portal/settlements\"", html);
        Assert.Contains("name=\"periodId\" value=\"2026M11\"", html);
        Assert.Contains("<button type=\"submit\">发起本期结算</button>", html);
        Assert.DoesNotContain("onsubmit", html);
        Assert.DoesNotContain("Monthly", html);
        AssertPlainChinese(html);
    }

    [Fact]
    public async Task Start_settlement_is_not_offered_once_the_period_has_its_batch_and_the_page_says_which()
    {
        var batch = new BatchBuilder("taiyuan", "2026M11").InStage(BatchStage.Reviewing).WithItems(3).Build();
        var html = await Render<BureauSettlementSection>(Bureau(batch, 0, 0));

        Assert.DoesNotContain("/portal/settlements", html);
        Assert.DoesNotContain("<button", html);
        Assert.Contains("本期结算已发起（批次：太原市2026年11月，阶段：审核中），不能重复发起。", html);
        Assert.Contains("<a href=\"/batches/token-1\">审核本期批次</a>", html);
        Assert.Contains("<td data-label=\"阶段\">审核中</td>", html);
        Assert.DoesNotContain("Reviewing", html);
        AssertPlainChinese(html);
    }

    [Fact]
    public async Task Start_settlement_is_not_offered_when_nothing_is_queued_and_the_page_says_why()
    {
        var html = await Render<BureauSettlementSection>(Bureau(null, 0, 0));

        Assert.DoesNotContain("/portal/settlements", html);
        Assert.Contains("当前没有待结算的兑付申请", html);
    }

    [Fact]
    public void Start_refusal_names_the_existing_batch_before_an_empty_queue()
    {
        var batch = new BatchBuilder("taiyuan", "2026M11").InStage(BatchStage.Publicity).Build();

        Assert.Null(Bureau(null, 1, 100).StartRefusal);
        Assert.Contains("阶段：公示中", Bureau(batch, 5, 100).StartRefusal);
    }

    [Fact]
    public async Task Batch_review_shows_totals_first_rows_in_Chinese_and_links_to_each_redemption()
    {
        var batch = new BatchBuilder("taiyuan", "2026M11").InStage(BatchStage.Reviewing).WithItems(2).Build();
        var item = new BatchItemBuilder(batch.BatchId, "T1-R1").With(i =>
        {
            i.EnterpriseName = "太原甲科技有限公司";
            i.InstitutionName = "山西大学分析测试中心";
            i.ServiceTitle = "ICP-MS 元素分析";
            i.AmountPaidFen = 8_000_000;
            i.PayoutFen = 6_500_000;
            i.BindingMode = "system";
            i.BoundBy = "institution:inst-sxu";
        }).Build();
        var expert = new ExpertEntity { PartitionKey = ExpertEntity.Pool, RowKey = "expert-0042", Name = "王专家", Fields = "testing", Affiliation = "太原理工大学" };
        item.RiskFlags = "shared-evidence,related-party";
        item.RiskReasons = """[{"rule":"shared-evidence","reason":"付款凭证与兑付申请 T9-R1 的文件相同"},{"rule":"related-party","reason":"联系电话相同"}]""";
        var other = new BatchItemBuilder(batch.BatchId, "T1-R2").With(i => { i.PayoutFen = 6_500_000; i.AmountPaidFen = 8_000_000; i.Decide(RowVerdict.Approve, null, "city-bureau:taiyuan"); }).Build();
        var query = new ListQuery("", "", "id", false, 1, 50, new Dictionary<string, string>());
        var model = new BatchReviewModel(batch, "/batches/t", query, [new BatchReviewRow(0, 1, item, "reject", "", null, null, ["驳回须填写理由 (A reason is required)"])],
            query.PageOf<BatchItemEntity>([item, other]), BatchReviewTotals.Of([item, other]), BatchReviewTotals.Of([item, other]), [("inst-sxu", "山西大学分析测试中心")], ["testing"], [],
            true, [expert], "有错误，出错的行未保存，请修改后重试。", true);

        var html = await Render<BatchReviewPage>(model);

        Assert.Contains("共 <strong>2</strong> 笔，核定兑付合计 <strong>¥130,000.00</strong>", html);
        Assert.True(html.IndexOf("batch-totals", StringComparison.Ordinal) < html.IndexOf("<table", StringComparison.Ordinal));
        Assert.Contains("<td data-label=\"阶段\">", html.Replace("<dt>阶段</dt><dd>审核中</dd>", "<td data-label=\"阶段\">", StringComparison.Ordinal));
        Assert.Contains("href=\"/batches/t/items/T1-R1?", html);
        Assert.Contains("<span class=\"risk-flag\">材料重复使用</span> <span class=\"muted\">付款凭证与兑付申请 T9-R1 的文件相同</span>", html);
        Assert.Contains("<input type=\"checkbox\" name=\"sel\" value=\"T1-R1\"", html);
        Assert.Contains("通过本批次全部（2 笔）", html);
        Assert.Contains("已决定 <strong>1 / 2</strong> 笔：通过 1 笔，驳回 0 笔；有风险提示的 1 笔", html);
        Assert.Contains("href=\"/batches/t/evidence/T1-R1/report\"", html);
        Assert.Contains("服务机构已在系统内确认", html);
        Assert.Contains("<option value=\"reject\" selected>驳回</option>", html);
        Assert.Contains("<p class=\"error\" role=\"alert\">驳回须填写理由</p>", html);
        Assert.Contains("王专家 · 检验检测 · 太原理工大学", html);
        Assert.Contains("<button type=\"submit\" name=\"action\" value=\"submit\">提交批次</button>", html);
        Assert.DoesNotContain("onclick", html);
        Assert.DoesNotContain("institution:inst-sxu", html);
        Assert.DoesNotContain("expert-0042<", html);
        Assert.DoesNotContain("/api/", html);
        AssertPlainChinese(html);
    }

    [Fact]
    public async Task Finance_home_lists_payables_with_their_total_and_no_inline_confirmation()
    {
        var work = new FinanceWork(
            [new Payable("T1-R1", "太原甲科技有限公司", "91140100MA0DEM001U", "山西大学分析测试中心", "ICP-MS 元素分析", Cny.FromYuan(65_000), Cny.Zero, Cny.Zero, Cny.FromYuan(65_000), "taiyuan-2026M11", null)],
            [],
            [new PaidEntry("T1-R0", "太原乙科技有限公司", "检测")]);

        var html = await Render<FinanceHome>(new FinanceHomeModel(work, new DateOnly(2026, 11, 20), _ => { }));

        Assert.Contains("<h2>待拨付（1）</h2>", html);
        Assert.Contains("本次应拨付合计 <strong>¥65,000.00</strong>", html);
        Assert.Contains("<form method=\"post\" action=\"/portal/payments/T1-R1\" class=\"pay-item\">", html);
        Assert.Contains("value=\"2026-11-20\"", html);
        Assert.Contains("<button type=\"submit\">确认拨付</button>", html);
        Assert.DoesNotContain("onsubmit", html);
        Assert.DoesNotContain("/api/", html);
        AssertPlainChinese(html);
    }

    [Theory]
    [InlineData("2026M11", "2026年11月")]
    [InlineData("2026Q4", "2026年第4季度")]
    [InlineData("2026H1", "2026年上半年")]
    [InlineData("2026", "2026年度")]
    public void Period_names_are_Chinese(string id, string name) => Assert.Equal(name, SettlementText.PeriodName(id));

    [Fact]
    public void Notice_title_names_city_year_and_period_number() =>
        Assert.Equal("太原市2026年第11期科技创新券兑付公示", SettlementText.NoticeTitle("taiyuan", "2026M11"));

    /// <summary>No English word in the visible text (markup, attribute names and ids aside), no enum name.</summary>
    static void AssertPlainChinese(string html)
    {
        // Ids shown as references (class "id") may be Latin; everything else a person reads must be Chinese.
        var text = System.Net.WebUtility.HtmlDecode(Tags().Replace(References().Replace(html, " "), " "));
        var words = Words().Matches(text).Select(m => m.Value).Where(w => w is not ("ICP" or "MS")).ToList();
        Assert.True(words.Count == 0, "English in the visible text: " + string.Join(", ", words));
    }

    [GeneratedRegex("<(dd|span|a) [^>]*class=\"[^\"]*\\bid\\b[^\"]*\"[^>]*>[^<]*</\\1>")]
    private static partial Regex References();

    [GeneratedRegex("<[^>]*>")]
    private static partial Regex Tags();

    [GeneratedRegex("[A-Za-z]{2,}")]
    private static partial Regex Words();
}
