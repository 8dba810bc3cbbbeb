using Voucher.Workflows.Configuration;
using Voucher.Workflows.Policies;
using Voucher.Workflows.Web;

namespace Voucher.Workflows.Portal;

/// <summary>
/// The service guide (办事指南, §4.1 of the paper) at <c>/guide</c>: conditions, documents, the steps, the time limits
/// in working days, fees, the policy basis and the money rules — every number read from the city's policy version in
/// force and the province's rules, never typed here — and an eligibility self-check that answers with the same rules
/// the application workflow applies.
/// </summary>
public sealed class GuidePages(PolicyStore policies, ProvincePolicyStore province, VoucherSettings settings, TimeProvider time)
{
    const string Title = "办事指南 · 科技创新券";

    public async Task<IResult> GuideAsync(RequestContext ctx)
    {
        var city = Cities.TryGet(ctx.Request.Query["city"], out var c) ? c : Cities.Get("taiyuan");
        return Pages.View<GuidePage>(Title, ctx.Principal, await ModelAsync(city, ctx.Aborted));
    }

    public async Task<IResult> SelfCheckAsync(RequestContext ctx)
    {
        if (!ctx.Request.HasFormContentType)
        {
            return Pages.Error(ctx.Principal, "请通过办事指南页面的资格自测表单提交。", StatusCodes.Status400BadRequest);
        }

        var form = await JsonBody.FormOrEmptyAsync(ctx.Request, ctx.Aborted);
        var cityCode = Cities.TryGet(form["cityCode"], out var city) ? city.Code : "";
        var uscc = Uscc.TryValidate(form["uscc"], out var normalized, out _) ? normalized : form["uscc"].ToString().Trim();
        DateOnly? bar = DateOnly.TryParse(form["barredUntil"], CultureInfo.InvariantCulture, out var b) ? b : null;
        var facts = new EnterpriseFacts(uscc, cityCode, true, form["techSme"] == "on", bar, form["liveVoucher"] == "on");
        var policy = await policies.GetCurrentAsync(cityCode.Length > 0 ? cityCode : "taiyuan", ctx.Aborted);
        var result = Eligibility.Check(facts, policy, ChinaTime.DateOf(time.GetUtcNow().UtcDateTime));
        var reasons = result.Reasons.Select(r => r.Code == Eligibility.UnknownCity ? "请选择企业注册所在的地市。" : Glossary.ChineseOnly(r.Message)).ToList();
        return Pages.View<SelfCheckResultPage>("资格自测结果", ctx.Principal, new SelfCheckResult(result.Eligible, reasons, cityCode.Length > 0 ? Cities.Get(cityCode) : null));
    }

    async Task<GuideModel> ModelAsync(City city, CancellationToken ct)
    {
        var policy = await policies.GetCurrentAsync(city.Code, ct);
        var rules = await province.GetCurrentAsync(ct);
        return new GuideModel(city, policy, rules, GuideMoneyRules.For(policy), settings.MaxEvidenceBytes);
    }
}

/// <summary>The guide of one city: its policy in force, the province's rules, the money rules and the evidence size limit.</summary>
public sealed record GuideModel(City City, CityPolicy Policy, ProvincePolicy Province, GuideMoneyRules Money, long MaxEvidenceBytes)
{
    /// <summary>The steps of the scheme as the step diagram shows them: the step, who acts, the time limit.</summary>
    public IReadOnlyList<(string Step, string Who, string Limit)> Steps =>
    [
        ("申领", "企业申请，市科技局审核", $"{Policy.ReviewWorkingDays} 个工作日内完成资格审核"),
        ("购买服务", "企业向服务机构购买服务", $"创新券有效期 {Policy.ValidityMonths} 个月"),
        ("兑付申请", "企业上传材料，提出兑付", "服务完成、付款后提交"),
        ("机构确认", "服务机构", Policy.BindingMode == BindingMode.Seal ? "合同加盖服务机构公章，代替系统确认" : $"{Policy.BindingWorkingDays} 个工作日内在系统中确认"),
        ("结算审核", "市科技局、市财政局", $"{Glossary.Of(Policy.Cadence)}集中审核"),
        ("公示", "市科技局", $"{Policy.PublicityWorkingDays} 个工作日，期间可提出异议"),
        ("拨付", "市财政局", "公示期满无异议后拨付"),
    ];

    /// <summary>The eligible service categories, as the province's rules list them.</summary>
    public IReadOnlyList<Domain.Catalogue.ServiceCategory> Eligible =>
        [.. Domain.Catalogue.ServiceCategories.All.Where(c => Province.EligibleCategories.Contains(c.Code))];

    /// <summary>The date a policy version took effect, when it was published (version 1 of the defaults has none).</summary>
    public static DateOnly? EffectiveDate(DateTimeOffset from) => from.Year >= 2000 ? ChinaTime.DateOf(from.UtcDateTime) : null;
}

/// <summary>The self-check's answer: eligible or not, the reasons in Chinese, the city chosen.</summary>
public sealed record SelfCheckResult(bool Eligible, IReadOnlyList<string> Reasons, City? City);
