using System.Globalization;

namespace Voucher.Domain;

/// <summary>What the system knows about an enterprise when it applies for a voucher.</summary>
public sealed record EnterpriseFacts(string Uscc, string CityCode, bool Registered, bool TechSmeEvaluated, DateOnly? BarredUntil, bool HasLiveVoucherThisYear);

/// <summary>One reason an enterprise is not eligible. <paramref name="Code"/> is stable (e.g. "barred"); <paramref name="Message"/> is bilingual.</summary>
public sealed record EligibilityReason(string Code, string Message);

public sealed record EligibilityResult(bool Eligible, IReadOnlyList<EligibilityReason> Reasons);

/// <summary>Eligibility for a voucher application (Flow 1).</summary>
public static class Eligibility
{
    public const string NotRegistered = "not-registered";
    public const string InvalidUscc = "invalid-uscc";
    public const string UnknownCity = "unknown-city";
    public const string NotShanxi = "not-shanxi";
    public const string NotTechSme = "not-tech-sme";
    public const string Barred = "barred";
    public const string LiveVoucher = "live-voucher";

    /// <summary>
    /// Registered; in Shanxi (valid USCC whose division starts with "14", and a known city); tech-SME evaluated;
    /// not barred on <paramref name="today"/> (the bar includes its end date); and, when the policy says so,
    /// no live voucher of the same year. All failed rules are reported, not only the first.
    /// </summary>
    public static EligibilityResult Check(EnterpriseFacts facts, CityPolicy policy, DateOnly today)
    {
        ArgumentNullException.ThrowIfNull(facts);
        ArgumentNullException.ThrowIfNull(policy);
        var reasons = new List<EligibilityReason>();

        if (!facts.Registered)
        {
            reasons.Add(new(NotRegistered, "企业尚未在系统中完成注册 (The enterprise has not completed registration)"));
        }

        if (!Uscc.TryValidate(facts.Uscc, out var uscc, out var usccError))
        {
            reasons.Add(new(InvalidUscc, usccError!));
        }
        else if (!Uscc.IsShanxi(uscc))
        {
            var division = Uscc.DivisionCode(uscc);
            reasons.Add(new(NotShanxi,
                $"企业注册地不在山西省（行政区划码 {division}） (The enterprise is not registered in Shanxi; division code {division})"));
        }

        if (!Cities.TryGet(facts.CityCode, out _))
        {
            reasons.Add(new(UnknownCity, $"未知的城市代码“{facts.CityCode}” (Unknown city code '{facts.CityCode}')"));
        }

        if (!facts.TechSmeEvaluated)
        {
            reasons.Add(new(NotTechSme,
                "企业未通过科技型中小企业评价 (The enterprise has not passed the national tech-SME evaluation)"));
        }

        if (BarredReason(facts.BarredUntil, today) is { } barred)
        {
            reasons.Add(barred);
        }

        if (policy.OneLiveVoucherPerYear && facts.HasLiveVoucherThisYear)
        {
            reasons.Add(new(LiveVoucher,
                "企业本年度已有有效创新券，不能重复申请 (The enterprise already holds a live voucher this year)"));
        }

        return new EligibilityResult(reasons.Count == 0, reasons);
    }

    /// <summary>The bar after a violation: barred on <paramref name="today"/> when it is on or before the bar's last day.</summary>
    public static EligibilityReason? BarredReason(DateOnly? barredUntil, DateOnly today)
    {
        if (barredUntil is not { } until || today > until)
        {
            return null;
        }

        var end = until.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
        return new(Barred, $"企业因违规被限制申请，至 {end} 止 (The enterprise is barred from applying until {end})");
    }
}
