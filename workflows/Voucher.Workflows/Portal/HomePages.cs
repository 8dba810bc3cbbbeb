using Microsoft.AspNetCore.Components;
using Voucher.Workflows.Applications;
using Voucher.Workflows.Enterprises;
using Voucher.Workflows.Vouchers;
using Voucher.Workflows.Web;
using static Voucher.Workflows.Web.Html;
using static Voucher.Workflows.Web.PageParts;

namespace Voucher.Workflows.Portal;

/// <summary>Each role's home page: what is theirs, what waits on them, what happens next.</summary>
public sealed class HomePages(
    VoucherStore store,
    ApplicationStore applications,
    ApplicationService applicationService,
    EnterpriseService enterprises,
    VoucherService vouchers,
    ReviewLinks reviewLinks,
    Policies.CalendarStore calendars,
    Policies.CalendarService calendarPolicy,
    Redemptions.EnterpriseRedemptionPages enterpriseRedemptions,
    Redemptions.InstitutionHomePage institutionHome,
    Settlement.BureauSettlementPages bureauSettlement,
    Settlement.FinancePages finance,
    PublicRateLimiter limiter,
    TimeProvider time)
{
    DateOnly Today => ChinaTime.DateOf(time.GetUtcNow().UtcDateTime);

    public async Task<IResult> HomeAsync(RequestContext ctx)
    {
        var p = ctx.Principal;
        if (p is null)
        {
            return Pages.Page("山西省科技创新券管理系统", """
                <section class="card"><p>科技型中小企业申领创新券，向高校、科研院所购买检验检测、科学数据、科技查新、技术咨询等服务，服务完成后凭成果报告、合同和支付凭证兑付。</p>
                <p>Tech SMEs in Shanxi apply for innovation vouchers, buy services from universities and institutes, and redeem them with evidence.</p>
                <p><a href="/signin">登录 Sign in</a></p></section>
                """, null);
        }

        return p.Role switch
        {
            Role.Enterprise => await EnterpriseHomeAsync(ctx, p, null, null),
            Role.CityBureau => await BureauHomeAsync(ctx, p),
            Role.Province => await ProvinceHomeAsync(p, ctx.Aborted),
            Role.Institution => await institutionHome.InstitutionHomeAsync(p, ctx.Aborted),
            Role.FinanceBureau => await finance.FinanceHomeAsync(ctx),
            Role.Agency => Results.Redirect("/portal/agency"),
            _ => Pages.View<Parts>($"{RoleNames.Chinese(p.Role)}首页 Home", p, new List<RenderFragment> { Fragments.Markup("<section class=\"card\"><p>评审意见请求和其他事项都在通知中，每条通知附有处理链接。Opinion requests arrive in your inbox with their links.</p><p>" + Link("/inbox", "查看通知 Inbox") + "</p></section>"), Enforcement.EnforcementLinks.For(p) }),
        };
    }

    /// <summary>Form post from the enterprise home page: register the enterprise (errors shown next to the fields, input kept).</summary>
    public async Task<IResult> RegisterFormAsync(RequestContext ctx)
    {
        if (!limiter.TryAcquire(ctx.Request, "register"))
        {
            return Pages.Error(ctx.Principal, "提交过于频繁，请一分钟后再试 (Too many attempts; try again in a minute)", StatusCodes.Status429TooManyRequests);
        }

        var p = ctx.Principal!;
        var form = await JsonBody.FormOrEmptyAsync(ctx.Request, ctx.Aborted);
        var request = new RegisterEnterpriseRequest(p.Scope, form["name"], form["cityCode"], form["sizeClass"], form["techSmeNumber"], form["contactName"], form["contactPhone"]);
        var outcome = await enterprises.RegisterAsync(p, request, ctx.Aborted);
        return outcome.Failure switch
        {
            null => Results.Redirect("/"),
            Services.Failure.Invalid invalid => await EnterpriseHomeAsync(ctx, p, request, invalid.Errors, StatusCodes.Status400BadRequest),
            Services.Failure.Conflict => await EnterpriseHomeAsync(ctx, p, request, [new FieldError("uscc", "该统一社会信用代码已登记 (Already registered)")], StatusCodes.Status409Conflict),
            var failure => Pages.Forbidden(p, failure.Message),
        };
    }

    public async Task<IResult> ApplyFormAsync(RequestContext ctx)
    {
        var p = ctx.Principal!;
        var enterprise = await store.GetAsync<EnterpriseEntity>(VoucherStore.Enterprises, p.Scope ?? "", EnterpriseEntity.ProfileRow, ctx.Aborted);
        if (enterprise is null)
        {
            return await EnterpriseHomeAsync(ctx, p, null, [new FieldError("name", "请先登记企业信息 (Register the enterprise first)")], StatusCodes.Status400BadRequest);
        }

        var (id, _, _) = await applicationService.SubmitForAsync(enterprise, 0, ctx.Durable, ctx.Aborted);
        return Results.Redirect($"/?applied={Uri.EscapeDataString(id)}");
    }

    async Task<IResult> EnterpriseHomeAsync(RequestContext ctx, VoucherPrincipal p, RegisterEnterpriseRequest? typed, IReadOnlyList<FieldError>? errors, int status = StatusCodes.Status200OK)
    {
        var uscc = p.Scope ?? "";
        var enterprise = await store.GetAsync<EnterpriseEntity>(VoucherStore.Enterprises, uscc, EnterpriseEntity.ProfileRow, ctx.Aborted);
        if (enterprise is null)
        {
            return Pages.Page("企业首页 Enterprise home", RegistrationForm(uscc, typed, errors ?? []), p, status);
        }

        var apps = await applications.ForEnterpriseAsync(uscc, ctx.Aborted);
        var calendar = await calendars.CurrentAsync(ctx.Aborted);
        var appRows = apps.OrderByDescending(a => a.SubmittedAt).Select(a => new[]
        {
            Link($"/portal/applications/{a.ApplicationId}", a.ApplicationId),
            E(ApplicationView.StatusTextOf(a.State)),
            E(ApplicationView.WaitingOnOf(a.State)),
            DeadlineText(a, calendar, Today),
            E(a.DecisionReason ?? ""),
        });
        var voucherRows = (await vouchers.ForEnterpriseAsync(uscc, ctx.Aborted)).Select(v => new[]
        {
            E(v.Id), E(v.FaceValue.ToString()), E(v.Used.ToString()), E($"{v.ExpiresOn}（剩余 {v.RemainingDays} 天）"), E(v.Status.ToString()),
        });
        var hasOpen = apps.Any(a => !ApplicationTransitions.IsFinal(a.State));
        var applyForm = hasOpen
            ? "<p class=\"muted\">已有申请在处理中，请等待审核结果。An application is in progress.</p>"
            : "<form method=\"post\" action=\"/portal/apply\" onsubmit=\"return confirm('确认提交创新券申请？ Submit the application?');\"><button type=\"submit\">申请创新券 Apply for a voucher</button></form>";
        var body = Flash(ctx.Request) + $"""
            <section class="card"><h2>{E(enterprise.Name)}</h2><dl class="facts"><dt>统一社会信用代码</dt><dd>{E(enterprise.Uscc)}</dd><dt>地市 City</dt><dd>{E(Cities.Get(enterprise.CityCode).NameZh)}</dd><dt>规模 Size</dt><dd>{E(enterprise.SizeClass)}</dd></dl><p>{Link("/portal/profile", "修改企业信息 Edit profile")} · {Link("/portal/delegations", "代理委托 Delegate to an agency")}</p>{applyForm}</section>
            <section class="card"><h2>我的申请 My applications</h2>{Table(["编号 Id", "状态 Status", "等待 Waiting on", "期限 Deadline", "理由 Reason"], appRows, "暂无申请 No applications yet")}</section>
            <section class="card"><h2>我的创新券 My vouchers</h2>{Table(["编号 Id", "面额 Face value", "已用 Used", "有效期至 Valid until", "状态 Status"], voucherRows, "暂无创新券 No vouchers yet")}</section>
            """;
        return Pages.View<Parts>("企业首页 Enterprise home", p, new List<RenderFragment> { Fragments.Markup(body), await enterpriseRedemptions.EnterpriseSectionsAsync(uscc, ctx.Aborted), Marketplace.MarketLinks.Enterprise, Enforcement.EnforcementLinks.For(p) }, status);
    }

    /// <summary>The review deadline cell (encoded markup).</summary>
    static string DeadlineText(ApplicationEntity a, WorkingCalendar calendar, DateOnly today) =>
        a.DeadlineDate is null || ApplicationTransitions.IsFinal(a.State) || ReviewDeadline.Of(a) is not { } plan
            ? ""
            : Deadline(a.DeadlineDate, calendar.WorkingDaysBetween(today, plan.Deadline), plan.Basis.Provisional);

    static string RegistrationForm(string uscc, RegisterEnterpriseRequest? typed, IReadOnlyList<FieldError> errors)
    {
        string Err(string field) => string.Concat(errors.Where(e => e.Field == field).Select(e => $"<p class=\"error\" id=\"{field}-error\" role=\"alert\">{E(e.Message)}</p>"));
        string Field(string name, string label, string? value) =>
            $"<label for=\"{name}\">{E(label)}</label>{Err(name)}<input id=\"{name}\" name=\"{name}\" value=\"{Attr(value)}\"{(errors.Any(e => e.Field == name) ? $" aria-invalid=\"true\" aria-describedby=\"{name}-error\"" : "")}>";
        var cityOptions = string.Concat(Cities.All.Select(c => $"<option value=\"{c.Code}\"{(string.Equals(typed?.CityCode, c.Code, StringComparison.OrdinalIgnoreCase) ? " selected" : "")}>{E(c.NameZh)} {E(c.NameEn)}</option>"));
        var sizeOptions = string.Concat(new[] { ("micro", "微型 Micro"), ("small", "小型 Small"), ("medium", "中型 Medium") }
            .Select(s => $"<option value=\"{s.Item1}\"{(typed?.SizeClass == s.Item1 ? " selected" : "")}>{E(s.Item2)}</option>"));
        return $"""
            <section class="card"><h2>登记企业信息 Register your enterprise</h2>
            <p>统一社会信用代码 USCC: <strong>{E(uscc)}</strong></p>{Err("uscc")}
            <form method="post" action="/portal/register">
            {Field("name", "企业名称 Name", typed?.Name)}
            <label for="cityCode">所在地市 City</label>{Err("cityCode")}<select id="cityCode" name="cityCode">{cityOptions}</select>
            <label for="sizeClass">企业规模 Size class</label>{Err("sizeClass")}<select id="sizeClass" name="sizeClass">{sizeOptions}</select>
            {Field("techSmeNumber", "科技型中小企业评价入库编号 Tech-SME evaluation number", typed?.TechSmeNumber)}
            {Field("contactName", "联系人 Contact", typed?.ContactName)}
            {Field("contactPhone", "联系电话 Phone", typed?.ContactPhone)}
            <div><button type="submit">登记 Register</button></div>
            </form></section>
            """;
    }

    async Task<IResult> BureauHomeAsync(RequestContext ctx, VoucherPrincipal p)
    {
        var ct = ctx.Aborted;
        var city = Cities.Get(p.Scope ?? "");
        var calendar = await calendars.CurrentAsync(ct);
        var open = (await applications.ForCityAsync(city.Code, ct))
            .Where(a => a.Status is ApplicationStatus.UnderReview or ApplicationStatus.Escalated && a.DeadlineDate is not null)
            .Select(a => (Row: a, Left: calendar.WorkingDaysBetween(Today, DateOnly.Parse(a.DeadlineDate!, System.Globalization.CultureInfo.InvariantCulture))))
            .OrderBy(x => x.Left)
            .ToList();
        var rows = open.Select(x => new[]
        {
            E(x.Row.RowKey),
            E(x.Row.EnterpriseName),
            E(ApplicationView.StatusTextOf(x.Row.Status)),
            Deadline(x.Row.DeadlineDate!, x.Left, x.Row.DeadlineProvisional),
            Link($"/review/{reviewLinks.TokenFor(x.Row.RowKey, city.Code, x.Row.Round, Today.AddDays(1) > DateOnly.Parse(x.Row.DeadlineDate!) ? Today.AddDays(1) : DateOnly.Parse(x.Row.DeadlineDate!))}", "审核 Review", $"审核 Review {x.Row.EnterpriseName} {x.Row.RowKey}"),
        });
        var body = Flash(ctx.Request) + $"<section class=\"card\"><h2>待审核申请 Applications awaiting review（{open.Count}）</h2>{Table(["编号 Id", "企业 Enterprise", "状态 Status", "期限 Deadline", "操作 Action"], rows, "暂无待审核申请 Nothing waiting")}</section>";
        return Pages.View<Parts>($"{city.NameZh}科技局工作台 City bureau", p, new List<RenderFragment> { Fragments.Markup(body), await bureauSettlement.BureauSectionsAsync(p, ct), Supervision.SupervisionLinks.BureauSection(Today.Year), Enforcement.EnforcementLinks.For(p) });
    }

    async Task<IResult> ProvinceHomeAsync(VoucherPrincipal p, CancellationToken ct)
    {
        var rows = new List<string[]>();
        var year = Today.Year;
        foreach (var city in Cities.All)
        {
            var index = await applications.ForCityAsync(city.Code, ct);
            var open = index.Count(a => a.Status is ApplicationStatus.UnderReview or ApplicationStatus.Escalated or ApplicationStatus.Submitted);
            var escalated = index.Count(a => a.Status == ApplicationStatus.Escalated);
            var approved = index.Count(a => a.Status == ApplicationStatus.Approved);
            var (openRedemptions, overdueBindings, paidFen) = await bureauSettlement.CityRedemptionFiguresAsync(city.Code, year, ct);
            var overdue = escalated + overdueBindings;
            rows.Add([E(city.NameZh), (open + openRedemptions).ToString(System.Globalization.CultureInfo.InvariantCulture), overdue > 0 ? $"<span class=\"warn\">{overdue}</span>" : "0", approved.ToString(System.Globalization.CultureInfo.InvariantCulture), E(Cny.FromFen(paidFen).ToString())]);
        }

        // What the province must act on about the working-day calendar (next year's arrangement missing, from 1 November).
        var notices = string.Concat((await calendarPolicy.NoticesAsync(ct)).Select(n => $"<p class=\"warn\" role=\"status\">{E(n)} {Link("/supervision/calendar", "去发布")}</p>"));
        var body = notices + $"<section class=\"card\"><h2>各地市概况 Cities overview（{year}）</h2>{Table(["地市 City", "在办 Open", "逾期 Overdue", "已发券 Vouchers issued", "本年已兑付 Paid this year"], rows, "")}<p class=\"muted\">逾期 = 逾期未审的申请 + 机构逾期未确认的兑付。Overdue = escalated applications + overdue bindings.</p></section>";
        return Pages.View<Parts>("省中心工作台 Province centre", p, new List<RenderFragment> { Fragments.Markup(body), Supervision.SupervisionLinks.ProvinceSection(year), Marketplace.MarketLinks.Province, Enforcement.EnforcementLinks.For(p) });
    }
}
