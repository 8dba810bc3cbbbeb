using System.Globalization;
using System.Text.RegularExpressions;
using Voucher.Domain;
using Voucher.Workflows.Applications;

namespace Voucher.Browser.Tests;

/// <summary>
/// The city bureau's application work list in headless Chromium: from the bureau's home to the list, a keyword search,
/// paging (共 N 条, 下一页), sorting by a column both ways, the 已办 tab and the filters under 更多筛选; axe scans it;
/// desktop and 390 px screenshots. Applications are written through the store (records and index rows) in Yangquan,
/// a city no other browser test uses.
/// </summary>
[Collection("browser")]
public sealed class WorkListBrowserTests(BrowserFixture browser, LocalSiteFixture site, ITestOutputHelper output)
    : IClassFixture<LocalSiteFixture>
{
    const string City = "yangquan";
    readonly BrowserRun run = new(browser, site, output);

    [Fact]
    public Task Bureau_searches_pages_and_sorts_its_application_work_list() => run.RunAsync(nameof(Bureau_searches_pages_and_sorts_its_application_work_list), async () =>
    {
        var store = new ApplicationStore(site.Store);
        var now = DateTimeOffset.UtcNow;
        for (var i = 0; i < 25; i++)
        {
            var uscc = TestUscc.New(City);
            Assert.True(await store.TryCreateAsync(new ApplicationEntity
            {
                PartitionKey = uscc,
                RowKey = ApplicationStore.NewId(uscc, now.Year, 1),
                EnterpriseName = $"阳泉清单测试企业{i:D2}",
                CityCode = City,
                Status = i % 5 == 0 ? ApplicationStatus.Escalated : ApplicationStatus.UnderReview,
                Round = 1,
                SubmittedAt = now.AddDays(-30 + i),
                DeadlineDate = DateOnly.FromDateTime(now.UtcDateTime).AddDays(3 + i).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
            }));
        }

        for (var i = 0; i < 3; i++)
        {
            var uscc = TestUscc.New(City);
            Assert.True(await store.TryCreateAsync(new ApplicationEntity
            {
                PartitionKey = uscc,
                RowKey = ApplicationStore.NewId(uscc, now.Year, 1),
                EnterpriseName = $"阳泉已办企业{i:D2}",
                CityCode = City,
                Status = ApplicationStatus.Approved,
                Approved = true,
                Round = 1,
                SubmittedAt = now.AddDays(-50),
                DecidedAt = now.AddDays(-i),
            }));
        }

        run.Step("28 applications written");

        var bureau = await run.NewPageAsync();
        await Portal.SignInAsync(bureau, "city-bureau", City, "阳泉审核员");
        await bureau.GetByRole(AriaRole.Link, new() { NameRegex = new Regex("^申请审核清单") }).ClickAsync();
        await Expect(bureau.GetByRole(AriaRole.Heading, new() { Name = "阳泉市科技局 · 创新券申请审核" })).ToBeVisibleAsync();
        await Expect(bureau.Locator("nav.list-tabs a.current")).ToHaveTextAsync("待办（25）");

        // Search: the keyword box first.
        await bureau.Locator("#apps-q").FillAsync("清单测试");
        await bureau.GetByRole(AriaRole.Button, new() { Name = "查询" }).ClickAsync();
        await Expect(bureau.Locator("p.pager-summary")).ToContainTextAsync("共 25 条");
        await run.ScanAsync(bureau, "application work list");
        output.WriteLine($"work list: {await Screenshots.SaveAsync(bureau, "worklist-applications")}");
        run.Step("searched");

        // Paging: 20 a page, then the next page holds the last 5 (nearest deadline first: 企业20–24).
        await bureau.GotoAsync(bureau.Url + "&size=20");
        await Expect(bureau.Locator("tbody tr")).ToHaveCountAsync(20);
        await bureau.GetByRole(AriaRole.Link, new() { Name = "下一页" }).ClickAsync();
        await Expect(bureau.Locator("tbody tr")).ToHaveCountAsync(5);
        await Expect(bureau.Locator("p.pager-summary")).ToContainTextAsync("第 21–25 条");
        await Expect(bureau.Locator("tbody tr").First).ToContainTextAsync("阳泉清单测试企业20");
        await bureau.SetViewportSizeAsync(390, 844);
        output.WriteLine($"work list page 2 at 390 px: {await Screenshots.SaveAsync(bureau, "worklist-applications-phone")}");
        await bureau.SetViewportSizeAsync(1280, 900);
        run.Step("paged");

        // Sorting by 企业: ascending, then descending; back on page 1.
        await bureau.GetByRole(AriaRole.Link, new() { Name = "企业", Exact = true }).ClickAsync();
        await Expect(bureau.Locator("tbody tr").First).ToContainTextAsync("阳泉清单测试企业00");
        await bureau.GetByRole(AriaRole.Link, new() { Name = "企业", Exact = true }).ClickAsync();
        await Expect(bureau.Locator("tbody tr").First).ToContainTextAsync("阳泉清单测试企业24");
        await Expect(bureau.Locator("th[aria-sort=descending]")).ToContainTextAsync("企业");
        run.Step("sorted");

        // Filter under 更多筛选: escalated only (企业00, 05, 10, 15, 20).
        await bureau.Locator("details.list-filters summary").ClickAsync();
        await bureau.Locator("#apps-status").SelectOptionAsync("Escalated");
        await bureau.GetByRole(AriaRole.Button, new() { Name = "筛选" }).ClickAsync();
        await Expect(bureau.Locator("p.pager-summary")).ToContainTextAsync("共 5 条");

        // 已办: the decided applications with their decision date; the keyword is kept across tabs.
        await bureau.GotoAsync("/portal/work/applications?tab=done&q=" + Uri.EscapeDataString("阳泉"));
        await Expect(bureau.Locator("p.pager-summary")).ToContainTextAsync("共 3 条");
        await Expect(bureau.Locator("tbody tr").First).ToContainTextAsync("阳泉已办企业00");
        await run.ScanAsync(bureau, "application work list (done)");
        output.WriteLine($"work list done: {await Screenshots.SaveAsync(bureau, "worklist-applications-done")}");
        run.AssertNoSeriousFindings();
    });

    [Fact]
    public Task Finance_bureau_lists_its_claw_backs_with_the_amount_total() => run.RunAsync(nameof(Finance_bureau_lists_its_claw_backs_with_the_amount_total), async () =>
    {
        var now = DateTimeOffset.UtcNow;
        for (var i = 0; i < 12; i++)
        {
            var uscc = TestUscc.New(City);
            await site.Store.UpsertAsync(Voucher.Workflows.Storage.VoucherStore.ClawBacks, new Voucher.Workflows.Enforcement.ClawBackEntity
            {
                PartitionKey = City,
                RowKey = Voucher.Workflows.Enforcement.ClawBackEntity.IdFor($"VIO-BR-{i:D2}", $"R-{uscc}-01"),
                ViolationId = $"VIO-BR-{i:D2}",
                RedemptionId = $"R-{uscc}-01",
                Uscc = uscc,
                EnterpriseName = $"阳泉追回企业{i:D2}",
                AmountFen = 10_000_00,
                Kind = i % 4 == 0 ? "prepaid" : "paid",
                CreatedAt = now.AddDays(-20 + i),
            });
        }

        var finance = await run.NewPageAsync();
        await Portal.SignInAsync(finance, "finance-bureau", City, "阳泉财政经办人");
        await finance.GetByRole(AriaRole.Link, new() { NameRegex = new Regex("^资金追回清单") }).ClickAsync();
        await Expect(finance.Locator("nav.list-tabs a.current")).ToContainTextAsync("待确认");
        await Expect(finance.Locator("p.pager-summary")).ToContainTextAsync("共 12 条");
        await Expect(finance.Locator("tr.totals")).ToContainTextAsync("¥120,000.00");
        await Expect(finance.Locator("tbody tr").First).ToContainTextAsync("阳泉追回企业00");
        await run.ScanAsync(finance, "claw-back work list");
        output.WriteLine($"claw-back list: {await Screenshots.SaveAsync(finance, "worklist-clawbacks")}");
        await finance.SetViewportSizeAsync(390, 844);
        output.WriteLine($"claw-back list at 390 px: {await Screenshots.SaveAsync(finance, "worklist-clawbacks-phone")}");
        run.AssertNoSeriousFindings();
    });
}
