using System.Text.RegularExpressions;
using Voucher.Workflows.Enterprises;
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

    static NoticeDocument Notice(bool current = true, int rows = 2) =>
        new(new NoticeSummary("taiyuan-2026Q4", "taiyuan", "2026Q4", "2026-11-02", "2026-11-06", false, current),
            NoticeContacts.DefaultFor("taiyuan"),
            [.. Enumerable.Range(1, rows).Select(n => new NoticeRow(n, $"T1-R{n}", n == 1 ? "太原<甲>科技有限公司" : $"太原{n}号科技有限公司", "山西大学分析测试中心", "testing", "元素分析", 1_000_000L * n))],
            Enumerable.Range(1, rows).Sum(n => 1_000_000L * n),
            new Dictionary<string, ObjectionStatus> { ["T1-R2"] = ObjectionStatus.Open });

    static PublicityNoticeModel NoticeModel(NoticeDocument notice, int page = 1, bool print = false, string? formFor = null)
    {
        var query = new Voucher.Workflows.Web.Lists.ListQuery("", "", null, false, page, PublicityPages.NoticePageSize, new Dictionary<string, string>());
        return new PublicityNoticeModel(notice, query.PageOf(notice.Rows), query, print, formFor, null, null, [], null, false);
    }

    [Fact]
    public async Task Notice_page_has_the_formal_header_contacts_numbered_rows_total_and_plain_chinese()
    {
        var html = await Render<PublicityNoticePage>(NoticeModel(Notice()));

        Assert.Contains("太原市2026年第4季度科技创新券兑付结果公示", html);
        Assert.Contains("发布单位：太原市科技局", html);
        Assert.Contains("2026年11月2日至2026年11月6日", html);
        Assert.Contains("<dt>受理单位</dt><dd>太原市科技局</dd>", html);
        Assert.Contains("<dt>联系电话</dt><dd>0351-12345</dd>", html);
        Assert.Contains("<dt>地址</dt>", html);
        Assert.Contains("<dt>邮箱</dt>", html);
        foreach (var column in new[] { "序号", "企业名称", "服务机构", "服务内容" })
        {
            Assert.Contains($"<th scope=\"col\">{column}</th>", html);
        }

        Assert.Contains("<th scope=\"col\" class=\"amount\">兑付金额（元）</th>", html);
        Assert.Contains("<td data-label=\"序号\">2</td>", html);
        Assert.Contains("太原&lt;甲&gt;科技有限公司", html);
        Assert.Contains("合计 2 笔", html);
        Assert.Contains("¥30,000.00", html);
        Assert.Contains("已收到异议，核查中", html);
        Assert.Contains("href=\"/publicity/notices/taiyuan-2026Q4?object=T1-R1#objection\"", html);
        Assert.Contains(">打印</a>", html);
        Assert.DoesNotContain("<form", html);
        Assert.DoesNotContain("<script", html);
        AssertPlainChinese(html.Replace("Excel", "", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Notice_of_10000_rows_shows_500_a_page_with_the_whole_total_on_every_page()
    {
        var notice = Notice(rows: 10_000);
        var html = await Render<PublicityNoticePage>(NoticeModel(notice, page: 3));

        Assert.Equal(500, Regex.Matches(html, "<tr data-redemption=").Count);
        Assert.Contains("<td data-label=\"序号\">1001</td>", html);
        Assert.Contains("<td data-label=\"序号\">1500</td>", html);
        Assert.DoesNotContain("<td data-label=\"序号\">1501</td>", html);
        Assert.Contains("合计 10000 笔", html);
        Assert.Contains(Glossary.Money(notice.TotalFen), html);
        Assert.Contains("第 3 / 20 页", html);
    }

    [Fact]
    public async Task Notice_print_version_has_no_objection_column_links_or_forms()
    {
        var html = await Render<PublicityNoticePage>(NoticeModel(Notice(), print: true, formFor: "T1-R1"));

        Assert.DoesNotContain("?object=", html);
        Assert.DoesNotContain("<form", html);
        Assert.DoesNotContain(">打印</a>", html);
        Assert.DoesNotContain("<th scope=\"col\" class=\"no-print\">异议</th>", html);
        Assert.Contains("class=\"card notice notice-print\"", html);
        Assert.Contains("合计 2 笔", html);
    }

    [Fact]
    public async Task Notice_objection_form_of_the_chosen_row_does_not_print()
    {
        var html = await Render<PublicityNoticePage>(NoticeModel(Notice(), formFor: "T1-R2") with { Contact = "李明 13800138000", Errors = [new("grounds", "必填 (Required)")] });

        Assert.Contains("对第 2 项（太原2号科技有限公司）提出异议", html);
        Assert.Contains("<form method=\"post\" action=\"/publicity/T1-R2/objection\" class=\"no-print\"", html);
        Assert.Contains("value=\"李明 13800138000\"", html);
        Assert.Contains("<p class=\"error\" id=\"grounds-error\">必填</p>", html);
        Assert.Contains("<tr data-redemption=\"T1-R2\" class=\"chosen\">", html);
        Assert.DoesNotContain("onsubmit", html);
    }

    [Fact]
    public async Task Publicity_list_without_notices_says_so_for_the_city()
    {
        Assert.Contains("当前没有公示中的科技创新券兑付。", await Render<PublicityPage>(new PublicityModel([], null)));
        Assert.Contains("大同市当前没有公示中的科技创新券兑付。", await Render<PublicityPage>(new PublicityModel([], "datong")));
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
    public async Task Finance_home_lists_payables_with_batch_totals_accounts_and_one_bulk_form()
    {
        var account = new BankAccountEntity { PartitionKey = "91140100MA0DEM001U", BankName = "中国工商银行太原并州路支行", AccountName = "太原甲科技有限公司", AccountNumber = "6222020200112233445" };
        PaymentRow Row(string id, string name, long fen, BankAccountEntity? a) =>
            new(id, a?.Uscc ?? "91140100MA0DEM002U", name, "山西大学分析测试中心", "ICP-MS 元素分析", "taiyuan-2026M11", fen, 0, fen, null, null, null, a);
        var rows = new List<PaymentRow> { Row("T1-R1", "太原甲科技有限公司", 6_500_000, account), Row("T1-R2", "太原乙科技有限公司", 1_000_000, null) };
        var ledger = new PaymentLedger(rows, [new PaymentBatchTotal("taiyuan-2026M11", 2, 7_500_000, 1)], 2, 0, ["taiyuan-2026M11"], ["山西大学分析测试中心"]);
        var query = new ListQuery("", "payable", null, false, 1, ListQuery.DefaultPageSize, new Dictionary<string, string>());

        var html = await Render<FinanceHome>(new FinanceHomeModel(query, PaymentLedgerTab.Payable, ledger, query.PageOf(rows), [], new DateOnly(2026, 11, 20), _ => { }));

        Assert.Contains("太原市2026年11月批次", html);
        Assert.Contains("¥75,000.00", html);
        Assert.Contains("6222 0202 0011 2233 445", html);
        Assert.Contains("未填写银行账户", html);
        Assert.Contains("<form method=\"post\" action=\"/portal/payments\" class=\"bulk-pay\">", html);
        Assert.Contains("value=\"T1-R1\"", html);
        Assert.DoesNotContain("value=\"T1-R2\"", html);
        Assert.Contains("确认拨付全部筛选结果（1 笔）", html);
        Assert.Contains("value=\"2026-11-20\"", html);
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

    [Theory]
    [InlineData("2026M11", "太原市2026年11月科技创新券兑付结果公示")]
    [InlineData("2026Q4", "太原市2026年第4季度科技创新券兑付结果公示")]
    public void Notice_title_names_city_and_period(string period, string title) =>
        Assert.Equal(title, SettlementText.NoticeTitle("taiyuan", period));

    /// <summary>No English word in the visible text (markup, attribute names and ids aside), no enum name.</summary>
    internal static void AssertPlainChinese(string html)
    {
        // Ids shown as references (class "id") may be Latin; everything else a person reads must be Chinese.
        var text = System.Net.WebUtility.HtmlDecode(Tags().Replace(References().Replace(html, " "), " "));
        var words = Words().Matches(text).Select(m => m.Value).Where(w => w is not ("ICP" or "MS" or "Excel" or "CSV")).ToList();
        Assert.True(words.Count == 0, "English in the visible text: " + string.Join(", ", words));
    }

    [GeneratedRegex("<(dd|span|a) [^>]*class=\"[^\"]*\\bid\\b[^\"]*\"[^>]*>[^<]*</\\1>")]
    private static partial Regex References();

    [GeneratedRegex("<[^>]*>")]
    private static partial Regex Tags();

    [GeneratedRegex("[A-Za-z]{2,}")]
    private static partial Regex Words();
}
