using Voucher.Workflows.Web;
using static Voucher.Workflows.Web.Html;

namespace Voucher.Workflows.Supervision;

/// <summary>The province centre's findings page, and the year's report (printable page and CSV), over <see cref="FindingService"/>.</summary>
public sealed class FindingPages(FindingService findings)
{
    /// <summary>The shared table, its scroll box keyboard-focusable (these tables are wide).</summary>
    static string Table(IReadOnlyList<string> headers, IEnumerable<IEnumerable<string>> rows, string empty) =>
        Charts.Region(Voucher.Workflows.Web.Html.Table(headers, rows, empty), $"表格 Table：{headers[0]}，{headers[1]} … {headers[^1]}");

    static readonly CultureInfo Inv = CultureInfo.InvariantCulture;

    DateOnly Today => findings.Today;

    public Task<IResult> PageAsync(RequestContext ctx) => RenderAsync(ctx, null, null, StatusCodes.Status200OK);

    public async Task<IResult> AddAsync(RequestContext ctx)
    {
        var form = await JsonBody.FormOrEmptyAsync(ctx.Request, ctx.Aborted);
        var command = new AddFinding(form["cityCode"].ToString(), form["inspectedOn"].ToString(), form["severity"].ToString(), form["finding"].ToString(), form["recommendation"].ToString());
        var outcome = await findings.AddAsync(ctx.Principal!, command, ctx.Aborted);
        switch (outcome.Failure)
        {
            case null:
                var added = outcome.Value;
                return Results.Redirect($"/supervision/findings?year={added.Year}&done=" + Uri.EscapeDataString($"已记录{Cities.Get(added.PartitionKey).NameZh}的检查发现 (Finding recorded)"));
            case Failure.Invalid invalid:
                return await RenderAsync(ctx, form, invalid.Errors, StatusCodes.Status400BadRequest);
            default:
                return Pages.Forbidden(ctx.Principal!, outcome.Failure.Message);
        }
    }

    async Task<IResult> RenderAsync(RequestContext ctx, IFormCollection? typed, IReadOnlyList<FieldError>? errors, int status)
    {
        var read = findings.YearOf(ctx.Request.Query["year"].ToString());
        var year = read.Succeeded ? read.Value : Today.Year;
        var errs = errors ?? [];
        string Err(string f) => string.Concat(errs.Where(e => e.Field == f).Select(e => $"<p class=\"error\" id=\"{f}-error\" role=\"alert\">{E(e.Message)}</p>"));
        string Invalid(string f) => errs.Any(e => e.Field == f) ? $" aria-invalid=\"true\" aria-describedby=\"{f}-error\"" : "";
        var cityOptions = string.Concat(Cities.All.Select(c => $"<option value=\"{c.Code}\"{(typed?["cityCode"].ToString() == c.Code ? " selected" : "")}>{E(c.NameZh)}</option>"));
        var severityOptions = string.Concat(FindingsStore.Severities.Select(s => $"<option value=\"{s.Code}\"{(typed?["severity"].ToString() == s.Code ? " selected" : "")}>{E(s.Name)}</option>"));
        var byCity = await findings.ForYearAsync(year, ctx.Aborted);
        var rows = byCity.SelectMany(x => x.Findings.Select(f => new[] { E(x.City.NameZh), E(f.InspectedOn), E(SeverityName(f.Severity)), E(f.Finding), E(f.Recommendation), E(f.Inspector) }));
        var body = $"""
            {Web.PageParts.Flash(ctx.Request)}
            <section class="card"><h2>{year} 年检查发现 Findings</h2>{Table(["地市 City", "检查日期 Inspected", "等级 Severity", "发现 Finding", "整改建议 Recommendation", "检查人 Inspector"], rows, "本年度暂无检查发现 No findings this year")}
            <p>{Link($"/supervision/report?year={year}", "监督检查报告（可打印）Printable report")} · {Link($"/supervision/report.csv?year={year}", "导出 CSV Export")}</p></section>
            <section class="card"><h2>记录检查发现 Record a finding</h2>
            <form method="post" action="/supervision/findings?year={year}" id="finding-form">
            <label for="cityCode">地市 City</label>{Err("cityCode")}<select id="cityCode" name="cityCode"{Invalid("cityCode")}>{cityOptions}</select>
            <label for="inspectedOn">检查日期 Inspected on（yyyy-MM-dd）</label>{Err("inspectedOn")}<input id="inspectedOn" name="inspectedOn" value="{Attr(typed?["inspectedOn"].ToString() ?? Today.ToString("yyyy-MM-dd", Inv))}"{Invalid("inspectedOn")}>
            <label for="severity">等级 Severity</label>{Err("severity")}<select id="severity" name="severity"{Invalid("severity")}>{severityOptions}</select>
            <label for="finding">检查发现 Finding</label>{Err("finding")}<textarea id="finding" name="finding" rows="3"{Invalid("finding")}>{E(typed?["finding"].ToString())}</textarea>
            <label for="recommendation">整改建议 Recommendation</label>{Err("recommendation")}<textarea id="recommendation" name="recommendation" rows="2"{Invalid("recommendation")}>{E(typed?["recommendation"].ToString())}</textarea>
            <div><button type="submit">记录 Record</button></div></form></section>
            """;
        return Pages.Page("监督检查 Supervision findings", body, ctx.Principal, status);
    }

    public static string SeverityName(string code) => FindingsStore.Severities.FirstOrDefault(s => s.Code == code).Name ?? code;

    public async Task<IResult> ReportAsync(RequestContext ctx)
    {
        var outcome = await findings.ReportAsync(ctx.Principal!, ctx.Request.Query["year"].ToString(), ctx.Aborted);
        if (outcome.Failure is { } failure)
        {
            return failure is Failure.Forbidden ? Pages.Forbidden(ctx.Principal!, failure.Message) : Pages.Error(ctx.Principal, failure.Message, StatusCodes.Status400BadRequest);
        }

        var (year, figures, byCity) = outcome.Value;
        var sb = new StringBuilder(Charts.Css);
        sb.Append(Inv, $"""
            <section class="card"><p>报送：山西省科学技术厅、山西省财政厅 · To: Shanxi Department of Science and Technology, Department of Finance</p>
            <p>报告单位：山西省科技资源与大型仪器开放共享中心 · 生成日期 {Today:yyyy-MM-dd} · <span class="noprint">{Link($"/supervision/report.csv?year={year}", "导出 CSV")}（打印本页即得书面报告 print this page for the document）</span></p></section>
            <section class="card"><h2>一、各市实施情况 Implementation by city</h2>
            {Table(["地市 City", "发券 Issued", "兑付笔数 Paid", "兑付金额 Amount", "服务企业 Enterprises", "驳回 Rejected", "异议 Objected", "全程中位/P90天 Median/P90 days", "检查发现 Findings"],
                figures.Select(f => new[] { E(f.CityName), f.VouchersIssued.ToString(Inv), f.RedemptionsPaid.ToString(Inv), E(f.Paid.ToString()), f.EnterprisesServed.ToString(Inv), f.RedemptionsRejected.ToString(Inv), f.RedemptionsObjected.ToString(Inv),
                    f.Stages.Single(s => s.Stage == "total") is { Count: > 0 } t ? E($"{t.MedianDays:0.#} / {t.P90Days:0.#}") : "–",
                    f.CityCode == "province" ? byCity.Sum(x => x.Findings.Count).ToString(Inv) : byCity.Single(x => x.City.Code == f.CityCode).Findings.Count.ToString(Inv) }), "")}
            </section>
            <section class="card"><h2>二、检查发现与整改建议 Findings and recommendations</h2>
            """);
        foreach (var (city, list) in byCity)
        {
            sb.Append(Inv, $"<h3>{E(city.NameZh)}</h3>");
            sb.Append(list.Count == 0
                ? "<p class=\"muted\">本年度未发现问题。No findings.</p>"
                : "<ol>" + string.Concat(list.Select(f => $"<li><strong>{E(SeverityName(f.Severity))}</strong>（{E(f.InspectedOn)}，{E(f.Inspector)}）：{E(f.Finding)}{(f.Recommendation.Length > 0 ? $"<br>整改建议：{E(f.Recommendation)}" : "")}</li>")) + "</ol>");
        }

        sb.Append("</section>");
        return Pages.Page($"{year} 年度科技创新券实施情况监督检查报告 Supervision report", sb.ToString(), ctx.Principal);
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
                sb.Append(Inv, $"{prefix},{x.InspectedOn},{x.Severity},{Cell(x.Finding)},{Cell(x.Recommendation)},{Cell(x.Inspector)}\n");
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
