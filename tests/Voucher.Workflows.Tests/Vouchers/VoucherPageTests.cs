using Microsoft.Extensions.Logging.Abstractions;
using Voucher.Workflows.Web;

namespace Voucher.Workflows.Tests.Vouchers;

/// <summary>
/// The voucher page (<c>/portal/vouchers/{id}</c>) over Azurite: amounts, validity, status in Chinese, the issuing
/// application and the voucher's redemptions linked; 404 for another enterprise, another city's bureau and a missing id.
/// "Today" is Monday 2026-03-02 (China).
/// </summary>
[Collection(AzuriteCollection.Name)]
public sealed class VoucherPageTests(AzuriteFixture azurite) : IAsyncLifetime
{
    static readonly DateTimeOffset Now = new(2026, 3, 2, 1, 0, 0, TimeSpan.Zero);

    readonly List<ServiceProvider> providers = [];

    [Fact]
    public async Task Holder_sees_amounts_validity_the_application_and_the_redemptions_made_with_it()
    {
        var (sp, voucher, paid, pending) = await SeedAsync();

        var html = await PageAsync(sp, new VoucherPrincipal("e", "王芳", Role.Enterprise, voucher.Uscc), voucher.VoucherId);

        Assert.Contains("<h1>创新券详情</h1>", html);
        Assert.Contains("<h2>太原券页测试科技有限公司</h2>", html);
        Assert.Contains("<dt>状态</dt><dd><strong>有效</strong></dd>", html);
        Assert.Contains("<dt>面额</dt><dd>¥50,000.00</dd>", html);
        Assert.Contains("<dt>已用</dt><dd>¥12,000.00</dd>", html);
        Assert.Contains("<dt>余额</dt><dd><strong>¥38,000.00</strong></dd>", html);
        Assert.Contains("<dd>2027年2月28日（还剩 363 天）</dd>", html);
        Assert.Contains($"<a href=\"/portal/applications/{voucher.ApplicationId}\">创新券申请 {voucher.ApplicationId}</a>", html);
        Assert.Contains($"<a href=\"/portal/redemptions/{paid.RedemptionId}\">{paid.RedemptionId}</a>", html);
        Assert.Contains($"<a href=\"/portal/redemptions/{pending.RedemptionId}\">{pending.RedemptionId}</a>", html);
        Assert.Contains("<td data-label=\"状态\">已拨付</td>", html);
        Assert.Contains("<td data-label=\"状态\">待机构确认</td>", html);
        Assert.Contains("<td data-label=\"核定兑付\">待核定</td>", html);
        Assert.Contains("<td data-label=\"使用券额\">¥12,000.00</td>", html);
        Assert.Contains("<td data-label=\"实付金额\">¥20,000.00</td>", html);
        Assert.True(html.IndexOf(paid.RedemptionId, StringComparison.Ordinal) < html.IndexOf(pending.RedemptionId, StringComparison.Ordinal), "oldest first");
        Assert.DoesNotContain("/api/", html);
        Assert.DoesNotContain("Active", html);
        Assert.DoesNotContain("AwaitingBinding", html);

        // The bureau of its city and the province see the same page.
        Assert.Contains("¥38,000.00", await PageAsync(sp, new VoucherPrincipal("b", "李审核", Role.CityBureau, "taiyuan"), voucher.VoucherId));
        Assert.Contains("¥38,000.00", await PageAsync(sp, new VoucherPrincipal("p", "省中心", Role.Province, null), voucher.VoucherId));
    }

    [Fact]
    public async Task Another_enterprise_another_city_and_a_missing_or_malformed_id_get_the_same_404()
    {
        var (sp, voucher, _, _) = await SeedAsync();
        var pages = sp.GetRequiredService<Voucher.Workflows.Vouchers.VoucherPages>();

        foreach (var (caller, id) in new[]
        {
            (new VoucherPrincipal("o", "他人", Role.Enterprise, TestUscc.New()), voucher.VoucherId),
            (new VoucherPrincipal("d", "大同", Role.CityBureau, "datong"), voucher.VoucherId),
            (new VoucherPrincipal("e", "王芳", Role.Enterprise, voucher.Uscc), VoucherEntity.IdFor(ApplicationStore.NewId(voucher.Uscc, 2026, 9))),
            (new VoucherPrincipal("e", "王芳", Role.Enterprise, voucher.Uscc), "创新券"),
        })
        {
            var result = await pages.VoucherPageAsync(TestRequests.Json(caller, null, [("id", id)], method: "GET"));
            Assert.Equal(StatusCodes.Status404NotFound, Assert.IsAssignableFrom<IStatusCodeHttpResult>(result).StatusCode);
            var html = await PageHtml.RenderAsync(result, sp);
            Assert.Contains("创新券不存在或无权查看。", html);
            Assert.DoesNotContain("太原券页测试科技有限公司", html);
            Assert.DoesNotContain("¥50,000.00", html);
        }
    }

    [Fact]
    public async Task An_expired_voucher_without_redemptions_says_so_in_Chinese()
    {
        var uscc = TestUscc.New();
        var voucher = A.Voucher(uscc, "taiyuan").IssuedAt(new DateTimeOffset(2025, 1, 10, 2, 0, 0, TimeSpan.Zero)).ExpiresOn(new DateOnly(2026, 1, 9)).Build();
        var model = VoucherPages.Model(voucher, A.Application(uscc, "taiyuan").WithId(voucher.ApplicationId).Named("太原到期测试有限公司").Build(), [], new DateOnly(2026, 3, 2));
        var renderer = new PageRenderer(new ServiceCollection().BuildServiceProvider(), NullLoggerFactory.Instance);

        var html = await renderer.RenderAsync<VoucherPage>(new Dictionary<string, object?> { ["Model"] = model });

        Assert.Contains("<dd><strong>已过期</strong></dd>", html);
        Assert.Contains("<dd>2026年1月9日（已到期）</dd>", html);
        Assert.Contains("已于 2026年1月9日 到期，不能再提交新的兑付申请", html);
        Assert.Contains("尚未用此券提交兑付申请。", html);
        Assert.DoesNotContain("<table", html);
        Assert.DoesNotContain("Expired", html);
    }

    async Task<(IServiceProvider Services, VoucherEntity Voucher, RedemptionEntity Paid, RedemptionEntity Pending)> SeedAsync()
    {
        var sp = await WorkflowServices.BuildAsync(azurite, azurite.NewName("vp")[..13], new FakeTimeProvider(Now));
        providers.Add(sp);
        var store = sp.GetRequiredService<VoucherStore>();
        var uscc = TestUscc.New();
        var application = A.Application(uscc, "taiyuan").Named("太原券页测试科技有限公司").InStatus(ApplicationStatus.Approved).InRound(1).SubmittedAt(Now.AddDays(-40)).Build();
        var voucher = A.Voucher(uscc, "taiyuan").ForApplication(application.ApplicationId).IssuedAt(Now.AddDays(-30)).ExpiresOn(new DateOnly(2027, 2, 28)).Build();
        application.VoucherId = voucher.VoucherId;
        Assert.True(await sp.GetRequiredService<ApplicationStore>().TryCreateAsync(application));

        var paid = A.Redemption(voucher).Numbered(1).ByEnterprise(application.EnterpriseName).AtInstitution("inst-vp", "山西大学分析测试中心").ForService(null, "材料成分检测", "testing")
            .Paying(Cny.FromYuan(20_000m)).InStatus(RedemptionStatus.Paid).SubmittedAt(Now.AddDays(-20)).With(r => r.PayoutFen = 1_200_000).Build();
        var pending = A.Redemption(voucher).Numbered(2).ByEnterprise(application.EnterpriseName).AtInstitution("inst-vp", "山西大学分析测试中心").ForService(null, "性能测试", "testing")
            .Paying(Cny.FromYuan(8_000m)).SubmittedAt(Now.AddDays(-2)).Build();
        var otherVoucher = A.Redemption(uscc, "V-" + ApplicationStore.NewId(uscc, 2025, 1), "taiyuan").Numbered(1).SubmittedAt(Now.AddDays(-300)).Build();
        foreach (var r in new[] { paid, pending, otherVoucher })
        {
            Assert.True(await sp.GetRequiredService<RedemptionStore>().TryCreateAsync(r));
        }

        voucher.UsedFen = 1_200_000;
        voucher.UsageJson = JsonSerializer.Serialize(new Dictionary<string, long> { [paid.RedemptionId] = 1_200_000 });
        await store.UpsertAsync(VoucherStore.Vouchers, voucher);
        return (sp, voucher, paid, pending);
    }

    static async Task<string> PageAsync(IServiceProvider sp, VoucherPrincipal caller, string voucherId)
    {
        var result = await sp.GetRequiredService<Voucher.Workflows.Vouchers.VoucherPages>().VoucherPageAsync(TestRequests.Json(caller, null, [("id", voucherId)], method: "GET"));
        Assert.Equal(StatusCodes.Status200OK, Assert.IsAssignableFrom<IStatusCodeHttpResult>(result).StatusCode);
        return await PageHtml.RenderAsync(result, sp);
    }

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync()
    {
        foreach (var provider in providers)
        {
            await provider.DisposeAsync();
        }
    }
}
