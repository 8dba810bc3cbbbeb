using System.Text.RegularExpressions;
using Voucher.Workflows.Web;

namespace Voucher.Workflows.Tests.Supervision;

/// <summary>
/// The supervision and policy pages' components, rendered by the renderer the hosts use: a chart keeps its table
/// alternative and encodes its labels; the policy page speaks Chinese (cadence, binding mode, 第N版, who published by
/// name and unit) with no enum name or principal id; and publishing a city's policy first asks for a confirmation
/// naming the changes, publishing nothing until it is given.
/// </summary>
[Collection(AzuriteCollection.Name)]
public sealed partial class SupervisionPageTests(AzuriteFixture azurite)
{
    static readonly PageRenderer Renderer = new(new ServiceCollection().BuildServiceProvider(), NullLoggerFactory.Instance);

    static readonly VoucherPrincipal Province = new("dev:province:p1", "王芳", Role.Province, null);

    static Task<string> Render<TComponent>(object model) where TComponent : Microsoft.AspNetCore.Components.IComponent =>
        Renderer.RenderPageAsync(new ShellModel("页面", Province, 0, true, "/x", null, null), typeof(TComponent), new Dictionary<string, object?> { ["Model"] = model });

    /// <summary>The text a person reads: the page without tags (attributes are not read).</summary>
    static string Visible(string html) => System.Net.WebUtility.HtmlDecode(Tags().Replace(html, " "));

    [GeneratedRegex("<[^>]*>")]
    private static partial Regex Tags();

    [Fact]
    public async Task A_bar_chart_draws_its_bars_and_gives_the_same_numbers_as_a_table_with_encoded_labels()
    {
        var chart = new BarChartModel("chart-x", "各市<兑付>金额", "万元", "地市", [("taiyuan", "太原市"), ("x", "<b>甲&乙</b>")],
            [new ChartSeries("2025", "2025（系统）", [12.5m, null]), new ChartSeries("2016", "2016（导入）", [3m, 0m], Imported: true)]);

        var html = await Render<BarChart>(chart);

        Assert.Equal(3, Regex.Count(html, "<rect class=\"bar\""));
        Assert.Contains("data-category=\"taiyuan\" data-series=\"2025\" data-value=\"12.5\"", html, StringComparison.Ordinal);
        Assert.Contains("<svg role=\"img\" aria-labelledby=\"chart-x-t\"", html, StringComparison.Ordinal);
        Assert.Contains("<title id=\"chart-x-t\">各市&lt;兑付&gt;金额（单位：万元）</title>", html, StringComparison.Ordinal);
        Assert.Contains("&lt;b&gt;甲&amp;乙&lt;/b&gt;", html, StringComparison.Ordinal); // a label is text, never markup
        Assert.DoesNotContain("<b>甲", html, StringComparison.Ordinal);
        Assert.Matches("<text [^>]*transform=\"rotate\\(-40 [0-9.]+ [0-9.]+\\)\"[^>]*>太原市</text>", html); // SVG text survives Razor

        // The table alternative: every category a row, every series a column, the unit in each header; a missing value is a dash.
        var table = html[html.IndexOf("<details class=\"chart-data\">", StringComparison.Ordinal)..];
        Assert.Contains("<caption>各市&lt;兑付&gt;金额（单位：万元）</caption>", table, StringComparison.Ordinal);
        Assert.Contains("<th scope=\"col\">2025（系统）（万元）</th>", table, StringComparison.Ordinal);
        Assert.Contains("<th scope=\"row\" data-label=\"地市\">太原市</th>", table, StringComparison.Ordinal);
        Assert.Contains(">12.5</td>", table, StringComparison.Ordinal);
        Assert.Contains(">–</td>", table, StringComparison.Ordinal);
        Assert.Contains("role=\"region\"", table, StringComparison.Ordinal);
        Assert.DoesNotContain("style=", html, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_chart_without_any_value_says_so_in_Chinese_and_draws_nothing()
    {
        var html = await Render<BarChart>(new BarChartModel("chart-e", "兑付金额分布", "笔", "兑付金额", [("0", "0–1万")], [new ChartSeries("payouts", "笔数", [0m])]));

        Assert.Contains("兑付金额分布：暂无数据", html, StringComparison.Ordinal);
        Assert.DoesNotContain("<svg role", html, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_policy_page_speaks_Chinese_cadence_binding_mode_versions_and_publishers_without_enum_names_or_ids()
    {
        var now = new DateTimeOffset(2026, 12, 1, 2, 0, 0, TimeSpan.Zero);
        var v1 = CityPolicy.Default("datong", default);
        var v2 = v1.NextVersion("王芳 (dev:province:p1)", "试行按月兑付", now) with { Cadence = SettlementCadence.Monthly, BindingMode = BindingMode.Seal };
        var p1 = ProvincePolicy.Default(DateTimeOffset.UnixEpoch);
        var form = new PolicyForm(new Dictionary<string, string> { ["cadence"] = "monthly", ["bindingMode"] = "seal", ["reason"] = "<原因>" }, p1.EligibleCategories, false,
            [new FieldError("reason", "必须填写修改原因 (Reason is required)")]);
        var model = new PolicyModel(Cities.Get("datong"), v2, [v2, v1], p1, [p1], form, new PolicyForm(new Dictionary<string, string>(), p1.EligibleCategories, false, []));

        var html = await Render<PolicyPage>(model);
        var text = Visible(html);

        Assert.Contains("大同市政策参数（现行：第2版）", text, StringComparison.Ordinal);
        Assert.Contains("第2版（现行）", text, StringComparison.Ordinal);
        Assert.Contains("王芳 · 省科技厅", text, StringComparison.Ordinal);
        Assert.Contains("系统初始设置", text, StringComparison.Ordinal);
        Assert.Contains("初始设置", text, StringComparison.Ordinal);
        Assert.Contains("<option value=\"monthly\" selected>按月</option>", html, StringComparison.Ordinal);
        Assert.Contains("<option value=\"seal\" selected>盖章确认</option>", html, StringComparison.Ordinal);
        Assert.Contains(">按季度</", html, StringComparison.Ordinal);
        Assert.Contains(">每半年</", html, StringComparison.Ordinal);
        Assert.Contains(">系统内确认</", html, StringComparison.Ordinal);
        Assert.Contains("¥50,000.00", text, StringComparison.Ordinal);
        Assert.Contains("大同市科技局 · 电话 0352-12345 · 大同市政务服务中心科技局窗口 · 邮箱 kjj@datong.gov.cn（载于公示公告）", text, StringComparison.Ordinal);

        // The refused field: summary at the top linking to it, the message beside it (Chinese only), what was typed kept and encoded.
        Assert.Contains("<a href=\"#reason\">必须填写修改原因</a>", html, StringComparison.Ordinal);
        Assert.Contains("<p class=\"error\" id=\"reason-error\">必须填写修改原因</p>", html, StringComparison.Ordinal);
        Assert.Contains("value=\"&lt;原因&gt;\"", html, StringComparison.Ordinal);

        // No enum name, no English label, no principal id, no "v2" or "(current)" in what a person reads.
        foreach (var english in new[] { "Monthly", "Quarterly", "Semiannual", "Annual", "Seal", "System", "current", "Version", "initial defaults", "Reason", "v2", "v1" })
        {
            Assert.DoesNotContain(english, text, StringComparison.Ordinal);
        }

        Assert.DoesNotContain("dev:province", html, StringComparison.Ordinal);
        Assert.DoesNotContain("style=", html, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_calendar_page_names_versions_and_publishers_in_Chinese_and_links_each_message_to_its_field()
    {
        var at = new DateTimeOffset(2026, 11, 20, 2, 0, 0, TimeSpan.Zero);
        var view = new CalendarYearView(2027, CalendarYearView.Published, ["2027-01-01"], [], 1, "省中心 王芳", at, "国务院办公厅关于2027年部分节假日安排的通知", "首次发布", "规则",
            [new CalendarVersionView(1, "省中心 王芳", at, "国务院办公厅关于2027年部分节假日安排的通知", "首次发布", 1, 0)]);
        var model = new CalendarModel(2027, [2024, 2025, 2026, 2027, 2028], view, ["2027年节假日安排尚未发布：…"], new CalendarTyped("通知", "2027-01-01\n2028-01-01", "", "更正"),
            [new FieldError("holidays", "第 2 个日期：2028-01-01 不在 2027 年内")], [new CalendarReplanRow("2026-11-20 10:01", "重新计算期限：审核中的申请 3 件")]);

        var html = await Render<CalendarPage>(model);
        var text = Visible(html);

        Assert.Contains("第1版（现行）", text, StringComparison.Ordinal);
        Assert.Contains("省中心 王芳 · 省科技厅", text, StringComparison.Ordinal);
        Assert.Contains("<a href=\"#holidays\">第 2 个日期：2028-01-01 不在 2027 年内</a>", html, StringComparison.Ordinal);
        Assert.Contains("aria-describedby=\"holidays-hint holidays-error\"", html, StringComparison.Ordinal);
        Assert.Contains("2027-01-01\n2028-01-01</textarea>", System.Net.WebUtility.HtmlDecode(html), StringComparison.Ordinal); // what was typed, line by line
        Assert.Contains("<strong aria-current=\"page\">2027年</strong>", html, StringComparison.Ordinal);
        foreach (var english in new[] { "published", "missing", "Version", "current" })
        {
            Assert.DoesNotContain(english, text, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task Publishing_a_city_policy_first_confirms_naming_the_city_version_and_changes_and_publishes_only_when_confirmed()
    {
        await using var sp = await WorkflowServices.BuildAsync(azurite, azurite.NewName("pp")[..13], new FakeTimeProvider(new DateTimeOffset(2026, 12, 1, 2, 0, 0, TimeSpan.Zero)));
        var pages = sp.GetRequiredService<PolicyPages>();
        var policies = sp.GetRequiredService<PolicyService>();
        var fields = new Dictionary<string, string>
        {
            ["expectedVersion"] = "1", ["excessRatio"] = "0.45", ["cadence"] = "monthly", ["publicityWorkingDays"] = "5", ["bindingMode"] = "system",
            ["reminderLeadWorkingDays"] = "2", ["validityMonths"] = "12", ["prepaymentShare"] = "0.5", ["reason"] = "试行按月兑付",
        };

        // Refused: no reason → the form again, 400, what was typed kept, nothing published.
        var refused = await pages.PublishCityFormAsync(Post(fields.Where(f => f.Key != "reason").ToDictionary()));
        var refusedHtml = await PageHtml.RenderAsync(refused, sp);
        Assert.Equal(StatusCodes.Status400BadRequest, ((IStatusCodeHttpResult)refused).StatusCode);
        Assert.Contains("<a href=\"#reason\">", refusedHtml, StringComparison.Ordinal);
        Assert.Contains("id=\"excessRatio\" name=\"excessRatio\" value=\"0.45\"", refusedHtml, StringComparison.Ordinal);

        // First post: the confirmation, naming the city, the version and each change; nothing published yet.
        var confirm = await PageHtml.RenderAsync(await pages.PublishCityFormAsync(Post(fields)), sp);
        Assert.Contains("发布大同市政策第2版？", confirm, StringComparison.Ordinal);
        Assert.Contains("第2版（现行为第1版）", confirm, StringComparison.Ordinal);
        Assert.Contains("超额补助比例：0.5 → 0.45；兑付周期：按季度 → 按月", confirm, StringComparison.Ordinal);
        Assert.Contains("2026年12月1日起", confirm, StringComparison.Ordinal);
        Assert.Contains("name=\"confirmed\" value=\"yes\"", confirm, StringComparison.Ordinal);
        Assert.Contains("name=\"cadence\" value=\"monthly\"", confirm, StringComparison.Ordinal);
        Assert.Equal(1, (await policies.CityHistoryAsync(Province, "datong", default)).Value.Current.Version);

        // Confirmed: published, back to the page with the result in Chinese.
        var done = Assert.IsType<RedirectHttpResult>(await pages.PublishCityFormAsync(Post(new Dictionary<string, string>(fields) { ["confirmed"] = "yes" })));
        Assert.Contains("大同市政策已发布为第2版", Uri.UnescapeDataString(done.Url), StringComparison.Ordinal);
        var current = (await policies.CityHistoryAsync(Province, "datong", default)).Value.Current;
        Assert.Equal((2, SettlementCadence.Monthly, 0.45m), (current.Version, current.Cadence, current.ExcessRatio));

        RequestContext Post(Dictionary<string, string> form)
        {
            var http = new DefaultHttpContext { RequestServices = sp };
            http.Request.Method = "POST";
            http.Request.ContentType = "application/x-www-form-urlencoded";
            http.Request.Form = new FormCollection(form.ToDictionary(kv => kv.Key, kv => new Microsoft.Extensions.Primitives.StringValues(kv.Value)));
            return new RequestContext(http, new Microsoft.AspNetCore.Routing.RouteValueDictionary { ["city"] = "datong" }, Province, null!);
        }
    }
}
