using Microsoft.Extensions.Logging.Abstractions;
using Voucher.Workflows.Web;

namespace Voucher.Workflows.Tests.Applications;

/// <summary>The bureau's review page and the link's answers as components: Chinese only, the facts, the confirmation naming the voucher.</summary>
public sealed class ReviewPageTests
{
    static readonly PageRenderer Renderer = new(new ServiceCollection().BuildServiceProvider(), NullLoggerFactory.Instance);

    static ReviewModel Model(string? errorField = null, string? choice = null, string? reason = null) => new(
        "91140100MA0DEM001U-2026-01",
        "太原<晋阳>精密仪器有限公司",
        "91140100MA0DEM001U",
        "太原市",
        Glossary.SizeClassName("small"),
        "2026140100A0001",
        ApplicationStatus.Escalated,
        2,
        new Voucher.Workflows.Applications.DeadlineView("2026-12-18", 3, false),
        new DateTimeOffset(2026, 12, 1, 2, 5, 0, TimeSpan.Zero),
        5_000_000,
        ReviewPages.FormFor("太原<晋阳>精密仪器有限公司", 5_000_000),
        errorField,
        choice,
        reason);

    [Fact]
    public async Task Review_page_shows_the_facts_in_Chinese_and_the_decision_form_whose_confirmation_names_the_voucher()
    {
        var html = await Renderer.RenderAsync<ReviewPage>(new Dictionary<string, object?> { ["Model"] = Model() });

        Assert.Contains("<dt>企业规模</dt><dd>小型企业</dd>", html);
        Assert.Contains("<dt>办理状态</dt><dd>超期督办中（第 2 轮审核）</dd>", html);
        Assert.Contains("2026年12月18日（剩余 3 个工作日）", html);
        Assert.Contains("<dt>提交时间</dt><dd>2026-12-01 10:05</dd>", html);
        Assert.Contains("<dt>批准后发放</dt><dd>创新券面额 5万元</dd>", html);
        Assert.Contains("太原&lt;晋阳&gt;精密仪器有限公司", html);
        Assert.Contains("data-confirm=\"提交后不可撤销。批准将向太原&lt;晋阳&gt;精密仪器有限公司发放面额 5万元 的创新券；驳回将把理由告知企业。确认提交审核决定？\"", html);
        Assert.Matches("value=\"approve\"[^>]*>\\s*批准并发放创新券</label>", html);
        Assert.Matches("value=\"reject\"[^>]*>\\s*驳回</label>", html);
        Assert.Contains("<button type=\"submit\">提交决定</button>", html);
        Assert.DoesNotContain("onsubmit", html);
        Assert.DoesNotMatch("Approve|Reject|Submit|Decision|small|Escalated", html);
    }

    [Fact]
    public async Task A_refused_decision_keeps_the_choice_and_the_reason_with_the_message_by_the_field()
    {
        var html = await Renderer.RenderAsync<ReviewPage>(new Dictionary<string, object?> { ["Model"] = Model("reason", "reject", "") });

        Assert.Contains("<p class=\"error\" id=\"reason-error\">驳回须填写理由。</p>", html);
        Assert.Contains("value=\"reject\" checked", html);
        Assert.Contains("aria-describedby=\"reason-error\"", html);
    }

    [Fact]
    public async Task Link_answers_say_what_happened_in_Chinese()
    {
        var done = await Renderer.RenderAsync<ReviewNotice>(new Dictionary<string, object?> { ["Model"] = new ReviewNoticeModel("已批准，系统将发放创新券并通知企业。", "审核决定已记录。", true, "91140100MA0DEM001U-2026-01") });
        var used = await Renderer.RenderAsync<ReviewNotice>(new Dictionary<string, object?> { ["Model"] = new ReviewNoticeModel("此审核链接已使用，本轮审核决定已记录，无需重复操作。", null, false) });

        Assert.Contains("<p class=\"ok\" role=\"status\">已批准，系统将发放创新券并通知企业。</p>", done);
        Assert.Contains("<a href=\"/portal/applications/91140100MA0DEM001U-2026-01\">查看办理进度</a>", done);
        Assert.Contains("<p class=\"warn\" role=\"alert\">此审核链接已使用", used);
        Assert.DoesNotContain("/portal/applications/", used);
        Assert.DoesNotMatch("[A-Za-z]{4,}", Text(done) + Text(used));
    }

    static string Text(string html) => System.Text.RegularExpressions.Regex.Replace(html, "<[^>]+>|[0-9A-Z]{18}(-[0-9]{4}-[0-9]{2})?", " ");
}
