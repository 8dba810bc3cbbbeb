using Voucher.Workflows.Audit;
using Voucher.Workflows.Web;
using static Voucher.Workflows.Web.Html;

namespace Voucher.Workflows.Policies;

/// <summary>The working-day calendar: <c>GET/PUT /api/calendar/{year}</c>, the province centre's page, and the readiness check.</summary>
public sealed class CalendarPages(CalendarService calendars, CalendarStore store, AuditLog audit)
{
    static readonly char[] Separators = ['\n', '\r', ',', '，', '、', ';', '；', ' ', '\t'];

    public async Task<IResult> ApiGetAsync(RequestContext ctx)
    {
        if (YearOf(ctx) is not { } year)
        {
            return YearProblem();
        }

        return Results.Json(await calendars.ViewAsync(year, ctx.Aborted), JsonBody.Response);
    }

    public async Task<IResult> ApiPutAsync(RequestContext ctx)
    {
        if (YearOf(ctx) is not { } year)
        {
            return YearProblem();
        }

        var (body, error) = await JsonBody.ReadAsync<CalendarPublishRequest>(ctx.Request, ctx.Aborted);
        if (error is not null)
        {
            return error;
        }

        var result = await calendars.PublishAsync(year, body!, ctx.Principal!.DisplayName, ctx.Principal.UserId, ctx.Durable, ctx.Aborted);
        return result.Outcome switch
        {
            PublishOutcome.Published => Results.Json(await calendars.ViewAsync(year, ctx.Aborted), JsonBody.Response, statusCode: StatusCodes.Status201Created),
            PublishOutcome.Stale => Problems.Conflict(result.Errors[0].Message),
            _ => Problems.Validation(result.Errors),
        };
    }

    /// <summary>Readiness: storage answers (503 when not), and what the operator must know (the calendar's notices).</summary>
    public async Task<IResult> ReadyAsync(RequestContext ctx)
    {
        try
        {
            var notices = calendars.NoticesFor(await store.FreshAsync(ctx.Aborted));
            return Results.Json(new { status = "ready", checks = new { storage = "ok", calendar = notices.Count == 0 ? "ok" : "warning" }, warnings = notices }, JsonBody.Response);
        }
        catch (Azure.RequestFailedException e)
        {
            return Results.Json(new { status = "unavailable", checks = new { storage = $"failed: {e.Status} {e.ErrorCode}" } }, JsonBody.Response, statusCode: StatusCodes.Status503ServiceUnavailable);
        }
        catch (HttpRequestException e)
        {
            return Results.Json(new { status = "unavailable", checks = new { storage = $"unreachable: {e.Message}" } }, JsonBody.Response, statusCode: StatusCodes.Status503ServiceUnavailable);
        }
    }

    public Task<IResult> PageAsync(RequestContext ctx) =>
        RenderAsync(ctx, int.TryParse(ctx.Request.Query["year"], NumberStyles.None, CultureInfo.InvariantCulture, out var y) && CalendarYear.IsSupportedYear(y) ? y : calendars.Today.Year + 1,
            null, [], StatusCodes.Status200OK);

    public async Task<IResult> PublishFormAsync(RequestContext ctx)
    {
        if (YearOf(ctx) is not { } year)
        {
            return Pages.NotFound(ctx.Principal, "年份须在 2000–2100 之间");
        }

        var form = await JsonBody.FormOrEmptyAsync(ctx.Request, ctx.Aborted);
        var expected = int.TryParse(form["expectedVersion"], NumberStyles.None, CultureInfo.InvariantCulture, out var v) ? v : (int?)null;
        var request = new CalendarPublishRequest(expected, Dates(form["holidays"]), Dates(form["workdays"]), form["source"], form["reason"]);
        var result = await calendars.PublishAsync(year, request, ctx.Principal!.DisplayName, ctx.Principal.UserId, ctx.Durable, ctx.Aborted);
        if (result.Outcome == PublishOutcome.Published)
        {
            return Results.Redirect($"/supervision/calendar?year={year}&done=" + Uri.EscapeDataString(
                $"已发布{year}年节假日安排第{result.Policy!.Version}版。受影响的期限将在约 1 分钟内自动重新计算，结果记入下方的“重新计算记录”。"));
        }

        return await RenderAsync(ctx, year, form, result.Errors, result.Outcome == PublishOutcome.Stale ? StatusCodes.Status409Conflict : StatusCodes.Status400BadRequest);
    }

    static IReadOnlyList<string?> Dates(string? text) => (text ?? "").Split(Separators, StringSplitOptions.RemoveEmptyEntries);

    async Task<IResult> RenderAsync(RequestContext ctx, int year, IFormCollection? typed, IReadOnlyList<FieldError> errors, int status)
    {
        var ct = ctx.Aborted;
        var view = await calendars.ViewAsync(year, ct);
        var notices = await calendars.NoticesAsync(ct);
        var replans = (await audit.ReadAsync(AuditSubjects.Calendar(year), ct)).OrderByDescending(e => e.At).Take(10).ToList();
        var sb = new StringBuilder(Web.PageParts.Flash(ctx.Request));
        foreach (var notice in notices)
        {
            sb.Append($"<p class=\"warn\" role=\"status\">{E(notice)}</p>");
        }

        var today = calendars.Today.Year;
        var years = string.Join(" · ", Enumerable.Range(today - 2, 5).Select(y => y == year ? $"<strong>{y}年</strong>" : Link($"/supervision/calendar?year={y}", $"{y}年")));
        sb.Append($"<section class=\"card\"><h2>选择年份</h2><p>{years}</p></section>");

        var state = view.Status == CalendarYearView.Published
            ? $"<p>已发布第 {view.Version} 版：{E(view.Source)}（{E(view.PublishedBy)}，{E(Settlement.BatchLinks.ChinaDate(view.PublishedAt!.Value))}）</p>"
            : $"<p class=\"warn\">{year}年的节假日安排尚未发布。该年的期限暂按周一至周五推定，并在页面上标注“推定”。</p>";
        var lists = view.Status == CalendarYearView.Published
            ? $"<dl class=\"facts\"><dt>放假日（{view.Holidays.Count} 天）</dt><dd>{E(string.Join("、", view.Holidays))}</dd><dt>调休上班日（{view.Workdays.Count} 天）</dt><dd>{(view.Workdays.Count == 0 ? "无" : E(string.Join("、", view.Workdays)))}</dd></dl>"
            : "";
        sb.Append($"<section class=\"card\"><h2>{year}年节假日安排</h2>{state}{lists}</section>");

        string Typed(string name, IEnumerable<string> current) => typed is null ? string.Join("\n", current) : typed[name].ToString();
        sb.Append($"""
            <section class="card"><h2>{(view.Version is null ? "发布" : "更正")}{year}年节假日安排</h2>
            {ErrorSummary(errors)}
            {Errors(errors, "expectedVersion")}
            <form method="post" action="/supervision/calendar/{year}" id="calendar-form">
            <input type="hidden" name="expectedVersion" value="{view.Version ?? 0}">
            {Input("source", $"通知标题和文号（如：国务院办公厅关于{year}年部分节假日安排的通知（国办发明电〔…〕…号））", typed?["source"].ToString() ?? view.Source ?? "", errors)}
            {Area("holidays", "放假日：每行一个日期（yyyy-MM-dd），列出各假期的每一天，含假期内的周六、周日", Typed("holidays", view.Holidays), errors)}
            {Area("workdays", "调休上班日：每行一个日期，须为周六或周日；没有可留空", Typed("workdays", view.Workdays), errors)}
            {Input("reason", "发布或更正原因（必填）", typed?["reason"].ToString() ?? "", errors)}
            <div><button type="submit">发布</button></div>
            </form>
            <p class="muted">发布即生效：此后计算的期限使用新安排；审核中、待机构确认和公示中的期限会自动重新计算，已经到期并已处理的（已发提醒、已督办）保持不变。每次发布都是一个新版本，保留发布人、时间和原因。</p>
            </section>
            """);

        sb.Append($"""
            <section class="card"><h2>版本记录</h2>
            {Table(["版本", "发布人", "发布时间", "通知", "原因", "放假日", "调休上班日"],
                view.History.Select(h => new[] { $"第{h.Version}版", E(h.PublishedBy), E(h.PublishedAt == default ? "" : Settlement.BatchLinks.ChinaDate(h.PublishedAt)), E(h.Source), E(h.Reason), $"{h.Holidays} 天", $"{h.Workdays} 天" }),
                "尚无版本")}
            </section>
            <section class="card"><h2>重新计算记录</h2>
            {Table(["时间", "内容"], replans.Select(e => new[] { E(Settlement.BatchLinks.ChinaDate(e.At)), E(e.Detail) }), "暂无")}
            </section>
            <section class="card"><h2>期限计算规则</h2><p>{E(WorkingDeadline.RuleZh)}</p></section>
            """);
        return Pages.Page("节假日安排（工作日日历）", sb.ToString(), ctx.Principal, status);
    }

    static int? YearOf(RequestContext ctx) =>
        int.TryParse(ctx.RouteValue("year"), NumberStyles.None, CultureInfo.InvariantCulture, out var year) && CalendarYear.IsSupportedYear(year) ? year : null;

    static IResult YearProblem() =>
        Problems.Validation("year", $"年份须为 {CalendarYear.MinYear}–{CalendarYear.MaxYear} 之间的整数 (The year must be a whole number from {CalendarYear.MinYear} to {CalendarYear.MaxYear})");

    /// <summary>The errors of one field; for a list (<c>holidays[3]</c>) each names its date's position.</summary>
    static string Errors(IReadOnlyList<FieldError> errors, string field) =>
        string.Concat(errors.Where(e => e.Field == field || e.Field.StartsWith(field + "[", StringComparison.Ordinal))
            .Select(e => $"<p class=\"error\" id=\"{field}-error\" role=\"alert\">{E(Position(e.Field))}{E(e.Message)}</p>"));

    static string Position(string field) =>
        field.IndexOf('[') is var open and > 0 && int.TryParse(field[(open + 1)..^1], NumberStyles.None, CultureInfo.InvariantCulture, out var index) ? $"第 {index + 1} 个日期：" : "";

    static string ErrorSummary(IReadOnlyList<FieldError> errors) =>
        errors.Count == 0 ? "" : $"<div class=\"error\" role=\"alert\"><p>发布未完成，请修改以下 {errors.Count} 处后重试（未保存任何内容）：</p><ul>{string.Concat(errors.Select(e => $"<li>{E(Position(e.Field))}{E(e.Message)}</li>"))}</ul></div>";

    static string Invalid(IReadOnlyList<FieldError> errors, string field) =>
        errors.Any(e => e.Field == field || e.Field.StartsWith(field + "[", StringComparison.Ordinal)) ? $" aria-invalid=\"true\" aria-describedby=\"{field}-error\"" : "";

    static string Input(string name, string label, string value, IReadOnlyList<FieldError> errors) =>
        $"<label for=\"{name}\">{E(label)}</label>{Errors(errors, name)}<input id=\"{name}\" name=\"{name}\" maxlength=\"{CalendarYear.MaxTextLength}\" value=\"{Attr(value)}\"{Invalid(errors, name)}>";

    static string Area(string name, string label, string value, IReadOnlyList<FieldError> errors) =>
        $"<label for=\"{name}\">{E(label)}</label>{Errors(errors, name)}<textarea id=\"{name}\" name=\"{name}\" rows=\"8\"{Invalid(errors, name)}>{E(value)}</textarea>";
}
