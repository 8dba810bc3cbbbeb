using Voucher.Workflows.Policies;
using Voucher.Workflows.Web;

namespace Voucher.Workflows.Supervision;

/// <summary>The province centre's findings page, and the year's report (printable page and CSV), over <see cref="FindingService"/>.</summary>
public sealed class FindingPages(FindingService findings)
{
    static readonly CultureInfo Inv = CultureInfo.InvariantCulture;

    DateOnly Today => findings.Today;

    public Task<IResult> PageAsync(RequestContext ctx) => RenderAsync(ctx, null, [], StatusCodes.Status200OK);

    public async Task<IResult> AddAsync(RequestContext ctx)
    {
        var form = await JsonBody.FormOrEmptyAsync(ctx.Request, ctx.Aborted);
        var command = new AddFinding(form["cityCode"].ToString(), form["inspectedOn"].ToString(), form["severity"].ToString(), form["finding"].ToString(), form["recommendation"].ToString());
        var outcome = await findings.AddAsync(ctx.Principal!, command, ctx.Aborted);
        switch (outcome.Failure)
        {
            case null:
                var added = outcome.Value;
                return Results.Redirect($"/supervision/findings?year={added.Year}&done=" + Uri.EscapeDataString($"已记录{Cities.Get(added.PartitionKey).NameZh}的检查发现。"));
            case Failure.Invalid invalid:
                return await RenderAsync(ctx, form, invalid.Errors, StatusCodes.Status400BadRequest);
            default:
                return Pages.Forbidden(ctx.Principal!, outcome.Failure.Message);
        }
    }

    async Task<IResult> RenderAsync(RequestContext ctx, IFormCollection? typed, IReadOnlyList<FieldError> errors, int status)
    {
        var read = findings.YearOf(ctx.Request.Query["year"].ToString());
        var year = read.Succeeded ? read.Value : Today.Year;
        var byCity = await findings.ForYearAsync(year, ctx.Aborted);
        var rows = byCity.SelectMany(x => x.Findings.Select(f => new FindingRow(x.City.NameZh, f.InspectedOn, SeverityName(f.Severity), f.Finding, f.Recommendation, InspectorOf(f.Inspector)))).ToList();
        var typedFinding = new AddFinding(
            typed?["cityCode"].ToString(), typed?["inspectedOn"].ToString() ?? Today.ToString("yyyy-MM-dd", Inv), typed?["severity"].ToString(), typed?["finding"].ToString(), typed?["recommendation"].ToString());
        return Pages.View<FindingsPage>("监督检查", ctx.Principal, new FindingsModel(year, Enumerable.Range(FindingService.FirstYear, Today.Year - FindingService.FirstYear + 1).Reverse().ToList(), rows, typedFinding, errors), status);
    }

    public static string SeverityName(string code) => FindingsStore.Severities.FirstOrDefault(s => s.Code == code).Name ?? code;

    /// <summary>The inspector by name and unit (the record keeps "name (principal id)"; only the province centre records findings).</summary>
    public static string InspectorOf(string recorded) => Publishers.Name(recorded, Role.Province);

    public async Task<IResult> ReportAsync(RequestContext ctx)
    {
        var outcome = await findings.ReportAsync(ctx.Principal!, ctx.Request.Query["year"].ToString(), ctx.Aborted);
        if (outcome.Failure is { } failure)
        {
            return failure is Failure.Forbidden ? Pages.Forbidden(ctx.Principal!, failure.Message) : Pages.Error(ctx.Principal, $"年份须在 {FindingService.FirstYear} 年至今年之间。", StatusCodes.Status400BadRequest);
        }

        var (year, figures, byCity) = outcome.Value;
        var cities = figures.Select(f => new ReportCityRow(
            f.CityCode == "province" ? "全省" : f.CityName, f.CityCode == "province", f.VouchersIssued, f.RedemptionsPaid, f.Paid, f.EnterprisesServed, f.RedemptionsRejected, f.RedemptionsObjected,
            f.Stages.Single(s => s.Stage == "total") is { Count: > 0 } t ? string.Create(Inv, $"{t.MedianDays:0.#} / {t.P90Days:0.#}") : "–",
            f.CityCode == "province" ? byCity.Sum(x => x.Findings.Count) : byCity.Single(x => x.City.Code == f.CityCode).Findings.Count)).ToList();
        var sections = byCity.Select(x => new ReportCityFindings(x.City.NameZh,
            x.Findings.Select(f => new FindingRow(x.City.NameZh, f.InspectedOn, SeverityName(f.Severity), f.Finding, f.Recommendation, InspectorOf(f.Inspector))).ToList())).ToList();
        return Pages.View<SupervisionReportPage>($"{year}年度科技创新券实施情况监督检查报告", ctx.Principal, new SupervisionReportModel(year, Today, cities, sections));
    }

    public async Task<IResult> ReportCsvAsync(RequestContext ctx)
    {
        var outcome = await findings.ReportAsync(ctx.Principal!, ctx.Request.Query["year"].ToString(), ctx.Aborted);
        if (outcome.Failure is { } failure)
        {
            return Problems.For(failure);
        }

        var (year, all, byCity) = outcome.Value;
        var figures = all.ToDictionary(f => f.CityCode);
        var sb = new StringBuilder("city,year,vouchers_issued,redemptions_paid,paid_cny,enterprises_served,inspected_on,severity,finding,recommendation,inspector\n");
        foreach (var (city, list) in byCity)
        {
            var f = figures[city.Code];
            var prefix = $"{city.NameZh},{year},{f.VouchersIssued},{f.RedemptionsPaid},{f.Paid.Yuan.ToString("0.00", Inv)},{f.EnterprisesServed}";
            if (list.Count == 0)
            {
                sb.Append(prefix).Append(",,,,,\n");
            }

            foreach (var x in list)
            {
                // The severity in Chinese, as the report shows it (the stored code is an internal value).
                sb.Append(Inv, $"{prefix},{x.InspectedOn},{SeverityName(x.Severity)},{Cell(x.Finding)},{Cell(x.Recommendation)},{Cell(InspectorOf(x.Inspector))}\n");
            }
        }

        return Results.File(Encoding.UTF8.GetPreamble().Concat(Encoding.UTF8.GetBytes(sb.ToString())).ToArray(), "text/csv; charset=utf-8", $"supervision-report-{year}.csv");
    }

    /// <summary>A CSV cell, quoted; a leading formula character is neutralised (spreadsheet injection).</summary>
    static string Cell(string value)
    {
        var v = value.Length > 0 && "=+-@\t\r".Contains(value[0], StringComparison.Ordinal) ? "'" + value : value;
        return "\"" + v.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"";
    }
}

/// <summary>A finding as the pages show it: city, date, severity and inspector in words.</summary>
public sealed record FindingRow(string City, string InspectedOn, string Severity, string Finding, string Recommendation, string Inspector);

/// <summary>The findings page: the year's findings, and the form to record one (what was typed, the messages of a refused one).</summary>
public sealed record FindingsModel(int Year, IReadOnlyList<int> Years, IReadOnlyList<FindingRow> Rows, AddFinding Typed, IReadOnlyList<FieldError> Errors);

/// <summary>A city's (or the province's) line of the report's first table.</summary>
public sealed record ReportCityRow(string Name, bool IsProvince, long VouchersIssued, long RedemptionsPaid, Cny Paid, long EnterprisesServed, long Rejected, long Objected, string CycleDays, int Findings);

public sealed record ReportCityFindings(string City, IReadOnlyList<FindingRow> Findings);

/// <summary>The printable supervision report of a year.</summary>
public sealed record SupervisionReportModel(int Year, DateOnly Generated, IReadOnlyList<ReportCityRow> Cities, IReadOnlyList<ReportCityFindings> Findings);
