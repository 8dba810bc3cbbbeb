using Voucher.Domain;
using System.Security.Cryptography;
using Voucher.Workflows.Enforcement;
using Voucher.Workflows.Evidence;
using Voucher.Workflows.Redemptions;
using Voucher.Workflows.Settlement;
using Voucher.Workflows.Storage;

namespace Voucher.Browser.Tests;

/// <summary>The site of <see cref="ProvinceRiskBrowserTests"/>: settlement "now", started only by the test.</summary>
public sealed class RiskSiteFixture() : LocalSite(new LocalSiteSettings { TaskHubPrefix = "riskbrowser", SettleNow = true, OnlyTestsSettle = true });

/// <summary>
/// Risk flags on the real local host over Azurite: queued redemptions (two sharing a payment file, one of an enterprise
/// with a violation) are settled through the API; when the batch forms every item gets its flags and the province
/// policy version; the province centre finds them on its cross-city list, filters by rule and city (desktop and 390 px
/// screenshots, axe scans).
/// </summary>
[Collection("browser")]
public sealed class ProvinceRiskBrowserTests(BrowserFixture browser, RiskSiteFixture site, ITestOutputHelper output)
    : IClassFixture<RiskSiteFixture>
{
    const string City = "jincheng";
    readonly BrowserRun run = new(browser, site, output);

    [Fact]
    public Task Batch_forms_items_are_flagged_and_the_province_lists_them_by_rule_and_city() => run.RunAsync(nameof(Batch_forms_items_are_flagged_and_the_province_lists_them_by_rule_and_city), async () =>
    {
        var store = site.Store;
        var ids = new List<string>();
        var sha = Convert.ToHexString(SHA256.HashData("晋城同一付款凭证"u8.ToArray())).ToLowerInvariant();
        for (var i = 0; i < 4; i++)
        {
            var uscc = TestUscc.New(City);
            var voucherId = $"V-{uscc}-{DateTime.UtcNow.Year}-01";
            var queuedAt = DateTimeOffset.UtcNow.AddMinutes(-5).AddSeconds(i);
            var r = new RedemptionEntity
            {
                PartitionKey = uscc, RowKey = RedemptionStore.NewId(voucherId, 1), EnterpriseName = $"晋城风险测试{i + 1}号科技有限公司", VoucherId = voucherId,
                CityCode = City, InstitutionId = "inst-risk-jc", InstitutionName = "晋城检验检测中心", ServiceTitle = "材料成分检测", ServiceCategory = "testing",
                ContractNumber = $"RISK-{i}", AmountPaidFen = 80_000_00 - (i * 10_000_00), Status = RedemptionStatus.Queued, BindingMode = "system", BindingRound = 1,
                Bound = true, EvidenceComplete = true, CapYear = DateTime.UtcNow.Year, PayoutFen = 50_000_00 - (i * 10_000_00), PolicyVersion = 1,
                SubmittedAt = queuedAt.AddMinutes(-10), BoundAt = queuedAt.AddMinutes(-1), EvidenceCompleteAt = queuedAt.AddMinutes(-2), QueuedAt = queuedAt,
            };
            await store.UpsertAsync(VoucherStore.Redemptions, r);
            await store.UpsertAsync(VoucherStore.SettlementQueue, new SettlementQueueEntity
            {
                PartitionKey = City, RowKey = RedemptionStore.QueueRowKey(r), RedemptionId = r.RedemptionId, PayoutFen = r.PayoutFen, QueuedAt = queuedAt,
            });
            if (i < 2)
            {
                await store.UpsertAsync(VoucherStore.Evidence, new EvidenceEntity
                {
                    PartitionKey = r.RedemptionId, RowKey = "payment", Sha256 = sha, BlobName = $"{r.RedemptionId}/payment/x", Size = 10, ContentType = "application/pdf", UploadedBy = "enterprise",
                });
            }
            else if (i == 2)
            {
                await store.UpsertAsync(VoucherStore.ViolationsByUscc, new ViolationIndexEntity
                {
                    PartitionKey = uscc, RowKey = "VIO-risk-browser", CityCode = City, DecidedOn = DateTimeOffset.UtcNow.AddMonths(-6), Reason = "虚假材料",
                });
            }

            ids.Add(r.RedemptionId);
        }

        using var bureau = await site.SignInAsync("city-bureau", City, "晋城市科技局审核员");
        var periodId = SettlementPeriod.Containing(SettlementCadence.Quarterly, ChinaTime.DateOf(DateTime.UtcNow)).Id;
        var (status, body) = await bureau.PostJsonAsync("/api/settlements", new { cityCode = City, periodId });
        Assert.True(status is System.Net.HttpStatusCode.Accepted or System.Net.HttpStatusCode.OK, $"{status} {body}");
        var batchId = SiteClient.Json(body).GetProperty("batchId").GetString()!;
        var items = await Eventually.UntilAsync(
            () => store.PartitionAsync<BatchItemEntity>(VoucherStore.BatchItems, batchId),
            rows => rows.Count == 4 && rows.All(r => r.RiskCheckedAt is not null),
            TimeSpan.FromSeconds(90),
            "every batch item is checked for risk");
        var byId = items.ToDictionary(i => i.RedemptionId);
        Assert.Equal("shared-evidence", byId[ids[0]].RiskFlags);
        Assert.Equal("shared-evidence", byId[ids[1]].RiskFlags);
        Assert.Equal("recent-violation", byId[ids[2]].RiskFlags);
        Assert.Equal("", byId[ids[3]].RiskFlags);
        Assert.All(items, i => Assert.Equal(1, i.RiskPolicyVersion));
        run.Step("batch formed and flagged");

        var page = await run.NewPageAsync();
        await Portal.SignInAsync(page, "province", "", "省中心监管员");
        await page.GotoAsync("/portal/province/risk");
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "全省风险提示", Level = 1 })).ToBeVisibleAsync();
        await Expect(page.Locator("table.risk-rows tbody tr")).ToHaveCountAsync(3);
        await Expect(page.Locator($"tr[data-redemption='{ids[0]}']")).ToContainTextAsync("材料重复使用");
        await Expect(page.Locator($"tr[data-redemption='{ids[0]}']")).ToContainTextAsync(ids[1]);
        await Expect(page.Locator($"tr[data-redemption='{ids[2]}']")).ToContainTextAsync("企业三年内有违规记录");
        await run.ScanAsync(page, "province risk list");
        output.WriteLine($"province risk list: {await Screenshots.SaveAsync(page, "province-risk")}");

        // Filter by rule (under 更多筛选) and city: only the two sharing the payment file remain.
        await page.Locator("details.list-filters summary").ClickAsync();
        await page.Locator("#city").SelectOptionAsync(City);
        await page.Locator("#rule").SelectOptionAsync("shared-evidence");
        await page.GetByRole(AriaRole.Button, new() { Name = "筛选" }).ClickAsync();
        await Expect(page.Locator("table.risk-rows tbody tr")).ToHaveCountAsync(2);
        await Expect(page.Locator("nav.pager")).ToContainTextAsync("共 2 条");
        await run.ScanAsync(page, "province risk list (filtered)");
        await page.SetViewportSizeAsync(390, 844);
        output.WriteLine($"province risk list at 390 px: {await Screenshots.SaveAsync(page, "province-risk-phone")}");
        await page.SetViewportSizeAsync(1280, 900);
        run.AssertNoSeriousFindings();
    });
}
