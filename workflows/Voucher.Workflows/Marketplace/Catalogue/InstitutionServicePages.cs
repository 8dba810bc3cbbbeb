using Voucher.Workflows.Portal;
using Voucher.Workflows.Web;
using static Voucher.Workflows.Web.Html;

namespace Voucher.Workflows.Marketplace;

/// <summary>The institution's service form (publish a new one, edit one as its next version) and its pause / resume / retire buttons.</summary>
public sealed class InstitutionServicePages(CatalogueService services, CatalogueSearch search)
{
    static readonly string[] ServiceFields = ["title", "category", "description", "specifications", "equipment", "priceFrom", "priceTo", "turnaroundDays", "contact", "staff"];

    /// <summary>A service's actions on the institution's home: edit, pause or resume, retire (none once retired).</summary>
    public static string Actions(ServiceEntity s)
    {
        if (s.Status == ServiceStatus.Retired)
        {
            return "—";
        }

        var toggle = s.Status == ServiceStatus.Paused ? (ServiceStatus.Published, "恢复 Resume") : (ServiceStatus.Paused, "暂停 Pause");
        var action = $"/portal/institution/services/{Attr(s.ServiceId)}/status";
        return $"""
            {Link($"/portal/institution/services/{s.ServiceId}", "修改 Edit", $"修改 Edit {s.Title}")}
            <form method="post" action="{action}" style="display:inline"><input type="hidden" name="status" value="{StoredName<ServiceStatus>.Of(toggle.Item1)}"><button type="submit" class="secondary" aria-label="{Attr(toggle.Item2 + " " + s.Title)}">{E(toggle.Item2)}</button></form>
            <form method="post" action="{action}" style="display:inline" onsubmit="return confirm('下架后不能恢复，确认下架？ Retiring cannot be undone. Retire?');"><input type="hidden" name="status" value="{StoredName<ServiceStatus>.Of(ServiceStatus.Retired)}"><button type="submit" class="danger" aria-label="{Attr("下架 Retire " + s.Title)}">下架 Retire</button></form>
            """;
    }

    public async Task<IResult> ServiceFormAsync(RequestContext ctx)
    {
        var p = ctx.Principal!;
        var serviceId = ctx.RouteValue("serviceId");
        var eligible = await search.EligibleCategoriesAsync(ctx.Aborted);
        if (serviceId == "new")
        {
            return RenderServiceForm(p, "new", null, FormView.Empty, StatusCodes.Status200OK, eligible);
        }

        var s = await services.OwnAsync(p, serviceId, ctx.Aborted);
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
        return RenderServiceForm(p, serviceId, s, new FormView(values, []), StatusCodes.Status200OK, eligible);
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

    /// <summary>Publishes ("new") or edits a service; a bad amount or any rule's failure is shown next to its field, with what was typed.</summary>
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
        var content = new ServiceContent(typed["title"], typed["category"], typed["description"], typed["specifications"], typed["equipment"], from, to, days, typed["contact"], typed["staff"]);
        var (_, validation) = ServiceContentRules.Validate(content);
        errors.AddRange(validation.Where(v => !errors.Any(e => e.Field == v.Field)));
        if (errors.Count > 0)
        {
            var editing = serviceId == "new" ? null : await services.OwnAsync(p, serviceId, ctx.Aborted);
            return RenderServiceForm(p, serviceId, editing, new FormView(typed, errors), StatusCodes.Status400BadRequest, await search.EligibleCategoriesAsync(ctx.Aborted));
        }

        var outcome = serviceId == "new"
            ? await services.PublishAsync(p, content, ctx.Aborted)
            : await services.EditAsync(p, new EditService(p.Scope ?? "", serviceId, content), ctx.Aborted);
        if (outcome.Failure is Services.Failure.NotFound)
        {
            return Pages.NotFound(p, "本机构没有此服务 (Not one of your services)");
        }

        if (outcome.Failure is { } failure)
        {
            return RenderServiceForm(p, serviceId, null, new FormView(typed, FormView.ErrorsOf(failure, "title")), FormView.StatusOf(failure), await search.EligibleCategoriesAsync(ctx.Aborted));
        }

        return Web.PageParts.Back("/portal/institution", done: serviceId == "new" ? $"已发布：{outcome.Value.Title} (Published)" : $"已保存为 v{outcome.Value.Version} (Saved)");
    }

    public async Task<IResult> SetStatusAsync(RequestContext ctx)
    {
        var p = ctx.Principal!;
        var form = await JsonBody.FormOrEmptyAsync(ctx.Request, ctx.Aborted);
        var outcome = await services.ChangeStatusAsync(p, new ChangeServiceStatus(p.Scope ?? "", ctx.RouteValue("serviceId"), form["status"].ToString()), ctx.Aborted);
        return outcome.Failure is { } failure
            ? Web.PageParts.Back("/portal/institution", error: failure.Message)
            : Web.PageParts.Back("/portal/institution", done: $"{outcome.Value.Title}：{MarketPages.StatusText(outcome.Value.Status)}");
    }
}
