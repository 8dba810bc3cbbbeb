namespace Voucher.Domain;

/// <summary>
/// How the annual performance evaluation scores a city (0–100) and splits next year's provincial voucher funds.
/// Each indicator is scaled to 0–1 against the best city of the year (amount, enterprises, speed = fastest median ÷
/// this median) or absolutely (quality = 1 − share rejected or objected; expert = score ÷ 100); the score is
/// 100 × Σ weight × indicator − penalty × violations, not below 0. Every city first gets
/// <see cref="FloorShare"/>; the rest goes in proportion to the scores (equally when all scores are 0).
/// </summary>
public sealed record EvaluationFormula
{
    public decimal AmountWeight { get; init; } = 0.30m;

    public decimal EnterprisesWeight { get; init; } = 0.20m;

    public decimal SpeedWeight { get; init; } = 0.15m;

    public decimal QualityWeight { get; init; } = 0.15m;

    public decimal ExpertWeight { get; init; } = 0.20m;

    /// <summary>Points taken off per recorded violation.</summary>
    public decimal ViolationPenalty { get; init; } = 5m;

    /// <summary>The share every city receives before the scores split the rest (0.02 = 2 %).</summary>
    public decimal FloorShare { get; init; } = 0.02m;

    public IReadOnlyList<FieldError> Validate()
    {
        var errors = new List<FieldError>();
        foreach (var (field, value) in new[] { ("amountWeight", AmountWeight), ("enterprisesWeight", EnterprisesWeight), ("speedWeight", SpeedWeight), ("qualityWeight", QualityWeight), ("expertWeight", ExpertWeight) })
        {
            if (value is < 0m or > 1m)
            {
                errors.Add(new(field, "权重必须在 0 到 1 之间 (A weight must be between 0 and 1)"));
            }
        }

        if (AmountWeight + EnterprisesWeight + SpeedWeight + QualityWeight + ExpertWeight != 1m)
        {
            errors.Add(new("weights", "各项权重之和必须等于 1 (The weights must add up to 1)"));
        }

        if (ViolationPenalty is < 0m or > 100m)
        {
            errors.Add(new("violationPenalty", "违规扣分必须在 0 到 100 之间 (Penalty must be between 0 and 100)"));
        }

        if (FloorShare < 0m || FloorShare * Cities.All.Count > 1m)
        {
            errors.Add(new("floorShare", $"保底份额必须在 0 到 {1m / Cities.All.Count:0.####} 之间 (Floor share must be between 0 and 1/11)"));
        }

        return errors;
    }
}

/// <summary>One city's indicators for the evaluated year.</summary>
public sealed record CityIndicators(
    string CityCode,
    Cny AmountRedeemed,
    long EnterprisesServed,
    double? MedianCycleDays,
    long RedemptionsFinished,
    long RejectedOrObjected,
    int Violations,
    decimal? ExpertScore)
{
    public double? RejectedOrObjectedShare => RedemptionsFinished == 0 ? null : RejectedOrObjected / (double)RedemptionsFinished;
}

/// <summary>A city's result: its score and its share of next year's funds in basis points (all cities add up to 10,000).</summary>
public sealed record CityEvaluation(string CityCode, decimal Score, int ShareBasisPoints);

public static class PerformanceEvaluation
{
    public static IReadOnlyList<CityEvaluation> Evaluate(IReadOnlyList<CityIndicators> cities, EvaluationFormula formula)
    {
        ArgumentNullException.ThrowIfNull(cities);
        ArgumentNullException.ThrowIfNull(formula);
        if (cities.Count == 0)
        {
            return [];
        }

        var maxAmount = cities.Max(c => c.AmountRedeemed.Fen);
        var maxEnterprises = cities.Max(c => c.EnterprisesServed);
        var fastest = cities.Where(c => c.MedianCycleDays is > 0).Select(c => c.MedianCycleDays!.Value).DefaultIfEmpty(0).Min();
        var scores = cities.Select(c =>
        {
            var amount = maxAmount == 0 ? 0m : (decimal)c.AmountRedeemed.Fen / maxAmount;
            var enterprises = maxEnterprises == 0 ? 0m : (decimal)c.EnterprisesServed / maxEnterprises;
            var speed = c.MedianCycleDays is > 0 && fastest > 0 ? (decimal)(fastest / c.MedianCycleDays.Value) : 0m;
            var quality = c.RejectedOrObjectedShare is { } share ? 1m - (decimal)share : 0m;
            var expert = Math.Clamp(c.ExpertScore ?? 0m, 0m, 100m) / 100m;
            var raw = 100m * (formula.AmountWeight * amount + formula.EnterprisesWeight * enterprises + formula.SpeedWeight * speed
                              + formula.QualityWeight * quality + formula.ExpertWeight * expert) - formula.ViolationPenalty * c.Violations;
            return Math.Round(Math.Max(0m, raw), 2, MidpointRounding.AwayFromZero);
        }).ToList();

        return cities.Zip(scores, (c, s) => (c, s)).Zip(Shares(scores, formula.FloorShare), (x, bp) => new CityEvaluation(x.c.CityCode, x.s, bp)).ToList();
    }

    /// <summary>Floor share each, the rest by score; basis points by largest remainder so they add up to exactly 10,000.</summary>
    public static IReadOnlyList<int> Shares(IReadOnlyList<decimal> scores, decimal floorShare)
    {
        var n = scores.Count;
        var total = scores.Sum();
        var rest = 1m - floorShare * n;
        var exact = scores.Select(s => 10_000m * (floorShare + (total == 0 ? rest / n : rest * s / total))).ToList();
        var result = exact.Select(e => (int)Math.Floor(e)).ToArray();
        var missing = 10_000 - result.Sum();
        foreach (var i in Enumerable.Range(0, n).OrderByDescending(i => exact[i] - result[i]).ThenBy(i => i).Take(missing))
        {
            result[i]++;
        }

        return result;
    }
}
