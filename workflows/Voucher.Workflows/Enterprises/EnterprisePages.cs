using Voucher.Workflows.Web;
using static Voucher.Workflows.Web.Html;

namespace Voucher.Workflows.Enterprises;

/// <summary>The enterprise's profile page (<c>/portal/profile</c>): read and edit, over <see cref="EnterpriseService"/>.</summary>
public sealed class EnterprisePages(EnterpriseService enterprises)
{
    public async Task<IResult> PageAsync(RequestContext ctx)
    {
        var p = ctx.Principal!;
        var current = await enterprises.OwnAsync(p, ctx.Aborted);
        if (current is null)
        {
            return Pages.Page("企业信息 Profile", $"<section class=\"card\"><p>请先在首页登记企业信息。Register on the home page first.</p><p>{Link("/", "返回首页 Home")}</p></section>", p);
        }

        var typed = new UpdateEnterpriseProfileRequest(current.Name, current.CityCode, current.SizeClass, current.TechSmeNumber, current.ContactName, current.ContactPhone, current.Address);
        return Render(p, current, typed, [], StatusCodes.Status200OK, Web.PageParts.Flash(ctx.Request));
    }

    public async Task<IResult> SaveFormAsync(RequestContext ctx)
    {
        var p = ctx.Principal!;
        var form = await JsonBody.FormOrEmptyAsync(ctx.Request, ctx.Aborted);
        var typed = new UpdateEnterpriseProfileRequest(form["name"], form["cityCode"], form["sizeClass"], form["techSmeNumber"], form["contactName"], form["contactPhone"], form["address"]);
        var outcome = await enterprises.EditProfileAsync(p, p.Scope ?? "", typed, ctx.Aborted);
        switch (outcome.Failure)
        {
            case null:
                return Results.Redirect("/portal/profile?done=" + Uri.EscapeDataString(outcome.Value.Changed.Count > 0 ? "已保存 Saved" : "没有修改 Nothing changed"));
            case Failure.Invalid invalid:
                var current = await enterprises.OwnAsync(p, ctx.Aborted);
                return Render(p, current!, typed, invalid.Errors, StatusCodes.Status400BadRequest, "");
            case Failure.Conflict:
                return Results.Redirect("/portal/profile?error=" + Uri.EscapeDataString("企业信息刚被修改，请重新填写 (Changed meanwhile; please redo)"));
            case Failure.Forbidden forbidden:
                return Pages.Forbidden(p, forbidden.Message);
            default:
                return Pages.Error(p, "企业未登记 (Enterprise not registered)", StatusCodes.Status404NotFound);
        }
    }

    IResult Render(VoucherPrincipal p, EnterpriseEntity current, UpdateEnterpriseProfileRequest typed, IReadOnlyList<FieldError> errors, int status, string flash)
    {
        string Err(string field) => string.Concat(errors.Where(e => e.Field == field).Select(e => $"<p class=\"error\" id=\"{field}-error\" role=\"alert\">{E(e.Message)}</p>"));
        string Invalid(string field) => errors.Any(e => e.Field == field) ? $" aria-invalid=\"true\" aria-describedby=\"{field}-error\"" : "";
        string Field(string name, string label, string? value, string extra = "") =>
            $"<label for=\"{name}\">{E(label)}</label>{Err(name)}<input id=\"{name}\" name=\"{name}\" value=\"{Attr(value)}\"{extra}{Invalid(name)}>";
        var cityOptions = string.Concat(Cities.All.Select(c => $"<option value=\"{c.Code}\"{(string.Equals(typed.CityCode, c.Code, StringComparison.OrdinalIgnoreCase) ? " selected" : "")}>{E(c.NameZh)} {E(c.NameEn)}</option>"));
        var sizeOptions = string.Concat(new[] { ("micro", "微型 Micro"), ("small", "小型 Small"), ("medium", "中型 Medium") }
            .Select(s => $"<option value=\"{s.Item1}\"{(typed.SizeClass == s.Item1 ? " selected" : "")}>{E(s.Item2)}</option>"));
        var body = flash + $"""
            <section class="card"><h2>{E(current.Name)}</h2>
            <dl class="facts"><dt>统一社会信用代码 USCC</dt><dd>{E(current.Uscc)}（不可修改 cannot change）</dd></dl>
            <form method="post" action="/portal/profile" onsubmit="return confirm('确认保存修改？ Save the changes?');">
            {Field("name", "企业名称 Name", typed.Name, " maxlength=\"100\" autocomplete=\"organization\"")}
            <label for="cityCode">所在地市 City（已有申请或创新券后不可修改）</label>{Err("cityCode")}<select id="cityCode" name="cityCode"{Invalid("cityCode")}>{cityOptions}</select>
            <label for="sizeClass">企业规模 Size</label>{Err("sizeClass")}<select id="sizeClass" name="sizeClass"{Invalid("sizeClass")}>{sizeOptions}</select>
            {Field("techSmeNumber", "科技型中小企业入库编号 Tech-SME number", typed.TechSmeNumber, " maxlength=\"40\"")}
            {Field("contactName", "联系人 Contact", typed.ContactName, " maxlength=\"50\" autocomplete=\"name\"")}
            {Field("contactPhone", "联系电话 Phone", typed.ContactPhone, " maxlength=\"20\" autocomplete=\"tel\" inputmode=\"tel\"")}
            {Field("address", "地址 Address", typed.Address, $" maxlength=\"{EnterpriseService.MaxAddressLength}\" autocomplete=\"street-address\"")}
            <div><button type="submit">保存 Save</button> {Link("/", "返回首页 Back")}</div>
            </form></section>
            """;
        return Pages.Page("企业信息 Enterprise profile", body, p, status);
    }
}
