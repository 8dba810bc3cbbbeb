using Microsoft.AspNetCore.Components;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Voucher.Domain;
using Voucher.Workflows.Security;
using Voucher.Workflows.Web;
using Xunit;

namespace Voucher.Workflows.Tests.Web;

/// <summary>The layout and the shared page components, rendered by the same renderer the hosts use.</summary>
public sealed class PageComponentTests
{
    static readonly PageRenderer Renderer = new(new ServiceCollection().BuildServiceProvider(), NullLoggerFactory.Instance);

    static Task<string> RenderPage(ShellModel shell, Type page, Dictionary<string, object?> parameters) => Renderer.RenderPageAsync(shell, page, parameters);

    [Fact]
    public async Task Layout_names_the_signed_in_person_by_role_and_name_never_by_principal_id()
    {
        var principal = new VoucherPrincipal("dev:city-bureau:taiyuan", "王芳", Role.CityBureau, "taiyuan");
        var html = await RenderPage(new ShellModel("审核", principal, 3, true, "/x", null, null), typeof(MessagePage), new() { ["Model"] = new MessageModel(MessageKind.NotFound, "没有这个页面。") });

        Assert.Contains("太原市科技局 · 王芳", html);
        Assert.DoesNotContain("dev:city-bureau", html);
        Assert.Contains("<span class=\"badge\" aria-label=\"3 条未读\">3</span>", html);
        Assert.Contains("<a href=\"/signout\">退出</a>", html);
        Assert.DoesNotContain("<script>", html);
        Assert.DoesNotContain("<style>", html);
    }

    [Fact]
    public async Task Layout_offers_sign_in_back_to_the_page_and_no_badge_when_nothing_is_unread()
    {
        var html = await RenderPage(new ShellModel("服务目录", null, 0, true, "/catalogue?q=检测", null, null), typeof(MessagePage), new() { ["Model"] = new MessageModel(MessageKind.NotFound, "x") });

        Assert.Contains("href=\"/dev/signin?returnUrl=%2Fcatalogue%3Fq%3D%E6%A3%80%E6%B5%8B\"", html);
        Assert.DoesNotContain("badge", html);
    }

    [Fact]
    public async Task Layout_encodes_what_it_is_given_and_keeps_Chinese_readable()
    {
        var principal = new VoucherPrincipal("p", "<script>alert(1)</script>", Role.Enterprise, "91140100MA0DEM001U");
        var html = await RenderPage(new ShellModel("标题", principal, 0, false, "/", "已保存。<b>", null), typeof(MessagePage), new() { ["Model"] = new MessageModel(MessageKind.Refused, "不能\"提交\"") });

        Assert.Contains("&lt;script&gt;alert(1)&lt;/script&gt;", html);
        Assert.Contains("已保存。&lt;b&gt;", html);
        Assert.Contains("不能&quot;提交&quot;", html);
    }

    [Fact]
    public async Task Result_line_shows_the_Chinese_of_a_bilingual_message()
    {
        var html = await RenderPage(new ShellModel("x", null, 0, false, "/", null, "当前不在等待机构确认 (Not awaiting binding)"), typeof(MessagePage), new() { ["Model"] = new MessageModel(MessageKind.NotFound, "x") });

        Assert.Contains("<p class=\"error\" role=\"alert\">当前不在等待机构确认</p>", html);
    }

    [Fact]
    public async Task Confirmation_names_what_will_happen_and_carries_the_form_with_the_confirmation()
    {
        var model = new ConfirmModel("确认批量通过？", [("件数", "1,204 件"), ("金额合计", "¥60,200,000.00")], "/portal/batches/b1/approve",
            [("ids", "r1"), ("ids", "r2")], "确认通过", "/portal/batches/b1", Danger: true);

        var html = await Renderer.RenderAsync<ConfirmPage>(new Dictionary<string, object?> { ["Model"] = model });

        Assert.Contains("<dt>件数</dt><dd>1,204 件</dd>", html);
        Assert.Contains("<dt>金额合计</dt><dd>¥60,200,000.00</dd>", html);
        Assert.Contains("<form method=\"post\" action=\"/portal/batches/b1/approve\">", html);
        Assert.Equal(2, html.Split("name=\"ids\"").Length - 1);
        Assert.Contains("name=\"confirmed\" value=\"yes\"", html);
        Assert.Contains("<button type=\"submit\" class=\"danger\">确认通过</button>", html);
        Assert.Contains("<a href=\"/portal/batches/b1\">取消，返回</a>", html);
    }

    [Fact]
    public async Task Refused_field_is_marked_described_and_listed_in_the_summary()
    {
        IReadOnlyList<FieldError> errors = [new("name", "必填 (Required)")];
        var field = await Renderer.RenderAsync<TextField>(new Dictionary<string, object?> { ["Name"] = "name", ["Label"] = "企业名称", ["Value"] = "", ["Errors"] = errors });
        var summary = await Renderer.RenderAsync<ErrorSummary>(new Dictionary<string, object?> { ["Errors"] = errors });

        Assert.Contains("<p class=\"error\" id=\"name-error\">必填</p>", field);
        Assert.Contains("aria-invalid=\"true\" aria-describedby=\"name-error\"", field);
        Assert.Contains("<li><a href=\"#name\">必填</a></li>", summary);
    }

    [Fact]
    public async Task Deadline_shows_date_days_left_overdue_and_provisional()
    {
        var left = await Renderer.RenderAsync<DeadlineText>(new Dictionary<string, object?> { ["Date"] = "2026-12-18", ["WorkingDaysLeft"] = 4 });
        var late = await Renderer.RenderAsync<DeadlineText>(new Dictionary<string, object?> { ["Date"] = "2026-12-18", ["WorkingDaysLeft"] = -2, ["Provisional"] = true });

        Assert.Contains("2026-12-18（剩余 4 个工作日）", left);
        Assert.Contains("2026-12-18（已超期 2 个工作日）", late);
        Assert.Contains(">推定</span>", late);
    }

    [Theory]
    [InlineData("必填 (Required)", "必填")]
    [InlineData("请填写地市代码，如 taiyuan (A city code such as taiyuan)", "请填写地市代码，如 taiyuan")]
    [InlineData("金额须大于 0（Amount must be positive）", "金额须大于 0")]
    [InlineData("已提交（3 件）", "已提交（3 件）")]
    [InlineData("没有英文", "没有英文")]
    public void Pages_show_the_Chinese_of_a_bilingual_message(string message, string shown) => Assert.Equal(shown, Glossary.ChineseOnly(message));

    [Fact]
    public void Every_state_has_a_Chinese_name()
    {
        foreach (var s in Enum.GetValues<ApplicationStatus>()) { Assert.DoesNotMatch("[A-Za-z]", Glossary.Of(s)); }
        foreach (var s in Enum.GetValues<RedemptionStatus>()) { Assert.DoesNotMatch("[A-Za-z]", Glossary.Of(s)); }
        foreach (var s in Enum.GetValues<VoucherStatus>()) { Assert.DoesNotMatch("[A-Za-z]", Glossary.Of(s)); }
        foreach (var s in Enum.GetValues<BatchStage>()) { Assert.DoesNotMatch("[A-Za-z]", Glossary.Of(s)); }
        foreach (var s in Enum.GetValues<SettlementCadence>()) { Assert.DoesNotMatch("[A-Za-z]", Glossary.Of(s)); }
        Assert.Equal("小型企业", Glossary.SizeClassName("small"));
        Assert.Equal("待拨付", Glossary.Of<RedemptionStatus>("Payable", Glossary.Of));
        Assert.Equal("5万元", Glossary.MoneyInProse(5_000_000));
        Assert.Equal("2026年12月18日", Glossary.DateInSentence(new DateOnly(2026, 12, 18)));
    }
}
