using System.Globalization;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Http;
using Voucher.Domain;
using Voucher.Workflows.Http;
using Voucher.Workflows.Security;
using Voucher.Workflows.Storage;
using Voucher.Workflows.Web;
using static Voucher.Workflows.Web.Html;

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

/// <summary>
/// Annual performance evaluation: indicators from the statistics aggregates and the violations count, expert scores
/// added by the province centre, scores and next year's fund shares by the province policy's formula (its version is
/// recorded). Publishing freezes the result; the public page shows only published years.
/// </summary>
public sealed class Evaluations(VoucherStore store, StatsReader stats, IViolationCounts violations, PolicyAdministration policies, TimeProvider time)
{
    public async Task<EvaluationResult> DraftAsync(int year, CancellationToken ct)
    {
        var province = await policies.GetProvinceAsync(ct);
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
        var evaluated = PerformanceEvaluation.Evaluate(indicators, province.Formula);
        var list = indicators.Zip(evaluated, (c, e) =>
        {
            scores.TryGetValue(c.CityCode, out var s);
            return new CityEvaluationRow(c.CityCode, Cities.Get(c.CityCode).NameZh, c.AmountRedeemed, c.EnterprisesServed, c.MedianCycleDays, c.RedemptionsFinished,
                c.RejectedOrObjected, c.RejectedOrObjectedShare is { } sh ? Math.Round(sh, 4) : null, c.Violations, c.ExpertScore, s?.Comment ?? "", e.Score, e.ShareBasisPoints);
        }).ToList();
        return new EvaluationResult(year, province.Version, province.Formula, list);
    }

    public async Task<EvaluationResult?> PublishedAsync(int year, CancellationToken ct)
    {
        var row = await store.GetAsync<PublishedEvaluationEntity>(SupervisionTables.Evaluations, Key(year), PublishedEvaluationEntity.Row, ct);
        return row is null ? null : JsonSerializer.Deserialize<EvaluationResult>(row.ResultJson);
    }

    public async Task SaveScoresAsync(int year, IReadOnlyDictionary<string, (decimal? Score, string Comment)> scores, string actor, CancellationToken ct)
    {
        foreach (var (city, (score, comment)) in scores)
        {
            await store.UpsertAsync(SupervisionTables.Evaluations, new EvaluationScoreEntity
            {
                PartitionKey = Key(year), RowKey = city, ExpertScore = score?.ToString(CultureInfo.InvariantCulture), Comment = comment, ScoredBy = actor, ScoredAt = time.GetUtcNow(),
            }, ct);
        }
    }

    public async Task<EvaluationResult> PublishAsync(int year, string actor, CancellationToken ct)
    {
        var now = time.GetUtcNow();
        var result = await DraftAsync(year, ct) with { PublishedAt = now, PublishedBy = actor };
        await store.UpsertAsync(SupervisionTables.Evaluations, new PublishedEvaluationEntity
        {
            PartitionKey = Key(year), RowKey = PublishedEvaluationEntity.Row, ResultJson = JsonSerializer.Serialize(result), PublishedAt = now, PublishedBy = actor,
        }, ct);
        return result;
    }

    static decimal? ParseScore(string? text) => decimal.TryParse(text, NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var v) ? v : null;

    static string Key(int year) => year.ToString("D4", CultureInfo.InvariantCulture);
}

/// <summary>Pages and API of the evaluation: public (published years), the province's work page, each city's own view.</summary>
public sealed class EvaluationPages(Evaluations evaluations, TimeProvider time)
{
    /// <summary>The shared table, its scroll box keyboard-focusable (these tables are wide).</summary>
    static string Table(IReadOnlyList<string> headers, IEnumerable<IEnumerable<string>> rows, string empty) =>
        Charts.Region(Voucher.Workflows.Web.Html.Table(headers, rows, empty), $"表格 Table：{headers[0]}，{headers[1]} … {headers[^1]}");

    static readonly CultureInfo Inv = CultureInfo.InvariantCulture;

    int? Year(RequestContext ctx) =>
        int.TryParse(ctx.RouteValue("year"), NumberStyles.None, Inv, out var y) && y >= StatsReader.FirstSystemYear && y <= ChinaTime.DateOf(time.GetUtcNow()).Year ? y : null;

    static string YearRule => $"年份须在 {StatsReader.FirstSystemYear} 至今年之间 (Year must be between {StatsReader.FirstSystemYear} and this year)";

    public async Task<IResult> ApiAsync(RequestContext ctx)
    {
        if (Year(ctx) is not { } year)
        {
            return Problems.Validation("year", YearRule);
        }

        var published = await evaluations.PublishedAsync(year, ctx.Aborted);
        return published is null ? Problems.NotFound($"{year} 年度绩效评价尚未发布 (Not published yet)") : Results.Json(published, JsonBody.Response);
    }

    public async Task<IResult> PublicPageAsync(RequestContext ctx)
    {
        if (Year(ctx) is not { } year)
        {
            return Pages.Error(ctx.Principal, YearRule, StatusCodes.Status400BadRequest);
        }

        var published = await evaluations.PublishedAsync(year, ctx.Aborted);
        var body = published is null
            ? $"<section class=\"card\"><p>{year} 年度绩效评价结果尚未发布。The {year} evaluation has not been published yet.</p></section>"
            : $"<section class=\"card\"><p>发布时间 Published：{E(Settlement.BatchLinks.ChinaDate(published.PublishedAt!.Value))} · 评价公式 Formula v{published.FormulaVersion}</p>{ResultTable(published.Cities, withComments: true)}<p class=\"muted\">{E(FormulaText(published.Formula))}</p></section>";
        return Pages.Page($"{year} 年度创新券绩效评价结果 Annual evaluation", body, ctx.Principal, published is null ? StatusCodes.Status404NotFound : StatusCodes.Status200OK);
    }

    public async Task<IResult> WorkPageAsync(RequestContext ctx) => await RenderAsync(ctx, null, null, StatusCodes.Status200OK);

    public async Task<IResult> SaveAsync(RequestContext ctx)
    {
        if (Year(ctx) is not { } year)
        {
            return Pages.Error(ctx.Principal, YearRule, StatusCodes.Status400BadRequest);
        }

        var form = await JsonBody.FormOrEmptyAsync(ctx.Request, ctx.Aborted);
        var errors = new List<FieldError>();
        var scores = new Dictionary<string, (decimal?, string)>();
        foreach (var city in Cities.All)
        {
            var scoreText = form[$"score-{city.Code}"].ToString().Trim();
            decimal? score = null;
            if (scoreText.Length > 0)
            {
                if (!decimal.TryParse(scoreText, NumberStyles.AllowDecimalPoint, Inv, out var s) || s > 100m || decimal.Round(s, 1) != s)
                {
                    errors.Add(new($"score-{city.Code}", "专家评分须为 0–100，最多一位小数 (Score 0–100, one decimal at most)"));
                }
                else
                {
                    score = s;
                }
            }

            var comment = form[$"comment-{city.Code}"].ToString().Trim();
            if (comment.Length > 500)
            {
                errors.Add(new($"comment-{city.Code}", "评语不能超过 500 个字符 (At most 500 characters)"));
            }

            scores[city.Code] = (score, comment);
        }

        if (errors.Count > 0)
        {
            return await RenderAsync(ctx, form, errors, StatusCodes.Status400BadRequest);
        }

        var actor = $"{ctx.Principal!.DisplayName} ({ctx.Principal.UserId})";
        await evaluations.SaveScoresAsync(year, scores, actor, ctx.Aborted);
        if (form["action"].ToString() == "publish")
        {
            await evaluations.PublishAsync(year, actor, ctx.Aborted);
            return Results.Redirect($"/evaluations/{year}");
        }

        return Results.Redirect($"/supervision/evaluations/{year}?done=" + Uri.EscapeDataString("专家评分已保存 (Scores saved)"));
    }

    async Task<IResult> RenderAsync(RequestContext ctx, IFormCollection? typed, IReadOnlyList<FieldError>? errors, int status)
    {
        if (Year(ctx) is not { } year)
        {
            return Pages.Error(ctx.Principal, YearRule, StatusCodes.Status400BadRequest);
        }

        var p = ctx.Principal!;
        var draft = await evaluations.DraftAsync(year, ctx.Aborted);
        var published = await evaluations.PublishedAsync(year, ctx.Aborted);
        var sb = new StringBuilder(Web.PageParts.Flash(ctx.Request));
        if (p.Role == Role.CityBureau)
        {
            var own = draft.Cities.Where(c => string.Equals(c.City, p.Scope, StringComparison.OrdinalIgnoreCase)).ToList();
            var ownPublished = published?.Cities.Where(c => string.Equals(c.City, p.Scope, StringComparison.OrdinalIgnoreCase)).ToList();
            sb.Append(Inv, $"<section class=\"card\"><h2>本市当前指标 Your city's indicators（未发布 draft）</h2>{ResultTable(own, withComments: false)}</section>");
            sb.Append(ownPublished is null
                ? "<section class=\"card\"><p>本年度评价结果尚未发布。Not published yet.</p></section>"
                : $"<section class=\"card\"><h2>已发布结果 Published result</h2>{ResultTable(ownPublished, withComments: true)}</section>");
            return Pages.Page($"{year} 年度绩效评价 Evaluation", sb.ToString(), p, status);
        }

        var errs = errors ?? [];
        var inputs = string.Concat(draft.Cities.Select(c =>
        {
            var score = typed?[$"score-{c.City}"].ToString() ?? c.ExpertScore?.ToString(Inv) ?? "";
            var comment = typed?[$"comment-{c.City}"].ToString() ?? c.Comment;
            string Err(string f) => string.Concat(errs.Where(e => e.Field == f).Select(e => $"<p class=\"error\" id=\"{f}-error\" role=\"alert\">{E(e.Message)}</p>"));
            string Invalid(string f) => errs.Any(e => e.Field == f) ? $" aria-invalid=\"true\" aria-describedby=\"{f}-error\"" : "";
            return $"<fieldset><legend>{E(c.Name)}</legend><label for=\"score-{c.City}\">专家评分 Expert score（0–100）</label>{Err($"score-{c.City}")}<input id=\"score-{c.City}\" name=\"score-{c.City}\" value=\"{Attr(score)}\" inputmode=\"decimal\"{Invalid($"score-{c.City}")}>"
                + $"<label for=\"comment-{c.City}\">专家评语 Comments</label>{Err($"comment-{c.City}")}<textarea id=\"comment-{c.City}\" name=\"comment-{c.City}\" rows=\"2\"{Invalid($"comment-{c.City}")}>{E(comment)}</textarea></fieldset>";
        }));
        sb.Append(Inv, $"""
            <section class="card"><h2>评价结果草稿 Draft（公式 formula v{draft.FormulaVersion}）</h2>{ResultTable(draft.Cities, withComments: false)}<p class="muted">{E(FormulaText(draft.Formula))}</p>
            <p>{(published is null ? "尚未发布 Not published" : $"已发布 Published {E(Settlement.BatchLinks.ChinaDate(published.PublishedAt!.Value))} · " + Link($"/evaluations/{year}", "查看公开页面 Public page"))}</p></section>
            <section class="card"><h2>专家评分与评语 Expert scores and comments</h2>
            <form method="post" action="/supervision/evaluations/{year}" id="evaluation-form">{inputs}
            <button type="submit" name="action" value="save">保存 Save</button><button type="submit" name="action" value="publish" class="secondary">保存并发布 Save and publish</button></form></section>
            """);
        return Pages.Page($"{year} 年度绩效评价 Annual evaluation", sb.ToString(), p, status);
    }

    static string FormulaText(EvaluationFormula f) =>
        $"得分 = 100 ×（金额 {f.AmountWeight} + 企业数 {f.EnterprisesWeight} + 时效 {f.SpeedWeight} + 质量 {f.QualityWeight} + 专家 {f.ExpertWeight}，各项按最优城市归一）− 每起违规 {f.ViolationPenalty} 分；下年度资金份额 = 保底 {f.FloorShare:P0} + 其余按得分比例分配。";

    static string ResultTable(IReadOnlyList<CityEvaluationRow> rows, bool withComments)
    {
        var headers = new List<string> { "地市 City", "兑付金额 Amount", "服务企业 Enterprises", "全程中位天数 Median days", "驳回/异议占比 Rejected or objected", "违规 Violations", "专家评分 Expert", "得分 Score", "下年度资金份额 Share" };
        if (withComments)
        {
            headers.Add("评语 Comments");
        }

        return Table(headers, rows.Select(r =>
        {
            var cells = new List<string>
            {
                E(r.Name), E(r.AmountRedeemed.ToString()), r.EnterprisesServed.ToString(Inv), r.MedianCycleDays?.ToString("0.#", Inv) ?? "–",
                r.RejectedOrObjectedShare is { } s ? E($"{s:P1}（{r.RejectedOrObjected}/{r.RedemptionsFinished}）") : "–",
                r.Violations.ToString(Inv), r.ExpertScore?.ToString(Inv) ?? "–", $"<span data-city=\"{Attr(r.City)}\" class=\"score\">{r.Score.ToString("0.##", Inv)}</span>",
                $"<span data-city=\"{Attr(r.City)}\" class=\"share\">{r.SharePercent.ToString("0.00", Inv)}%</span>",
            };
            if (withComments)
            {
                cells.Add(E(r.Comment));
            }

            return cells;
        }), "");
    }
}
