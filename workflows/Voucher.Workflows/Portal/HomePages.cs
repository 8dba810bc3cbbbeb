using Microsoft.Extensions.DependencyInjection;
using Microsoft.AspNetCore.Components;
using Voucher.Workflows.Applications;
using Voucher.Workflows.Enterprises;
using Voucher.Workflows.Vouchers;
using Voucher.Workflows.Web;

namespace Voucher.Workflows.Portal;

/// <summary>
/// The portal's home: for visitors the public home (notices, guide steps, progress lookup, figures, search, policy,
/// help desk); for the signed-in, their own work. The enterprise's registration and apply forms post here too.
/// </summary>
public sealed class HomePages(
    ApplicationStore applications,
    ApplicationService applicationService,
    EnterpriseService enterprises,
    VoucherService vouchers,
    ReviewLinks reviewLinks,
    Policies.CalendarStore calendars,
    Policies.CalendarService calendarPolicy,
    Policies.PolicyStore policies,
    Enforcement.EnforcementStore enforcement,
    Settlement.PublicityService publicity,
    Supervision.StatisticsService statistics,
    Redemptions.EnterpriseRedemptionPages enterpriseRedemptions,
    Redemptions.InstitutionHomePage institutionHome,
    Settlement.BureauSettlementPages bureauSettlement,
    Settlement.FinancePages finance,
    Configuration.VoucherSettings settings,
    PublicRateLimiter limiter,
    TimeProvider time)
{
    DateOnly Today => ChinaTime.DateOf(time.GetUtcNow().UtcDateTime);

    public async Task<IResult> HomeAsync(RequestContext ctx)
    {
        var p = ctx.Principal;
        if (p is null)
        {
            return Pages.View<PublicHome>("山西省科技创新券服务平台", null, await PublicHomeAsync(ctx.Aborted));
        }

        return p.Role switch
        {
            Role.Enterprise or Role.Institution when !p.Verified => await ctx.Services.GetRequiredService<Accounts.OnboardingPages>().PendingHomeAsync(ctx),
            Role.Enterprise => await EnterpriseHomeAsync(ctx, p, null, null),
            Role.CityBureau => await BureauHomeAsync(p, ctx.Aborted),
            Role.Province => await ProvinceHomeAsync(p, ctx.Aborted),
            Role.Institution => await institutionHome.InstitutionHomeAsync(p, ctx.Aborted),
            Role.FinanceBureau => await finance.FinanceHomeAsync(ctx),
            Role.Agency => Results.Redirect("/portal/agency"),
            _ => Pages.View<Parts>($"{RoleNames.Chinese(p.Role)}工作台", p, new List<RenderFragment> { Component<ExpertHome>(new ExpertHomeModel(p.DisplayName)), Enforcement.EnforcementLinks.For(p) }),
        };
    }

    /// <summary>办件进度 lookup by number: to the application, redemption or voucher page (each answers 404 to anyone not entitled).</summary>
    public Task<IResult> ProgressAsync(RequestContext ctx)
    {
        var number = ctx.Request.Query["no"].ToString();
        if (number.Trim().Length == 0)
        {
            return Task.FromResult(Pages.View<ProgressLookup>("办件进度查询", ctx.Principal, new ProgressLookupModel("", [])));
        }

        return Task.FromResult(ProgressNumbers.PathOf(number) is { } path
            ? Results.Redirect(path)
            : Pages.View<ProgressLookup>("办件进度查询", ctx.Principal,
                new ProgressLookupModel(number, [new FieldError(ProgressLookupModel.Field, ProgressNumbers.NotRecognised)]), StatusCodes.Status400BadRequest));
    }

    /// <summary>Form post from the enterprise home page: register the enterprise (errors shown next to the fields, input kept).</summary>
    public async Task<IResult> RegisterFormAsync(RequestContext ctx)
    {
        if (!limiter.TryAcquire(ctx.Request, "register"))
        {
            return Pages.Error(ctx.Principal, "提交过于频繁，请一分钟后再试。", StatusCodes.Status429TooManyRequests);
        }

        var p = ctx.Principal!;
        var form = await JsonBody.FormOrEmptyAsync(ctx.Request, ctx.Aborted);
        var request = new RegisterEnterpriseRequest(p.Scope, form["name"], form["cityCode"], form["sizeClass"], form["techSmeNumber"], form["contactName"], form["contactPhone"]);
        var outcome = await enterprises.RegisterAsync(p, request, ctx.Aborted);
        return outcome.Failure switch
        {
            null => PageParts.Back("/", done: "企业信息已登记，现在可以申请创新券。"),
            Failure.Invalid invalid => await EnterpriseHomeAsync(ctx, p, request, invalid.Errors, StatusCodes.Status400BadRequest),
            Failure.Conflict => await EnterpriseHomeAsync(ctx, p, request, [new FieldError("uscc", "该统一社会信用代码已登记。")], StatusCodes.Status409Conflict),
            var failure => Pages.Forbidden(p, failure.Message),
        };
    }

    /// <summary>
    /// Form post "申请创新券": only when the guardrail allows it (no open application, no live voucher, not barred); the
    /// first post answers with the confirmation naming what will happen, the confirmed post applies.
    /// </summary>
    public async Task<IResult> ApplyFormAsync(RequestContext ctx)
    {
        var p = ctx.Principal!;
        var ct = ctx.Aborted;
        var form = await JsonBody.FormOrEmptyAsync(ctx.Request, ct);
        var enterprise = await enterprises.OwnAsync(p, ct);
        if (enterprise is null)
        {
            return PageParts.Back("/", error: "请先登记企业信息，再申请创新券。");
        }

        var guard = await ApplyGuardAsync(enterprise, ct);
        if (!guard.Allowed)
        {
            return PageParts.Back("/", error: guard.WhyNot);
        }

        if (!ConfirmModel.IsConfirmed(form))
        {
            var policy = await policies.GetCurrentAsync(enterprise.CityCode, ct);
            var city = Cities.Get(enterprise.CityCode);
            return Pages.View<ConfirmPage>("确认申请创新券", p, new ConfirmModel(
                "确认向市科技局提交创新券申请？",
                [
                    ("申请企业", enterprise.Name),
                    ("审核单位", city.NameZh + "科技局"),
                    ("申请面额", Glossary.MoneyInProse(policy.FaceValue.Fen)),
                    ("审核时限", $"资格核验通过后 {policy.ReviewWorkingDays} 个工作日内"),
                    ("提交后", "系统先核验申请条件，再通知市科技局审核；结果会发到您的通知中。办结前不能再次申请。"),
                ],
                "/portal/apply", ConfirmModel.Carry(form), "确认申请", "/"));
        }

        var outcome = await applicationService.SubmitAsync(p, new SubmitApplication(enterprise.Uscc, null), ctx.Durable, ct);
        return outcome.Failure is { } failure
            ? PageParts.Back("/", error: Glossary.ChineseOnly(failure.Message))
            : Results.Redirect($"/?applied={Uri.EscapeDataString(outcome.Value.ApplicationId)}");
    }

    /// <summary>Whether the enterprise may apply now, and if not, why (in the words the home card shows).</summary>
    public async Task<ApplyGuard> ApplyGuardAsync(EnterpriseEntity enterprise, CancellationToken ct, IReadOnlyList<ApplicationEntity>? apps = null, IReadOnlyList<VoucherView>? own = null)
    {
        var appsRead = apps is null ? applications.ForEnterpriseAsync(enterprise.Uscc, ct) : Task.FromResult<List<ApplicationEntity>>([.. apps]);
        var vouchersRead = own is null ? vouchers.ForEnterpriseAsync(enterprise.Uscc, ct) : Task.FromResult(own);
        var barRead = enforcement.BarredUntilAsync(enterprise.Uscc, Today, ct);
        await Task.WhenAll(appsRead, vouchersRead, barRead);
        return ApplyGuard.Of(await appsRead, await vouchersRead, await barRead, Today);
    }

    async Task<IResult> EnterpriseHomeAsync(RequestContext ctx, VoucherPrincipal p, RegisterEnterpriseRequest? typed, IReadOnlyList<FieldError>? errors, int status = StatusCodes.Status200OK)
    {
        var ct = ctx.Aborted;
        var uscc = p.Scope ?? "";
        var enterprise = await enterprises.OwnAsync(p, ct);
        if (enterprise is null)
        {
            return Pages.View<RegistrationForm>("登记企业信息", p, new RegistrationModel(uscc, typed, errors ?? []), status);
        }

        var appsRead = applications.ForEnterpriseAsync(uscc, ct);
        var vouchersRead = vouchers.ForEnterpriseAsync(uscc, ct);
        var calendarRead = calendars.CurrentAsync(ct);
        await Task.WhenAll(appsRead, vouchersRead, calendarRead);
        var apps = await appsRead;
        var own = await vouchersRead;
        var calendar = await calendarRead;
        var guard = await ApplyGuardAsync(enterprise, ct, apps, own);
        var city = Cities.TryGet(enterprise.CityCode, out var c) ? c : null;

        var appRows = apps.OrderByDescending(a => a.SubmittedAt).Select(a =>
        {
            var plan = ApplicationTransitions.IsFinal(a.State) ? null : ReviewDeadline.Of(a);
            return new ApplicationRow(a.ApplicationId, Glossary.Of(a.State), WaitingOn(a.State, city), Glossary.Date(ChinaTime.DateOf(a.SubmittedAt.UtcDateTime)),
                plan is null ? null : new DeadlineCell(Glossary.Date(plan.Deadline), calendar.WorkingDaysBetween(Today, plan.Deadline), plan.Basis.Provisional),
                a.State is ApplicationStatus.Rejected or ApplicationStatus.Ineligible ? Reason(a) : null);
        }).ToList();
        var voucherRows = own.OrderByDescending(v => v.IssuedOn, StringComparer.Ordinal).Select(v => new VoucherRow(
            v.Id, v.FaceValue.ToString(), v.Used.ToString(), v.Remaining.ToString(), v.ExpiresOn,
            v.Status == VoucherStatus.Active ? v.RemainingDays : null, Glossary.Of(v.Status))).ToList();

        var model = new EnterpriseHomeModel(enterprise.Name, enterprise.Uscc, city?.NameZh ?? enterprise.CityCode, Glossary.SizeClassName(enterprise.SizeClass),
            guard, AppliedLine(ctx.Request.Query["applied"].ToString(), apps), appRows, voucherRows);
        return Pages.View<Parts>("企业首页", p, new List<RenderFragment>
        {
            Component<EnterpriseHome>(model),
            await enterpriseRedemptions.EnterpriseSectionsAsync(uscc, ct),
            Marketplace.MarketLinks.Enterprise,
            Enforcement.EnforcementLinks.For(p),
        }, status);
    }

    /// <summary>The result line after applying: what comes next and by when (the review deadline once it is known).</summary>
    static string? AppliedLine(string appliedId, IReadOnlyList<ApplicationEntity> apps)
    {
        if (appliedId.Length == 0 || apps.FirstOrDefault(a => a.ApplicationId == appliedId) is not { } app)
        {
            return null;
        }

        return app.State switch
        {
            ApplicationStatus.Submitted => $"已提交（办件编号 {app.ApplicationId}）。系统正在核验申请条件，核验通过后将通知市科技局审核，审核期限届时显示在“我的申请”中。",
            ApplicationStatus.UnderReview or ApplicationStatus.Escalated when ReviewDeadline.Of(app) is { } plan =>
                $"已提交（办件编号 {app.ApplicationId}）。市科技局将在 {Glossary.DateInSentence(plan.Deadline)} 前完成审核。",
            ApplicationStatus.Ineligible => $"已提交（办件编号 {app.ApplicationId}），但不符合申请条件，原因见“我的申请”。",
            _ => $"已提交（办件编号 {app.ApplicationId}），当前状态：{Glossary.Of(app.State)}。",
        };
    }

    static string WaitingOn(ApplicationStatus s, City? city) => s switch
    {
        ApplicationStatus.Submitted => "系统核验申请条件",
        ApplicationStatus.UnderReview => (city?.NameZh ?? "") + "科技局审核",
        ApplicationStatus.Escalated => "省科技厅督办",
        _ => "已办结",
    };

    static string? Reason(ApplicationEntity a) =>
        a.State == ApplicationStatus.Ineligible && a.IneligibleReasons is { Length: > 0 } reasons
            ? string.Join("；", reasons.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(Glossary.ChineseOnly))
            : a.DecisionReason is { Length: > 0 } reason ? Glossary.ChineseOnly(reason) : null;

    async Task<IResult> BureauHomeAsync(VoucherPrincipal p, CancellationToken ct)
    {
        var city = Cities.Get(p.Scope ?? "");
        var calendar = await calendars.CurrentAsync(ct);
        var rows = (await applications.ForCityAsync(city.Code, ct))
            .Where(a => a.Status is ApplicationStatus.UnderReview or ApplicationStatus.Escalated && a.DeadlineDate is not null)
            .Select(a => (Row: a, Deadline: DateOnly.Parse(a.DeadlineDate!, CultureInfo.InvariantCulture)))
            .Select(x => (x.Row, x.Deadline, Left: calendar.WorkingDaysBetween(Today, x.Deadline)))
            .OrderBy(x => x.Left)
            .Select(x => new ReviewRow(x.Row.RowKey, x.Row.EnterpriseName, Glossary.Of(x.Row.Status),
                new DeadlineCell(Glossary.Date(x.Deadline), x.Left, x.Row.DeadlineProvisional),
                $"/review/{reviewLinks.TokenFor(x.Row.RowKey, city.Code, x.Row.Round, Today.AddDays(1) > x.Deadline ? Today.AddDays(1) : x.Deadline)}"))
            .ToList();
        return Pages.View<Parts>($"{city.NameZh}科技局工作台", p, new List<RenderFragment>
        {
            Component<BureauHome>(new BureauHomeModel(city.NameZh, rows)),
            await bureauSettlement.BureauSectionsAsync(p, ct),
            Supervision.SupervisionLinks.BureauSection(Today.Year),
            Enforcement.EnforcementLinks.For(p),
        });
    }

    async Task<IResult> ProvinceHomeAsync(VoucherPrincipal p, CancellationToken ct)
    {
        var year = Today.Year;
        var rows = new List<CityOverviewRow>();
        foreach (var city in Cities.All)
        {
            var index = await applications.ForCityAsync(city.Code, ct);
            var open = index.Count(a => a.Status is ApplicationStatus.UnderReview or ApplicationStatus.Escalated or ApplicationStatus.Submitted);
            var escalated = index.Count(a => a.Status == ApplicationStatus.Escalated);
            var approved = index.Count(a => a.Status == ApplicationStatus.Approved);
            var (openRedemptions, overdueBindings, paidFen) = await bureauSettlement.CityRedemptionFiguresAsync(city.Code, year, ct);
            rows.Add(new CityOverviewRow(city.NameZh, open + openRedemptions, escalated + overdueBindings, approved, Glossary.Money(paidFen)));
        }

        // What the province must act on about the working-day calendar (next year's arrangement missing, from 1 November).
        var notices = (await calendarPolicy.NoticesAsync(ct)).Select(Glossary.ChineseOnly).ToList();
        return Pages.View<Parts>("省科技厅工作台", p, new List<RenderFragment>
        {
            Component<ProvinceHome>(new ProvinceHomeModel(year, notices, rows)),
            Supervision.SupervisionLinks.ProvinceSection(year),
            Marketplace.MarketLinks.Province,
            Enforcement.EnforcementLinks.For(p),
        });
    }

    async Task<PublicHomeModel> PublicHomeAsync(CancellationToken ct)
    {
        var listRead = publicity.CurrentNoticesAsync(null, ct);
        var figuresRead = statistics.ReadYearAsync(null, ct);
        await Task.WhenAll(listRead, figuresRead);
        var notices = (await listRead)
            .Select(n => new NoticeItem(n.Title, $"公示期 {n.Start} 至 {n.End}", n.Href))
            .ToList();
        var read = await figuresRead;
        HeadlineFigures? figures = read.Failure is null
            ? new HeadlineFigures(read.Value.Year, read.Value.Province.VouchersIssued, Wan(read.Value.Province.Paid), read.Value.Province.EnterprisesServed, read.Value.Province.RedemptionsPaid)
            : null;
        return new PublicHomeModel(notices, figures, PolicyBasis.Documents, settings.HelpDeskPhone);
    }

    /// <summary>An amount in 万元 for the headline figures (two decimals at most).</summary>
    public static string Wan(Cny amount) => (amount.Yuan / 10_000m).ToString("#,##0.##", CultureInfo.InvariantCulture);

    /// <summary>A component as a part of a page composed of several areas' sections.</summary>
    static RenderFragment Component<TComponent>(object model) where TComponent : IComponent => builder =>
    {
        builder.OpenComponent<TComponent>(0);
        builder.AddComponentParameter(1, "Model", model);
        builder.CloseComponent();
    };
}
