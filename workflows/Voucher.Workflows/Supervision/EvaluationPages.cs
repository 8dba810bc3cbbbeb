using Voucher.Workflows.Policies;
using Voucher.Workflows.Web;

namespace Voucher.Workflows.Supervision;

/// <summary>Pages of the evaluation over <see cref="EvaluationService"/>: public (published years), the province's work page, each city's own view.</summary>
public sealed class EvaluationPages(EvaluationService evaluations)
{
    public async Task<IResult> PublicPageAsync(RequestContext ctx)
    {
        var read = evaluations.YearOf(ctx.RouteValue("year"));
        if (read.Failure is not null)
        {
            return Pages.Error(ctx.Principal, $"年份须在 {StatsReader.FirstSystemYear} 年至今年之间。", StatusCodes.Status400BadRequest);
        }

        var year = read.Value;
        var outcome = await evaluations.PublishedAsync(ctx.RouteValue("year"), ctx.Aborted);
        var published = outcome.Succeeded ? outcome.Value : null;
        return Pages.View<EvaluationPublicPage>($"{year}年度创新券绩效评价结果", ctx.Principal, new EvaluationPublicModel(year, published),
            published is null ? StatusCodes.Status404NotFound : StatusCodes.Status200OK);
    }

    public Task<IResult> WorkPageAsync(RequestContext ctx) => RenderAsync(ctx, null, [], StatusCodes.Status200OK);

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
                    ? PageParts.Back($"/evaluations/{saved.Year}", done: $"{saved.Year}年度绩效评价结果已发布。")
                    : PageParts.Back($"/supervision/evaluations/{saved.Year}", done: "专家评分与评语已保存，尚未发布。");
            case Failure.Invalid { Errors: var errors } when errors.All(e => e.Field != "year"):
                return await RenderAsync(ctx, form, errors, StatusCodes.Status400BadRequest);
            case Failure.Forbidden forbidden:
                return Pages.Forbidden(ctx.Principal!, forbidden.Message);
            default:
                return Pages.Error(ctx.Principal, $"年份须在 {StatsReader.FirstSystemYear} 年至今年之间。", StatusCodes.Status400BadRequest);
        }
    }

    async Task<IResult> RenderAsync(RequestContext ctx, IFormCollection? typed, IReadOnlyList<FieldError> errors, int status)
    {
        var p = ctx.Principal!;
        var outcome = await evaluations.WorkAsync(p, ctx.RouteValue("year"), ctx.Aborted);
        switch (outcome.Failure)
        {
            case Failure.Forbidden forbidden:
                return Pages.Forbidden(p, forbidden.Message);
            case not null:
                return Pages.Error(p, $"年份须在 {StatsReader.FirstSystemYear} 年至今年之间。", StatusCodes.Status400BadRequest);
        }

        var (year, draft, published) = outcome.Value;
        var inputs = draft.Cities.Select(c => new EvaluationInput(c.City, c.Name,
            typed?[$"score-{c.City}"].ToString() ?? c.ExpertScore?.ToString(CultureInfo.InvariantCulture) ?? "",
            typed?[$"comment-{c.City}"].ToString() ?? c.Comment)).ToList();
        return Pages.View<EvaluationWorkPage>($"{year}年度绩效评价", p,
            new EvaluationWorkModel(year, draft, published, p.Role == Role.Province, inputs, errors), status);
    }

    /// <summary>The formula in words, as the pages explain the score.</summary>
    public static string FormulaText(EvaluationFormula f) =>
        string.Create(CultureInfo.InvariantCulture,
            $"得分 = 100 ×（兑付金额 × {f.AmountWeight} + 服务企业数 × {f.EnterprisesWeight} + 办理时效 × {f.SpeedWeight} + 兑付质量 × {f.QualityWeight} + 专家评分 × {f.ExpertWeight}，各项按最优城市归一）− 每起违规扣 {f.ViolationPenalty} 分；下年度资金份额 = 每市保底 {f.FloorShare * 100:0.##}% + 其余按得分比例分配。");

    /// <summary>Who published, by name and unit (the record keeps "name (principal id)"; only the province centre publishes).</summary>
    public static string PublisherOf(string? recorded) => Publishers.Name(recorded, Role.Province);
}

/// <summary>The public page of a year's evaluation: the published result, or none yet.</summary>
public sealed record EvaluationPublicModel(int Year, EvaluationResult? Published);

/// <summary>A city's expert score and comment as typed (or as saved).</summary>
public sealed record EvaluationInput(string City, string Name, string Score, string Comment);

/// <summary>
/// The work page: the draft from today's figures, what was published, and for the province centre the score form
/// (what was typed and the messages of a refused save).
/// </summary>
public sealed record EvaluationWorkModel(int Year, EvaluationResult Draft, EvaluationResult? Published, bool CanScore, IReadOnlyList<EvaluationInput> Inputs, IReadOnlyList<FieldError> Errors);
