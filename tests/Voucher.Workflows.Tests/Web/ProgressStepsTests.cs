using Microsoft.Extensions.Logging.Abstractions;
using Voucher.Workflows.Web;

namespace Voucher.Workflows.Tests.Web;

/// <summary>The shared 办件进度 component: states in words, dates, exceptions in place, parallel steps in a row, encoding.</summary>
public sealed class ProgressStepsTests
{
    static readonly PageRenderer Renderer = new(new ServiceCollection().BuildServiceProvider(), NullLoggerFactory.Instance);

    static Task<string> RenderAsync(params ProgressStep[] steps) =>
        Renderer.RenderAsync<ProgressSteps>(new Dictionary<string, object?> { ["Steps"] = steps, ["Label"] = "申请办理进度" });

    [Fact]
    public async Task Steps_show_their_state_in_words_and_the_date_reached_and_mark_the_current_one()
    {
        var html = await RenderAsync(
            new ProgressStep("已提交", StepState.Done, new DateOnly(2026, 3, 2), "由太原测试科技有限公司提交。"),
            new ProgressStep("市科技局审核", StepState.Current, new DateOnly(2026, 3, 3), "太原市科技局审核中。"),
            new ProgressStep("发券", StepState.Waiting));

        Assert.Contains("<ol class=\"progress-steps\" aria-label=\"申请办理进度\">", html);
        Assert.Contains("<li class=\"step step-done\">", html);
        Assert.Contains("<li class=\"step step-current\" aria-current=\"step\">", html);
        Assert.Contains("<li class=\"step step-waiting\">", html);
        Assert.Single(html.Split("aria-current").Skip(1));
        Assert.Contains("<strong class=\"step-name\">已提交</strong>", html);
        Assert.Contains("<span class=\"step-state\">已完成</span>", html);
        Assert.Contains("<span class=\"step-state\">办理中</span>", html);
        Assert.Contains("<span class=\"step-state\">未开始</span>", html);
        Assert.Contains("<time class=\"step-date\" datetime=\"2026-03-02\">2026-03-02</time>", html);
        Assert.Contains("<p class=\"step-note\">太原市科技局审核中。</p>", html);
        // A step not reached has no date.
        Assert.Equal(2, html.Split("<time").Length - 1);
    }

    [Fact]
    public async Task An_exception_is_shown_in_place_with_its_flag_reasons_and_link()
    {
        var html = await RenderAsync(
            new ProgressStep("资格核验", StepState.Exception, new DateOnly(2026, 3, 2), "不符合申请条件，原因如下：", "不符合申请条件",
                ["企业未通过科技型中小企业评价", "企业本年度已有有效创新券，不能重复申请"]),
            new ProgressStep("发券", StepState.Done, new DateOnly(2026, 3, 9), "创新券面额 5万元。", Link: new ProgressLink("/portal/vouchers/V-1", "查看创新券")));

        Assert.Contains("<li class=\"step step-exception\">", html);
        Assert.Contains("<span class=\"step-state\">不符合申请条件</span>", html);
        Assert.Contains("<li>企业未通过科技型中小企业评价</li>", html);
        Assert.Contains("<li>企业本年度已有有效创新券，不能重复申请</li>", html);
        Assert.Contains("<p class=\"step-link\"><a href=\"/portal/vouchers/V-1\">查看创新券</a></p>", html);
        Assert.Equal("异常", new ProgressStep("x", StepState.Exception).StateText);
    }

    [Fact]
    public async Task Parallel_steps_are_a_row_within_their_step()
    {
        var html = await RenderAsync(
            new ProgressStep("市科技局审核", StepState.Exception, new DateOnly(2026, 3, 2), "未在期限内审核。", "超期督办中",
                Parallel:
                [
                    new ProgressStep("太原市科技局审核（第 2 轮）", StepState.Current, new DateOnly(2026, 3, 17)),
                    new ProgressStep("省科技厅督办", StepState.Current, new DateOnly(2026, 3, 17)),
                ]));

        var outer = html.IndexOf("step-exception", StringComparison.Ordinal);
        var row = html.IndexOf("<ol class=\"step-parallel\" aria-label=\"同时办理\">", StringComparison.Ordinal);
        Assert.True(outer >= 0 && row > outer, html);
        Assert.Contains("<span class=\"step-state\">超期督办中</span>", html);
        var inRow = html[row..];
        Assert.Equal(2, inRow.Split("<li class=\"step step-current\" aria-current=\"step\">").Length - 1);
        Assert.Contains("省科技厅督办", inRow);
    }

    [Fact]
    public async Task Text_is_encoded()
    {
        var html = await RenderAsync(new ProgressStep("<b>提交</b>", StepState.Done, Note: "理由：\"<script>alert(1)</script>\"", Details: ["<img src=x>"]));

        Assert.DoesNotContain("<script>", html);
        Assert.DoesNotContain("<b>", html);
        Assert.DoesNotContain("<img", html);
        Assert.Contains("&lt;script&gt;", html);
    }
}
