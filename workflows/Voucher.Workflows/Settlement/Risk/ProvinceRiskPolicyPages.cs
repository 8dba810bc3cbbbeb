using Voucher.Workflows.Policies;
using Voucher.Workflows.Web;

namespace Voucher.Workflows.Settlement.Risk;

/// <summary>The risk rules page: the version in force with who set it and why, the form, and every version before.</summary>
public sealed record ProvinceRiskPolicyModel(ProvincePolicy Current, IReadOnlyList<ProvincePolicy> History, PolicyForm Form);

/// <summary>
/// The province centre edits the risk rules and thresholds of the province policy in the portal
/// (<c>/portal/province/risk/policy</c>). The change goes through <see cref="PolicyService"/>, the same checks and
/// publication as <c>POST /api/province-policy</c>: a confirmation naming what changes, then a new version of the
/// province policy (audited), or the page again with the messages by the fields and what was typed.
/// </summary>
public sealed class ProvinceRiskPolicyPages(PolicyService policies, TimeProvider time)
{
    public const string Path = "/portal/province/risk/policy";

    const string Title = "风险规则与阈值";

    /// <summary>The form's number fields, in the order the page shows them (the service names them <c>risk.{name}</c>).</summary>
    public static readonly IReadOnlyList<(string Name, string Label, Func<RiskPolicy, int> Read)> Thresholds =
    [
        ("repeatedFaceValueCount", "按面额重复兑付：次数达到（次）", r => r.RepeatedFaceValueCount),
        ("repeatedFaceValueDays", "按面额重复兑付：统计天数（天）", r => r.RepeatedFaceValueDays),
        ("burstCount", "机构短期兑付集中：笔数达到（笔）", r => r.BurstCount),
        ("burstDays", "机构短期兑付集中：统计天数（天）", r => r.BurstDays),
        ("violationYears", "违规记录追溯年数（年）", r => r.ViolationYears),
    ];

    public Task<IResult> PageAsync(RequestContext ctx) => RenderAsync(ctx, null, StatusCodes.Status200OK);

    public async Task<IResult> PublishAsync(RequestContext ctx)
    {
        var p = ctx.Principal!;
        var form = await JsonBody.FormOrEmptyAsync(ctx.Request, ctx.Aborted);
        var errors = new List<FieldError>();
        var rules = form["rules"].Where(v => v is not null).Select(v => v!).ToList();
        var values = Thresholds.ToDictionary(t => t.Name, t => Int(form[t.Name], t.Name, errors));
        var expected = form["expectedVersion"].ToString();
        if (errors.Count == 0)
        {
            var change = new ProvincePolicyChange(
                int.TryParse(expected, NumberStyles.Integer, CultureInfo.InvariantCulture, out var v) ? v : null,
                null, null, null, null, null, null, null, null, null,
                form["reason"].ToString(),
                new RiskPolicy
                {
                    Rules = rules,
                    RepeatedFaceValueCount = values["repeatedFaceValueCount"]!.Value,
                    RepeatedFaceValueDays = values["repeatedFaceValueDays"]!.Value,
                    BurstCount = values["burstCount"]!.Value,
                    BurstDays = values["burstDays"]!.Value,
                    ViolationYears = values["violationYears"]!.Value,
                });
            if (!ConfirmModel.IsConfirmed(form))
            {
                var preview = await policies.PreviewProvincePolicyAsync(p, change, ctx.Aborted);
                if (preview.Succeeded)
                {
                    return Pages.View<ConfirmPage>("确认修改风险规则", p, Confirm(preview.Value, form));
                }

                if (preview.Failure is Failure.Forbidden forbidden)
                {
                    return Pages.Forbidden(p, forbidden.Message);
                }

                errors.AddRange(Place(preview.Failure!));
            }
            else
            {
                var outcome = await policies.PublishProvincePolicyAsync(p, change, ctx.Aborted);
                if (outcome.Succeeded)
                {
                    return Results.Redirect(Path + "?done=" + Uri.EscapeDataString($"风险规则已随全省政策第{outcome.Value.Version}版发布，此后形成的结算批次按新规则核查。"));
                }

                if (outcome.Failure is Failure.Forbidden forbidden)
                {
                    return Pages.Forbidden(p, forbidden.Message);
                }

                errors.AddRange(Place(outcome.Failure!));
            }
        }

        var typed = new PolicyForm(
            Thresholds.Select(t => t.Name).Append("reason").ToDictionary(n => n, n => form[n].ToString()),
            rules, false, errors);
        return await RenderAsync(ctx, typed, StatusCodes.Status400BadRequest);
    }

    /// <summary>The confirmation: the version, from when, each rule switched on or off and each threshold that changes, the reason.</summary>
    ConfirmModel Confirm(PolicyPreview<ProvincePolicy> preview, IFormCollection form)
    {
        var (current, next) = (preview.Current.Risk, preview.Next.Risk);
        var changes = new List<string>();
        foreach (var rule in RiskRules.All)
        {
            if (current.IsOn(rule) != next.IsOn(rule))
            {
                changes.Add($"{(next.IsOn(rule) ? "启用" : "停用")}“{RiskRules.Chinese(rule)}”");
            }
        }

        foreach (var (name, label, read) in Thresholds)
        {
            if (read(current) != read(next))
            {
                changes.Add($"{label}：{read(current)} → {read(next)}");
            }
        }

        return new ConfirmModel(
            $"发布全省政策第{preview.Next.Version}版（风险规则）？",
            [
                ("版本", $"全省政策第{preview.Next.Version}版（现行为第{preview.Current.Version}版）"),
                ("生效", $"发布即生效（{Glossary.DateInSentence(ChinaTime.Today(time))}起）；此后形成的结算批次按新规则核查，已核查的保留其当时的版本"),
                ("修改内容", changes.Count == 0 ? "规则和阈值不变，仅记录新版本" : string.Join("；", changes)),
                ("修改原因", preview.Next.Reason),
            ],
            Path, ConfirmModel.Carry(form), "确认发布", Path);
    }

    /// <summary>Each message by the field the page shows: the service's <c>risk.x</c> as <c>x</c>; a version published meanwhile at the top.</summary>
    static IEnumerable<FieldError> Place(Failure failure) => failure switch
    {
        Failure.Invalid invalid => invalid.Errors.Select(e => e.Field switch
        {
            var f when f.StartsWith("risk.", StringComparison.Ordinal) => e with { Field = f["risk.".Length..] },
            "reason" => e,
            _ => e with { Field = "risk-policy-form" },
        }),
        _ => [new FieldError("risk-policy-form", failure.Message)],
    };

    static int? Int(string? text, string field, List<FieldError> errors)
    {
        if (int.TryParse(text?.Trim(), NumberStyles.Integer, CultureInfo.InvariantCulture, out var v))
        {
            return v;
        }

        errors.Add(new(field, "请填写整数"));
        return null;
    }

    async Task<IResult> RenderAsync(RequestContext ctx, PolicyForm? typed, int status)
    {
        var read = await policies.ProvinceHistoryAsync(ctx.Principal!, ctx.Aborted);
        if (read.Failure is { } failure)
        {
            return Pages.Forbidden(ctx.Principal!, failure.Message);
        }

        var current = read.Value.Current;
        var form = typed ?? new PolicyForm(
            Thresholds.ToDictionary(t => t.Name, t => t.Read(current.Risk).ToString(CultureInfo.InvariantCulture)),
            current.Risk.Rules, false, []);
        return Pages.View<ProvinceRiskPolicyPage>(Title, ctx.Principal, new ProvinceRiskPolicyModel(current, read.Value.Versions, form), status);
    }
}
