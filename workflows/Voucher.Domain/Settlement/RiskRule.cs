namespace Voucher.Domain;

/// <summary>
/// The risk rules a redemption is checked against when it enters a settlement batch. A flag informs the officer; it
/// decides nothing. The rules' thresholds are province policy (versioned); a flag is stored by its code.
/// </summary>
public enum RiskRule
{
    /// <summary>The same evidence file (by SHA-256) was used in another redemption.</summary>
    SharedEvidence,

    /// <summary>The enterprise and the institution share a contact phone, contact person or address.</summary>
    RelatedParty,

    /// <summary>The payment proof is dated before the voucher was issued.</summary>
    PaymentBeforeVoucher,

    /// <summary>An amount exactly at the face value, repeated by the same enterprise–institution pair.</summary>
    RepeatedFaceValue,

    /// <summary>Many redemptions to one institution in a short time.</summary>
    InstitutionBurst,

    /// <summary>The enterprise has a recorded violation in the last 3 years.</summary>
    RecentViolation,
}

/// <summary>The codes risk flags are stored and sent under, and their Chinese names.</summary>
public static class RiskRules
{
    public static IReadOnlyList<RiskRule> All { get; } = Enum.GetValues<RiskRule>();

    public static string Code(RiskRule rule) => rule switch
    {
        RiskRule.SharedEvidence => "shared-evidence",
        RiskRule.RelatedParty => "related-party",
        RiskRule.PaymentBeforeVoucher => "payment-before-voucher",
        RiskRule.RepeatedFaceValue => "repeated-face-value",
        RiskRule.InstitutionBurst => "institution-burst",
        RiskRule.RecentViolation => "recent-violation",
        _ => throw new ArgumentOutOfRangeException(nameof(rule)),
    };

    public static bool TryParse(string? code, out RiskRule rule)
    {
        foreach (var candidate in All)
        {
            if (string.Equals(Code(candidate), code?.Trim(), StringComparison.Ordinal))
            {
                rule = candidate;
                return true;
            }
        }

        rule = default;
        return false;
    }

    public static string Chinese(RiskRule rule) => rule switch
    {
        RiskRule.SharedEvidence => "材料重复使用",
        RiskRule.RelatedParty => "企业与机构疑似关联",
        RiskRule.PaymentBeforeVoucher => "付款早于发券",
        RiskRule.RepeatedFaceValue => "同一机构反复按面额兑付",
        RiskRule.InstitutionBurst => "机构短期兑付集中",
        RiskRule.RecentViolation => "企业三年内有违规记录",
        _ => rule.ToString(),
    };

    /// <summary>Reads a stored, comma-separated list of codes (unknown codes are skipped).</summary>
    public static IReadOnlyList<RiskRule> ParseList(string? codes) =>
        (codes ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Select(c => TryParse(c, out var r) ? (RiskRule?)r : null).OfType<RiskRule>().Distinct().Order().ToList();

    public static string FormatList(IEnumerable<RiskRule> rules) => string.Join(',', rules.Distinct().Order().Select(Code));
}
