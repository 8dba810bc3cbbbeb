namespace Voucher.Domain;

/// <summary>
/// The risk rules of the province policy (<see cref="ProvincePolicy.Risk"/>): which <see cref="RiskRule"/>s are switched
/// on and their thresholds. Versioned with the province policy; each batch item records the version it was checked under.
/// </summary>
public sealed record RiskPolicy
{
    /// <summary>The rules switched on, by code (<see cref="RiskRules.Code"/>); every rule by default.</summary>
    public IReadOnlyList<string> Rules { get; init; } = RiskRules.All.Select(RiskRules.Code).ToList();

    /// <summary>repeated-face-value: this many redemptions at the face value by one enterprise–institution pair…</summary>
    public int RepeatedFaceValueCount { get; init; } = 2;

    /// <summary>…within this many days (ending at the redemption's request).</summary>
    public int RepeatedFaceValueDays { get; init; } = 365;

    /// <summary>institution-burst: this many redemptions to one institution…</summary>
    public int BurstCount { get; init; } = 30;

    /// <summary>…within this many days (ending at the redemption's request).</summary>
    public int BurstDays { get; init; } = 7;

    /// <summary>recent-violation: a violation decided within this many years before the check.</summary>
    public int ViolationYears { get; init; } = 3;

    public bool IsOn(RiskRule rule) => Rules.Contains(RiskRules.Code(rule));

    public IReadOnlyList<FieldError> Validate()
    {
        var errors = new List<FieldError>();
        if (Rules.FirstOrDefault(r => !RiskRules.TryParse(r, out _)) is { } unknown)
        {
            errors.Add(new("risk.rules", $"未知的风险规则“{unknown}” (Unknown risk rule '{unknown}')"));
        }

        Range(errors, "risk.repeatedFaceValueCount", RepeatedFaceValueCount, 2, 100, "按面额重复兑付的次数阈值");
        Range(errors, "risk.repeatedFaceValueDays", RepeatedFaceValueDays, 1, 1830, "按面额重复兑付的统计天数");
        Range(errors, "risk.burstCount", BurstCount, 2, 100_000, "机构短期兑付集中的笔数阈值");
        Range(errors, "risk.burstDays", BurstDays, 1, 366, "机构短期兑付集中的统计天数");
        Range(errors, "risk.violationYears", ViolationYears, 1, 10, "违规记录的追溯年数");
        return errors;
    }

    static void Range(List<FieldError> errors, string field, int value, int min, int max, string name)
    {
        if (value < min || value > max)
        {
            errors.Add(new(field, $"{name}必须在 {min} 至 {max} 之间 (must be between {min} and {max})"));
        }
    }
}
