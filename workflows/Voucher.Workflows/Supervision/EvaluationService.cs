using System.Text.Json;
using Voucher.Workflows.Policies;

namespace Voucher.Workflows.Supervision;

/// <summary>A city's expert score (0–100, one decimal at most; empty: none) and comment, as typed.</summary>
public sealed record CityScoreInput(string? Score, string? Comment);

/// <summary>The province centre's scores and comments for a year's cities (a city not named: no score, no comment); publish to freeze the result.</summary>
public sealed record SaveEvaluation(string? Year, IReadOnlyDictionary<string, CityScoreInput> Scores, bool Publish);

/// <summary>Scores saved for a year, and the result when they were also published.</summary>
public sealed record EvaluationSaved(int Year, EvaluationResult? Published);

/// <summary>A year's evaluation as its work page shows it: the draft from today's figures, and what was published (if anything).</summary>
public sealed record EvaluationWork(int Year, EvaluationResult Draft, EvaluationResult? Published);

/// <summary>
/// Annual performance evaluation: indicators from the statistics aggregates and the violations count, expert scores
/// added by the province centre, scores and next year's fund shares by the province policy's formula (its version is
/// recorded). Publishing freezes the result as it was (later events change the draft, not what was published; publishing
/// again replaces it with the draft of that moment); the public page shows only published years.
/// </summary>
public sealed class EvaluationService(VoucherStore store, StatsReader stats, IViolationCounts violations, ProvincePolicyStore province, TimeProvider time, ILogger<EvaluationService> log)
{
    public const int MaxCommentLength = 500;

    public static string YearRule => $"年份须在 {StatsReader.FirstSystemYear} 至今年之间 (Year must be between {StatsReader.FirstSystemYear} and this year)";

    /// <summary>The year an evaluation may be asked for: from the system's first year to this year.</summary>
    public Outcome<int> YearOf(string? text) =>
        int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var y) && y >= StatsReader.FirstSystemYear && y <= ChinaTime.DateOf(time.GetUtcNow()).Year
            ? y
            : new Failure.Invalid("year", YearRule);

    /// <summary>The published result of a year (public).</summary>
    public async Task<Outcome<EvaluationResult>> PublishedAsync(string? year, CancellationToken ct)
    {
        var y = YearOf(year);
        if (y.Failure is { } invalid)
        {
            return invalid;
        }

        return await ReadPublishedAsync(y.Value, ct) is { } published
            ? published
            : new Failure.NotFound($"{y.Value} 年度绩效评价尚未发布 (Not published yet)");
    }

    /// <summary>The draft and the published result: all cities for the province centre, its own city for a city bureau.</summary>
    public async Task<Outcome<EvaluationWork>> WorkAsync(VoucherPrincipal caller, string? year, CancellationToken ct)
    {
        var y = YearOf(year);
        if (y.Failure is { } invalid)
        {
            return invalid;
        }

        if (caller.Role is not (Role.Province or Role.CityBureau))
        {
            return new Failure.Forbidden("只有省中心和市科技局可以查看评价 (The province centre and city bureaus only)");
        }

        var work = new EvaluationWork(y.Value, await DraftAsync(y.Value, ct), await ReadPublishedAsync(y.Value, ct));
        if (caller.Role == Role.Province)
        {
            return work;
        }

        bool Own(CityEvaluationRow c) => string.Equals(c.City, caller.Scope, StringComparison.OrdinalIgnoreCase);
        return work with
        {
            Draft = work.Draft with { Cities = work.Draft.Cities.Where(Own).ToList() },
            Published = work.Published is { } p ? p with { Cities = p.Cities.Where(Own).ToList() } : null,
        };
    }

    /// <summary>The province centre saves the expert scores and comments, and publishes when asked; answers the result when published.</summary>
    public async Task<Outcome<EvaluationSaved>> SaveAsync(VoucherPrincipal caller, SaveEvaluation command, CancellationToken ct)
    {
        var y = YearOf(command.Year);
        if (y.Failure is { } invalid)
        {
            return invalid;
        }

        if (caller.Role != Role.Province)
        {
            return new Failure.Forbidden("只有省中心可以评分和发布评价 (Only the province centre scores and publishes)");
        }

        var errors = new List<FieldError>();
        var scores = new Dictionary<string, (decimal? Score, string Comment)>();
        foreach (var city in Cities.All)
        {
            var input = command.Scores.TryGetValue(city.Code, out var typed) ? typed : new CityScoreInput(null, null);
            var scoreText = input.Score?.Trim() ?? "";
            decimal? score = null;
            if (scoreText.Length > 0)
            {
                if (!decimal.TryParse(scoreText, NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var s) || s > 100m || decimal.Round(s, 1) != s)
                {
                    errors.Add(new($"score-{city.Code}", "专家评分须为 0–100，最多一位小数 (Score 0–100, one decimal at most)"));
                }
                else
                {
                    score = s;
                }
            }

            var comment = input.Comment?.Trim() ?? "";
            if (comment.Length > MaxCommentLength)
            {
                errors.Add(new($"comment-{city.Code}", $"评语不能超过 {MaxCommentLength} 个字符 (At most {MaxCommentLength} characters)"));
            }

            scores[city.Code] = (score, comment);
        }

        if (errors.Count > 0)
        {
            return new Failure.Invalid(errors);
        }

        var editor = PolicyService.EditorOf(caller);
        var now = time.GetUtcNow();
        foreach (var (city, (score, comment)) in scores)
        {
            await store.UpsertAsync(SupervisionTables.Evaluations, new EvaluationScoreEntity
            {
                PartitionKey = Key(y.Value), RowKey = city, ExpertScore = score?.ToString(CultureInfo.InvariantCulture), Comment = comment, ScoredBy = editor, ScoredAt = now,
            }, ct);
        }

        SupervisionLog.EvaluationScoresSaved(log, y.Value, scores.Count(s => s.Value.Score is not null), editor);
        if (!command.Publish)
        {
            return new EvaluationSaved(y.Value, null);
        }

        var result = await DraftAsync(y.Value, ct) with { PublishedAt = now, PublishedBy = editor };
        await store.UpsertAsync(SupervisionTables.Evaluations, new PublishedEvaluationEntity
        {
            PartitionKey = Key(y.Value), RowKey = PublishedEvaluationEntity.Row, ResultJson = JsonSerializer.Serialize(result), PublishedAt = now, PublishedBy = editor,
        }, ct);
        SupervisionLog.EvaluationPublished(log, y.Value, editor, result.FormulaVersion);
        return new EvaluationSaved(y.Value, result);
    }

    async Task<EvaluationResult> DraftAsync(int year, CancellationToken ct)
    {
        var policy = await province.GetCurrentAsync(ct);
        var rows = await stats.YearAsync(year, ct);
        var scores = (await store.PartitionAsync<EvaluationScoreEntity>(SupervisionTables.Evaluations, Key(year), 100, ct))
            .Where(s => s.RowKey != PublishedEvaluationEntity.Row).ToDictionary(s => s.RowKey);
        var counts = await Task.WhenAll(rows.Select(r => violations.CountAsync(r.City.Code, year, ct)));
        var indicators = rows.Select((r, i) =>
        {
            var median = DurationHistogram.Parse(r.Row.HTotal).Percentile(0.5);
            scores.TryGetValue(r.City.Code, out var s);
            return new CityIndicators(r.City.Code, Cny.FromFen(r.Row.PaidFen), r.Row.EnterprisesServed, median is null ? null : Math.Round(median.Value.TotalDays, 2),
                r.Row.RedemptionsFinished, r.Row.RedemptionsRejectedOrObjected, counts[i], ParseScore(s?.ExpertScore));
        }).ToList();
        var evaluated = PerformanceEvaluation.Evaluate(indicators, policy.Formula);
        var list = indicators.Zip(evaluated, (c, e) =>
        {
            scores.TryGetValue(c.CityCode, out var s);
            return new CityEvaluationRow(c.CityCode, Cities.Get(c.CityCode).NameZh, c.AmountRedeemed, c.EnterprisesServed, c.MedianCycleDays, c.RedemptionsFinished,
                c.RejectedOrObjected, c.RejectedOrObjectedShare is { } sh ? Math.Round(sh, 4) : null, c.Violations, c.ExpertScore, s?.Comment ?? "", e.Score, e.ShareBasisPoints);
        }).ToList();
        return new EvaluationResult(year, policy.Version, policy.Formula, list);
    }

    async Task<EvaluationResult?> ReadPublishedAsync(int year, CancellationToken ct)
    {
        var row = await store.GetAsync<PublishedEvaluationEntity>(SupervisionTables.Evaluations, Key(year), PublishedEvaluationEntity.Row, ct);
        return row is null ? null : JsonSerializer.Deserialize<EvaluationResult>(row.ResultJson);
    }

    static decimal? ParseScore(string? text) => decimal.TryParse(text, NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var v) ? v : null;

    static string Key(int year) => year.ToString("D4", CultureInfo.InvariantCulture);
}
