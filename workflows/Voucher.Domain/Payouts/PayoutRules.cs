using System.Globalization;

namespace Voucher.Domain;

/// <summary>One step of a pay-out computation, for auditors: the rule, the formula with its numbers, and the result.</summary>
public sealed record PayoutStep(string Rule, string Formula, Cny Result);

/// <summary>A pay-out computation with every input, intermediate value and step.</summary>
public sealed record PayoutComputation(
    Cny Paid,
    Cny FaceValue,
    decimal ExcessRatio,
    Cny CapRemainingBefore,
    Cny WithinFace,
    Cny Excess,
    Cny ExcessSubsidy,
    Cny BeforeCap,
    Cny Payout,
    IReadOnlyList<PayoutStep> Steps)
{
    /// <summary>Annual cap left after this pay-out.</summary>
    public Cny CapRemainingAfter => CapRemainingBefore - Payout;

    /// <summary>True when the annual cap reduced the pay-out.</summary>
    public bool CappedByAnnualLimit => Payout < BeforeCap;
}

/// <summary>
/// Money rules: up to the face value the actual amount paid is reimbursed; above it, face value plus the excess
/// times the city's ratio (rounded to the fen, half away from zero); then limited by the annual cap left.
/// </summary>
public static class PayoutRules
{
    public const string WithinFaceRule = "within-face";
    public const string ExcessRule = "excess";
    public const string ExcessSubsidyRule = "excess-subsidy";
    public const string BeforeCapRule = "before-cap";
    public const string AnnualCapRule = "annual-cap";

    public static PayoutComputation Compute(Cny paid, Cny faceValue, decimal excessRatio, Cny capRemaining)
    {
        if (paid.IsNegative)
        {
            throw new DomainException("实付金额不能为负数 (Amount paid must not be negative)");
        }
        if (!faceValue.IsPositive)
        {
            throw new DomainException("面额必须大于零 (Face value must be greater than zero)");
        }
        if (excessRatio is < 0m or > 1m)
        {
            throw new DomainException("超额补助比例必须在 0 到 1 之间 (Excess ratio must be between 0 and 1)");
        }
        if (capRemaining.IsNegative)
        {
            throw new DomainException("年度剩余额度不能为负数 (Annual cap remaining must not be negative)");
        }

        var withinFace = Cny.Min(paid, faceValue);
        var excess = Cny.Max(paid - faceValue, Cny.Zero);
        var excessSubsidy = excess.MultiplyRatio(excessRatio);
        var beforeCap = withinFace + excessSubsidy;
        var payout = Cny.Min(beforeCap, capRemaining);
        var ratio = excessRatio.ToString(CultureInfo.InvariantCulture);

        var steps = new List<PayoutStep>
        {
            new(WithinFaceRule, $"min(paid, face) = min({A(paid)}, {A(faceValue)})", withinFace),
            new(ExcessRule, $"max(paid - face, 0) = max({A(paid)} - {A(faceValue)}, 0)", excess),
            new(ExcessSubsidyRule, $"round(excess × ratio) = round({A(excess)} × {ratio})", excessSubsidy),
            new(BeforeCapRule, $"withinFace + excessSubsidy = {A(withinFace)} + {A(excessSubsidy)}", beforeCap),
            new(AnnualCapRule, $"min(beforeCap, capRemaining) = min({A(beforeCap)}, {A(capRemaining)})", payout),
        };

        return new PayoutComputation(paid, faceValue, excessRatio, capRemaining, withinFace, excess, excessSubsidy, beforeCap, payout, steps);
    }

    private static string A(Cny amount) => amount.ToAmountString();
}
