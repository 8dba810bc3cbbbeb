using Voucher.Workflows.Web;

namespace Voucher.Workflows.Tests.Portal;

/// <summary>The home handlers over the production services on Azurite: the public home, the apply guardrail and its confirmation.</summary>
[Collection(AzuriteCollection.Name)]
public sealed class HomePagesTests(AzuriteFixture azurite)
{
    static RequestContext Get(VoucherPrincipal? p, string query = "")
    {
        var http = new DefaultHttpContext();
        http.Request.Method = "GET";
        http.Request.QueryString = new QueryString(query);
        return new RequestContext(http, new RouteValueDictionary(), p, null!);
    }

    static RequestContext Post(VoucherPrincipal p, Dictionary<string, string> form, DurableTaskClient? durable = null)
    {
        var http = new DefaultHttpContext();
        http.Request.Method = "POST";
        var bytes = Encoding.UTF8.GetBytes(string.Join("&", form.Select(f => $"{Uri.EscapeDataString(f.Key)}={Uri.EscapeDataString(f.Value)}")));
        http.Request.ContentType = "application/x-www-form-urlencoded";
        http.Request.ContentLength = bytes.Length;
        http.Request.Body = new MemoryStream(bytes);
        return new RequestContext(http, new RouteValueDictionary(), p, durable!);
    }

    async Task<(ServiceProvider Services, VoucherPrincipal Enterprise)> RegisteredEnterpriseAsync()
    {
        var services = await WorkflowServices.BuildAsync(azurite, azurite.NewName("hp")[..13]);
        var uscc = TestUscc.New();
        var p = new VoucherPrincipal($"dev:enterprise:{uscc}", "王芳", Role.Enterprise, uscc);
        var outcome = await services.GetRequiredService<EnterpriseService>().RegisterAsync(p,
            new RegisterEnterpriseRequest(uscc, "太原首页测试科技有限公司", "taiyuan", "small", "2024140100A00123", "王晓明", "13812345678"), default);
        Assert.Null(outcome.Failure);
        return (services, p);
    }

    static string Location(IResult result) => Assert.IsType<RedirectHttpResult>(result).Url;

    [Fact]
    public async Task Home_Visitor_GetsThePublicHome()
    {
        await using var services = await WorkflowServices.BuildAsync(azurite, azurite.NewName("hp")[..13]);
        var html = await PageHtml.RenderAsync(services.GetRequiredService<HomePages>().HomeAsync(Get(null)), services);

        foreach (var heading in new[] { "通知公告", "办件进度", "办事指南", "全省数据", "服务目录", "政策文件" })
        {
            Assert.Contains(heading, html);
        }

        Assert.Contains("action=\"/progress\"", html);
    }

    [Fact]
    public async Task Apply_IsConfirmedFirst_ThenApplies_AndTheHomeNoLongerOffersIt()
    {
        var (services, p) = await RegisteredEnterpriseAsync();
        await using var _ = services;
        var home = services.GetRequiredService<HomePages>();
        var before = await PageHtml.RenderAsync(home.HomeAsync(Get(p)), services);
        Assert.Contains("<form method=\"post\" action=\"/portal/apply\"><button type=\"submit\">申请创新券</button></form>", before);

        // First post: the confirmation page names what will happen; nothing is applied yet.
        var confirm = await home.ApplyFormAsync(Post(p, []));
        var confirmHtml = await PageHtml.RenderAsync(confirm, services);
        Assert.Contains("确认向市科技局提交创新券申请？", confirmHtml);
        Assert.Contains("<dt>审核单位</dt><dd>太原市科技局</dd>", confirmHtml);
        Assert.Contains("<dt>申请面额</dt><dd>5万元</dd>", confirmHtml);
        Assert.Contains("<input type=\"hidden\" name=\"confirmed\" value=\"yes\"", confirmHtml);
        Assert.Empty(await services.GetRequiredService<ApplicationStore>().ForEnterpriseAsync(p.Scope!, default));

        // Confirmed: applied, back home with the number; the result line says what comes next.
        var durable = new Mock<DurableTaskClient>("test");
        var applied = Location(await home.ApplyFormAsync(Post(p, new() { ["confirmed"] = "yes" }, durable.Object)));
        var id = Assert.Single(await services.GetRequiredService<ApplicationStore>().ForEnterpriseAsync(p.Scope!, default)).ApplicationId;
        Assert.Equal($"/?applied={Uri.EscapeDataString(id)}", applied);
        durable.Verify(d => d.ScheduleNewOrchestrationInstanceAsync(It.IsAny<TaskName>(), It.IsAny<object?>(), It.IsAny<StartOrchestrationOptions?>(), It.IsAny<CancellationToken>()), Times.Once);

        var after = await PageHtml.RenderAsync(home.HomeAsync(Get(p, $"?applied={Uri.EscapeDataString(id)}")), services);
        Assert.Contains($"已提交（办件编号 {id}）。系统正在核验申请条件", after);
        Assert.DoesNotContain("action=\"/portal/apply\"", after);
        Assert.Contains($"暂不能申请创新券：您的申请（办件编号 {id}）正在办理中，办结后才能再次申请。", after);

        // A stale page posting again is refused with the reason, and no second application appears.
        var again = Location(await home.ApplyFormAsync(Post(p, new() { ["confirmed"] = "yes" }, durable.Object)));
        Assert.StartsWith("/?error=", again, StringComparison.Ordinal);
        Assert.Single(await services.GetRequiredService<ApplicationStore>().ForEnterpriseAsync(p.Scope!, default));
    }

    [Fact]
    public async Task Apply_WithALiveVoucher_IsNotOffered_AndAPostIsRefusedWithoutAnApplication()
    {
        var (services, p) = await RegisteredEnterpriseAsync();
        await using var _ = services;
        var today = ChinaTime.Today(TimeProvider.System);
        var voucherId = VoucherEntity.IdFor($"{p.Scope}-{today.Year}-01");
        await services.GetRequiredService<VoucherStore>().UpsertAsync(VoucherStore.Vouchers, new VoucherEntity
        {
            PartitionKey = p.Scope!, RowKey = voucherId, ApplicationId = $"{p.Scope}-{today.Year}-01", CityCode = "taiyuan",
            FaceValueFen = 5_000_000, UsedFen = 2_000_000, IssuedOn = Glossary.Date(today.AddDays(-10)), ExpiresOn = Glossary.Date(today.AddDays(355)),
            IssuedAt = DateTimeOffset.UtcNow, PolicyVersion = 1,
        });
        var home = services.GetRequiredService<HomePages>();

        var html = await PageHtml.RenderAsync(home.HomeAsync(Get(p)), services);

        Assert.DoesNotContain("action=\"/portal/apply\"", html);
        Assert.Contains("暂不能申请创新券：您已有一张有效的创新券（余额 3万元", html);
        Assert.Contains($"<a href=\"/portal/vouchers/{voucherId}\">{voucherId}</a>", html);
        Assert.Contains("data-label=\"状态\">有效</td>", html);
        Assert.Contains("data-label=\"余额\">¥30,000.00</td>", html);

        var refused = Location(await home.ApplyFormAsync(Post(p, new() { ["confirmed"] = "yes" })));
        Assert.StartsWith("/?error=", refused, StringComparison.Ordinal);
        Assert.Contains("有效的创新券", Uri.UnescapeDataString(refused), StringComparison.Ordinal);
        Assert.Empty(await services.GetRequiredService<ApplicationStore>().ForEnterpriseAsync(p.Scope!, default));
    }

    [Fact]
    public async Task Progress_UnknownNumber_IsNamedByTheField_KnownShapesRedirect()
    {
        await using var services = await WorkflowServices.BuildAsync(azurite, azurite.NewName("hp")[..13]);
        var home = services.GetRequiredService<HomePages>();

        var unknown = await home.ProgressAsync(Get(null, "?no=%3Cscript%3E"));
        Assert.Equal(StatusCodes.Status400BadRequest, Assert.IsType<PageResult>(unknown).StatusCode);
        var html = await PageHtml.RenderAsync(unknown, services);
        Assert.Contains("<p class=\"error\" id=\"no-error\">未能识别该办件编号。", html);
        Assert.Contains("value=\"&lt;script&gt;\"", html);

        Assert.Equal("/portal/redemptions/V-91140100MA0DEM001U-2026-01-R1", Location(await home.ProgressAsync(Get(null, "?no=V-91140100MA0DEM001U-2026-01-R1"))));
    }
}
