using Voucher.Workflows.Audit;
using Voucher.Workflows.Web;

namespace Voucher.Workflows.Policies;

/// <summary>The working-day calendar: <c>GET/PUT /api/calendar/{year}</c> and the province centre's page (its readiness check: <see cref="CalendarReadinessCheck"/>).</summary>
public sealed class CalendarPages(CalendarService calendars, AuditLog audit, VoucherStore voucherStore)
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

    public Task<IResult> PageAsync(RequestContext ctx) =>
        RenderAsync(ctx, int.TryParse(ctx.Request.Query["year"], NumberStyles.None, CultureInfo.InvariantCulture, out var y) && CalendarYear.IsSupportedYear(y) ? y : calendars.Today.Year + 1,
            null, [], StatusCodes.Status200OK);

    public async Task<IResult> PublishFormAsync(RequestContext ctx)
    {
        if (YearOf(ctx) is not { } year)
        {
            return Pages.NotFound(ctx.Principal, $"年份须在 {CalendarYear.MinYear}–{CalendarYear.MaxYear} 之间。");
        }

        var form = await JsonBody.FormOrEmptyAsync(ctx.Request, ctx.Aborted);
        var expected = int.TryParse(form["expectedVersion"], NumberStyles.None, CultureInfo.InvariantCulture, out var v) ? v : (int?)null;
        var request = new CalendarPublishRequest(expected, Dates(form["holidays"]), Dates(form["workdays"]), form["source"], form["reason"]);
        if (!ConfirmModel.IsConfirmed(form))
        {
            // Checked as the publication checks it; nothing is saved before the confirmation.
            var (parsed, errors) = CalendarYear.Parse(year, request.Holidays, request.Workdays, request.Source, request.Reason);
            if (parsed is null)
            {
                return await RenderAsync(ctx, year, form, errors, StatusCodes.Status400BadRequest);
            }

            var view = await calendars.ViewAsync(year, ctx.Aborted);
            var open = await new ListCalendarDependents(voucherStore).AllCitiesAsync(year, ctx.Aborted);
            var next = (view.Version ?? 0) + 1;
            var total = open.Applications.Count + open.Redemptions.Count + open.Batches.Count;
            return Pages.View<ConfirmPage>("确认发布节假日安排", ctx.Principal, new ConfirmModel(
                view.Version is null ? $"发布{year}年节假日安排？" : $"更正{year}年节假日安排为第{next}版？",
                [
                    ("年份", $"{year}年"),
                    ("版本", view.Version is null ? "第1版（首次发布）" : $"第{next}版（现行为第{view.Version}版）"),
                    ("通知", parsed.Source),
                    ("放假日", $"{parsed.Holidays.Count} 天"),
                    ("调休上班日", parsed.Workdays.Count == 0 ? "无" : $"{parsed.Workdays.Count} 天"),
                    ("生效", $"发布即生效（{Glossary.DateInSentence(calendars.Today)}起），此后计算的期限使用新安排"),
                    ("重新计算的期限", total == 0
                        ? "目前没有跨入该年的未到期期限"
                        : $"约 1 分钟内重新计算 {total} 个未到期的期限：审核中的申请 {open.Applications.Count} 件、待机构确认的兑付 {open.Redemptions.Count} 件、公示中的批次 {open.Batches.Count} 个；已到期并已处理的保持不变"),
                    ("原因", parsed.Reason),
                ],
                $"/supervision/calendar/{year}", ConfirmModel.Carry(form), "确认发布", $"/supervision/calendar?year={year}"));
        }

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
        var replans = (await audit.ReadAsync(AuditSubjects.Calendar(year), ct)).OrderByDescending(e => e.At).Take(10)
            .Select(e => new CalendarReplanRow(Glossary.Time(e.At), e.Detail)).ToList();
        var today = calendars.Today.Year;
        string Typed(string name, IEnumerable<string> current) => typed is null ? string.Join("\n", current) : typed[name].ToString();
        var values = new CalendarTyped(typed?["source"].ToString() ?? view.Source ?? "", Typed("holidays", view.Holidays), Typed("workdays", view.Workdays), typed?["reason"].ToString() ?? "");
        return Pages.View<CalendarPage>("节假日安排（工作日日历）", ctx.Principal,
            new CalendarModel(year, Enumerable.Range(today - 2, 5).ToList(), view, notices, values, Place(errors), replans), status);
    }

    /// <summary>
    /// The messages by field as the form shows them: a date's position in its list named in the message, one message per
    /// field (the field's messages joined), and a version published meanwhile at the top of the form.
    /// </summary>
    static IReadOnlyList<FieldError> Place(IReadOnlyList<FieldError> errors) =>
        errors.GroupBy(e => e.Field.IndexOf('[') is var open and > 0 ? e.Field[..open] : e.Field)
            .Select(g => new FieldError(g.Key is "holidays" or "workdays" or "source" or "reason" ? g.Key : "calendar-form",
                string.Join("；", g.Select(e => Position(e.Field) + Glossary.ChineseOnly(e.Message)))))
            .ToList();

    static string Position(string field) =>
        field.IndexOf('[') is var open and > 0 && int.TryParse(field[(open + 1)..^1], NumberStyles.None, CultureInfo.InvariantCulture, out var index) ? $"第 {index + 1} 个日期：" : "";

    static int? YearOf(RequestContext ctx) =>
        int.TryParse(ctx.RouteValue("year"), NumberStyles.None, CultureInfo.InvariantCulture, out var year) && CalendarYear.IsSupportedYear(year) ? year : null;

    static IResult YearProblem() =>
        Problems.Validation("year", $"年份须为 {CalendarYear.MinYear}–{CalendarYear.MaxYear} 之间的整数 (The year must be a whole number from {CalendarYear.MinYear} to {CalendarYear.MaxYear})");
}

/// <summary>What the calendar form holds: as typed, or the arrangement in force.</summary>
public sealed record CalendarTyped(string Source, string Holidays, string Workdays, string Reason);

/// <summary>One re-plan of the year's open deadlines, as the audit trail recorded it.</summary>
public sealed record CalendarReplanRow(string At, string Detail);

/// <summary>The calendar page: the year chosen, its arrangement and versions, the province's notices, the form, the re-plans.</summary>
public sealed record CalendarModel(int Year, IReadOnlyList<int> Years, CalendarYearView View, IReadOnlyList<string> Notices, CalendarTyped Typed, IReadOnlyList<FieldError> Errors, IReadOnlyList<CalendarReplanRow> Replans);
