using Voucher.Workflows.Portal;
using Voucher.Workflows.Web;

namespace Voucher.Workflows.Marketplace;

/// <summary>
/// The institution's service form (publish a new one, edit one as its next version) and its pause / resume / retire
/// buttons; retiring, which cannot be undone, is confirmed on a page of its own first.
/// </summary>
public sealed class InstitutionServicePages(CatalogueService services, CatalogueSearch search, InstitutionService institutions)
{
    const string Home = "/portal/institution";

    static readonly string[] ServiceFields = ["title", "category", "description", "specifications", "equipment", "priceFrom", "priceTo", "turnaroundDays", "contact", "staff"];

    public async Task<IResult> ServiceFormAsync(RequestContext ctx)
    {
        var p = ctx.Principal!;
        var serviceId = ctx.RouteValue("serviceId");
        var eligible = await search.EligibleCategoriesAsync(ctx.Aborted);
        if (serviceId == "new")
        {
            var verified = await institutions.OwnAsync(p, ctx.Aborted) is { Verified: true };
            return Form(p, new ServiceFormModel("new", null, FormState.Empty, eligible, verified ? null : "机构通过省中心认证后才能发布服务。"), StatusCodes.Status200OK);
        }

        var s = await services.OwnAsync(p, serviceId, ctx.Aborted);
        if (s is null)
        {
            return Pages.NotFound(p, "本机构没有这项服务。");
        }

        var values = new Dictionary<string, string?>
        {
            ["title"] = s.Title, ["category"] = s.Category, ["description"] = s.Description, ["specifications"] = s.Specifications, ["equipment"] = s.Equipment,
            ["priceFrom"] = Cny.FromFen(s.PriceFromFen).ToInvariantString(), ["priceTo"] = s.PriceToFen > 0 ? Cny.FromFen(s.PriceToFen).ToInvariantString() : "",
            ["turnaroundDays"] = s.TurnaroundDays.ToString(CultureInfo.InvariantCulture), ["contact"] = s.Contact, ["staff"] = s.Staff,
        };
        var refused = s.Status == ServiceStatus.Retired ? "该服务已下架，不能再修改。需要时可以发布一项新服务。" : null;
        return Form(p, new ServiceFormModel(serviceId, s, new FormState(values, []), eligible, refused), StatusCodes.Status200OK);
    }

    static IResult Form(VoucherPrincipal p, ServiceFormModel model, int status) =>
        Pages.View<ServiceFormPage>(model.Editing is null ? "发布服务" : $"修改服务：{model.Editing.Title}", p, model, status);

    /// <summary>Publishes ("new") or edits a service; a bad amount or any rule's failure is shown next to its field, with what was typed.</summary>
    public async Task<IResult> SaveServiceAsync(RequestContext ctx)
    {
        var p = ctx.Principal!;
        var serviceId = ctx.RouteValue("serviceId");
        var form = await JsonBody.FormOrEmptyAsync(ctx.Request, ctx.Aborted);
        var typed = MarketForms.Typed(form, ServiceFields);
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

            errors.Add(new FieldError(name, "请填写数字金额，如 800 或 800.50"));
            return null;
        }

        var from = Money("priceFrom");
        var to = Money("priceTo");
        int? days = int.TryParse(typed["turnaroundDays"], NumberStyles.None, CultureInfo.InvariantCulture, out var n) ? n : null;
        var content = new ServiceContent(typed["title"], typed["category"], typed["description"], typed["specifications"], typed["equipment"], from, to, days, typed["contact"], typed["staff"]);
        var (_, validation) = ServiceContentRules.Validate(content);
        errors.AddRange(validation.Where(v => !errors.Any(e => e.Field == v.Field)));
        var editing = serviceId == "new" ? null : await services.OwnAsync(p, serviceId, ctx.Aborted);
        if (errors.Count > 0)
        {
            return Form(p, new ServiceFormModel(serviceId, editing, new FormState(typed, errors), await search.EligibleCategoriesAsync(ctx.Aborted), null), StatusCodes.Status400BadRequest);
        }

        var outcome = serviceId == "new"
            ? await services.PublishAsync(p, content, ctx.Aborted)
            : await services.EditAsync(p, new EditService(p.Scope ?? "", serviceId, content), ctx.Aborted);
        if (outcome.Failure is Failure.NotFound)
        {
            return Pages.NotFound(p, "本机构没有这项服务。");
        }

        if (outcome.Failure is { } failure)
        {
            return Form(p, new ServiceFormModel(serviceId, editing, new FormState(typed, MarketForms.ErrorsOf(failure, "title")), await search.EligibleCategoriesAsync(ctx.Aborted), null), MarketForms.StatusOf(failure));
        }

        return PageParts.Back(Home, done: serviceId == "new" ? $"已发布：{outcome.Value.Title}" : $"已保存：{outcome.Value.Title}（第 {outcome.Value.Version} 版）");
    }

    /// <summary>Pause, resume or retire; retiring is final, so its first post answers with the confirmation page.</summary>
    public async Task<IResult> SetStatusAsync(RequestContext ctx)
    {
        var p = ctx.Principal!;
        var serviceId = ctx.RouteValue("serviceId");
        var form = await JsonBody.FormOrEmptyAsync(ctx.Request, ctx.Aborted);
        var status = form["status"].ToString();
        if (StoredName<ServiceStatus>.TryParse(status, out var to) && to == ServiceStatus.Retired && !ConfirmModel.IsConfirmed(form)
            && await services.OwnAsync(p, serviceId, ctx.Aborted) is { } s && s.Status != ServiceStatus.Retired)
        {
            return Pages.View<ConfirmPage>("确认下架服务", p, new ConfirmModel(
                $"确认下架“{s.Title}”？",
                [("服务", s.Title), ("当前状态", Glossary.Of(s.Status)), ("下架后", "服务目录中不再显示，企业不能再选择此服务；服务不能恢复，也不能再修改。")],
                $"/portal/institution/services/{Uri.EscapeDataString(serviceId)}/status", ConfirmModel.Carry(form), "确认下架", Home, Danger: true));
        }

        var outcome = await services.ChangeStatusAsync(p, new ChangeServiceStatus(p.Scope ?? "", serviceId, status), ctx.Aborted);
        return outcome.Failure switch
        {
            null => PageParts.Back(Home, done: $"{outcome.Value.Title}：{Glossary.Of(outcome.Value.Status)}"),
            Failure.Invalid => PageParts.Back(Home, error: "请从服务列表中选择暂停、恢复或下架。"),
            Failure.NotFound => PageParts.Back(Home, error: "本机构没有这项服务。"),
            { } failure => PageParts.Back(Home, error: failure.Message),
        };
    }
}

/// <summary>
/// The service form: new ("new") or the service edited, what was typed, the categories vouchers may pay for, and —
/// when the form cannot be used (institution not yet verified, service retired) — why, in place of the form.
/// </summary>
public sealed record ServiceFormModel(string ServiceId, ServiceEntity? Editing, FormState Form, IReadOnlySet<string> EligibleCategories, string? Refused);
