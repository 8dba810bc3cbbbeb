using System.Globalization;
using System.Text.Json;

namespace Voucher.Browser.Tests;

/// <summary>
/// The province centre in a real browser: imports the paper's Table 1, reads the statistics dashboard (every bar of the
/// chart checked against <c>/api/stats/redemptions</c>, a screenshot kept), edits a city's policy (a missing reason is
/// refused next to the field with the typed values kept; then a new version appears in the history and the API), and
/// the supervision pages pass axe without serious or critical violations.
/// </summary>
[Collection("browser")]
public sealed class SupervisionBrowserTests(BrowserFixture browser, LocalSiteFixture site, ITestOutputHelper output)
    : IClassFixture<LocalSiteFixture>
{
    readonly BrowserRun run = new(browser, site, output);

    static readonly CultureInfo Inv = CultureInfo.InvariantCulture;

    [Fact]
    public Task Province_imports_history_reads_the_chart_edits_a_policy_and_the_pages_are_accessible() => run.RunAsync(nameof(Province_imports_history_reads_the_chart_edits_a_policy_and_the_pages_are_accessible), async () =>
    {
        var page = await run.NewPageAsync();
        await Portal.SignInAsync(page, "province", "", "省中心管理员");

        // The home page links to the supervision pages.
        await Expect(page.GetByRole(AriaRole.Link, new() { Name = "统计图表" })).ToBeVisibleAsync();
        await page.GetByRole(AriaRole.Link, new() { Name = "统计图表" }).ClickAsync();
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "创新券统计 Statistics", Level = 1 })).ToBeVisibleAsync();

        // Import Table 1, twice (nothing doubles).
        for (var i = 0; i < 2; i++)
        {
            await page.GetByRole(AriaRole.Button, new() { Name = "导入表1 Import Table 1" }).ClickAsync();
            await Expect(page.GetByRole(AriaRole.Status)).ToContainTextAsync("已导入论文表1历史数据 55 条");
        }

        await Expect(page.Locator("#imported-total")).ToHaveTextAsync("4537");

        // Every bar of the chart against the API.
        var api = await page.APIRequest.GetAsync("/api/stats/redemptions");
        Assert.Equal(200, api.Status);
        using var json = JsonDocument.Parse(await api.TextAsync());
        var expected = new Dictionary<(string City, string Series), decimal>();
        foreach (var city in json.RootElement.GetProperty("cities").EnumerateArray())
        {
            var code = city.GetProperty("city").GetString()!;
            foreach (var p in city.GetProperty("imported").EnumerateObject())
            {
                expected[(code, p.Name)] = p.Value.GetDecimal();
            }

            foreach (var y in city.GetProperty("system").EnumerateObject())
            {
                expected[(code, y.Name)] = decimal.Parse(y.Value.GetString()!, Inv) / 10_000m;
            }
        }

        Assert.Equal(4537m, json.RootElement.GetProperty("imported").GetProperty("total").GetDecimal());
        var bars = await page.Locator("#chart-redemptions rect.bar").EvaluateAllAsync<string[][]>(
            "els => els.map(e => [e.dataset.category, e.dataset.series, e.dataset.value])");
        // A period drawn has a bar per city; a period without any amount is left out of the chart.
        var drawnSeries = bars.Select(b => b[1]).ToHashSet();
        Assert.Equal(expected.Keys.Where(k => drawnSeries.Contains(k.Series)).Count(), bars.Length);
        Assert.All(expected.Where(kv => !drawnSeries.Contains(kv.Key.Series)), kv => Assert.Equal(0m, kv.Value));
        foreach (var bar in bars)
        {
            Assert.Equal(expected[(bar[0], bar[1])], decimal.Parse(bar[2], Inv));
        }

        Assert.Equal(55, bars.Length);
        Assert.Equal(4537m, bars.Sum(b => decimal.Parse(b[2], Inv)));
        var heights = await page.Locator("#chart-redemptions rect.bar").EvaluateAllAsync<string[][]>("els => els.map(e => [e.dataset.category + '/' + e.dataset.series, e.getAttribute('height')])");
        var tallest = heights.MaxBy(h => double.Parse(h[1], Inv))!;
        Assert.Equal("taiyuan/2019-2021", tallest[0]);
        output.WriteLine($"{bars.Length} bars match /api/stats/redemptions; dashboard: {await Screenshots.SaveAsync(page, "statistics-dashboard")}");

        // The CSV export carries the same figures.
        var csv = await (await page.APIRequest.GetAsync("/stats/table1.csv")).TextAsync();
        Assert.Contains("太原市,Taiyuan,2019-2021,imported,1076", csv, StringComparison.Ordinal);

        var findings = new StringBuilder();
        await run.ScanAsync(page, "statistics");

        // Policy editor: Datong, reason missing → refused beside the field, typed values kept; then published.
        await page.GotoAsync("/");
        await page.GetByRole(AriaRole.Link, new() { Name = "政策参数管理" }).ClickAsync();
        await page.GetByRole(AriaRole.Link, new() { Name = "大同市", Exact = true }).ClickAsync();
        var form = page.Locator("#city-policy-form");
        await form.Locator("#excessRatio").FillAsync("0.45");
        await form.Locator("#cadence").SelectOptionAsync("monthly");
        await form.Locator("#reason").FillAsync("");
        await form.GetByRole(AriaRole.Button, new() { Name = "发布新版本 Publish a new version" }).ClickAsync();
        await Expect(page.Locator("#reason-error")).ToContainTextAsync("必须填写修改原因");
        await Expect(page.Locator("#reason")).ToHaveAttributeAsync("aria-describedby", "reason-error");
        await Expect(form.Locator("#excessRatio")).ToHaveValueAsync("0.45");
        await Expect(form.Locator("#cadence")).ToHaveValueAsync("monthly");
        await run.ScanAsync(page, "policy editor with an error");
        output.WriteLine($"policy editor, reason missing: {await Screenshots.SaveAsync(page, "policy-editor-reason-required")}");

        var before = JsonDocument.Parse(await (await page.APIRequest.GetAsync("/api/policies/datong")).TextAsync());
        var versionBefore = before.RootElement.GetProperty("current").GetProperty("version").GetInt32();
        await form.Locator("#reason").FillAsync("试行按月兑付，超额比例调整");
        await form.GetByRole(AriaRole.Button, new() { Name = "发布新版本 Publish a new version" }).ClickAsync();
        await Expect(page.GetByRole(AriaRole.Status)).ToContainTextAsync($"大同市政策已发布为 v{versionBefore + 1}");
        var history = page.Locator("section.card", new() { Has = page.GetByRole(AriaRole.Heading, new() { Name = "大同市版本历史 Version history" }) });
        await Expect(history.Locator("tbody tr").First).ToContainTextAsync($"v{versionBefore + 1}");
        await Expect(history.Locator("tbody tr").First).ToContainTextAsync("试行按月兑付，超额比例调整");
        await Expect(history.Locator("tbody tr").First).ToContainTextAsync("省中心管理员");
        Assert.Equal(versionBefore + 1, await history.Locator("tbody tr").CountAsync());

        var after = JsonDocument.Parse(await (await page.APIRequest.GetAsync("/api/policies/datong")).TextAsync()).RootElement.GetProperty("current");
        Assert.Equal(versionBefore + 1, after.GetProperty("version").GetInt32());
        Assert.Equal(0.45m, after.GetProperty("excessRatio").GetDecimal());
        Assert.Equal("monthly", after.GetProperty("cadence").GetString());
        output.WriteLine($"policy published: {await Screenshots.SaveAsync(page, "policy-editor-published")}");
        await run.ScanAsync(page, "policy editor");

        var year = DateTime.UtcNow.Year;
        foreach (var (path, name) in new[] { ($"/supervision/evaluations/{year}", "evaluation"), ("/supervision/findings", "findings"), ($"/supervision/report?year={year}", "report"), ($"/evaluations/{year}", "public evaluation") })
        {
            await page.GotoAsync(path);
            await run.ScanAsync(page, name);
        }

        run.AssertNoSeriousFindings();
    });
}
