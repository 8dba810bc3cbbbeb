namespace Voucher.Workflows.Supervision;

/// <summary>The province centre's expert score and comment for a city's year (Evaluations: PartitionKey = year, RowKey = city).</summary>
public sealed class EvaluationScoreEntity : TableRow
{
    public string? ExpertScore { get; set; }

    public string Comment { get; set; } = "";

    public string ScoredBy { get; set; } = "";

    public DateTimeOffset ScoredAt { get; set; }
}

/// <summary>The published evaluation of a year, frozen as it was published (RowKey <c>_published</c>).</summary>
public sealed class PublishedEvaluationEntity : TableRow
{
    public const string Row = "_published";

    public string ResultJson { get; set; } = "";

    public DateTimeOffset PublishedAt { get; set; }

    public string PublishedBy { get; set; } = "";
}

public sealed record CityEvaluationRow(
    string City,
    string Name,
    Cny AmountRedeemed,
    long EnterprisesServed,
    double? MedianCycleDays,
    long RedemptionsFinished,
    long RejectedOrObjected,
    double? RejectedOrObjectedShare,
    int Violations,
    decimal? ExpertScore,
    string Comment,
    decimal Score,
    int ShareBasisPoints)
{
    public decimal SharePercent => ShareBasisPoints / 100m;
}

public sealed record EvaluationResult(int Year, int FormulaVersion, EvaluationFormula Formula, IReadOnlyList<CityEvaluationRow> Cities, DateTimeOffset? PublishedAt = null, string? PublishedBy = null);
