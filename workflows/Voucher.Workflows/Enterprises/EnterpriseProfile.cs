using RequestFailedException = Azure.RequestFailedException;
using Azure.Data.Tables;
using Microsoft.AspNetCore.Http;
using Voucher.Domain;
using Voucher.Workflows.Applications;
using Voucher.Workflows.Audit;
using Voucher.Workflows.Http;
using Voucher.Workflows.Security;
using Voucher.Workflows.Storage;
using Voucher.Workflows.Vouchers;
using Voucher.Workflows.Web;
using static Voucher.Workflows.Web.Html;

namespace Voucher.Workflows.Enterprises;

public sealed record UpdateEnterpriseProfileRequest(
    string? Name,
    string? CityCode,
    string? SizeClass,
    string? TechSmeNumber,
    string? ContactName,
    string? ContactPhone,
    string? Address);

/// <summary>
/// The enterprise edits its own profile (API and page). The USCC never changes; the city is fixed once the
/// enterprise has an application or a voucher (they were decided under that city's policy). Every change is
/// audited with the names of the fields changed (not their values: phone numbers are personal data).
/// </summary>
public sealed class EnterpriseProfile(VoucherStore store, ApplicationStore applications, VoucherRepository vouchers, AuditLog audit, TimeProvider time)
{
    public const int MaxAddressLength = 200;

    public enum Outcome
    {
        Saved,
        Unchanged,
        Invalid,
        NotFound,
        Forbidden,
        Conflict,
    }

    public async Task<IResult> UpdateAsync(RequestContext ctx)
    {
        var (body, error) = await JsonBody.ReadAsync<UpdateEnterpriseProfileRequest>(ctx.Request, ctx.Aborted);
        if (error is not null)
        {
            return error;
        }

        var uscc = ctx.RouteValue("uscc").ToUpperInvariant();
        var (outcome, entity, errors) = await SaveForAsync(ctx.Principal!, uscc, body!, ctx.Aborted);
        return outcome switch
        {
            Outcome.Saved or Outcome.Unchanged => Results.Json(EnterpriseHandlers.ToView(entity!, ctx.Principal!), JsonBody.Response),
            Outcome.Invalid => Problems.Validation(errors),
            Outcome.Forbidden => Problems.Forbidden("只能修改本企业的信息 (An enterprise edits only its own profile)"),
            Outcome.Conflict => Problems.Conflict("企业信息刚被修改，请刷新后重试 (Changed meanwhile; reload and retry)"),
            _ => Problems.NotFound($"企业 {uscc} 未登记 (Enterprise not registered)"),
        };
    }

    public async Task<(Outcome Outcome, EnterpriseEntity? Entity, List<FieldError> Errors)> SaveForAsync(VoucherPrincipal p, string uscc, UpdateEnterpriseProfileRequest body, CancellationToken ct)
    {
        if (!EnterpriseHandlers.CanActFor(p, uscc))
        {
            return (Outcome.Forbidden, null, []);
        }

        var current = Uscc.TryValidate(uscc, out var normalized, out _)
            ? await store.GetAsync<EnterpriseEntity>(VoucherStore.Enterprises, normalized, EnterpriseEntity.ProfileRow, ct)
            : null;
        if (current is null)
        {
            return (Outcome.NotFound, null, []);
        }

        var (candidate, errors) = EnterpriseHandlers.Validate(new RegisterEnterpriseRequest(current.Uscc, body.Name, body.CityCode, body.SizeClass, body.TechSmeNumber, body.ContactName, body.ContactPhone));
        var address = body.Address?.Trim() ?? "";
        if (address.Length > MaxAddressLength)
        {
            errors.Add(new FieldError("address", $"不能超过 {MaxAddressLength} 个字符 (At most {MaxAddressLength} characters)"));
        }

        if (candidate is not null && !string.Equals(candidate.CityCode, current.CityCode, StringComparison.Ordinal)
            && ((await applications.ForEnterpriseAsync(current.Uscc, ct)).Count > 0 || (await vouchers.ForEnterpriseAsync(current.Uscc, ct)).Count > 0))
        {
            errors.Add(new FieldError("cityCode", "已有创新券申请或创新券，所在地市不能修改 (The city is fixed once there is an application or a voucher)"));
        }

        if (errors.Count > 0)
        {
            return (Outcome.Invalid, null, errors);
        }

        var changed = new List<string>();
        void Set(string field, string before, string after, Action<string> apply)
        {
            if (!string.Equals(before, after, StringComparison.Ordinal))
            {
                changed.Add(field);
                apply(after);
            }
        }

        Set("name", current.Name, candidate!.Name, v => current.Name = v);
        Set("cityCode", current.CityCode, candidate.CityCode, v => current.CityCode = v);
        Set("sizeClass", current.SizeClass, candidate.SizeClass, v => current.SizeClass = v);
        Set("techSmeNumber", current.TechSmeNumber, candidate.TechSmeNumber, v => current.TechSmeNumber = v);
        Set("contactName", current.ContactName, candidate.ContactName, v => current.ContactName = v);
        Set("contactPhone", current.ContactPhone, candidate.ContactPhone, v => current.ContactPhone = v);
        Set("address", current.Address, address, v => current.Address = v);
        if (changed.Count == 0)
        {
            return (Outcome.Unchanged, current, []);
        }

        try
        {
            await store.Table(VoucherStore.Enterprises).UpdateEntityAsync(current, current.ETag, TableUpdateMode.Replace, ct);
        }
        catch (RequestFailedException e) when (e.Status == 412)
        {
            return (Outcome.Conflict, null, []);
        }

        await audit.AppendAsync(AuditSubjects.Enterprise(current.Uscc), p.Actor, time.GetUtcNow(), "profile", "profile", 0,
            $"修改企业信息：{string.Join(", ", changed)} (profile fields changed)", ct);
        return (Outcome.Saved, current, []);
    }

    // ---- Page ---------------------------------------------------------------------------------------------------

    public async Task<IResult> PageAsync(RequestContext ctx)
    {
        var p = ctx.Principal!;
        var current = await store.GetAsync<EnterpriseEntity>(VoucherStore.Enterprises, p.Scope ?? "", EnterpriseEntity.ProfileRow, ctx.Aborted);
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
        var (outcome, _, errors) = await SaveForAsync(p, p.Scope ?? "", typed, ctx.Aborted);
        switch (outcome)
        {
            case Outcome.Saved or Outcome.Unchanged:
                return Results.Redirect("/portal/profile?done=" + Uri.EscapeDataString(outcome == Outcome.Saved ? "已保存 Saved" : "没有修改 Nothing changed"));
            case Outcome.Invalid:
                var current = await store.GetAsync<EnterpriseEntity>(VoucherStore.Enterprises, p.Scope ?? "", EnterpriseEntity.ProfileRow, ctx.Aborted);
                return Render(p, current!, typed, errors, StatusCodes.Status400BadRequest, "");
            case Outcome.Conflict:
                return Results.Redirect("/portal/profile?error=" + Uri.EscapeDataString("企业信息刚被修改，请重新填写 (Changed meanwhile; please redo)"));
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
            {Field("address", "地址 Address", typed.Address, $" maxlength=\"{MaxAddressLength}\" autocomplete=\"street-address\"")}
            <div><button type="submit">保存 Save</button> {Link("/", "返回首页 Back")}</div>
            </form></section>
            """;
        return Pages.Page("企业信息 Enterprise profile", body, p, status);
    }
}
