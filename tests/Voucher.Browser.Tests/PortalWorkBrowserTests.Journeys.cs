using System.Globalization;
using System.Text.RegularExpressions;

namespace Voucher.Browser.Tests;

public sealed partial class PortalWorkBrowserTests
{
    private static readonly TimeSpan FlowTimeout = TimeSpan.FromSeconds(60);

    [Fact]
    public Task Enterprise_registers_applies_the_clerk_approves_from_the_queue_and_the_enterprise_requests_a_redemption_and_uploads_its_evidence() => run.RunAsync(nameof(Enterprise_registers_applies_the_clerk_approves_from_the_queue_and_the_enterprise_requests_a_redemption_and_uploads_its_evidence), async () =>
    {
        const string name = "太原并州光电检测技术有限公司";
        var enterprise = await run.NewPageAsync();
        var uscc = TestUscc.New();
        await Portal.SignInAsync(enterprise, "enterprise", uscc, "企业经办人");

        // Registration with a wrong phone: refused next to the field, everything typed kept.
        await enterprise.Locator("#name").FillAsync(name);
        await enterprise.Locator("#cityCode").SelectOptionAsync("taiyuan");
        await enterprise.Locator("#sizeClass").SelectOptionAsync("small");
        await enterprise.Locator("#techSmeNumber").FillAsync("2026140100A00777");
        await enterprise.Locator("#contactName").FillAsync("韩雪");
        await enterprise.Locator("#contactPhone").FillAsync("12345");
        await enterprise.GetByRole(AriaRole.Button, new() { Name = "登记" }).ClickAsync();
        await Expect(enterprise.Locator("#contactPhone-error")).ToBeVisibleAsync();
        await Expect(enterprise.Locator("#contactPhone")).ToHaveAttributeAsync("aria-invalid", "true");
        await Expect(enterprise.Locator("#name")).ToHaveValueAsync(name);
        await Expect(enterprise.Locator("#techSmeNumber")).ToHaveValueAsync("2026140100A00777");
        await Expect(enterprise.Locator("#sizeClass")).ToHaveValueAsync("small");
        run.Step($"registration with a bad phone refused: {await enterprise.Locator("#contactPhone-error").InnerTextAsync()}");

        await enterprise.Locator("#contactPhone").FillAsync("13935100777");
        await enterprise.GetByRole(AriaRole.Button, new() { Name = "登记" }).ClickAsync();
        await Expect(enterprise.GetByRole(AriaRole.Heading, new() { Name = name })).ToBeVisibleAsync();
        var applicationId = await Portal.ApplyAsync(enterprise); // accepts this and every later confirm() of the page
        run.Step($"registered and applied: {applicationId}");

        // The clerk finds it in the bureau's queue and approves it from there.
        var clerk = await run.NewPageAsync();
        var clerkDialogs = BrowserRun.RecordAndAcceptDialogs(clerk);
        await Portal.SignInAsync(clerk, "city-bureau", "taiyuan", "太原市科技局审核员");
        var row = clerk.Locator("tbody tr", new() { HasText = applicationId });
        await Portal.ReloadUntilVisibleAsync(clerk, "/", row, $"{applicationId} in the Taiyuan queue");
        await Expect(row).ToContainTextAsync(new Regex(@"剩余 \d+ 个工作日"));
        await row.GetByRole(AriaRole.Link, new() { Name = "审核" }).ClickAsync();
        await Expect(clerk.Locator("dl.facts")).ToContainTextAsync(name);
        await clerk.Locator("input[name=decision][value=approve]").CheckAsync();
        await clerk.GetByRole(AriaRole.Button, new() { Name = "提交决定", Exact = true }).ClickAsync();
        await Expect(clerk.GetByRole(AriaRole.Status)).ToContainTextAsync("已批准");
        Assert.Contains(clerkDialogs, d => d.Contains("不可撤销", StringComparison.Ordinal));
        await clerk.GetByRole(AriaRole.Link, new() { Name = "返回工作台", Exact = true }).ClickAsync();
        await Portal.ReloadUntilAsync(clerk, "/", async () => await row.CountAsync() == 0, $"{applicationId} leaves the queue once decided");
        run.Step("approved by the clerk from the queue");

        // The voucher appears; the enterprise finds the service it bought (a search that works without a script), picks
        // it, and requests a redemption with an amount that is not a number first.
        var vouchers = enterprise.Locator("section.card", new() { Has = enterprise.GetByRole(AriaRole.Heading, new() { NameRegex = new Regex("我的创新券") }) });
        var start = enterprise.Locator("section.redemption-start");
        await Portal.ReloadUntilAsync(enterprise, "/", async () => await vouchers.Locator("tbody tr").CountAsync() == 1 && await start.CountAsync() == 1, "the voucher and where to start a redemption appear");
        await Expect(vouchers).ToContainTextAsync("¥50,000.00");
        await start.Locator("input[name=q]").FillAsync("微量元素");
        await start.GetByRole(AriaRole.Button, new() { Name = "搜索" }).ClickAsync();
        await enterprise.WaitForURLAsync(url => new Uri(url).AbsolutePath == "/portal/redemptions/new");
        var pick = enterprise.Locator($"a[href*=\"institutionId={PortalScenarioFixture.InstitutionId}&serviceId={PortalScenarioFixture.ServiceId}\"]");
        await Expect(pick).ToHaveCountAsync(1);
        output.WriteLine($"picker: {await Screenshots.SaveAsync(enterprise, "journey-redemption-picker")}");
        await pick.ClickAsync();
        var requestForm = enterprise.Locator("section.redemption-form");
        await Expect(requestForm.Locator("dl.facts")).ToContainTextAsync("ICP-MS 微量元素检测");
        await Expect(requestForm.Locator("dl.facts")).ToContainTextAsync("山西大学分析测试中心");
        await requestForm.Locator("input[name=contractNumber]").FillAsync("SXU-ICP-2026-0777");
        await requestForm.Locator("input[name=amountPaid]").FillAsync("八万元");
        await requestForm.GetByRole(AriaRole.Button, new() { Name = "提交兑付申请" }).ClickAsync();
        var refused = enterprise.Locator("section.redemption-form");
        var amountError = refused.Locator("#amountPaid-error");
        await Expect(amountError).ToContainTextAsync("金额须为数字");
        var amount = refused.Locator("input[name=amountPaid]");
        await Expect(amount).ToHaveAttributeAsync("aria-describedby", new Regex("amountPaid-error"));
        await Expect(amount).ToHaveValueAsync("八万元");
        await Expect(refused.Locator("input[name=contractNumber]")).ToHaveValueAsync("SXU-ICP-2026-0777");
        await Expect(refused.Locator("input[name=service]")).ToHaveValueAsync($"{PortalScenarioFixture.InstitutionId}|{PortalScenarioFixture.ServiceId}");
        await Expect(enterprise.Locator(".error-summary")).ToContainTextAsync("金额须为数字");
        output.WriteLine($"request refused: {await Screenshots.SaveAsync(enterprise, "journey-redemption-amount-error")}");
        await amount.FillAsync("80000");
        await refused.GetByRole(AriaRole.Button, new() { Name = "提交兑付申请" }).ClickAsync();
        await enterprise.WaitForURLAsync(url => new Uri(url).AbsolutePath.StartsWith("/portal/redemptions/", StringComparison.Ordinal));
        await Expect(enterprise.GetByRole(AriaRole.Status).First).ToContainTextAsync("兑付申请已提交");
        // Right after the request the next step never reads "须在 前确认" with a blank date.
        await Expect(enterprise.Locator("#next-step")).Not.ToContainTextAsync(new Regex(@"须在\s+前"));
        var redemptionUrl = new Uri(enterprise.Url).AbsolutePath;
        output.WriteLine($"requested: {await Screenshots.SaveAsync(enterprise, "journey-redemption-requested")}");
        run.Step($"redemption requested: {redemptionUrl}");

        // Evidence: a text file (wrong type) and a file over the 1 MB limit are refused; the page says why.
        var report = enterprise.Locator("li.evidence[data-kind=report]");
        await Expect(enterprise.Locator("main")).ToContainTextAsync("不超过 1 MB");
        await Expect(report.Locator("form")).ToHaveAttributeAsync("data-busy", "正在上传…");
        await report.Locator("input[type=file]").SetInputFilesAsync(new FilePayload { Name = "成果报告.pdf", MimeType = "application/pdf", Buffer = Encoding.UTF8.GetBytes("这不是PDF，只是一段文字。") });
        await report.GetByRole(AriaRole.Button, new() { Name = "上传" }).ClickAsync();
        await Expect(enterprise.Locator("p.error[role=alert]")).ToContainTextAsync("仅接受 PDF、PNG 或 JPEG");
        output.WriteLine($"wrong type: {await Screenshots.SaveAsync(enterprise, "journey-evidence-wrong-type")}");

        var oversize = Pdf("oversize", PortalScenarioFixture.MaxEvidenceBytes + 1);
        await report.Locator("input[type=file]").SetInputFilesAsync(new FilePayload { Name = "scan.pdf", MimeType = "application/pdf", Buffer = oversize });
        await report.GetByRole(AriaRole.Button, new() { Name = "上传" }).ClickAsync();
        await Expect(enterprise.Locator("p.error[role=alert]")).ToContainTextAsync("文件超过 1 MB 上限");
        run.Step("wrong type and oversize refused");

        // The three files, each kept under its original (Chinese) name and listed by it with its type.
        var names = new Dictionary<string, string> { ["report"] = "检测报告（终稿）.pdf", ["contract"] = "技术服务合同.pdf", ["payment"] = "银行转账回单.pdf" };
        foreach (var (kind, fileName) in names)
        {
            var box = enterprise.Locator($"li.evidence[data-kind={kind}]");
            await box.Locator("input[type=file]").SetInputFilesAsync(new FilePayload { Name = fileName, MimeType = "application/pdf", Buffer = Pdf(kind, 400_000) });
            await box.GetByRole(AriaRole.Button, new() { Name = "上传" }).ClickAsync();
            await Expect(enterprise.Locator("p.ok[role=status]")).ToContainTextAsync("已上传：" + fileName);
            await Expect(enterprise.Locator($"li.evidence[data-kind={kind}] .file-name")).ToHaveTextAsync(fileName);
            await Expect(enterprise.Locator($"li.evidence[data-kind={kind}] .file-facts")).ToContainTextAsync("PDF 文件 · ");
        }

        await Expect(enterprise.Locator("#evidence-missing")).ToHaveCountAsync(0);
        await Expect(enterprise.Locator("li.evidence[data-kind=report] details.checksum summary")).ToHaveTextAsync("校验信息");
        output.WriteLine($"uploaded: {await Screenshots.SaveAsync(enterprise, "journey-evidence-uploaded")}");
        await Portal.ReloadUntilAsync(
            enterprise,
            redemptionUrl,
            async () => (await enterprise.Locator("#who-acts").InnerTextAsync()).Contains("服务机构", StringComparison.Ordinal)
                        && await enterprise.Locator("dl.facts").First.GetByText(new Regex(@"剩余 \d+ 个工作日")).CountAsync() == 1,
            "the redemption waits on the institution, with its deadline");
        // The progress marks the step it is at and whom it waits on; the deadline is given as a date and in working days.
        await Expect(enterprise.Locator(".step[aria-current=step]").First).ToContainTextAsync("机构确认");
        await Expect(enterprise.Locator("#who-acts")).ToContainTextAsync("服务机构");
        await Expect(enterprise.Locator("#next-step")).ToContainTextAsync(new Regex(@"服务机构须在 \d{4}年\d{1,2}月\d{1,2}日 前确认"));
        await Expect(enterprise.Locator("dl.facts").First).ToContainTextAsync(new Regex(@"剩余 \d+ 个工作日"));
        output.WriteLine($"progress: {await Screenshots.SaveAsync(enterprise, "journey-redemption-progress")}");

        // On a 390 px phone the progress page, its steps and the file list do not scroll sideways; nor does the home page.
        await enterprise.SetViewportSizeAsync(390, 844);
        foreach (var (path, shot) in new[] { (redemptionUrl, "journey-redemption-progress-phone"), ("/", "journey-enterprise-home-phone") })
        {
            await enterprise.GotoAsync(path);
            var overflow = await enterprise.EvaluateAsync<int>("() => document.documentElement.scrollWidth - window.innerWidth");
            Assert.True(overflow <= 0, $"{path} is {overflow}px wider than a 390px phone");
            output.WriteLine($"phone: {await Screenshots.SaveAsync(enterprise, shot)}");
        }

        await enterprise.SetViewportSizeAsync(1280, 720);
        await enterprise.GotoAsync(redemptionUrl);
        run.Step($"evidence complete; waiting on: {await enterprise.Locator("#who-acts").InnerTextAsync()}");
    });

    [Fact]
    public Task Institution_confirms_one_request_and_disputes_another_from_its_pending_list() => run.RunAsync(nameof(Institution_confirms_one_request_and_disputes_another_from_its_pending_list), async () =>
    {
        // Two requests at inst-tyut (only this test uses it), arranged through the API.
        using var bureau = await site.SignInAsync("city-bureau", "taiyuan", "太原市科技局审核员");
        var first = site.ArrangeRedemptionAsync(bureau, "太原晋祠材料科技有限公司", "TYUT-SEM-2026-0011", "inst-tyut", "svc-sem");
        var second = site.ArrangeRedemptionAsync(bureau, "太原双塔精密制造有限公司", "TYUT-SEM-2026-0012", "inst-tyut", "svc-sem");
        await Task.WhenAll(first, second);
        var (_, confirmId) = await first;
        var (_, disputeId) = await second;
        run.Step($"two binding requests: {confirmId}, {disputeId}");

        var institution = await run.NewPageAsync();
        var dialogs = BrowserRun.RecordAndAcceptDialogs(institution);
        await Portal.SignInAsync(institution, "institution", "inst-tyut", "太原理工大学材料测试中心经办人");
        var pending = institution.Locator("section.card", new() { Has = institution.GetByRole(AriaRole.Heading, new() { NameRegex = new Regex("^待确认的兑付申请") }) });
        var confirmRow = pending.Locator("tbody tr", new() { HasText = "太原晋祠材料科技有限公司" });
        var disputeRow = pending.Locator("tbody tr", new() { HasText = "太原双塔精密制造有限公司" });
        await Expect(pending.GetByRole(AriaRole.Heading)).ToContainTextAsync("（2）");
        await Expect(confirmRow).ToContainTextAsync(new Regex(@"剩余 \d+ 个工作日"));
        await Expect(confirmRow).ToContainTextAsync("¥80,000.00");
        output.WriteLine($"institution list: {await Screenshots.SaveAsync(institution, "journey-institution-pending")}");

        // Confirm the first straight from the list.
        await confirmRow.GetByRole(AriaRole.Link, new() { Name = "确认或不予确认" }).ClickAsync();
        await Expect(institution.Locator("dl.facts")).ToContainTextAsync(confirmId);
        await institution.Locator("input[name=decision][value=confirm]").CheckAsync();
        await institution.GetByRole(AriaRole.Button, new() { Name = "提交", Exact = true }).ClickAsync();
        await Expect(institution.GetByRole(AriaRole.Status)).ToContainTextAsync("已确认");
        await institution.GetByRole(AriaRole.Link, new() { Name = "返回工作台" }).ClickAsync();
        await Portal.ReloadUntilAsync(institution, "/", async () => await confirmRow.CountAsync() == 0, "the confirmed request leaves the pending list");
        run.Step("first confirmed from the list");

        // Dispute the second: a reason is required, then recorded.
        await disputeRow.GetByRole(AriaRole.Link, new() { Name = "确认或不予确认" }).ClickAsync();
        await Expect(institution.Locator("dl.facts")).ToContainTextAsync(disputeId);
        await institution.Locator("input[name=decision][value=dispute]").CheckAsync();
        await institution.GetByRole(AriaRole.Button, new() { Name = "提交", Exact = true }).ClickAsync();
        await Expect(institution.Locator("#reason-error")).ToContainTextAsync("不予确认须填写理由");
        await Expect(institution.Locator("input[name=decision][value=dispute]")).ToBeCheckedAsync();
        await institution.Locator("textarea#reason").FillAsync("合同金额与本中心收款记录不符，请企业核对支付凭证。");
        await institution.GetByRole(AriaRole.Button, new() { Name = "提交", Exact = true }).ClickAsync();
        await Expect(institution.GetByRole(AriaRole.Status)).ToContainTextAsync("已提交不予确认");
        Assert.All(dialogs, d => Assert.Contains("不可撤销", d, StringComparison.Ordinal));
        Assert.Equal(3, dialogs.Count); // confirm, the refused dispute, the dispute

        var handled = institution.Locator("section.card", new() { Has = institution.GetByRole(AriaRole.Heading, new() { Name = "已处理" }) });
        await Portal.ReloadUntilAsync(
            institution,
            "/",
            async () => await disputeRow.CountAsync() == 0 && await handled.Locator("tbody tr").CountAsync() == 2,
            "both requests are handled");
        await Expect(pending).ToContainTextAsync("暂无待确认的兑付申请");
        output.WriteLine($"institution list after: {await Screenshots.SaveAsync(institution, "journey-institution-handled")}");
        run.Step("second disputed with a reason; the list is empty");
    });

    [Fact]
    public Task City_bureau_queue_lists_overdue_first_then_by_working_days_left_and_the_clerk_decides_from_it() => run.RunAsync(nameof(City_bureau_queue_lists_overdue_first_then_by_working_days_left_and_the_clerk_decides_from_it), async () =>
    {
        var (_, applicationId, enterprise) = await Arrange.ApplicationAsync(site, "太原小店智能传感有限公司");
        enterprise.Dispose();
        var clerk = await run.NewPageAsync();
        BrowserRun.RecordAndAcceptDialogs(clerk);
        await Portal.SignInAsync(clerk, "city-bureau", "taiyuan", "太原市科技局审核员");
        var queue = clerk.Locator("section.card", new() { Has = clerk.GetByRole(AriaRole.Heading, new() { NameRegex = new Regex("^待审核申请") }) });
        var rows = queue.Locator("tbody tr");
        await Portal.ReloadUntilVisibleAsync(clerk, "/", rows.Filter(new() { HasText = applicationId }), $"{applicationId} in the queue");

        // Overdue first, then by the working days left (ascending).
        var texts = await rows.AllInnerTextsAsync();
        run.Step($"queue: {string.Join(" | ", texts.Select(t => t.Replace('\n', ' ').Replace('\t', ' ')))}");
        Assert.Contains(PortalScenarioFixture.OverdueName, texts[0], StringComparison.Ordinal);
        await Expect(rows.First.Locator(".warn")).ToContainTextAsync(new Regex(@"超期 \d+ 个工作日"));
        var left = texts.Skip(1).Select(t => Regex.Match(t, @"剩余 (\d+) 个工作日")).ToList();
        Assert.All(left, m => Assert.True(m.Success, "every row after the overdue one shows its working days left"));
        var days = left.Select(m => int.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture)).ToList();
        Assert.Equal(days.Order().ToList(), days);
        output.WriteLine($"queue: {await Screenshots.SaveAsync(clerk, "journey-bureau-queue")}");

        // The clerk rejects the new one from the queue: a reason is required; then it leaves the queue.
        var row = rows.Filter(new() { HasText = applicationId });
        await row.GetByRole(AriaRole.Link, new() { Name = "审核" }).ClickAsync();
        await Expect(clerk.Locator("dl.facts")).ToContainTextAsync(applicationId);
        await Expect(clerk.Locator("dl.facts")).ToContainTextAsync(new Regex(@"剩余 \d+ 个工作日"));
        await clerk.Locator("input[name=decision][value=reject]").CheckAsync();
        await clerk.Locator("textarea#reason").FillAsync("科技型中小企业评价入库编号与企业名称不一致，请核对后重新申请。");
        await clerk.GetByRole(AriaRole.Button, new() { Name = "提交决定", Exact = true }).ClickAsync();
        await Expect(clerk.GetByRole(AriaRole.Status)).ToContainTextAsync("已驳回");
        await clerk.GetByRole(AriaRole.Link, new() { Name = "返回工作台", Exact = true }).ClickAsync();
        await Portal.ReloadUntilAsync(clerk, "/", async () => await row.CountAsync() == 0, $"{applicationId} leaves the queue");
        await Expect(rows.First).ToContainTextAsync(PortalScenarioFixture.OverdueName);
        run.Step("rejected with a reason from the queue; the overdue one still leads");
    });

    [Fact]
    public Task Finance_bureau_pays_a_batch_from_its_list_after_one_confirmation_and_downloads_the_payment_file() => run.RunAsync(nameof(Finance_bureau_pays_a_batch_from_its_list_after_one_confirmation_and_downloads_the_payment_file), async () =>
    {
        // The enterprise enters its bank account on its profile (the holder's name is its registered name).
        var enterprise = await run.NewPageAsync();
        await Portal.SignInAsync(enterprise, "enterprise", site.PaidUscc, "企业经办人");
        await enterprise.GotoAsync("/portal/profile");
        await enterprise.Locator("input#bankName").FillAsync("中国工商银行太原并州路支行");
        await enterprise.Locator("input#accountNumber").FillAsync("6222 0202 0011 2231 234");
        await enterprise.GetByRole(AriaRole.Button, new() { Name = "保存银行账户", Exact = true }).ClickAsync();
        await Expect(enterprise.GetByRole(AriaRole.Status)).ToContainTextAsync("银行账户已保存");
        await Expect(enterprise.Locator("#bank-account dd.account-number")).ToHaveTextAsync("6222 0202 0011 2231 234");
        output.WriteLine($"bank account: {await Screenshots.SaveAsync(enterprise, "journey-finance-bank-account")}");
        await enterprise.SetViewportSizeAsync(390, 844);
        await enterprise.ReloadAsync();
        Assert.True(await enterprise.EvaluateAsync<int>("() => document.documentElement.scrollWidth - window.innerWidth") <= 0, "the profile fits a 390px phone");
        output.WriteLine($"bank account phone: {await Screenshots.SaveAsync(enterprise, "journey-finance-bank-account-phone")}");
        run.Step("bank account entered");

        var finance = await run.NewPageAsync();
        var dialogs = BrowserRun.RecordAndAcceptDialogs(finance);
        await Portal.SignInAsync(finance, "finance-bureau", "taiyuan", "太原市财政局经办人");

        // The scenario's redemption becomes payable once its one-minute publicity closes: it is listed with the account whole.
        var pick = finance.Locator($"input[name=id][value=\"{site.PayableRedemptionId}\"]");
        await Eventually.UntilAsync(
            async () =>
            {
                await finance.GotoAsync("/portal/payables");
                return await pick.CountAsync() == 1;
            },
            TimeSpan.FromMinutes(3),
            $"{site.PayableRedemptionId} is payable after publicity");
        var row = finance.Locator("table.payables-table tbody tr", new() { Has = pick });
        await Expect(row).ToContainTextAsync("¥65,000.00");
        await Expect(row).ToContainTextAsync("6222 0202 0011 2231 234");

        // Select its batch: the totals name the batch's count and money.
        var batchRow = finance.Locator("table.batch-totals tbody tr").First;
        await batchRow.GetByRole(AriaRole.Link, new() { Name = "只看此批次" }).ClickAsync();
        await Expect(pick).ToHaveCountAsync(1);
        await Expect(finance.Locator("table.batch-totals tfoot")).ToContainTextAsync("¥");
        output.WriteLine($"payables: {await Screenshots.SaveAsync(finance, "journey-finance-payables")}");
        await finance.SetViewportSizeAsync(390, 844);
        Assert.True(await finance.EvaluateAsync<int>("() => document.documentElement.scrollWidth - window.innerWidth") <= 0, "the payables list fits a 390px phone");
        output.WriteLine($"payables phone: {await Screenshots.SaveAsync(finance, "journey-finance-payables-phone")}");
        await finance.SetViewportSizeAsync(1280, 720);

        // The bank's payment file for the batch: the row with the whole account and the total.
        var download = await finance.RunAndWaitForDownloadAsync(() => finance.GetByRole(AriaRole.Link, new() { Name = "下载全部筛选结果的付款文件（Excel）" }).ClickAsync());
        Assert.EndsWith(".xlsx", download.SuggestedFilename, StringComparison.Ordinal);
        var path = Path.Combine(Path.GetTempPath(), $"payment-file-{Guid.NewGuid():N}.xlsx");
        await download.SaveAsAsync(path);
        var lines = MiniExcelLibs.MiniExcel.Query(path, useHeaderRow: true).Cast<IDictionary<string, object>>().ToList();
        File.Delete(path);
        var line = Assert.Single(lines, l => l["用途/附言"]?.ToString() == $"创新券兑付 {site.PayableRedemptionId}");
        Assert.Equal("6222020200112231234", line["账号"].ToString());
        Assert.Equal(65_000m, Convert.ToDecimal(line["金额（元）"], System.Globalization.CultureInfo.InvariantCulture));
        Assert.StartsWith("合计", lines[^1]["户名"].ToString(), StringComparison.Ordinal);
        run.Step($"payment file with {lines.Count - 1} payee rows");

        // Tick it, give the bank's reference, and one confirmation names the count and the total.
        await pick.CheckAsync();
        await finance.Locator("input#reference").FillAsync("TYCZ-2026-11-0001");
        await finance.GetByRole(AriaRole.Button, new() { Name = "确认拨付所选", Exact = true }).ClickAsync();
        var confirm = finance.Locator("section.confirm");
        await Expect(confirm.GetByRole(AriaRole.Heading)).ToHaveTextAsync("确认已拨付 1 笔，合计 ¥65,000.00？");
        await Expect(confirm).ToContainTextAsync("TYCZ-2026-11-0001");
        await Expect(confirm).ToContainTextAsync("不能撤销");
        output.WriteLine($"confirmation: {await Screenshots.SaveAsync(finance, "journey-finance-confirm")}");
        await finance.SetViewportSizeAsync(390, 844);
        Assert.True(await finance.EvaluateAsync<int>("() => document.documentElement.scrollWidth - window.innerWidth") <= 0, "the confirmation fits a 390px phone");
        output.WriteLine($"confirmation phone: {await Screenshots.SaveAsync(finance, "journey-finance-confirm-phone")}");
        await finance.SetViewportSizeAsync(1280, 720);
        await confirm.GetByRole(AriaRole.Button, new() { Name = "确认已拨付 1 笔" }).ClickAsync();
        await Expect(finance.GetByRole(AriaRole.Status)).ToContainTextAsync("已确认拨付 1 笔，合计 ¥65,000.00");
        Assert.Empty(dialogs);

        // The paid tab: amount, day and reference.
        var paid = finance.Locator("table.paid-table tbody tr", new() { HasText = "TYCZ-2026-11-0001" });
        await Expect(paid).ToContainTextAsync("¥65,000.00");
        await Expect(paid).ToContainTextAsync(DateTime.UtcNow.AddHours(8).ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture));
        output.WriteLine($"paid: {await Screenshots.SaveAsync(finance, "journey-finance-paid")}");
        await finance.SetViewportSizeAsync(390, 844);
        Assert.True(await finance.EvaluateAsync<int>("() => document.documentElement.scrollWidth - window.innerWidth") <= 0, "the paid list fits a 390px phone");
        output.WriteLine($"paid phone: {await Screenshots.SaveAsync(finance, "journey-finance-paid-phone")}");
        run.Step("batch payment confirmed, listed as paid");
    });

    /// <summary>A PDF (by its header) padded to <paramref name="size"/> bytes.</summary>
    private static byte[] Pdf(string title, int size)
    {
        var head = TestFiles.Pdf(title);
        var bytes = new byte[Math.Max(size, head.Length)];
        head.CopyTo(bytes, 0);
        for (var i = head.Length; i < bytes.Length; i++)
        {
            bytes[i] = (byte)' ';
        }

        return bytes;
    }
}
