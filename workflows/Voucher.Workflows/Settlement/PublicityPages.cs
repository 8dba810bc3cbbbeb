using Voucher.Domain.Catalogue;
using Voucher.Workflows.Web;
using static Voucher.Workflows.Web.Html;

namespace Voucher.Workflows.Settlement;

/// <summary>
/// The public publicity page (公示): the approved redemptions in their objection window, each with a form to object
/// (rate-limited like the API); a refused objection is shown by its fields, with what was typed kept.
/// </summary>
public sealed class PublicityPages(PublicityService publicity, PublicRateLimiter limiter)
{
    public async Task<IResult> ShowAsync(RequestContext ctx) =>
        Page(ctx, await publicity.ListAsync(ctx.Aborted), null, null,
            ctx.Request.Query.ContainsKey("objected") ? "异议已提交，市科技局将核查处理。Your objection was received." : null, StatusCodes.Status200OK);

    public async Task<IResult> ObjectAsync(RequestContext ctx)
    {
        if (!limiter.TryAcquire(ctx.Request, PublicityApi.ObjectionLimit))
        {
            return Page(ctx, await publicity.ListAsync(ctx.Aborted), null, null, "提交过于频繁，请一分钟后再试 (Too many objections; try again in a minute)", StatusCodes.Status429TooManyRequests);
        }

        var form = await JsonBody.FormOrEmptyAsync(ctx.Request, ctx.Aborted);
        var contact = form["contact"].ToString();
        var grounds = form["grounds"].ToString();
        var id = ctx.RouteValue("redemptionId");
        var outcome = await publicity.FileObjectionAsync(new FileObjection(id, contact, grounds), ctx.Aborted);
        if (outcome.Failure is not { } failure)
        {
            // Post-redirect-get: a refresh does not file the objection again.
            return Results.Redirect($"/publicity?objected={Uri.EscapeDataString(id)}");
        }

        var status = PageStatus.Of(failure);
        var fields = Problems.FieldMessages(failure);
        var general = fields.TryGetValue("", out var g) ? string.Join("；", g) : "异议未提交，请按提示修改。The objection was not filed: see the fields below.";
        return Page(ctx, await publicity.ListAsync(ctx.Aborted), id, (contact, grounds), general, status, fields);
    }

    static IResult Page(RequestContext ctx, IReadOnlyList<PublicityEntry> list, string? formFor, (string? Contact, string? Grounds)? typed, string? message, int status, IReadOnlyDictionary<string, string[]>? fieldErrors = null)
    {
        string Err(string field, string id) => fieldErrors is not null && fieldErrors.TryGetValue(field, out var m)
            ? $"<p class=\"error\" id=\"{id}-error\" role=\"alert\">{E(string.Join("；", m))}</p>" : "";
        string Aria(string error, string id) => error.Length == 0 ? "" : $" aria-invalid=\"true\" aria-describedby=\"{id}-error\"";
        var sb = new StringBuilder("<section class=\"card\"><p>以下创新券兑付拟予拨付，现予公示。公示期内任何单位和个人均可实名提出异议。The redemptions below are published for objections.</p>");
        if (message is not null)
        {
            sb.Append($"<p class=\"{(status >= 400 ? "error" : "ok")}\" role=\"status\">{E(message)}</p>");
        }

        sb.Append("</section>");
        if (list.Count == 0)
        {
            sb.Append("<p class=\"muted\">当前没有公示中的兑付。Nothing is under publicity now.</p>");
        }

        foreach (var e in list)
        {
            var isForm = e.RedemptionId == formFor;
            var contactId = $"contact-{Attr(e.RedemptionId)}";
            var groundsId = $"grounds-{Attr(e.RedemptionId)}";
            var contactError = isForm ? Err("contact", contactId) : "";
            var groundsError = isForm ? Err("grounds", groundsId) : "";
            sb.Append($"<section class=\"card\" data-redemption=\"{Attr(e.RedemptionId)}\"><h2>{E(e.EnterpriseName)}</h2><dl class=\"facts\">")
              .Append($"<dt>地市 City</dt><dd>{E(Cities.Get(e.CityCode).NameZh)}</dd><dt>服务机构 Institution</dt><dd>{E(e.InstitutionName)}</dd>")
              .Append($"<dt>服务类别 Category</dt><dd>{E(ServiceCategories.NameOf(e.ServiceCategory))} · {E(e.ServiceTitle)}</dd><dt>拟兑付金额 Pay-out</dt><dd>{E(e.Payout.ToString())}</dd>")
              .Append($"<dt>公示期 Window</dt><dd>{E(e.Start)} 至 {E(e.End)}{(e.EndProvisional ? " " + Provisional : "")}</dd>{(e.Objected ? "<dt>状态</dt><dd class=\"warn\">有异议待核查 (objection under review)</dd>" : "")}</dl>")
              .Append($"<details{(isForm ? " open" : "")}><summary>提出异议 Object</summary><form method=\"post\" action=\"/publicity/{Attr(e.RedemptionId)}/objection\" onsubmit=\"return confirm('提交后该兑付将暂停拨付，由市科技局核查，确认提交异议？ File the objection?');\">")
              .Append($"<label for=\"{contactId}\">联系方式（姓名、电话或邮箱）Contact</label>{contactError}<input id=\"{contactId}\" name=\"contact\" maxlength=\"{PublicityService.MaxContactLength}\" value=\"{Attr(isForm ? typed?.Contact : "")}\"{Aria(contactError, contactId)}>")
              .Append($"<label for=\"{groundsId}\">异议理由 Grounds</label>{groundsError}<textarea id=\"{groundsId}\" name=\"grounds\" rows=\"3\" maxlength=\"{PublicityService.MaxGroundsLength}\"{Aria(groundsError, groundsId)}>{E(isForm ? typed?.Grounds : "")}</textarea>")
              .Append("<div><button type=\"submit\">提交异议 Submit objection</button></div></form></details></section>");
        }

        return Pages.Page("创新券兑付公示 Publicity", sb.ToString(), ctx.Principal, status);
    }
}
