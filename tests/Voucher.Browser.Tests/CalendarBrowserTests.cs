using System.Globalization;
using System.Text.Json;

namespace Voucher.Browser.Tests;

/// <summary>
/// The province centre publishes next year's holiday arrangement in a real browser: first with a date outside the year
/// (the error is shown next to the field, what was typed is kept, nothing is saved), then correctly (version 1 with who
/// and why, the API answers "published"). Desktop and 390 px phone screenshots are kept; axe finds nothing serious.
/// </summary>
[Collection("browser")]
public sealed class CalendarBrowserTests(BrowserFixture browser, LocalSiteFixture site, ITestOutputHelper output)
    : IClassFixture<LocalSiteFixture>
{
    readonly BrowserRun run = new(browser, site, output);

    [Fact]
    public Task Province_publishes_next_years_calendar_first_with_a_bad_date_then_correctly() => run.RunAsync(nameof(Province_publishes_next_years_calendar_first_with_a_bad_date_then_correctly), async () =>
    {
        var page = await run.NewPageAsync();
        var today = DateOnly.FromDateTime(DateTime.UtcNow.AddHours(8));
        var year = today.Year + 1;
        await Portal.SignInAsync(page, "province", "", "省中心 王芳");
        if (today >= new DateOnly(today.Year, 11, 1))
        {
            // From 1 November the province's home page says next year's arrangement is missing.
            await Expect(page.GetByRole(AriaRole.Status).Filter(new() { HasText = $"{year}年节假日安排尚未发布" })).ToBeVisibleAsync();
        }

        await page.GetByRole(AriaRole.Link, new() { Name = "节假日安排" }).ClickAsync();
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = $"{year}年节假日安排", Exact = true })).ToBeVisibleAsync();
        await Expect(page.GetByText($"{year}年的节假日安排尚未发布")).ToBeVisibleAsync();

        var makeUp = FirstSaturdayOfFebruary(year);
        var holidays = $"{year}-01-01\n{year + 1}-01-01\n{year}-05-03";
        var form = page.Locator("#calendar-form");
        await form.Locator("#source").FillAsync($"国务院办公厅关于{year}年部分节假日安排的通知（测试）");
        await form.Locator("#holidays").FillAsync(holidays);
        await form.Locator("#workdays").FillAsync(Iso(makeUp));
        await form.Locator("#reason").FillAsync("国务院通知已公布，首次发布");
        await form.GetByRole(AriaRole.Button, new() { Name = "发布" }).ClickAsync();

        await Expect(page.Locator("#holidays-error")).ToContainTextAsync($"第 2 个日期：{year + 1}-01-01 不在 {year} 年内");
        await Expect(page.Locator("#holidays")).ToHaveAttributeAsync("aria-invalid", "true");
        await Expect(form.Locator("#holidays")).ToHaveValueAsync(holidays);
        await Expect(form.Locator("#workdays")).ToHaveValueAsync(Iso(makeUp));
        await Expect(page.GetByRole(AriaRole.Alert).Filter(new() { HasText = "未保存任何内容" })).ToBeVisibleAsync();
        Assert.Equal("missing", await StatusAsync(page, year));
        output.WriteLine($"bad date refused: {await Screenshots.SaveAsync(page, "calendar-bad-date")}");
        await run.ScanAsync(page, "calendar with an error");
        run.AssertNoSeriousFindings();

        await form.Locator("#holidays").FillAsync($"{year}-01-01\n{year}-05-03");
        await form.GetByRole(AriaRole.Button, new() { Name = "发布" }).ClickAsync();
        await Expect(page.GetByRole(AriaRole.Status).Filter(new() { HasText = $"已发布{year}年节假日安排第1版" })).ToBeVisibleAsync();
        var versions = page.Locator("section.card", new() { Has = page.GetByRole(AriaRole.Heading, new() { Name = "版本记录" }) });
        await Expect(versions.Locator("tbody tr").First).ToContainTextAsync("第1版");
        await Expect(versions.Locator("tbody tr").First).ToContainTextAsync("省中心 王芳");
        await Expect(versions.Locator("tbody tr").First).ToContainTextAsync("国务院通知已公布，首次发布");

        using var published = JsonDocument.Parse(await (await page.APIRequest.GetAsync($"/api/calendar/{year}")).TextAsync());
        Assert.Equal("published", published.RootElement.GetProperty("status").GetString());
        Assert.Equal(1, published.RootElement.GetProperty("version").GetInt32());
        Assert.Equal([$"{year}-01-01", $"{year}-05-03"], published.RootElement.GetProperty("holidays").EnumerateArray().Select(h => h.GetString()));
        Assert.Equal([Iso(makeUp)], published.RootElement.GetProperty("workdays").EnumerateArray().Select(h => h.GetString()));
        output.WriteLine($"published: {await Screenshots.SaveAsync(page, "calendar-published")}");
        await run.ScanAsync(page, "calendar published");
        run.AssertNoSeriousFindings();

        await page.SetViewportSizeAsync(390, 844);
        await page.ReloadAsync();
        var overflow = await page.EvaluateAsync<int>("() => document.documentElement.scrollWidth - window.innerWidth");
        Assert.True(overflow <= 0, $"the calendar page is {overflow}px wider than a 390px phone");
        output.WriteLine($"phone: {await Screenshots.SaveAsync(page, "calendar-published-phone")}");
    });

    static async Task<string> StatusAsync(IPage page, int year)
    {
        using var json = JsonDocument.Parse(await (await page.APIRequest.GetAsync($"/api/calendar/{year}")).TextAsync());
        var status = json.RootElement.GetProperty("status").GetString()!;
        if (status == "missing")
        {
            // A missing year still names every field of a publication, as null.
            Assert.All(new[] { "version", "publishedBy", "publishedAt", "source" }, f => Assert.Equal(JsonValueKind.Null, json.RootElement.GetProperty(f).ValueKind));
        }

        return status;
    }

    static DateOnly FirstSaturdayOfFebruary(int year)
    {
        var day = new DateOnly(year, 2, 1);
        while (day.DayOfWeek != DayOfWeek.Saturday)
        {
            day = day.AddDays(1);
        }

        return day;
    }

    static string Iso(DateOnly day) => day.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
}
