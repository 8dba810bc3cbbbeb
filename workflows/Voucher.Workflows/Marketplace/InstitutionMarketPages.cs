using System.Globalization;
using System.Text;
using Microsoft.AspNetCore.Http;
using Voucher.Domain;
using Voucher.Domain.Catalogue;
using Voucher.Workflows.Catalogue;
using Voucher.Workflows.Http;
using Voucher.Workflows.Portal;
using Voucher.Workflows.Security;
using Voucher.Workflows.Web;
using static Voucher.Workflows.Web.Html;

namespace Voucher.Workflows.Marketplace;

/// <summary>
/// The institution's marketplace pages: register or edit its profile, its services (publish, edit, pause,
/// resume, retire), matching SME demand with an offer form, and the faculty service record.
/// </summary>
public sealed class InstitutionMarketPages(MarketService market, CatalogueStore catalogue, FacultyRecords faculty)
{
    static IResult Back(string path, string? done = null, string? error = null) =>
        Results.Redirect(path + (done is not null ? "?done=" + Uri.EscapeDataString(done) : error is not null ? "?error=" + Uri.EscapeDataString(error) : ""));

    static string StatusText(string status) => status switch
    {
        "published" => "在架 Published",
        "paused" => "暂停 Paused",
        "retired" => "已下架 Retired",
        MarketService.Pending => "待省中心核验 Awaiting verification",
        MarketService.VerifiedStatus => "已核验 Verified",
        MarketService.Rejected => "已驳回 Rejected",
        _ => status,
    };

    public async Task<IResult> HomeAsync(RequestContext ctx) => await RenderHomeAsync(ctx, null, [], StatusCodes.Status200OK);

    async Task<IResult> RenderHomeAsync(RequestContext ctx, Dictionary<string, string?>? typed, IReadOnlyList<FieldError> errors, int status)
    {
        var p = ctx.Principal!;
        var institution = await catalogue.GetInstitutionAsync(p.Scope ?? "", ctx.Aborted);
        var values = typed ?? (institution is null ? new Dictionary<string, string?>() : new Dictionary<string, string?>
        {
            ["name"] = institution.Name, ["type"] = institution.Type, ["cityCode"] = institution.CityCode, ["code"] = institution.Code,
            ["sharingPlatformId"] = institution.SharingPlatformId, ["contactName"] = institution.ContactName, ["contactPhone"] = institution.ContactPhone, ["introduction"] = institution.Introduction,
        });
        var form = new FormView(values, errors);
        var profileForm = $"""
            <form method="post" action="/portal/institution/profile">
            {form.Input("name", "机构名称 Name", "maxlength=\"100\" required")}
            {form.Select("type", "机构类型 Type", FormView.TypeOptions, "请选择 Choose")}
            {form.Select("cityCode", "所在地市 City", FormView.CityOptions, "请选择 Choose")}
            {form.Input("code", "统一社会信用代码或机构代码 USCC or institution code", "maxlength=\"40\" required")}
            {form.Input("sharingPlatformId", "省开放共享平台登记编号 Open-sharing platform id", "maxlength=\"40\" required")}
            {form.Input("contactName", "联系人 Contact", "maxlength=\"40\" required")}
            {form.Input("contactPhone", "联系电话 Phone", "maxlength=\"20\" required")}
            {form.TextArea("introduction", "机构简介 Introduction", 1000)}
            <div><button type="submit">{(institution is null ? "提交登记 Register" : "保存机构信息 Save profile")}</button></div></form>
            """;
        if (institution is null)
        {
            return Pages.Page("登记服务机构 Register the institution", $"<section class=\"card\"><p>登记后由省中心核验共享平台编号，核验通过即可发布服务。The province centre verifies the platform id; then you can publish services.</p>{profileForm}</section>", p, status);
        }

        var services = (await catalogue.ServicesOfAsync(institution.InstitutionId, ctx.Aborted)).OrderBy(s => s.EffectiveStatus == "retired").ThenByDescending(s => s.UpdatedAt).ToList();
        var rows = services.Select(s => new[]
        {
            Link($"/catalogue/{s.InstitutionId}/{s.ServiceId}", s.Title), E(ServiceCategories.NameOf(s.Category)), E(CataloguePages.Price(s.PriceFromFen, s.PriceToFen)),
            E(StatusText(s.EffectiveStatus)), E("v" + Math.Max(1, s.Version).ToString(CultureInfo.InvariantCulture)), s.UsedCount.ToString(CultureInfo.InvariantCulture), Actions(s),
        });
        var verifiedNote = institution.Verified
            ? $"<p>{Link("/portal/institution/services/new", "发布新服务 Publish a service")}</p>"
            : "<p class=\"warn\">机构通过省中心核验后才能发布服务、被企业选择。Publishing opens after verification.</p>";
        var body = Web.PageParts.Flash(ctx.Request) + $"""
            <section class="card"><h2>{E(institution.Name)}</h2><dl class="facts"><dt>核验状态 Status</dt><dd><strong>{E(StatusText(institution.EffectiveStatus))}</strong>{(institution.DecisionReason is { Length: > 0 } r ? $"（{E(r)}）" : "")}</dd>
            <dt>机构编号 Id</dt><dd>{E(institution.InstitutionId)}</dd></dl>
            <p>{Link("/portal/institution/demands", "查看匹配的企业需求 Matching demand")} · {Link("/portal/faculty", "人员服务记录 Faculty service record")}</p></section>
            <section class="card"><h2>我的服务 My services（{services.Count}）</h2>{verifiedNote}{Table(["服务 Service", "类别 Category", "价格 Price", "状态 Status", "版本 Version", "成交 Orders", "操作 Actions"], rows, "尚未发布服务 No services yet")}</section>
            <section class="card"><details{(errors.Count > 0 ? " open" : "")}><summary>修改机构信息 Edit the profile（修改机构代码或平台编号需重新核验 changing the code or platform id needs re-verification）</summary>{profileForm}</details></section>
            """;
        return Pages.Page("服务与需求 My services", body, p, status);
    }

    static string Actions(ServiceEntity s)
    {
        if (s.EffectiveStatus == "retired")
        {
            return "—";
        }

        var toggle = s.EffectiveStatus == "paused" ? ("published", "恢复 Resume") : ("paused", "暂停 Pause");
        var action = $"/portal/institution/services/{Attr(s.ServiceId)}/status";
        return $"""
            {Link($"/portal/institution/services/{s.ServiceId}", "修改 Edit", $"修改 Edit {s.Title}")}
            <form method="post" action="{action}" style="display:inline"><input type="hidden" name="status" value="{toggle.Item1}"><button type="submit" class="secondary" aria-label="{Attr(toggle.Item2 + " " + s.Title)}">{E(toggle.Item2)}</button></form>
            <form method="post" action="{action}" style="display:inline" onsubmit="return confirm('下架后不能恢复，确认下架？ Retiring cannot be undone. Retire?');"><input type="hidden" name="status" value="retired"><button type="submit" class="danger" aria-label="{Attr("下架 Retire " + s.Title)}">下架 Retire</button></form>
            """;
    }

    public async Task<IResult> SaveProfileAsync(RequestContext ctx)
    {
        var p = ctx.Principal!;
        var form = await JsonBody.FormOrEmptyAsync(ctx.Request, ctx.Aborted);
        var typed = new[] { "name", "type", "cityCode", "code", "sharingPlatformId", "contactName", "contactPhone", "introduction" }.ToDictionary(k => k, k => (string?)form[k].ToString());
        var request = new InstitutionRequest(typed["name"], typed["type"], typed["cityCode"], typed["code"], typed["sharingPlatformId"], typed["contactName"], typed["contactPhone"], typed["introduction"]);
        var existing = await catalogue.GetInstitutionAsync(p.Scope ?? "", ctx.Aborted);
        var outcome = existing is null
            ? await market.RegisterInstitutionAsync(p, request, ctx.Aborted)
            : await market.UpdateInstitutionAsync(p, existing.InstitutionId, request, ctx.Aborted);
        if (outcome.Ok)
        {
            return Back("/portal/institution", done: existing is null ? "已提交登记，等待省中心核验 (Registered; awaiting verification)" : "机构信息已保存 (Saved)");
        }

        return await RenderHomeAsync(ctx, typed, outcome.Errors.Count > 0 ? outcome.Errors : [new FieldError("name", outcome.Message)], outcome.Status);
    }

    static readonly string[] ServiceFields = ["title", "category", "description", "specifications", "equipment", "priceFrom", "priceTo", "turnaroundDays", "contact", "staff"];

    public async Task<IResult> ServiceFormAsync(RequestContext ctx)
    {
        var p = ctx.Principal!;
        var serviceId = ctx.RouteValue("serviceId");
        if (serviceId == "new")
        {
            return RenderServiceForm(p, "new", null, FormView.Empty, StatusCodes.Status200OK, await market.EligibleCategoriesAsync(ctx.Aborted));
        }

        var s = await catalogue.GetServiceAsync(p.Scope ?? "", serviceId, ctx.Aborted);
        if (s is null)
        {
            return Pages.NotFound(p, "本机构没有此服务 (Not one of your services)");
        }

        var values = new Dictionary<string, string?>
        {
            ["title"] = s.Title, ["category"] = s.Category, ["description"] = s.Description, ["specifications"] = s.Specifications, ["equipment"] = s.Equipment,
            ["priceFrom"] = Cny.FromFen(s.PriceFromFen).ToInvariantString(), ["priceTo"] = s.PriceToFen > 0 ? Cny.FromFen(s.PriceToFen).ToInvariantString() : "",
            ["turnaroundDays"] = s.TurnaroundDays.ToString(CultureInfo.InvariantCulture), ["contact"] = s.Contact, ["staff"] = s.Staff,
        };
        return RenderServiceForm(p, serviceId, s, new FormView(values, []), StatusCodes.Status200OK, await market.EligibleCategoriesAsync(ctx.Aborted));
    }

    static IResult RenderServiceForm(VoucherPrincipal p, string serviceId, ServiceEntity? s, FormView form, int status, IReadOnlySet<string> eligible)
    {
        var body = $"""
            <section class="card"><form method="post" action="/portal/institution/services/{Attr(serviceId)}">
            {form.Input("title", "服务名称 Title", "maxlength=\"100\" required")}
            {form.Select("category", "服务类别 Category", FormView.CategoryOptions(eligible), "请选择 Choose")}
            {form.TextArea("description", "服务内容 Description", 2000, "required")}
            {form.TextArea("specifications", "执行标准与技术规格 Standards and specifications", 1000)}
            {form.Input("equipment", "主要仪器设备 Equipment", "maxlength=\"500\"")}
            {form.Input("priceFrom", "价格或起价（元）Price or lower price (CNY)", "inputmode=\"decimal\" maxlength=\"14\" required")}
            {form.Input("priceTo", "最高价（元，可空）Upper price (CNY, optional)", "inputmode=\"decimal\" maxlength=\"14\"")}
            {form.Input("turnaroundDays", "服务周期（天）Turnaround (days)", "inputmode=\"numeric\" maxlength=\"3\" required")}
            {form.Input("contact", "联系方式 Contact", "maxlength=\"100\" required")}
            {form.Input("staff", "服务人员（用“、”分隔）Delivering staff (separate with 、)", "maxlength=\"200\" required")}
            <div><button type="submit">{(s is null ? "发布服务 Publish" : "保存修改 Save (a new version)")}</button> {Link("/portal/institution", "返回 Back")}</div></form></section>
            """;
        return Pages.Page(s is null ? "发布服务 Publish a service" : $"修改服务 Edit: {s.Title}", body, p, status);
    }

    public async Task<IResult> SaveServiceAsync(RequestContext ctx)
    {
        var p = ctx.Principal!;
        var serviceId = ctx.RouteValue("serviceId");
        var form = await JsonBody.FormOrEmptyAsync(ctx.Request, ctx.Aborted);
        var typed = ServiceFields.ToDictionary(k => k, k => (string?)form[k].ToString());
        var errors = new List<FieldError>();
        decimal? Money(string name)
        {
            var v = typed[name]?.Trim().Replace(",", "", StringComparison.Ordinal) ?? "";
            if (v.Length == 0)
            {
                return null;
            }

            if (decimal.TryParse(v, NumberStyles.Number, CultureInfo.InvariantCulture, out var d))
            {
                return d;
            }

            errors.Add(new FieldError(name, "请填写数字金额，如 800 或 800.50 (A number)"));
            return null;
        }

        var from = Money("priceFrom");
        var to = Money("priceTo");
        int? days = int.TryParse(typed["turnaroundDays"], NumberStyles.None, CultureInfo.InvariantCulture, out var n) ? n : null;
        var request = new ServiceRequest(typed["title"], typed["category"], typed["description"], typed["specifications"], typed["equipment"], from, to, days, typed["contact"], typed["staff"]);
        var (_, validation) = MarketService.ValidateService(request);
        errors.AddRange(validation.Where(v => !errors.Any(e => e.Field == v.Field)));
        if (errors.Count > 0)
        {
            return RenderServiceForm(p, serviceId, serviceId == "new" ? null : await catalogue.GetServiceAsync(p.Scope ?? "", serviceId, ctx.Aborted), new FormView(typed, errors), StatusCodes.Status400BadRequest, await market.EligibleCategoriesAsync(ctx.Aborted));
        }

        var outcome = serviceId == "new"
            ? await market.PublishServiceAsync(p, request, ctx.Aborted)
            : await market.UpdateServiceAsync(p, p.Scope ?? "", serviceId, request, ctx.Aborted);
        if (outcome.Ok)
        {
            return Back("/portal/institution", done: serviceId == "new" ? $"已发布：{outcome.Value!.Title} (Published)" : $"已保存为 v{outcome.Value!.Version} (Saved)");
        }

        if (outcome.Status == StatusCodes.Status404NotFound)
        {
            return Pages.NotFound(p, "本机构没有此服务 (Not one of your services)");
        }

        return RenderServiceForm(p, serviceId, null, new FormView(typed, outcome.Errors.Count > 0 ? outcome.Errors : [new FieldError("title", outcome.Message)]), outcome.Status, await market.EligibleCategoriesAsync(ctx.Aborted));
    }

    public async Task<IResult> SetStatusAsync(RequestContext ctx)
    {
        var p = ctx.Principal!;
        var form = await JsonBody.FormOrEmptyAsync(ctx.Request, ctx.Aborted);
        var outcome = await market.SetServiceStatusAsync(p, p.Scope ?? "", ctx.RouteValue("serviceId"), form["status"].ToString(), ctx.Aborted);
        return outcome.Ok
            ? Back("/portal/institution", done: $"{outcome.Value!.Title}：{StatusText(outcome.Value.EffectiveStatus)}")
            : Back("/portal/institution", error: outcome.Message);
    }

    public async Task<IResult> DemandsAsync(RequestContext ctx)
    {
        var p = ctx.Principal!;
        var institution = await catalogue.GetInstitutionAsync(p.Scope ?? "", ctx.Aborted);
        if (institution is null)
        {
            return Back("/portal/institution", error: "请先登记机构 (Register the institution first)");
        }

        var services = (await catalogue.ServicesOfAsync(institution.InstitutionId, ctx.Aborted)).Where(s => s.EffectiveStatus == "published").ToList();
        var matching = await market.MatchingDemandAsync(institution.InstitutionId, ctx.Aborted);
        var sb = new StringBuilder(Web.PageParts.Flash(ctx.Request));
        sb.Append($"<section class=\"card\"><p>按本机构在架服务的类别匹配，本市需求在前。Demand in the categories of your published services, your city first.（{matching.Count}）</p></section>");
        foreach (var (d, mine) in matching)
        {
            var options = services.Where(s => s.Category == d.Category).Select(s => (s.ServiceId, s.Title));
            var form = new FormView(new Dictionary<string, string?>
            {
                ["serviceId"] = mine?.ServiceId, ["price"] = mine is null ? "" : Cny.FromFen(mine.PriceFen).ToInvariantString(),
                ["turnaroundDays"] = mine?.TurnaroundDays.ToString(CultureInfo.InvariantCulture), ["message"] = mine?.Message,
            }, [], d.DemandId + "-");
            sb.Append($"""
                <section class="card" data-demand="{Attr(d.DemandId)}"><h2>{E(ServiceCategories.NameOf(d.Category))} · {E(CataloguePages.CityName(d.CityCode))} · 预算 {E(Cny.FromFen(d.BudgetFen).ToString())}</h2>
                <p>{E(d.Description)}</p><p class="muted">{E(d.EnterpriseName)} · 截止 Deadline {E(d.Deadline)} · 编号 {E(d.DemandId)}</p>
                {(mine is null ? "" : $"<p class=\"ok\">已报价 Offered: {E(Cny.FromFen(mine.PriceFen).ToString())}（可修改 you may revise）</p>")}
                <form method="post" action="/portal/institution/demands/{Attr(d.DemandId)}/offer">
                {form.Select("serviceId", "提供的服务 Service", options)}
                {form.Input("price", "报价（元）Price (CNY)", "inputmode=\"decimal\" maxlength=\"14\" required")}
                {form.Input("turnaroundDays", "服务周期（天）Turnaround (days)", "inputmode=\"numeric\" maxlength=\"3\" required")}
                {form.TextArea("message", "说明 Message", 500)}
                <div><button type="submit">{(mine is null ? "提交报价 Send offer" : "更新报价 Update offer")}</button></div></form></section>
                """);
        }

        return Pages.Page("匹配的企业需求 Matching demand", sb.ToString(), p);
    }

    public async Task<IResult> OfferAsync(RequestContext ctx)
    {
        var p = ctx.Principal!;
        var demandId = ctx.RouteValue("demandId");
        var form = await JsonBody.FormOrEmptyAsync(ctx.Request, ctx.Aborted);
        decimal? price = decimal.TryParse(form["price"].ToString().Trim().Replace(",", "", StringComparison.Ordinal), NumberStyles.Number, CultureInfo.InvariantCulture, out var v) ? v : null;
        int? days = int.TryParse(form["turnaroundDays"].ToString().Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out var n) ? n : null;
        var outcome = await market.MakeOfferAsync(p, demandId, new OfferRequest(form["serviceId"], price, days, form["message"]), ctx.Aborted);
        return outcome.Ok
            ? Back("/portal/institution/demands", done: $"已向需求 {demandId} 报价 (Offer sent)")
            : Back("/portal/institution/demands", error: $"{demandId}：{outcome.Message}");
    }

    public async Task<IResult> FacultyAsync(RequestContext ctx)
    {
        var p = ctx.Principal!;
        var staff = ctx.Request.Query["staff"].ToString();
        var names = await faculty.StaffAsync(p.Scope ?? "", ctx.Aborted);
        var entries = await faculty.ForInstitutionAsync(p.Scope ?? "", staff.Length == 0 ? null : staff, ctx.Aborted);
        var form = new FormView(new Dictionary<string, string?> { ["staff"] = staff }, []);
        var rows = entries.Select(e => new[] { E(e.Staff), E(e.Kind), E(e.Date), E(e.Enterprise), E(e.Service), E(e.Amount.ToString()), E(e.Reference) });
        var totals = entries.GroupBy(e => e.Staff).Select(g => new[]
        {
            E(g.Key), g.Count(e => e.Kind.StartsWith("服务订单", StringComparison.Ordinal)).ToString(CultureInfo.InvariantCulture),
            g.Count(e => !e.Kind.StartsWith("服务订单", StringComparison.Ordinal)).ToString(CultureInfo.InvariantCulture),
            E(Cny.FromFen(g.Where(e => e.Kind.StartsWith("服务订单", StringComparison.Ordinal)).Sum(e => e.Amount.Fen)).ToString()),
        });
        var export = "/portal/faculty/export" + (staff.Length == 0 ? "" : "?staff=" + Uri.EscapeDataString(staff));
        var body = $"""
            <section class="card"><p>列出服务中署名人员为中小企业完成的服务（订单、已兑付的创新券），可导出作为职称评审的佐证材料（§4.6）。SME services each named staff member delivered, exportable as evidence for title evaluation.</p>
            <form method="get" action="/portal/faculty">{form.Select("staff", "人员 Staff", names.Select(x => (x, x)), "全部人员 Everyone")}<div><button type="submit">查看 Show</button> {Link(export, "导出 CSV Export")}</div></form></section>
            <section class="card"><h2>汇总 Summary</h2>{Table(["人员 Staff", "订单 Orders", "已兑付 Redemptions paid", "订单金额 Order value"], totals, "暂无记录 No records")}</section>
            <section class="card"><h2>明细 Entries</h2>{Table(["人员 Staff", "类型 Kind", "日期 Date", "企业 Enterprise", "服务 Service", "金额 Amount", "编号 Reference"], rows, "暂无记录 No records")}</section>
            """;
        return Pages.Page("人员服务记录 Faculty service record", body, p);
    }

    public async Task<IResult> FacultyExportAsync(RequestContext ctx)
    {
        var p = ctx.Principal!;
        var staff = ctx.Request.Query["staff"].ToString();
        var entries = await faculty.ForInstitutionAsync(p.Scope ?? "", staff.Length == 0 ? null : staff, ctx.Aborted);
        return Results.File(FacultyRecords.Csv(entries), "text/csv; charset=utf-8", $"faculty-record-{p.Scope}.csv");
    }
}
