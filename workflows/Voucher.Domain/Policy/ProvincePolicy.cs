namespace Voucher.Domain;

/// <summary>
/// The province-wide policy, versioned like <see cref="CityPolicy"/>: the annual cap per enterprise, the service
/// categories a voucher may be spent on, and the formula that turns the annual evaluation into next year's shares of
/// the provincial voucher funds. Every change is a new version with who, when and why.
/// </summary>
public sealed record ProvincePolicy
{
    /// <summary>Every category the system knows (the catalogue's codes).</summary>
    public static IReadOnlyList<string> KnownCategories { get; } = Catalogue.ServiceCategories.All.Select(c => c.Code).ToList();

    /// <summary>The categories eligible by default (the catalogue's defaults), until the province publishes its own list.</summary>
    public static IReadOnlyList<string> DefaultEligibleCategories { get; } = Catalogue.ServiceCategories.All.Where(c => c.VoucherEligible).Select(c => c.Code).ToList();

    public required int Version { get; init; }

    public Cny AnnualCap { get; init; } = Cny.FromYuan(200_000m);

    public IReadOnlyList<string> EligibleCategories { get; init; } = DefaultEligibleCategories;

    public EvaluationFormula Formula { get; init; } = new();

    /// <summary>The risk rules checked when a redemption enters a settlement batch, and their thresholds.</summary>
    public RiskPolicy Risk { get; init; } = new();

    public DateTimeOffset EffectiveFrom { get; init; }

    public string ChangedBy { get; init; } = "system";

    public string Reason { get; init; } = "initial defaults";

    public static ProvincePolicy Default(DateTimeOffset effectiveFrom) => new() { Version = 1, EffectiveFrom = effectiveFrom };

    public ProvincePolicy NextVersion(string changedBy, string reason, DateTimeOffset effectiveFrom) =>
        this with { Version = Version + 1, ChangedBy = changedBy, Reason = reason, EffectiveFrom = effectiveFrom };

    public IReadOnlyList<FieldError> Validate()
    {
        var errors = new List<FieldError>();
        if (Version < 1)
        {
            errors.Add(new("version", "版本号必须从 1 开始 (Version must be 1 or greater)"));
        }

        if (!AnnualCap.IsPositive)
        {
            errors.Add(new("annualCap", "年度补助上限必须大于零 (Annual cap must be greater than zero)"));
        }

        if (EligibleCategories.Count == 0)
        {
            errors.Add(new("eligibleCategories", "至少选择一个服务类别 (Choose at least one service category)"));
        }
        else if (EligibleCategories.FirstOrDefault(c => !KnownCategories.Contains(c)) is { } unknown)
        {
            errors.Add(new("eligibleCategories", $"未知的服务类别“{unknown}” (Unknown category '{unknown}')"));
        }

        errors.AddRange(Formula.Validate());
        errors.AddRange(Risk.Validate());
        if (string.IsNullOrWhiteSpace(ChangedBy))
        {
            errors.Add(new("changedBy", "必须记录修改人 (Changed-by is required)"));
        }

        if (string.IsNullOrWhiteSpace(Reason))
        {
            errors.Add(new("reason", "必须填写修改原因 (Reason is required)"));
        }

        return errors;
    }
}
