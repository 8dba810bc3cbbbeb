using Voucher.Workflows.Web;

namespace Voucher.Workflows.Policies;

/// <summary>
/// The province centre's policy editor (city and province-wide) with each version history, over <see cref="PolicyService"/>.
/// A publication goes through a confirmation naming what changes; a refused one comes back with the messages by the
/// fields and what was typed.
/// </summary>
public sealed class PolicyPages(PolicyService policies, TimeProvider time)
{
    const string Title = "政策参数管理";

    static readonly CultureInfo Inv = CultureInfo.InvariantCulture;

    /// <summary>The city form's fields; a message about anything else is shown at the top of the form.</summary>
    static readonly string[] CityFields = ["excessRatio", "cadence", "publicityWorkingDays", "bindingMode", "reminderLeadWorkingDays", "validityMonths", "prepaymentShare", "reason"];

    static readonly string[] ProvinceFields = ["annualCap", "eligibleCategories", "amountWeight", "enterprisesWeight", "speedWeight", "qualityWeight", "expertWeight", "violationPenalty", "floorShare", "weights"];

    public Task<IResult> PageAsync(RequestContext ctx) =>
        RenderAsync(ctx, Cities.TryGet(ctx.Request.Query["city"].ToString(), out var c) ? c : Cities.All[0], null, null, StatusCodes.Status200OK);

    public async Task<IResult> PublishCityFormAsync(RequestContext ctx)
    {
        if (!Cities.TryGet(ctx.RouteValue("city"), out var city))
        {
            return Pages.NotFound(ctx.Principal, "没有这个地市。");
        }

        var p = ctx.Principal!;
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
            if (!ConfirmModel.IsConfirmed(form))
            {
                var preview = await policies.PreviewCityPolicyAsync(p, city.Code, change, ctx.Aborted);
                if (preview.Succeeded)
                {
                    return Pages.View<ConfirmPage>("确认发布政策", p, ConfirmCity(city, preview.Value, form));
                }

                if (Refusal(ctx, preview.Failure!) is { } refused)
                {
                    return refused;
                }

                errors.AddRange(FieldErrors(preview.Failure!));
            }
            else
            {
                var outcome = await policies.PublishCityPolicyAsync(p, city.Code, change, ctx.Aborted);
                if (outcome.Succeeded)
                {
                    return Results.Redirect($"/supervision/policies?city={city.Code}&done=" + Uri.EscapeDataString($"{city.NameZh}政策已发布为第{outcome.Value.Version}版，即日生效。"));
                }

                if (Refusal(ctx, outcome.Failure!) is { } refused)
                {
                    return refused;
                }

                errors.AddRange(FieldErrors(outcome.Failure!));
            }
        }

        var typed = new PolicyForm(Typed(form), [], form["largeDenominationEnabled"].ToString() == "on", Place(errors, CityFields, "city-policy-form", null));
        return await RenderAsync(ctx, city, typed, null, StatusCodes.Status400BadRequest);
    }

    public async Task<IResult> PublishProvinceFormAsync(RequestContext ctx)
    {
        var p = ctx.Principal!;
        var form = await JsonBody.FormOrEmptyAsync(ctx.Request, ctx.Aborted);
        var city = Cities.TryGet(ctx.Request.Query["city"].ToString(), out var c) ? c : Cities.All[0];
        var errors = new List<FieldError>();
        var categories = form["eligibleCategories"].Where(v => v is not null).Select(v => v!).ToList();
        var change = new ProvincePolicyChange(
            Int(form["expectedVersion"], "expectedVersion", errors),
            Dec(form["annualCap"], "annualCap", errors),
            categories,
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
            if (!ConfirmModel.IsConfirmed(form))
            {
                var preview = await policies.PreviewProvincePolicyAsync(p, change, ctx.Aborted);
                if (preview.Succeeded)
                {
                    return Pages.View<ConfirmPage>("确认发布政策", p, ConfirmProvince(city, preview.Value, form));
                }

                if (Refusal(ctx, preview.Failure!) is { } refused)
                {
                    return refused;
                }

                errors.AddRange(FieldErrors(preview.Failure!));
            }
            else
            {
                var outcome = await policies.PublishProvincePolicyAsync(p, change, ctx.Aborted);
                if (outcome.Succeeded)
                {
                    return Results.Redirect($"/supervision/policies?city={city.Code}&done=" + Uri.EscapeDataString($"全省政策已发布为第{outcome.Value.Version}版，即日生效。"));
                }

                if (Refusal(ctx, outcome.Failure!) is { } refused)
                {
                    return refused;
                }

                errors.AddRange(FieldErrors(outcome.Failure!));
            }
        }

        var typed = new PolicyForm(Typed(form), categories, false, Place(errors, ProvinceFields, "province-policy-form", ("reason", "province-reason")));
        return await RenderAsync(ctx, city, null, typed, StatusCodes.Status400BadRequest);
    }

    /// <summary>The confirmation of a city's next version: which city, the version, from when, and each parameter that changes.</summary>
    ConfirmModel ConfirmCity(City city, PolicyPreview<CityPolicy> preview, IFormCollection form)
    {
        var (current, next) = (preview.Current, preview.Next);
        var changes = new List<string>();
        void Compare(string label, string before, string after)
        {
            if (before != after)
            {
                changes.Add($"{label}：{before} → {after}");
            }
        }

        Compare("开放 10 万元面额", YesNo(current.LargeDenominationEnabled), YesNo(next.LargeDenominationEnabled));
        Compare("超额补助比例", Num(current.ExcessRatio), Num(next.ExcessRatio));
        Compare("兑付周期", Glossary.Of(current.Cadence), Glossary.Of(next.Cadence));
        Compare("公示期", $"{current.PublicityWorkingDays} 个工作日", $"{next.PublicityWorkingDays} 个工作日");
        Compare("机构确认方式", Glossary.Of(current.BindingMode), Glossary.Of(next.BindingMode));
        Compare("审核到期提醒提前", $"{current.ReminderLeadWorkingDays} 个工作日", $"{next.ReminderLeadWorkingDays} 个工作日");
        Compare("创新券有效期", $"{current.ValidityMonths} 个月", $"{next.ValidityMonths} 个月");
        Compare("事前兑付比例", Num(current.PrepaymentShare), Num(next.PrepaymentShare));
        return new ConfirmModel(
            $"发布{city.NameZh}政策第{next.Version}版？",
            [
                ("地市", city.NameZh),
                ("版本", $"第{next.Version}版（现行为第{current.Version}版）"),
                ("生效", $"发布即生效（{Glossary.DateInSentence(ChinaTime.Today(time))}起）；此后作出的决定按新版本办理，已作出的决定保留其当时的版本"),
                ("修改内容", changes.Count == 0 ? "参数不变，仅记录新版本" : string.Join("；", changes)),
                ("修改原因", next.Reason),
            ],
            $"/supervision/policies/{city.Code}", ConfirmModel.Carry(form), "确认发布", $"/supervision/policies?city={city.Code}");
    }

    /// <summary>The confirmation of the province-wide policy's next version, and the cities a new annual cap is carried to.</summary>
    ConfirmModel ConfirmProvince(City city, PolicyPreview<ProvincePolicy> preview, IFormCollection form)
    {
        var (current, next) = (preview.Current, preview.Next);
        var changes = new List<string>();
        void Compare(string label, string before, string after)
        {
            if (before != after)
            {
                changes.Add($"{label}：{before} → {after}");
            }
        }

        Compare("每家企业年度补助上限", Glossary.Money(current.AnnualCap.Fen), Glossary.Money(next.AnnualCap.Fen));
        var added = next.EligibleCategories.Except(current.EligibleCategories).Select(Voucher.Domain.Catalogue.ServiceCategories.NameOf).ToList();
        var removed = current.EligibleCategories.Except(next.EligibleCategories).Select(Voucher.Domain.Catalogue.ServiceCategories.NameOf).ToList();
        if (added.Count > 0)
        {
            changes.Add("新增可兑付的服务类别：" + string.Join("、", added));
        }

        if (removed.Count > 0)
        {
            changes.Add("不再可兑付的服务类别：" + string.Join("、", removed));
        }

        Compare("评价公式", FormulaText(current.Formula), FormulaText(next.Formula));
        var facts = new List<(string, string)>
        {
            ("版本", $"全省政策第{next.Version}版（现行为第{current.Version}版）"),
            ("生效", $"发布即生效（{Glossary.DateInSentence(ChinaTime.Today(time))}起）"),
            ("修改内容", changes.Count == 0 ? "参数不变，仅记录新版本" : string.Join("；", changes)),
        };
        if (next.AnnualCap != current.AnnualCap)
        {
            facts.Add(("同步到各市", $"新的年度补助上限将作为全省 {Cities.All.Count} 个地市政策的新版本同时发布"));
        }

        facts.Add(("修改原因", next.Reason));
        return new ConfirmModel($"发布全省政策第{next.Version}版？", facts, $"/supervision/province-policy?city={city.Code}", ConfirmModel.Carry(form), "确认发布", $"/supervision/policies?city={city.Code}");
    }

    /// <summary>The evaluation formula in words (history tables and confirmations).</summary>
    public static string FormulaText(EvaluationFormula f) => string.Create(Inv,
        $"金额 {f.AmountWeight}、企业数 {f.EnterprisesWeight}、时效 {f.SpeedWeight}、质量 {f.QualityWeight}、专家 {f.ExpertWeight}，每起违规扣 {f.ViolationPenalty} 分，保底份额 {f.FloorShare * 100:0.##}%");

    static string YesNo(bool value) => value ? "是" : "否";

    static string Num(decimal value) => value.ToString("0.####", Inv);

    /// <summary>A failure that is no message by a field: the whole page answers it.</summary>
    static IResult? Refusal(RequestContext ctx, Failure failure) => failure switch
    {
        Failure.NotFound => Pages.NotFound(ctx.Principal, "没有这个地市。"),
        Failure.Forbidden forbidden => Pages.Forbidden(ctx.Principal!, forbidden.Message),
        _ => null,
    };

    /// <summary>Field errors by field; a version published meanwhile is told at the top of its form.</summary>
    static IEnumerable<FieldError> FieldErrors(Failure failure) => failure switch
    {
        Failure.Invalid invalid => invalid.Errors,
        _ => [new FieldError("expectedVersion", failure.Message)],
    };

    /// <summary>
    /// Each message where the page shows it: by its field (renamed where two forms share a name), or at the top of the
    /// form; the choices' messages in words (the service names the stored values).
    /// </summary>
    static IReadOnlyList<FieldError> Place(IEnumerable<FieldError> errors, string[] fields, string formId, (string From, string To)? rename) =>
        errors.Select(e => e.Field switch
        {
            "cadence" => new FieldError("cadence", "请从列表中选择兑付周期"),
            "bindingMode" => new FieldError("bindingMode", "请从列表中选择机构确认方式"),
            var f when rename is { } r && f == r.From => e with { Field = r.To },
            var f when fields.Contains(f) => e,
            _ => e with { Field = formId },
        }).ToList();

    static Dictionary<string, string> Typed(IFormCollection form) => form.ToDictionary(f => f.Key, f => f.Value.ToString());

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

        errors.Add(new(field, "须为整数"));
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

        errors.Add(new(field, "须为数字，如 0.5"));
        return null;
    }

    async Task<IResult> RenderAsync(RequestContext ctx, City city, PolicyForm? cityTyped, PolicyForm? provinceTyped, int status)
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
        var cityForm = cityTyped ?? new PolicyForm(new Dictionary<string, string>
        {
            ["excessRatio"] = Num(current.ExcessRatio),
            ["cadence"] = current.Cadence.ToString().ToLowerInvariant(),
            ["publicityWorkingDays"] = current.PublicityWorkingDays.ToString(Inv),
            ["bindingMode"] = current.BindingMode.ToString().ToLowerInvariant(),
            ["reminderLeadWorkingDays"] = current.ReminderLeadWorkingDays.ToString(Inv),
            ["validityMonths"] = current.ValidityMonths.ToString(Inv),
            ["prepaymentShare"] = Num(current.PrepaymentShare),
        }, [], current.LargeDenominationEnabled, []);
        var f = province.Formula;
        var provinceForm = provinceTyped ?? new PolicyForm(new Dictionary<string, string>
        {
            ["annualCap"] = province.AnnualCap.Yuan.ToString("0.##", Inv),
            ["amountWeight"] = Num(f.AmountWeight),
            ["enterprisesWeight"] = Num(f.EnterprisesWeight),
            ["speedWeight"] = Num(f.SpeedWeight),
            ["qualityWeight"] = Num(f.QualityWeight),
            ["expertWeight"] = Num(f.ExpertWeight),
            ["violationPenalty"] = Num(f.ViolationPenalty),
            ["floorShare"] = Num(f.FloorShare),
        }, province.EligibleCategories, false, []);
        return Pages.View<PolicyPage>(Title, ctx.Principal, new PolicyModel(city, current, history, province, provinceHistory, cityForm, provinceForm), status);
    }
}

/// <summary>A policy form's values (as typed, or the version in force), its chosen categories and checkbox, and its messages.</summary>
public sealed record PolicyForm(IReadOnlyDictionary<string, string> Values, IReadOnlyList<string> Categories, bool LargeDenomination, IReadOnlyList<FieldError> Errors)
{
    public string Value(string name) => Values.TryGetValue(name, out var v) ? v : "";
}

/// <summary>The policy page: the chosen city's policy and history, the province-wide policy and history, and both forms.</summary>
public sealed record PolicyModel(City City, CityPolicy Current, IReadOnlyList<CityPolicy> History, ProvincePolicy Province, IReadOnlyList<ProvincePolicy> ProvinceHistory, PolicyForm CityForm, PolicyForm ProvinceForm);
