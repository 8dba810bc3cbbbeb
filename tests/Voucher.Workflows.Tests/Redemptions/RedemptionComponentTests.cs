using Microsoft.AspNetCore.Components;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Voucher.Domain;
using Voucher.Workflows.Evidence;
using Voucher.Workflows.Redemptions;
using Voucher.Workflows.Web;
using Xunit;

namespace Voucher.Workflows.Tests.Redemptions;

/// <summary>The redemption pages' components: the 办件进度 steps, the evidence list, the service picker and request form.</summary>
public sealed class RedemptionComponentTests
{
    static readonly PageRenderer Renderer = new(new ServiceCollection().BuildServiceProvider(), NullLoggerFactory.Instance);

    static readonly DateTimeOffset Submitted = new(2026, 12, 7, 2, 0, 0, TimeSpan.Zero);

    static RedemptionEntity Redemption(RedemptionStatus status, Action<RedemptionEntity>? more = null)
    {
        var r = new RedemptionEntity
        {
            PartitionKey = "91140100MA0DEM001U",
            RowKey = "V-APP-1-R1",
            Status = status,
            EnterpriseName = "太原晋阳新材料有限公司",
            InstitutionName = "山西大学分析测试中心",
            InstitutionId = "inst-sxu",
            ServiceTitle = "扫描电镜检测",
            VoucherId = "V-APP-1",
            ContractNumber = "SXU-2026-001",
            AmountPaidFen = 8_000_000,
            BindingRound = 1,
            SubmittedAt = Submitted,
        };
        more?.Invoke(r);
        return r;
    }

    static Task<string> Render<TComponent>(object model) where TComponent : IComponent =>
        Renderer.RenderAsync<TComponent>(new Dictionary<string, object?> { ["Model"] = model });

    static Task<string> Timeline(RedemptionEntity r, int? daysLeft = null, int missing = 0) =>
        Render<RedemptionTimeline>(RedemptionProgress.Of(r, daysLeft, missing));

    [Fact]
    public async Task Right_after_the_request_the_next_step_has_no_blank_date()
    {
        var r = Redemption(RedemptionStatus.AwaitingBinding);

        var progress = RedemptionProgress.Of(r, null, 3);
        var html = await Render<RedemptionTimeline>(progress);

        Assert.Equal("正在通知服务机构，确认期限稍后显示；企业请补充上传3项材料", progress.Next);
        Assert.DoesNotContain("须在 前", progress.Next);
        Assert.DoesNotContain("须在  前", progress.Next);
        Assert.Null(progress.Deadline);
        Assert.Contains("正在通知服务机构，确认期限稍后显示", html);
        Assert.DoesNotContain("确认期限：", html);
        // The API's next step says the same (no "须在 … 前" around nothing).
        Assert.StartsWith("正在通知服务机构，确认期限稍后显示", RedemptionView.NextStep(r).Next);
    }

    [Fact]
    public async Task With_its_deadline_the_binding_step_names_the_date_and_the_working_days_left()
    {
        var r = Redemption(RedemptionStatus.AwaitingBinding, x => { x.BindingDeadline = "2026-12-14"; x.BindingOpenedOn = "2026-12-07"; });

        var progress = RedemptionProgress.Of(r, 4, 0);
        var html = await Render<RedemptionTimeline>(progress);

        Assert.Equal("服务机构须在 2026年12月14日 前确认", progress.Next);
        Assert.Equal("服务机构（山西大学分析测试中心）", progress.WhoActs);
        Assert.Contains("确认期限：<span>2026-12-14（剩余 4 个工作日）</span>", html);
    }

    [Fact]
    public async Task Binding_and_evidence_run_side_by_side_in_one_row()
    {
        var html = await Timeline(Redemption(RedemptionStatus.AwaitingBinding, x => { x.BindingDeadline = "2026-12-14"; x.BindingOpenedOn = "2026-12-07"; }), 4, 2);

        var row = html[html.IndexOf("<li class=\"step-row parallel\">", StringComparison.Ordinal)..];
        row = row[..row.IndexOf("</li>", StringComparison.Ordinal)];
        Assert.Contains("以下两项同时办理", row);
        Assert.Contains("<strong>机构确认</strong>", row);
        Assert.Contains("<strong>补充材料</strong>", row);
        Assert.Contains("企业还需上传2项材料", row);
        Assert.Equal(2, CountOf(row, "aria-current=\"step\""));
        Assert.Contains("<time datetime=\"2026-12-07\">2026-12-07</time>", html);
    }

    [Fact]
    public async Task Under_objection_the_publicity_step_shows_it_and_payment_is_not_current()
    {
        var r = Redemption(RedemptionStatus.Objected, x =>
        {
            x.Bound = true;
            x.BoundAt = Submitted.AddDays(1);
            x.EvidenceComplete = true;
            x.EvidenceCompleteAt = Submitted;
            x.QueuedAt = Submitted.AddDays(1);
            x.InBatchAt = Submitted.AddDays(3);
            x.ReviewedAt = Submitted.AddDays(5);
            x.PublishedAt = Submitted.AddDays(6);
            x.PayoutFen = 6_500_000;
        });

        var progress = RedemptionProgress.Of(r, null, 0);
        var html = await Render<RedemptionTimeline>(progress);

        var current = html.Split("<div class=\"step ").Where(s => s.Contains("aria-current=\"step\"")).ToList();
        var step = Assert.Single(current);
        Assert.StartsWith("step-exception", step);
        Assert.Contains("<strong>异议处理中</strong>", step);
        Assert.Contains("公示期收到异议", step);
        var payment = html.Split("<div class=\"step ").Single(s => s.Contains("<strong>拨付</strong>"));
        Assert.StartsWith("step-pending", payment);
        Assert.Contains("（未开始）", payment);
        Assert.DoesNotContain("待拨付", html);
        Assert.Equal("市科技局", progress.WhoActs);
    }

    [Fact]
    public async Task A_rejection_shows_its_reason_at_the_review_and_a_withdrawal_where_it_happened()
    {
        var rejected = await Timeline(Redemption(RedemptionStatus.Rejected, x =>
        {
            x.Bound = true;
            x.EvidenceComplete = true;
            x.QueuedAt = x.InBatchAt = x.ReviewedAt = Submitted.AddDays(3);
            x.RejectReason = "合同金额与支付凭证不符";
        }));
        Assert.Contains("<strong>结算审核未通过</strong>", rejected);
        Assert.Contains("原因：合同金额与支付凭证不符", rejected);

        var withdrawn = await Timeline(Redemption(RedemptionStatus.Withdrawn, x => x.WithdrawnAt = Submitted.AddDays(1)));
        Assert.Contains("<strong>已撤回</strong>", withdrawn);
        Assert.Contains("2026-12-08", withdrawn);
        // It ends after the first row; the steps it never reached stay grey.
        Assert.True(withdrawn.IndexOf("已撤回", StringComparison.Ordinal) < withdrawn.IndexOf("<strong>待结算</strong>", StringComparison.Ordinal));

        var overdue = await Timeline(Redemption(RedemptionStatus.BindingOverdue, x => x.BindingDeadline = "2026-12-14"));
        Assert.Contains("<strong>机构确认超期</strong>", overdue);
        var disputed = await Timeline(Redemption(RedemptionStatus.Disputed, x => x.DisputeReason = "未提供该项服务"));
        Assert.Contains("<strong>机构不予确认</strong>", disputed);
        Assert.Contains("未提供该项服务", disputed);
    }

    [Fact]
    public async Task Evidence_is_listed_by_original_name_and_type_with_the_hash_behind_a_details()
    {
        var sha = new string('a', 64);
        var files = new List<EvidenceEntity>
        {
            new() { PartitionKey = "V-APP-1-R1", RowKey = "report", Size = 400_000, Sha256 = sha, ContentType = "application/pdf", OriginalFileName = "检测报告<终稿>.pdf", UploadedAt = Submitted },
            new() { PartitionKey = "V-APP-1-R1", RowKey = "payment", Size = 3_500_000, Sha256 = sha, ContentType = "image/jpeg", OriginalFileName = "", UploadedAt = Submitted },
        };
        var model = EvidenceSectionModel.Of("V-APP-1-R1", files, canUpload: true, lockedReason: null, canDownload: true, maxBytes: 20L * 1024 * 1024);

        var html = await Render<EvidenceSection>(model);

        Assert.Contains("<a class=\"file-name\" href=\"/portal/redemptions/V-APP-1-R1/evidence/report\">检测报告&lt;终稿&gt;.pdf</a>", html);
        Assert.Contains("PDF 文件 · 391 KB", html);
        Assert.Contains("JPEG 图片 · 3.3 MB", html);
        Assert.Contains("支付凭证（发票/转账记录）（未记录原文件名）", html);
        Assert.Contains("<h3>服务合同</h3>", html);
        Assert.Contains("未上传", html);
        Assert.Contains("还需上传 1 项材料", html);
        // The hash only inside the 校验信息 expander.
        var hash = html.IndexOf(sha, StringComparison.Ordinal);
        var details = html.LastIndexOf("<details class=\"checksum\"><summary>校验信息</summary>", hash, StringComparison.Ordinal);
        Assert.True(details >= 0 && details < hash && html.IndexOf("</details>", details, StringComparison.Ordinal) > hash, html);
        Assert.Equal(3, CountOf(html, "data-busy=\"正在上传…\""));
        Assert.Equal(3, CountOf(html, "enctype=\"multipart/form-data\""));
        Assert.DoesNotContain("/api/", html);
        Assert.DoesNotContain("<script", html);
        foreach (var english in new[] { "Upload", "uploaded", "Choose file", "Replace", ">report", "report<", " B ·" })
        {
            Assert.DoesNotContain(english, html);
        }
    }

    [Fact]
    public async Task Locked_evidence_offers_no_upload_and_says_why()
    {
        var model = EvidenceSectionModel.Of("V-APP-1-R1", [], canUpload: false, lockedReason: "已进入待结算，材料已锁定，不能再上传或替换。", canDownload: false, maxBytes: 1024 * 1024);

        var html = await Render<EvidenceSection>(model);

        Assert.DoesNotContain("<form", html);
        Assert.Contains("已进入待结算，材料已锁定", html);
        Assert.Contains("不超过 1 MB", html);
    }

    [Fact]
    public async Task Picker_lists_matching_services_with_links_that_prefill_the_form()
    {
        var hits = new PickerResults(1, [new PickerHit("inst-sxu", "山西大学分析测试中心", "svc-sem", "扫描电镜检测", "检验检测", "太原市", "¥800.00")], false);
        var html = await Render<RedemptionRequestPage>(new RedemptionRequestModel("V-APP-1", null, "电镜", hits, null, new Dictionary<string, string>(), []));

        Assert.Contains("value=\"电镜\"", html);
        Assert.Contains("找到 1 项可用创新券的服务", html);
        Assert.Contains("href=\"/portal/redemptions/new?voucherId=V-APP-1&amp;institutionId=inst-sxu&amp;serviceId=svc-sem\"", html);
        Assert.Contains("href=\"/portal/redemptions/new?voucherId=V-APP-1&amp;institutionId=inst-sxu\"", html);
        Assert.Contains("<form method=\"get\" action=\"/portal/redemptions/new\"", html);
        Assert.DoesNotContain("<select", html);
        Assert.DoesNotContain("<option", html);
    }

    [Fact]
    public async Task Request_form_is_prefilled_with_the_choice_and_posts_to_the_existing_route()
    {
        var choice = new PickerChoice("inst-sxu", "山西大学分析测试中心", "svc-sem", "扫描电镜检测");
        var errors = new List<FieldError> { new("amountPaid", "金额须为数字，如 80000 或 80000.50。") };
        var typed = new Dictionary<string, string> { ["contractNumber"] = "SXU-2026-001", ["amountPaid"] = "八万元" };

        var html = await Render<RedemptionRequestPage>(new RedemptionRequestModel("V-APP-1", null, "", null, choice, typed, errors));

        Assert.Contains("<form method=\"post\" action=\"/portal/redemptions\"", html);
        Assert.Contains("name=\"service\" value=\"inst-sxu|svc-sem\"", html);
        Assert.Contains("name=\"voucherId\" value=\"V-APP-1\"", html);
        Assert.Contains("<dd>山西大学分析测试中心</dd>", html);
        Assert.Contains("<dd>扫描电镜检测</dd>", html);
        Assert.Contains("value=\"SXU-2026-001\"", html);
        Assert.Contains("value=\"八万元\"", html);
        Assert.Contains("<p class=\"error\" id=\"amountPaid-error\">金额须为数字", html);
        Assert.Contains("class=\"error-summary\"", html);
        Assert.DoesNotContain("onsubmit", html);
    }

    [Fact]
    public async Task Without_a_live_voucher_the_request_page_says_why_and_links_home()
    {
        var html = await Render<RedemptionRequestPage>(RedemptionRequestModel.Refused("您目前没有有效的创新券，需先申领创新券并获批后才能申请兑付。"));

        Assert.Contains("您目前没有有效的创新券", html);
        Assert.Contains("href=\"/\"", html);
        Assert.DoesNotContain("<form", html);
    }

    [Fact]
    public void Withdrawal_confirmation_names_the_amount_released()
    {
        var r = Redemption(RedemptionStatus.Queued, x => { x.CapYear = 2026; x.PayoutFen = 6_500_000; });
        var form = new Microsoft.AspNetCore.Http.FormCollection([]);

        var confirm = RedemptionPages.WithdrawConfirmation(r, form, "/portal/redemptions/V-APP-1-R1");

        Assert.Contains(confirm.Facts, f => f.Value == "2026年度补助额度中预留的 6.5万元 将释放");
        Assert.Equal("/portal/redemptions/V-APP-1-R1/withdraw", confirm.Action);
        Assert.True(confirm.Danger);
        Assert.Contains(confirm.Facts, f => f.Value == "8万元");
    }

    [Theory]
    [InlineData("C:\\Users\\王芳\\Desktop\\检测报告.pdf", "检测报告.pdf")]
    [InlineData("../../etc/passwd.pdf", "passwd.pdf")]
    [InlineData("合同\u0000\u202e(终稿).pdf", "合同(终稿).pdf")]
    [InlineData("  ", "")]
    [InlineData(null, "")]
    [InlineData("a:b?c*.png", "abc.png")]
    public void File_names_are_kept_safely(string? sent, string kept) =>
        Assert.Equal(kept, EvidenceFileNames.Safe(sent));

    [Fact]
    public void A_long_file_name_is_shortened_keeping_its_extension()
    {
        var name = EvidenceFileNames.Safe(new string('检', 300) + ".pdf");

        Assert.Equal(EvidenceFileNames.MaxLength, name.Length);
        Assert.EndsWith("检.pdf", name);
    }

    static int CountOf(string text, string part) => (text.Length - text.Replace(part, "", StringComparison.Ordinal).Length) / part.Length;

    [Fact]
    public async Task A_voucher_is_offered_for_a_redemption_only_while_the_annual_cap_has_room()
    {
        IReadOnlyList<VoucherStart> vouchers = [new("V-APP-1", 5_000_000, "2027-12-05", null)];
        var room = new Voucher.Workflows.Ledger.CapStanding(2026, Cny.FromYuan(200_000m), Cny.FromYuan(150_000m), Cny.Zero, Cny.FromYuan(50_000m));
        var full = room with { Granted = Cny.FromYuan(180_000m), Reserved = Cny.FromYuan(20_000m), Remaining = Cny.Zero };

        var open = await Render<EnterpriseRedemptions>(new EnterpriseRedemptionsModel(2026, room, [], vouchers));
        var reached = await Render<EnterpriseRedemptions>(new EnterpriseRedemptionsModel(2026, full, [], vouchers));

        Assert.Contains("action=\"/portal/redemptions/new\"", open, StringComparison.Ordinal);
        Assert.DoesNotContain("年度补助额度已用完", open, StringComparison.Ordinal);
        Assert.DoesNotContain("action=\"/portal/redemptions/new\"", reached, StringComparison.Ordinal);
        Assert.Contains("2026 年度补助额度已用完", reached, StringComparison.Ordinal);
    }
}
