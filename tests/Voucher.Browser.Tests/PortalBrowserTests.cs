using System.Text.RegularExpressions;
using Deque.AxeCore.Commons;

namespace Voucher.Browser.Tests;

/// <summary>
/// The portal in a real (headless Chromium) browser against the local host over Azurite: an enterprise applies, the
/// city bureau reviews through the signed link from the mailbox, the voucher appears; the bureau's queue; and an axe
/// accessibility scan of the main pages. One Azurite, one local host and one browser for the whole class (the browser
/// is the "browser" collection's).
/// </summary>
[Collection("browser")]
public sealed class PortalBrowserTests(BrowserFixture browser, LocalSiteFixture site, ITestOutputHelper output)
    : IClassFixture<LocalSiteFixture>
{
    private readonly BrowserRun run = new(browser, site, output);

    [Fact]
    public Task Reviewer_rejects_without_reason_then_approves_and_the_enterprise_sees_the_voucher() => run.RunAsync(nameof(Reviewer_rejects_without_reason_then_approves_and_the_enterprise_sees_the_voucher), async () =>
    {
        // The enterprise signs in, registers and applies.
        var enterprise = await run.NewPageAsync();
        var (_, applicationId) = await Portal.NewEnterpriseApplicationAsync(enterprise, "太原晋阳精密仪器有限公司");
        run.Step($"enterprise signed in, registered and applied: {applicationId}");

        // The review request reaches the city bureau's mailbox; the reviewer follows its link (no sign-in needed).
        var reviewer = await run.NewPageAsync();
        Portal.AcceptDialogs(reviewer);
        var href = await Portal.ReviewLinkFromMailboxAsync(reviewer, applicationId);
        run.Step("review request in the mailbox");
        Assert.StartsWith(site.BaseUrl + "/review/", href, StringComparison.Ordinal);
        await reviewer.Locator("article[data-notification][data-recipient='city-bureau:taiyuan']", new() { HasText = applicationId })
            .GetByRole(AriaRole.Link, new() { Name = "审核申请", Exact = true }).ClickAsync();
        await Expect(reviewer.GetByRole(AriaRole.Heading, new() { Name = "创新券申请审核", Exact = true })).ToBeVisibleAsync();
        await Expect(reviewer.Locator("dl.facts")).ToContainTextAsync(applicationId);
        await Expect(reviewer.Locator("dl.facts")).ToContainTextAsync("太原晋阳精密仪器有限公司");
        var reviewUrl = reviewer.Url;
        output.WriteLine($"review page: {await Screenshots.SaveAsync(reviewer, "review-page")}");

        // No decision chosen: refused, and the reason typed so far is kept.
        var submit = reviewer.GetByRole(AriaRole.Button, new() { Name = "提交决定", Exact = true });
        await reviewer.Locator("textarea#reason").FillAsync("材料待补充");
        await submit.ClickAsync();
        await Expect(reviewer.Locator("#decision-error")).ToContainTextAsync("请选择批准或驳回");
        await Expect(reviewer.Locator("textarea#reason")).ToHaveValueAsync("材料待补充");

        // Reject with an empty reason: refused, the error sits right next to the reason field, nothing is decided.
        await reviewer.Locator("textarea#reason").FillAsync("");
        await reviewer.Locator("input[name=decision][value=reject]").CheckAsync();
        await submit.ClickAsync();
        var reasonError = reviewer.Locator("#reason-error");
        await Expect(reasonError).ToBeVisibleAsync();
        await Expect(reasonError).ToContainTextAsync("驳回须填写理由");
        Assert.Equal("reason", await reasonError.EvaluateAsync<string>("e => e.nextElementSibling && e.nextElementSibling.id"));
        Assert.Equal("reason-label", await reasonError.EvaluateAsync<string>("e => e.previousElementSibling && e.previousElementSibling.getAttribute('for') === 'reason' ? 'reason-label' : ''"));
        await Expect(reviewer.Locator("textarea#reason")).ToHaveAttributeAsync("aria-describedby", "reason-error");
        Assert.Equal(reviewUrl, reviewer.Url);
        output.WriteLine($"review page with the error: {await Screenshots.SaveAsync(reviewer, "review-page-reason-required")}");

        // Approve.
        await reviewer.Locator("input[name=decision][value=approve]").CheckAsync();
        await submit.ClickAsync();
        await Expect(reviewer.GetByRole(AriaRole.Status)).ToContainTextAsync("已批准");
        run.Step("rejection without reason refused; approval recorded");
        output.WriteLine($"decision recorded: {await Screenshots.SaveAsync(reviewer, "review-approved")}");

        // Back as the enterprise: the voucher shows up, ¥50,000.00, and the application reads approved. (The decision
        // activity writes the voucher first and the application second, so a reload in between can show the voucher
        // next to "under review"; wait for both.)
        var vouchers = enterprise.Locator("section.card", new() { Has = enterprise.GetByRole(AriaRole.Heading, new() { Name = "我的创新券" }) });
        var voucherRow = vouchers.Locator("tbody tr", new() { HasText = "¥50,000.00" });
        var applicationRow = enterprise.Locator("tr", new() { Has = enterprise.GetByRole(AriaRole.Link, new() { Name = applicationId, Exact = true }) });
        await Portal.ReloadUntilAsync(
            enterprise,
            "/",
            async () => await voucherRow.CountAsync() > 0 && (await applicationRow.InnerTextAsync()).Contains("已通过", StringComparison.Ordinal),
            $"the voucher of {applicationId} and its approval appear on the enterprise home page");
        await Expect(voucherRow).ToHaveCountAsync(1);
        await Expect(voucherRow).ToContainTextAsync("有效");
        await Expect(applicationRow).ToContainTextAsync("已通过");
        run.Step("voucher shown on the enterprise home page");
        output.WriteLine($"enterprise home with the voucher: {await Screenshots.SaveAsync(enterprise, "enterprise-home-voucher")}");

        // The application's 办件进度: four steps reached, each with its date; the voucher linked, and its page.
        await enterprise.GotoAsync($"/portal/applications/{applicationId}");
        var steps = enterprise.Locator("ol.progress-steps > li.step");
        await Expect(steps).ToHaveCountAsync(4);
        await Expect(enterprise.Locator("ol.progress-steps > li.step-done")).ToHaveCountAsync(4);
        await Expect(steps.Nth(3)).ToContainTextAsync("创新券面额 5万元");
        await Expect(enterprise.Locator("main")).Not.ToContainTextAsync("Approved");
        await run.ScanAsync(enterprise, "application progress page");
        output.WriteLine($"application progress: {await Screenshots.SaveAsync(enterprise, "application-progress")}");
        await steps.Nth(3).GetByRole(AriaRole.Link, new() { Name = "查看创新券", Exact = true }).ClickAsync();
        await enterprise.WaitForURLAsync(url => new Uri(url).AbsolutePath.StartsWith("/portal/vouchers/V-", StringComparison.Ordinal));
        await Expect(enterprise.Locator("dl.facts")).ToContainTextAsync("¥50,000.00");
        await Expect(enterprise.Locator("dl.facts")).ToContainTextAsync("有效");
        await run.ScanAsync(enterprise, "voucher page");
        output.WriteLine($"voucher page: {await Screenshots.SaveAsync(enterprise, "voucher-page")}");
        var voucherUrl = enterprise.Url;
        await enterprise.SetViewportSizeAsync(390, 844);
        foreach (var (path, file) in new[] { (voucherUrl, "voucher-page-phone"), ($"/portal/applications/{applicationId}", "application-progress-phone") })
        {
            await enterprise.GotoAsync(path);
            var overflow = await enterprise.EvaluateAsync<int>("() => document.documentElement.scrollWidth - window.innerWidth");
            Assert.True(overflow <= 0, $"{file}: {overflow}px wider than a 390px phone");
            output.WriteLine($"{file}: {await Screenshots.SaveAsync(enterprise, file)}");
        }

        run.AssertNoSeriousFindings();
    });

    [Fact]
    public Task City_bureau_home_lists_the_pending_application_with_working_days_left_and_links_to_its_review() => run.RunAsync(nameof(City_bureau_home_lists_the_pending_application_with_working_days_left_and_links_to_its_review), async () =>
    {
        var enterprise = await run.NewPageAsync();
        var (_, applicationId) = await Portal.NewEnterpriseApplicationAsync(enterprise, "太原汾河新材料科技有限公司");
        run.Step($"second enterprise applied: {applicationId}");

        var bureau = await run.NewPageAsync();
        await Portal.SignInAsync(bureau, "city-bureau", "taiyuan", "太原市科技局审核员");
        var queue = bureau.Locator("section.card", new() { Has = bureau.GetByRole(AriaRole.Heading, new() { NameRegex = new Regex("^待审核申请") }) });
        var row = queue.Locator("tbody tr", new() { HasText = applicationId });
        await Portal.ReloadUntilVisibleAsync(bureau, "/", row, $"{applicationId} is listed on the Taiyuan bureau's home page");
        run.Step("listed on the bureau home page");

        await Expect(row).ToContainTextAsync("太原汾河新材料科技有限公司");
        await Expect(row).ToContainTextAsync(new Regex(@"\d{4}-\d{2}-\d{2}（剩余 \d+ 个工作日）"));
        var left = int.Parse(Regex.Match(await row.InnerTextAsync(), @"剩余 (\d+) 个工作日").Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture);
        Assert.InRange(left, 1, 10);
        output.WriteLine($"bureau home: {await Screenshots.SaveAsync(bureau, "city-bureau-home")}");

        await row.GetByRole(AriaRole.Link, new() { Name = "审核" }).ClickAsync();
        await bureau.WaitForURLAsync(url => new Uri(url).AbsolutePath.StartsWith("/review/", StringComparison.Ordinal));
        await Expect(bureau.GetByRole(AriaRole.Heading, new() { Name = "创新券申请审核", Exact = true })).ToBeVisibleAsync();
        await Expect(bureau.Locator("dl.facts")).ToContainTextAsync(applicationId);
        await Expect(bureau.GetByRole(AriaRole.Button, new() { Name = "提交决定", Exact = true })).ToBeEnabledAsync();
    });

    [Fact]
    public Task Sign_in_enterprise_home_review_mailbox_and_bureau_pages_have_no_serious_or_critical_axe_violations() => run.RunAsync(nameof(Sign_in_enterprise_home_review_mailbox_and_bureau_pages_have_no_serious_or_critical_axe_violations), async () =>
    {
        var findings = new StringBuilder();
        var page = await run.NewPageAsync();

        await page.GotoAsync("/dev/signin");
        await ScanAsync(page, "sign-in", findings);

        var uscc = TestUscc.New();
        await Portal.SignInAsync(page, "enterprise", uscc, "企业经办人");
        await ScanAsync(page, "enterprise home (registration form)", findings);

        await Portal.RegisterEnterpriseAsync(page, "太原龙城检测技术有限公司");
        var applicationId = await Portal.ApplyAsync(page);
        run.Step($"applied: {applicationId}");
        await ScanAsync(page, "enterprise home (application listed)", findings);

        var reviewer = await run.NewPageAsync();
        Portal.AcceptDialogs(reviewer);
        var href = await Portal.ReviewLinkFromMailboxAsync(reviewer, applicationId);
        run.Step("review request in the mailbox");
        await ScanAsync(reviewer, "mailbox", findings);

        await reviewer.GotoAsync(href);
        await Expect(reviewer.GetByRole(AriaRole.Heading, new() { Name = "创新券申请审核", Exact = true })).ToBeVisibleAsync();
        await ScanAsync(reviewer, "review", findings);

        await reviewer.Locator("input[name=decision][value=reject]").CheckAsync();
        await reviewer.GetByRole(AriaRole.Button, new() { Name = "提交决定", Exact = true }).ClickAsync();
        await Expect(reviewer.Locator("#reason-error")).ToBeVisibleAsync();
        await ScanAsync(reviewer, "review (reason required error)", findings);

        var bureau = await run.NewPageAsync();
        await Portal.SignInAsync(bureau, "city-bureau", "taiyuan", "太原市科技局审核员");
        await Portal.ReloadUntilVisibleAsync(bureau, "/", bureau.Locator("tbody tr", new() { HasText = applicationId }), $"{applicationId} is in the bureau's queue");
        await ScanAsync(bureau, "city bureau home", findings);

        Assert.True(findings.Length == 0, "Serious or critical axe violations:" + Environment.NewLine + findings);
    });

    private async Task ScanAsync(IPage page, string name, StringBuilder findings)
    {
        var result = await page.RunAxe();
        var blocking = result.Violations.Where(v => v.Impact is "serious" or "critical").ToList();
        var path = new Uri(page.Url).AbsolutePath;
        run.Step($"axe {name} ({(path.Length > 40 ? path[..40] + "…" : path)}): {result.Violations.Length} violation(s), {blocking.Count} serious/critical; " +
             $"to review manually: [{string.Join(", ", result.Incomplete.Select(i => i.Id))}]");
        foreach (var v in result.Violations)
        {
            var line = $"  [{v.Impact}] {v.Id}: {v.Help} ({v.HelpUrl})";
            output.WriteLine(line);
            foreach (var node in v.Nodes.Take(5))
            {
                output.WriteLine($"      {node.Target}: {node.Html}");
            }

            if (v.Impact is "serious" or "critical")
            {
                findings.AppendLine($"{name}: {line.Trim()}");
                foreach (var node in v.Nodes.Take(5))
                {
                    findings.AppendLine($"    {node.Target}: {node.Html}");
                }
            }
        }
    }
}
