using Voucher.Workflows.Supervision;
using Voucher.Workflows.Web;
using static Voucher.Workflows.Web.Html;

namespace Voucher.Workflows.Policies;

/// <summary>The province centre's policy editor (city and province-wide) with each version history, over <see cref="PolicyService"/>.</summary>
public sealed class PolicyPages(PolicyService policies)
{
    /// <summary>The shared table, its scroll box keyboard-focusable (these tables are wide).</summary>
    static string Table(IReadOnlyList<string> headers, IEnumerable<IEnumerable<string>> rows, string empty) =>
        Charts.Region(Voucher.Workflows.Web.Html.Table(headers, rows, empty), $"表格 Table：{headers[0]}，{headers[1]} … {headers[^1]}");

    static readonly CultureInfo Inv = CultureInfo.InvariantCulture;

    public Task<IResult> PageAsync(RequestContext ctx) =>
        RenderAsync(ctx, Cities.TryGet(ctx.Request.Query["city"].ToString(), out var c) ? c : Cities.All[0], null, null, null, StatusCodes.Status200OK);

    public async Task<IResult> PublishCityFormAsync(RequestContext ctx)
    {
        if (!Cities.TryGet(ctx.RouteValue("city"), out var city))
        {
            return Pages.NotFound(ctx.Principal, "未知的城市 (Unknown city)");
        }

        var form = await JsonBody.FormOrEmptyAsync(ctx.Request, ctx.Aborted);
        var errors = new List<FieldError>();
        var change = new CityPolicyChange(
            Int(form["expectedVersion"], "expectedVersion", errors),
            form["largeDenominationEnabled"].ToString() == "on",
            Dec(form["excessRatio"], "excessRatio", errors),
            form["cadence"].ToString(),
            Int(form["publicityWorkingDays"], "publicityWorkingDays", errors),
            form["bindingMode"].ToString(),
            Int(form["reminderLeadWorkingDays"], "reminderLeadWorkingDays", errors),
            Int(form["validityMonths"], "validityMonths", errors),
            form["reason"].ToString(),
            Dec(form["prepaymentShare"], "prepaymentShare", errors));
        if (errors.Count == 0)
        {
            var outcome = await policies.PublishCityPolicyAsync(ctx.Principal!, city.Code, change, ctx.Aborted);
            if (outcome.Succeeded)
            {
                return Results.Redirect($"/supervision/policies?city={city.Code}&done=" + Uri.EscapeDataString($"{city.NameZh}政策已发布为 v{outcome.Value.Version} (published)"));
            }

            if (Refusal(ctx, outcome.Failure!) is { } refused)
            {
                return refused;
            }

            errors.AddRange(FieldErrors(outcome.Failure!));
        }

        return await RenderAsync(ctx, city, form, errors, null, StatusCodes.Status400BadRequest);
    }

    public async Task<IResult> PublishProvinceFormAsync(RequestContext ctx)
    {
        var form = await JsonBody.FormOrEmptyAsync(ctx.Request, ctx.Aborted);
        var errors = new List<FieldError>();
        var change = new ProvincePolicyChange(
            Int(form["expectedVersion"], "expectedVersion", errors),
            Dec(form["annualCap"], "annualCap", errors),
            form["eligibleCategories"].Where(v => v is not null).Select(v => v!).ToList(),
            Dec(form["amountWeight"], "amountWeight", errors),
            Dec(form["enterprisesWeight"], "enterprisesWeight", errors),
            Dec(form["speedWeight"], "speedWeight", errors),
            Dec(form["qualityWeight"], "qualityWeight", errors),
            Dec(form["expertWeight"], "expertWeight", errors),
            Dec(form["violationPenalty"], "violationPenalty", errors),
            Dec(form["floorShare"], "floorShare", errors),
            form["reason"].ToString());
        if (errors.Count == 0)
        {
            var outcome = await policies.PublishProvincePolicyAsync(ctx.Principal!, change, ctx.Aborted);
            if (outcome.Succeeded)
            {
                return Results.Redirect("/supervision/policies?done=" + Uri.EscapeDataString($"全省政策已发布为 v{outcome.Value.Version} (published)"));
            }

            if (Refusal(ctx, outcome.Failure!) is { } refused)
            {
                return refused;
            }

            errors.AddRange(FieldErrors(outcome.Failure!));
        }

        var city = Cities.TryGet(ctx.Request.Query["city"].ToString(), out var c) ? c : Cities.All[0];
        return await RenderAsync(ctx, city, null, null, (form, errors), StatusCodes.Status400BadRequest);
    }

    /// <summary>A failure that is no message by a field: the whole page answers it.</summary>
    static IResult? Refusal(RequestContext ctx, Failure failure) => failure switch
    {
        Failure.NotFound notFound => Pages.NotFound(ctx.Principal, notFound.Message),
        Failure.Forbidden forbidden => Pages.Forbidden(ctx.Principal!, forbidden.Message),
        _ => null,
    };

    /// <summary>Field errors by field; a version published meanwhile is told at the top of its form.</summary>
    static IEnumerable<FieldError> FieldErrors(Failure failure) => failure switch
    {
        Failure.Invalid invalid => invalid.Errors,
        _ => [new FieldError("expectedVersion", failure.Message)],
    };

    static int? Int(string? text, string field, List<FieldError> errors)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            return null;
        }

        if (int.TryParse(text.Trim(), NumberStyles.Integer, Inv, out var v))
        {
            return v;
        }

        errors.Add(new(field, "须为整数 (Must be a whole number)"));
        return null;
    }

    static decimal? Dec(string? text, string field, List<FieldError> errors)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            return null;
        }

        if (decimal.TryParse(text.Trim(), NumberStyles.AllowDecimalPoint | NumberStyles.AllowLeadingSign, Inv, out var v))
        {
            return v;
        }

        errors.Add(new(field, "须为数字 (Must be a number)"));
        return null;
    }

    async Task<IResult> RenderAsync(RequestContext ctx, City city, IFormCollection? cityTyped, IReadOnlyList<FieldError>? cityErrors, (IFormCollection Form, IReadOnlyList<FieldError> Errors)? provinceTyped, int status)
    {
        var ct = ctx.Aborted;
        var cityRead = await policies.CityHistoryAsync(ctx.Principal!, city.Code, ct);
        var provinceRead = await policies.ProvinceHistoryAsync(ctx.Principal!, ct);
        if ((cityRead.Failure ?? provinceRead.Failure) is { } failure)
        {
            return Refusal(ctx, failure) ?? Pages.Error(ctx.Principal, failure.Message, StatusCodes.Status409Conflict);
        }

        var (current, history) = (cityRead.Value.Current, cityRead.Value.Versions);
        var (province, provinceHistory) = (provinceRead.Value.Current, provinceRead.Value.Versions);
        var sb = new StringBuilder(Web.PageParts.Flash(ctx.Request));

        var cityLinks = string.Join(" · ", Cities.All.Select(c => c.Code == city.Code ? $"<strong>{E(c.NameZh)}</strong>" : Link($"/supervision/policies?city={c.Code}", c.NameZh)));
        sb.Append(Inv, $"<section class=\"card\"><h2>选择地市 Choose a city</h2><p>{cityLinks}</p></section>");

        // City form.
        var errs = cityErrors ?? [];
        string V(string name, string value) => cityTyped is null ? value : cityTyped[name].ToString();
        var large = cityTyped is null ? current.LargeDenominationEnabled : cityTyped["largeDenominationEnabled"].ToString() == "on";
        var cadence = V("cadence", current.Cadence.ToString().ToLowerInvariant());
        var binding = V("bindingMode", current.BindingMode.ToString().ToLowerInvariant());
        string Options(IEnumerable<(string Value, string Label)> items, string selected) =>
            string.Concat(items.Select(i => $"<option value=\"{i.Value}\"{(string.Equals(i.Value, selected, StringComparison.OrdinalIgnoreCase) ? " selected" : "")}>{E(i.Label)}</option>"));
        sb.Append(Inv, $"""
            <section class="card"><h2>{E(city.NameZh)}政策参数 City policy（当前 current v{current.Version}）</h2>
            {Errors(errs, "expectedVersion")}
            <form method="post" action="/supervision/policies/{city.Code}" id="city-policy-form">
            <input type="hidden" name="expectedVersion" value="{current.Version}">
            <p>标准面额 Standard face value：{E(current.FaceValue.ToString())}</p>
            <label for="largeDenominationEnabled"><input type="checkbox" id="largeDenominationEnabled" name="largeDenominationEnabled" style="width:auto"{(large ? " checked" : "")}> 开放 10 万元面额 Offer the 100,000 denomination（{E(current.LargeFaceValue.ToString())}）</label>
            {Field("excessRatio", "超额补助比例 Excess ratio（0–1）", V("excessRatio", current.ExcessRatio.ToString(Inv)), errs)}
            <label for="cadence">兑付周期 Settlement cadence</label>{Errors(errs, "cadence")}<select id="cadence" name="cadence">{Options([("annual", "每年 Annual"), ("semiannual", "每半年 Semiannual"), ("quarterly", "每季度 Quarterly"), ("monthly", "每月 Monthly")], cadence)}</select>
            {Field("publicityWorkingDays", "公示期（工作日）Publicity window, working days", V("publicityWorkingDays", current.PublicityWorkingDays.ToString(Inv)), errs)}
            <label for="bindingMode">机构确认方式 Binding mode</label>{Errors(errs, "bindingMode")}<select id="bindingMode" name="bindingMode">{Options([("system", "系统确认 System"), ("seal", "机构公章 Seal")], binding)}</select>
            {Field("reminderLeadWorkingDays", "审核提醒提前（工作日）Reminder lead, working days", V("reminderLeadWorkingDays", current.ReminderLeadWorkingDays.ToString(Inv)), errs)}
            {Field("validityMonths", "创新券有效期（月）Voucher validity, months", V("validityMonths", current.ValidityMonths.ToString(Inv)), errs)}
            {Field("prepaymentShare", "事前兑付比例 Pre-payment share for trusted enterprises（0–1）", V("prepaymentShare", current.PrepaymentShare.ToString(Inv)), errs)}
            {Field("reason", "修改原因 Reason（必填 required）", cityTyped?["reason"].ToString() ?? "", errs)}
            <div><button type="submit">发布新版本 Publish a new version</button></div>
            </form>
            <p class="muted">发布后生效于此后的决定；已作出的决定保留其当时的版本。A new version applies to later decisions; earlier decisions keep the version they recorded.</p>
            </section>
            """);
        sb.Append(Inv, $"""
            <section class="card"><h2>{E(city.NameZh)}版本历史 Version history</h2>
            {Table(["版本 Version", "生效 From", "修改人 By", "原因 Why", "面额 Face values", "超额比例 Ratio", "周期 Cadence", "公示 Publicity", "确认 Binding", "提醒 Reminder", "有效期 Validity", "事前兑付 Pre-pay", "年度上限 Cap"],
                history.Select(h => new[] { $"v{h.Version}", E(h.EffectiveFrom == default ? "" : Settlement.BatchLinks.ChinaDate(h.EffectiveFrom)), E(h.ChangedBy), E(h.Reason),
                    E(h.LargeDenominationEnabled ? $"{h.FaceValue} / {h.LargeFaceValue}" : h.FaceValue.ToString()), E(h.ExcessRatio.ToString(Inv)), E(h.Cadence.ToString()),
                    E($"{h.PublicityWorkingDays} 工作日"), E(h.BindingMode.ToString()), E($"{h.ReminderLeadWorkingDays} 工作日"), E($"{h.ValidityMonths} 月"), E(h.PrepaymentShare.ToString(Inv)), E(h.AnnualCap.ToString()) }), "")}
            </section>
            """);

        // Province form.
        var perrs = provinceTyped?.Errors ?? [];
        var pf = provinceTyped?.Form;
        string P(string name, string value) => pf is null ? value : pf[name].ToString();
        var chosen = pf is null ? province.EligibleCategories : pf["eligibleCategories"].Select(v => v ?? "").ToList();
        var boxes = string.Concat(ProvincePolicy.KnownCategories.Select(c =>
            $"<label for=\"cat-{c}\"><input type=\"checkbox\" style=\"width:auto\" id=\"cat-{c}\" name=\"eligibleCategories\" value=\"{c}\"{(chosen.Contains(c) ? " checked" : "")}> {E(Voucher.Domain.Catalogue.ServiceCategories.NameOf(c))} ({c})</label>"));
        var f = province.Formula;
        sb.Append(Inv, $"""
            <section class="card"><h2>全省政策 Province-wide policy（当前 current v{province.Version}）</h2>
            {Errors(perrs, "expectedVersion")}{Errors(perrs, "weights")}
            <form method="post" action="/supervision/province-policy?city={city.Code}" id="province-policy-form">
            <input type="hidden" name="expectedVersion" value="{province.Version}">
            {Field("annualCap", "每家企业年度补助上限（元）Annual cap per enterprise, CNY", P("annualCap", province.AnnualCap.Yuan.ToString("0.##", Inv)), perrs)}
            <fieldset><legend>可兑付的服务类别 Eligible service categories</legend>{Errors(perrs, "eligibleCategories")}{boxes}</fieldset>
            <fieldset><legend>绩效评价公式 Evaluation formula（权重之和为 1 weights add up to 1）</legend>
            {Field("amountWeight", "兑付金额权重 Amount weight", P("amountWeight", f.AmountWeight.ToString(Inv)), perrs)}
            {Field("enterprisesWeight", "服务企业数权重 Enterprises weight", P("enterprisesWeight", f.EnterprisesWeight.ToString(Inv)), perrs)}
            {Field("speedWeight", "办理时效权重 Speed weight", P("speedWeight", f.SpeedWeight.ToString(Inv)), perrs)}
            {Field("qualityWeight", "兑付质量权重 Quality weight（1 − 驳回/异议占比）", P("qualityWeight", f.QualityWeight.ToString(Inv)), perrs)}
            {Field("expertWeight", "专家评分权重 Expert score weight", P("expertWeight", f.ExpertWeight.ToString(Inv)), perrs)}
            {Field("violationPenalty", "每起违规扣分 Points per violation", P("violationPenalty", f.ViolationPenalty.ToString(Inv)), perrs)}
            {Field("floorShare", "每市保底份额 Floor share per city（0.02 = 2%）", P("floorShare", f.FloorShare.ToString(Inv)), perrs)}
            </fieldset>
            {Field("reason", "修改原因 Reason（必填 required）", pf?["reason"].ToString() ?? "", perrs, "province-reason")}
            <div><button type="submit">发布全省政策新版本 Publish province policy</button></div>
            </form>
            {Table(["版本 Version", "生效 From", "修改人 By", "原因 Why", "年度上限 Cap", "服务类别 Categories", "评价公式 Formula"],
                provinceHistory.Select(h => new[] { $"v{h.Version}", E(h.EffectiveFrom == DateTimeOffset.UnixEpoch ? "" : Settlement.BatchLinks.ChinaDate(h.EffectiveFrom)), E(h.ChangedBy), E(h.Reason), E(h.AnnualCap.ToString()), E(string.Join(", ", h.EligibleCategories)),
                    E($"金额{h.Formula.AmountWeight} 企业{h.Formula.EnterprisesWeight} 时效{h.Formula.SpeedWeight} 质量{h.Formula.QualityWeight} 专家{h.Formula.ExpertWeight} 违规−{h.Formula.ViolationPenalty} 保底{h.Formula.FloorShare}") }), "")}
            </section>
            """);
        return Pages.Page("政策参数管理 Policy administration", sb.ToString(), ctx.Principal, status);
    }

    static string Errors(IReadOnlyList<FieldError> errors, string field) =>
        string.Concat(errors.Where(e => e.Field == field).Select(e => $"<p class=\"error\" role=\"alert\">{E(e.Message)}</p>"));

    static string Field(string name, string label, string value, IReadOnlyList<FieldError> errors, string? id = null)
    {
        id ??= name;
        var invalid = errors.Any(e => e.Field == name);
        var err = string.Concat(errors.Where(e => e.Field == name).Select(e => $"<p class=\"error\" id=\"{id}-error\" role=\"alert\">{E(e.Message)}</p>"));
        return $"<label for=\"{id}\">{E(label)}</label>{err}<input id=\"{id}\" name=\"{name}\" value=\"{Attr(value)}\"{(invalid ? $" aria-invalid=\"true\" aria-describedby=\"{id}-error\"" : "")}>";
    }
}
