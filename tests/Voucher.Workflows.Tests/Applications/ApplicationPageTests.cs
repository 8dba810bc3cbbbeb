using System.Text.RegularExpressions;
using Voucher.Workflows.Agencies;
using Voucher.Workflows.Web;

namespace Voucher.Workflows.Tests.Applications;

/// <summary>
/// The application's 办件进度 page over Azurite, as its handler answers: the steps with dates, who acts now, the deadline
/// in working days, exceptions in place (超期督办, 未通过, 不符合申请条件), the voucher linked, people by name, and nothing
/// for anyone but the enterprise, its city's bureau and the province. "Today" is Monday 2026-03-02 (China).
/// </summary>
[Collection(AzuriteCollection.Name)]
public sealed partial class ApplicationPageTests(AzuriteFixture azurite) : IAsyncLifetime
{
    static readonly DateTimeOffset Now = new(2026, 3, 2, 1, 0, 0, TimeSpan.Zero);

    readonly List<ServiceProvider> providers = [];

    [Fact]
    public async Task Under_review_shows_the_steps_who_acts_and_the_deadline_and_only_the_bureau_gets_the_review_link()
    {
        var sp = await NewAsync();
        var uscc = TestUscc.New();
        var app = A.Application(uscc, "taiyuan").Named("太原进度测试科技有限公司").InStatus(ApplicationStatus.UnderReview).InRound(1).UnderPolicy(1)
            .SubmittedAt(Now.AddMinutes(-40), by: uscc)
            .With(a =>
            {
                a.NotifiedAt = Now.AddMinutes(-30);
                a.DeadlineDate = "2026-03-16";
            })
            .Build();
        await SeedAsync(sp, app, ("system", Now.AddMinutes(-30), "Submitted", "UnderReview", "第 1 轮审核，期限 2026-03-16（10 个工作日；依据2026年日历第1版）"));

        var html = await PageAsync(sp, new VoucherPrincipal("e", "王芳", Role.Enterprise, uscc), app.ApplicationId);

        Assert.Contains("<h1>创新券申请办理进度</h1>", html);
        Assert.Contains("<dt>当前办理</dt><dd>市科技局（太原市）审核中</dd>", html);
        Assert.Contains("2026年3月16日（剩余 10 个工作日）", html);
        Assert.Contains("太原市科技局将在 2026年3月16日 前完成审核，企业无需操作。", html);
        var steps = Steps(html);
        Assert.Equal(["已提交", "资格核验", "市科技局审核", "发券"], steps.Select(s => s.Name));
        Assert.Equal(["step-done", "step-done", "step-current", "step-waiting"], steps.Select(s => s.State));
        Assert.Contains("2026-03-02", steps[0].Html);
        Assert.Contains("由太原进度测试科技有限公司提交。", steps[0].Html);
        Assert.Contains("2026-03-02", steps[2].Html);
        Assert.Contains("aria-current=\"step\"", steps[2].Html);
        Assert.Contains("<td data-label=\"办理人\">系统</td>", html);
        Assert.DoesNotContain("/review/", html);
        AssertPlainChinese(html);

        var bureau = await PageAsync(sp, new VoucherPrincipal("b", "李审核", Role.CityBureau, "taiyuan"), app.ApplicationId);
        Assert.Matches("<a class=\"button\" href=\"/review/[^\"]+\">审核此申请</a>", bureau);
        var province = await PageAsync(sp, new VoucherPrincipal("p", "省中心", Role.Province, null), app.ApplicationId);
        Assert.DoesNotContain("/review/", province);
        Assert.Contains("市科技局（太原市）审核中", province);
    }

    [Fact]
    public async Task Another_enterprise_another_city_and_a_missing_id_get_the_same_404()
    {
        var sp = await NewAsync();
        var uscc = TestUscc.New();
        var app = A.Application(uscc, "taiyuan").Named("太原隐私测试科技有限公司").InStatus(ApplicationStatus.UnderReview).InRound(1).SubmittedAt(Now.AddHours(-1), by: uscc).Build();
        await SeedAsync(sp, app);
        var pages = sp.GetRequiredService<ApplicationPages>();

        foreach (var (caller, id) in new[]
        {
            (new VoucherPrincipal("o", "他人", Role.Enterprise, TestUscc.New()), app.ApplicationId),
            (new VoucherPrincipal("d", "大同", Role.CityBureau, "datong"), app.ApplicationId),
            (new VoucherPrincipal("e", "王芳", Role.Enterprise, uscc), ApplicationStore.NewId(uscc, 2026, 9)),
        })
        {
            var result = await pages.ApplicationPageAsync(TestRequests.Json(caller, null, [("id", id)], method: "GET"));
            Assert.Equal(StatusCodes.Status404NotFound, Assert.IsAssignableFrom<IStatusCodeHttpResult>(result).StatusCode);
            var html = await PageHtml.RenderAsync(result, sp);
            Assert.Contains("申请不存在或无权查看。", html);
            Assert.DoesNotContain("太原隐私测试科技有限公司", html);
        }
    }

    [Fact]
    public async Task Escalated_shows_the_review_and_the_supervision_side_by_side_and_names_the_agency_that_submitted()
    {
        var sp = await NewAsync();
        var uscc = TestUscc.New();
        await sp.GetRequiredService<DelegationStore>().TryRegisterAgencyAsync(new AgencyEntity { RowKey = "page-test-agency", Name = "太原代办服务有限公司", CityCode = "taiyuan" }, CancellationToken.None);
        var submitter = AgencyActor.Format(Addresses.Enterprise(uscc), "page-test-agency");
        var app = A.Application(uscc, "taiyuan").Named("太原督办测试科技有限公司").InStatus(ApplicationStatus.Escalated).InRound(2).UnderPolicy(1)
            .SubmittedAt(new DateTimeOffset(2026, 2, 9, 1, 0, 0, TimeSpan.Zero), by: submitter)
            .With(a =>
            {
                a.NotifiedAt = new DateTimeOffset(2026, 2, 27, 1, 0, 0, TimeSpan.Zero);
                a.EscalatedAt = a.NotifiedAt;
                a.DeadlineDate = "2026-03-13";
            })
            .Build();
        await SeedAsync(sp, app,
            ("system", new DateTimeOffset(2026, 2, 9, 1, 1, 0, TimeSpan.Zero), "Submitted", "UnderReview", "第 1 轮审核，期限 2026-02-26"),
            ("system", new DateTimeOffset(2026, 2, 27, 0, 59, 0, TimeSpan.Zero), "UnderReview", "Escalated", "审核期限 2026-02-26 已过，升级至省中心督办 (deadline breached, escalated to the province centre)"));

        var html = await PageAsync(sp, new VoucherPrincipal("e", "王芳", Role.Enterprise, uscc), app.ApplicationId);

        Assert.Contains("<strong>超期督办中</strong>", html);
        Assert.Contains("市科技局（太原市）审核中，省科技厅督办", html);
        var review = Steps(html)[2];
        Assert.Equal("step-exception", review.State);
        Assert.Contains("<span class=\"step-state\">超期督办中</span>", review.Html);
        Assert.Contains("<ol class=\"step-parallel\" aria-label=\"同时办理\">", review.Html);
        Assert.Contains("太原市科技局审核（第 2 轮）", review.Html);
        Assert.Contains("省科技厅督办", review.Html);
        Assert.Contains("由太原代办服务有限公司（受太原督办测试科技有限公司委托）提交。", html);
        Assert.Contains("审核期限 2026-02-26 已过，升级至省中心督办", html);
        Assert.DoesNotContain("agency", html[html.IndexOf("<main", StringComparison.Ordinal)..]);
        AssertPlainChinese(html);
    }

    [Fact]
    public async Task Ineligible_rejected_and_approved_end_with_the_reasons_in_place_or_the_voucher_linked()
    {
        var sp = await NewAsync();
        var enterprise = new VoucherPrincipal("e", "王芳", Role.Enterprise, null);

        var ineligible = A.Application(TestUscc.New(), "taiyuan").InStatus(ApplicationStatus.Ineligible).SubmittedAt(Now.AddHours(-2))
            .With(a => a.IneligibleReasons = "企业未通过科技型中小企业评价 (The enterprise has not passed the national tech-SME evaluation)\n企业本年度已有有效创新券，不能重复申请 (The enterprise already holds a live voucher this year)")
            .Build();
        await SeedAsync(sp, ineligible, ("system", Now.AddHours(-2).AddMinutes(1), "Submitted", "Ineligible",
            "企业未通过科技型中小企业评价 (The enterprise has not passed the national tech-SME evaluation)；企业本年度已有有效创新券，不能重复申请 (The enterprise already holds a live voucher this year)"));
        var html = await PageAsync(sp, enterprise with { Scope = ineligible.Uscc }, ineligible.ApplicationId);
        var check = Steps(html)[1];
        Assert.Equal("step-exception", check.State);
        Assert.Contains("<span class=\"step-state\">不符合申请条件</span>", check.Html);
        Assert.Contains("<li>企业未通过科技型中小企业评价</li>", check.Html);
        Assert.Contains("<li>企业本年度已有有效创新券，不能重复申请</li>", check.Html);
        Assert.Equal(["step-waiting", "step-waiting"], Steps(html).Skip(2).Select(s => s.State));
        Assert.Contains("<dt>当前办理</dt><dd>已办结</dd>", html);
        Assert.DoesNotContain("审核期限", html);
        AssertPlainChinese(html);

        var rejected = A.Application(TestUscc.New(), "taiyuan").InStatus(ApplicationStatus.Rejected).InRound(1).SubmittedAt(Now.AddDays(-5))
            .With(a =>
            {
                a.NotifiedAt = Now.AddDays(-5);
                a.DeadlineDate = "2026-03-10";
                a.Approved = false;
                a.DecisionReason = "研发合同材料不全，请补充后重新申请";
                a.DecidedBy = Addresses.CityBureau("taiyuan");
                a.DecidedAt = Now.AddDays(-1);
            })
            .Build();
        await SeedAsync(sp, rejected, (Addresses.CityBureau("taiyuan"), Now.AddDays(-1), "UnderReview", "Rejected", "驳回：研发合同材料不全，请补充后重新申请"));
        html = await PageAsync(sp, enterprise with { Scope = rejected.Uscc }, rejected.ApplicationId);
        var review = Steps(html)[2];
        Assert.Equal("step-exception", review.State);
        Assert.Contains("<span class=\"step-state\">未通过</span>", review.Html);
        Assert.Contains("驳回理由：研发合同材料不全，请补充后重新申请", review.Html);
        Assert.Contains("<td data-label=\"办理人\">太原市科技局</td>", html);
        Assert.DoesNotContain("审核期限", html);
        AssertPlainChinese(html);

        var approvedUscc = TestUscc.New();
        var approved = A.Application(approvedUscc, "taiyuan").InStatus(ApplicationStatus.Approved).InRound(1).SubmittedAt(Now.AddDays(-5))
            .With(a =>
            {
                a.NotifiedAt = Now.AddDays(-5);
                a.Approved = true;
                a.DecidedAt = Now.AddDays(-1);
                a.DecidedBy = Addresses.CityBureau("taiyuan");
                a.VoucherId = Voucher.Workflows.Vouchers.VoucherEntity.IdFor(a.ApplicationId);
            })
            .Build();
        var voucher = A.Voucher(approvedUscc, "taiyuan").ForApplication(approved.ApplicationId).IssuedAt(Now.AddDays(-1)).ExpiresOn(new DateOnly(2027, 2, 28)).Build();
        await sp.GetRequiredService<VoucherStore>().UpsertAsync(VoucherStore.Vouchers, voucher);
        await SeedAsync(sp, approved);
        html = await PageAsync(sp, enterprise with { Scope = approvedUscc }, approved.ApplicationId);
        var issue = Steps(html)[3];
        Assert.Equal("step-done", issue.State);
        Assert.Contains("创新券面额 5万元，有效期至 2027年2月28日。", issue.Html);
        Assert.Contains($"<a href=\"/portal/vouchers/{voucher.VoucherId}\">查看创新券</a>", issue.Html);
        Assert.Contains($"<dd><a href=\"/portal/vouchers/{voucher.VoucherId}\">面额 5万元，有效期至 2027年2月28日</a></dd>", html);
        AssertPlainChinese(html);
    }

    sealed record Step(string Name, string State, string Html);

    /// <summary>The top-level steps of the page's progress list, in order (a step's html includes its parallel steps).</summary>
    static List<Step> Steps(string html)
    {
        var list = html[html.IndexOf("<ol class=\"progress-steps\"", StringComparison.Ordinal)..];
        var starts = TopLevelStep().Matches(list).Select(m => m.Index).ToList();
        var end = list.LastIndexOf("</ol>", StringComparison.Ordinal);
        return starts.Select((start, i) =>
        {
            var part = list[start..(i + 1 < starts.Count ? starts[i + 1] : end)];
            return new Step(StepName().Match(part).Groups[1].Value, StepClass().Match(part).Groups[1].Value, part);
        }).ToList();
    }

    /// <summary>The page's main text: no enum names, principal ids or English words (ids of applications and vouchers aside).</summary>
    static void AssertPlainChinese(string html)
    {
        var main = html[html.IndexOf("<main", StringComparison.Ordinal)..html.IndexOf("</main>", StringComparison.Ordinal)];
        var text = System.Net.WebUtility.HtmlDecode(Tag().Replace(main, " "));
        text = Ids().Replace(text, " ");
        Assert.DoesNotMatch("[A-Za-z]{3,}", text);
    }

    async Task<string> PageAsync(IServiceProvider sp, VoucherPrincipal caller, string applicationId)
    {
        var result = await sp.GetRequiredService<ApplicationPages>().ApplicationPageAsync(TestRequests.Json(caller, null, [("id", applicationId)], method: "GET"));
        Assert.Equal(StatusCodes.Status200OK, Assert.IsAssignableFrom<IStatusCodeHttpResult>(result).StatusCode);
        return await PageHtml.RenderAsync(result, sp);
    }

    static async Task SeedAsync(IServiceProvider sp, ApplicationEntity app, params (string Actor, DateTimeOffset At, string From, string To, string Detail)[] audit)
    {
        Assert.True(await sp.GetRequiredService<ApplicationStore>().TryCreateAsync(app));
        foreach (var (actor, at, from, to, detail) in audit)
        {
            await sp.GetRequiredService<AuditLog>().AppendAsync(AuditSubjects.Application(app.ApplicationId), actor, at, from, to, 1, detail);
        }
    }

    async Task<ServiceProvider> NewAsync()
    {
        var sp = await WorkflowServices.BuildAsync(azurite, azurite.NewName("ap")[..13], new FakeTimeProvider(Now));
        providers.Add(sp);
        return sp;
    }

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync()
    {
        foreach (var provider in providers)
        {
            await provider.DisposeAsync();
        }
    }

    [GeneratedRegex("<li class=\"step step-[a-z]+\"(?: aria-current=\"step\")?>(?=\\s*<span class=\"step-marker\"[^>]*></span>\\s*<div class=\"step-body\"><p class=\"step-head\"><strong class=\"step-name\">(?:已提交|资格核验|市科技局审核|发券)<)")]
    private static partial Regex TopLevelStep();

    [GeneratedRegex("<strong class=\"step-name\">([^<]+)</strong>")]
    private static partial Regex StepName();

    [GeneratedRegex("<li class=\"step (step-[a-z]+)\"")]
    private static partial Regex StepClass();

    [GeneratedRegex("<[^>]+>")]
    private static partial Regex Tag();

    [GeneratedRegex("(V-)?[0-9A-Z]{18}(-[0-9]{4}-[0-9]{2,3})?")]
    private static partial Regex Ids();
}
