namespace Voucher.Domain.Catalogue;

/// <summary>
/// A kind of innovation service; <see cref="VoucherEligible"/> is the scheme's default, from which the province policy's
/// first version takes its eligible categories (the province centre edits that list; the policy's list is what applies).
/// </summary>
public sealed record ServiceCategory(string Code, string NameZh, string NameEn, bool VoucherEligible, string ExampleZh);

/// <summary>
/// The service categories of the scheme (§1.1, §4.4 of the paper). Consulting is eligible as §4.4 suggests. Which of
/// them vouchers pay for is the province policy's <c>EligibleCategories</c> (versioned, edited by the province centre);
/// the flags here are only its defaults.
/// </summary>
public static class ServiceCategories
{
    public static IReadOnlyList<ServiceCategory> All { get; } =
    [
        new("scientific-data", "科学数据", "Scientific data", true, "行业数据集、监测数据、检测数据库查询"),
        new("germplasm", "生物种质资源", "Germplasm resources", true, "种质资源鉴定、保藏、提供"),
        new("testing", "检验检测", "Testing & inspection", true, "材料成分分析、性能测试、仪器共享"),
        new("novelty-search", "科技查新", "Novelty search", true, "立项查新、成果鉴定查新、专利查新"),
        new("consulting", "技术咨询", "Technology consulting", true, "工艺诊断、技术路线论证"),
        new("cooperative-rd", "合作研发", "Cooperative R&D", true, "联合攻关、委托开发"),
    ];

    public static bool TryGet(string? code, out ServiceCategory category)
    {
        category = All.FirstOrDefault(c => string.Equals(c.Code, code, StringComparison.Ordinal))!;
        return category is not null;
    }

    public static string NameOf(string? code) => TryGet(code, out var c) ? c.NameZh : code ?? "";

    /// <summary>The built-in default only; pages, search and redemption follow the province policy's list.</summary>
    public static bool IsEligible(string? code) => TryGet(code, out var c) && c.VoucherEligible;
}

/// <summary>Institution kinds named by the scheme: universities, research institutes, innovation platforms and bases.</summary>
public static class InstitutionTypes
{
    public static IReadOnlyList<(string Code, string NameZh, string NameEn)> All { get; } =
    [
        ("university", "高等院校", "University"),
        ("research-institute", "科研院所", "Research institute"),
        ("platform", "创新平台/基地", "Innovation platform"),
    ];

    public static bool IsKnown(string? code) => All.Any(t => t.Code == code);

    public static string NameOf(string? code) => All.FirstOrDefault(t => t.Code == code).NameZh ?? code ?? "";
}
