using Voucher.Workflows.Web;
using static Voucher.Workflows.Web.Html;

namespace Voucher.Workflows.Supervision;

/// <summary>Pages of the evaluation over <see cref="EvaluationService"/>: public (published years), the province's work page, each city's own view.</summary>
public sealed class EvaluationPages(EvaluationService evaluations)
{
    /// <summary>The shared table, its scroll box keyboard-focusable (these tables are wide).</summary>
    static string Table(IReadOnlyList<string> headers, IEnumerable<IEnumerable<string>> rows, string empty) =>
        Charts.Region(Voucher.Workflows.Web.Html.Table(headers, rows, empty), $"表格 Table：{headers[0]}，{headers[1]} … {headers[^1]}");

    static readonly CultureInfo Inv = CultureInfo.InvariantCulture;

    public async Task<IResult> PublicPageAsync(RequestContext ctx)
    {
        var read = evaluations.YearOf(ctx.RouteValue("year"));
        if (read.Failure is { } invalid)
        {
            return Pages.Error(ctx.Principal, invalid.Message, StatusCodes.Status400BadRequest);
        }

        var year = read.Value;
        var outcome = await evaluations.PublishedAsync(ctx.RouteValue("year"), ctx.Aborted);
        var published = outcome.Succeeded ? outcome.Value : null;
        var body = published is null
            ? $"<section class=\"card\"><p>{year} 年度绩效评价结果尚未发布。The {year} evaluation has not been published yet.</p></section>"
            : $"<section class=\"card\"><p>发布时间 Published：{E(Settlement.BatchLinks.ChinaDate(published.PublishedAt!.Value))} · 评价公式 Formula v{published.FormulaVersion}</p>{ResultTable(published.Cities, withComments: true)}<p class=\"muted\">{E(FormulaText(published.Formula))}</p></section>";
        return Pages.Page($"{year} 年度创新券绩效评价结果 Annual evaluation", body, ctx.Principal, published is null ? StatusCodes.Status404NotFound : StatusCodes.Status200OK);
    }

    public Task<IResult> WorkPageAsync(RequestContext ctx) => RenderAsync(ctx, null, null, StatusCodes.Status200OK);

    public async Task<IResult> SaveAsync(RequestContext ctx)
    {
        var form = await JsonBody.FormOrEmptyAsync(ctx.Request, ctx.Aborted);
        var scores = Cities.All.ToDictionary(c => c.Code, c => new CityScoreInput(form[$"score-{c.Code}"].ToString(), form[$"comment-{c.Code}"].ToString()));
        var outcome = await evaluations.SaveAsync(ctx.Principal!, new SaveEvaluation(ctx.RouteValue("year"), scores, form["action"].ToString() == "publish"), ctx.Aborted);
        switch (outcome.Failure)
        {
            case null:
                var saved = outcome.Value;
                return saved.Published is not null
                    ? Results.Redirect($"/evaluations/{saved.Year}")
                    : Results.Redirect($"/supervision/evaluations/{saved.Year}?done=" + Uri.EscapeDataString("专家评分已保存 (Scores saved)"));
            case Failure.Invalid { Errors: var errors } when errors.All(e => e.Field != "year"):
                return await RenderAsync(ctx, form, errors, StatusCodes.Status400BadRequest);
            case Failure.Forbidden forbidden:
                return Pages.Forbidden(ctx.Principal!, forbidden.Message);
            default:
                return Pages.Error(ctx.Principal, outcome.Failure.Message, StatusCodes.Status400BadRequest);
        }
    }

    async Task<IResult> RenderAsync(RequestContext ctx, IFormCollection? typed, IReadOnlyList<FieldError>? errors, int status)
    {
        var p = ctx.Principal!;
        var outcome = await evaluations.WorkAsync(p, ctx.RouteValue("year"), ctx.Aborted);
        switch (outcome.Failure)
        {
            case Failure.Forbidden forbidden:
                return Pages.Forbidden(p, forbidden.Message);
            case { } failure:
                return Pages.Error(p, failure.Message, StatusCodes.Status400BadRequest);
        }

        var (year, draft, published) = outcome.Value;
        var sb = new StringBuilder(Web.PageParts.Flash(ctx.Request));
        if (p.Role == Role.CityBureau)
        {
            sb.Append(Inv, $"<section class=\"card\"><h2>本市当前指标 Your city's indicators（未发布 draft）</h2>{ResultTable(draft.Cities, withComments: false)}</section>");
            sb.Append(published is null
                ? "<section class=\"card\"><p>本年度评价结果尚未发布。Not published yet.</p></section>"
                : $"<section class=\"card\"><h2>已发布结果 Published result</h2>{ResultTable(published.Cities, withComments: true)}</section>");
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
