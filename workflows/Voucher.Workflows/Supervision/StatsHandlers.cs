using System.Globalization;
using System.Text;
using Microsoft.AspNetCore.Http;
using Voucher.Domain;
using Voucher.Workflows.Http;
using Voucher.Workflows.Web;
using static Voucher.Workflows.Web.Html;

namespace Voucher.Workflows.Supervision;

/// <summary>The statistics dashboard (public), its CSV exports and <c>/api/stats/…</c>, all from the aggregates.</summary>
public sealed class StatsHandlers(StatsReader reader, HistoryImport import)
{
    /// <summary>The shared table, its scroll box keyboard-focusable (these tables are wide).</summary>
    static string Table(IReadOnlyList<string> headers, IEnumerable<IEnumerable<string>> rows, string empty) =>
        Charts.Region(Voucher.Workflows.Web.Html.Table(headers, rows, empty), $"表格 Table：{headers[0]}，{headers[1]} … {headers[^1]}");

    static readonly CultureInfo Inv = CultureInfo.InvariantCulture;

    int? YearOf(RequestContext ctx, string? value)
    {
        var text = value ?? ctx.Request.Query["year"].ToString();
        if (string.IsNullOrEmpty(text))
        {
            return reader.Today.Year;
        }

        return int.TryParse(text, NumberStyles.None, Inv, out var y) && y >= StatsReader.FirstSystemYear && y <= reader.Today.Year + 1 ? y : null;
    }

    static IResult BadYear(bool api) => api
        ? Problems.Validation("year", $"年份须在 {StatsReader.FirstSystemYear} 至明年之间 (Year must be between {StatsReader.FirstSystemYear} and next year)")
        : Results.BadRequest();

    /// <summary>Which year each kind of figure counts in, as the API and the CSV state it.</summary>
    public const string PaymentYearBasis = "payment year: the date the finance bureau paid (a rejection: the review date)";

    public const string CapYearBasis = "cap year: the China-date year the redemption was queued and its pay-out reserved (the annual cap it counts toward)";

    public async Task<IResult> ApiRedemptionsAsync(RequestContext ctx)
    {
        var t = await reader.RedemptionsByCityAsync(ctx.Aborted);
        var facts = await reader.FactsAsync(ctx.Aborted);
        return Results.Json(new
        {
            unit = "10k CNY (imported) / CNY (system)",
            yearBasis = new { imported = "the paper's periods", system = PaymentYearBasis },
            imported = new
            {
                source = HistoryImport.Source,
                periods = t.ImportedPeriods,
                byPeriod = t.ImportedByPeriod,
                total = t.ImportedTotal,
                facts = facts.Select(f => new { name = f.RowKey, value = f.Value, unit = f.Unit, asOf = f.AsOf, quote = f.Quote, source = f.Source }),
            },
            system = new { years = t.SystemYears, byYear = t.SystemByYear, total = t.SystemTotal },
            cities = t.Cities.Select(c => new { city = c.City, name = c.NameZh, imported = c.Imported, importedTotal = c.ImportedTotal, system = c.System, systemTotal = c.SystemTotal }),
        }, JsonBody.Response);
    }

    public async Task<IResult> ApiYearAsync(RequestContext ctx)
    {
        if (YearOf(ctx, ctx.RouteValue("year")) is not { } year)
        {
            return BadYear(true);
        }

        var figures = await reader.FiguresAsync(year, ctx.Aborted);
        return Results.Json(new
        {
            year,
            yearBasis = new { applications = "decision year", redemptions = PaymentYearBasis, money = CapYearBasis, capYearRule = AnnualCap.YearRuleEn },
            durationRanges = StatsReader.DurationRangeLabels,
            percentileMethod = "nearest rank over logarithmic buckets (2^(1/8) wide), within 4.4 % of the exact value",
            cities = figures.Where(f => f.CityCode != "province"),
            province = figures.Single(f => f.CityCode == "province"),
        }, JsonBody.Response);
    }

    public async Task<IResult> Table1CsvAsync(RequestContext ctx)
    {
        var t = await reader.RedemptionsByCityAsync(ctx.Aborted);
        var sb = new StringBuilder("city_zh,city_en,period,source,amount_10k_cny\n");
        foreach (var c in t.Cities)
        {
            foreach (var p in t.ImportedPeriods)
            {
                sb.Append(Inv, $"{c.NameZh},{c.NameEn},{p},imported,{c.Imported[p].ToString(Inv)}\n");
            }

            foreach (var y in t.SystemYears)
            {
                sb.Append(Inv, $"{c.NameZh},{c.NameEn},{y},system,{(c.System[y].Yuan / 10_000m).ToString("0.####", Inv)}\n");
            }
        }

        return Csv(sb, "redemptions-by-city.csv");
    }

    public async Task<IResult> YearCsvAsync(RequestContext ctx)
    {
        if (YearOf(ctx, null) is not { } year)
        {
            return BadYear(true);
        }

        var figures = await reader.FiguresAsync(year, ctx.Aborted);
        var sb = new StringBuilder("city,year,applications_decided,approved,rejected,vouchers_issued,vouchers_used,vouchers_expired,redemptions_paid,redemptions_rejected,redemptions_objected,paid_payment_year_cny,average_payout_cny,enterprises_served");
        foreach (var s in StatsReader.Stages)
        {
            sb.Append(Inv, $",{s.Key}_median_days,{s.Key}_p90_days");
        }

        // Money by stage, cap year (the same year number, the other basis: see the column names).
        foreach (var stage in new[] { "queued", "review", "publicity", "payable" })
        {
            sb.Append(Inv, $",{stage}_cap_year_cny,{stage}_cap_year_count");
        }

        sb.Append(",committed_cap_year_cny,paid_cap_year_cny,paid_cap_year_count,released_cap_year_cny,advances_paid_cap_year_cny");

        sb.Append('\n');
        foreach (var f in figures)
        {
            sb.Append(Inv, $"{f.CityCode},{year},{f.ApplicationsDecided},{f.ApplicationsApproved},{f.ApplicationsRejected},{f.VouchersIssued},{f.VouchersUsed},{f.VouchersExpired},{f.RedemptionsPaid},{f.RedemptionsRejected},{f.RedemptionsObjected},{f.Paid.Yuan.ToString("0.00", Inv)},{f.AveragePayout.Yuan.ToString("0.00", Inv)},{f.EnterprisesServed}");
            foreach (var s in f.Stages)
            {
                sb.Append(Inv, $",{s.MedianDays?.ToString(Inv)},{s.P90Days?.ToString(Inv)}");
            }

            foreach (var m in f.Money.Stages)
            {
                sb.Append(Inv, $",{m.Amount.ToInvariantString()},{m.Count}");
            }

            sb.Append(Inv, $",{f.Money.Committed.ToInvariantString()},{f.Money.Paid.ToInvariantString()},{f.Money.PaidCount},{f.Money.Released.ToInvariantString()},{f.Money.AdvancesPaid.ToInvariantString()}");
            sb.Append('\n');
        }

        return Csv(sb, $"statistics-{year}.csv");
    }

    static IResult Csv(StringBuilder sb, string name) =>
        Results.File(Encoding.UTF8.GetPreamble().Concat(Encoding.UTF8.GetBytes(sb.ToString())).ToArray(), "text/csv; charset=utf-8", name);

    public async Task<IResult> ImportAsync(RequestContext ctx)
    {
        var count = await import.ImportEmbeddedAsync(ctx.Aborted);
        return Results.Redirect("/stats?done=" + Uri.EscapeDataString($"已导入论文表1历史数据 {count} 条，及论文报告的受益企业数 (Table 1 and the paper's figures imported)"));
    }

    public async Task<IResult> PageAsync(RequestContext ctx)
    {
        if (YearOf(ctx, null) is not { } year)
        {
            return Pages.Error(ctx.Principal, $"年份须在 {StatsReader.FirstSystemYear} 至明年之间 (Year out of range)", StatusCodes.Status400BadRequest);
        }

        var ct = ctx.Aborted;
        var t = await reader.RedemptionsByCityAsync(ct);
        var facts = await reader.FactsAsync(ct);
        var figures = await reader.FiguresAsync(year, ct);
        var cities = Cities.All.Select(c => (c.Code, c.NameZh)).ToList();
        var body = new StringBuilder(Charts.Css);
        body.Append(Web.PageParts.Flash(ctx.Request));
        var yearOptions = string.Concat(reader.SystemYears.Select(y => $"<option value=\"{y}\"{(y == year ? " selected" : "")}>{y}</option>"));
        body.Append(Inv, $"""
            <section class="card noprint"><form method="get" action="/stats"><label for="year">统计年度 Year</label><select id="year" name="year">{yearOptions}</select> <button type="submit">查看 Show</button></form>
            <p>下载 CSV：{Link("/stats/table1.csv", "各市历年兑付金额 Redemptions by city")} · {Link($"/stats/figures.csv?year={year}", $"{year} 年各市指标 Figures {year}")} · 接口 API：{Link("/api/stats/redemptions", "/api/stats/redemptions")} · {Link($"/api/stats/years/{year}", $"/api/stats/years/{year}")}</p></section>
            """);

        // Table 1 form: imported history and the system's own years.
        var series = t.ImportedPeriods.Select(p => new ChartSeries(p, p + "（导入 imported）", t.Cities.Select(c => (decimal?)c.Imported[p]).ToList(), Imported: true))
            .Concat(t.SystemYears.Select(y => new ChartSeries(y, y + "（系统 system）", t.Cities.Select(c => (decimal?)(c.System[y].Yuan / 10_000m)).ToList())))
            .ToList();
        var empty = series.Where(s => s.Values.All(v => v is null or 0m)).Select(s => s.Key).ToList();
        series = series.Where(s => !empty.Contains(s.Key)).ToList();
        var emptyNote = empty.Count == 0 ? "" : $"<p class=\"muted\">无金额的期间未画出 Periods without amounts are not drawn：{E(string.Join("、", empty))}</p>";
        var headers = new List<string> { "地市 City" };
        headers.AddRange(t.ImportedPeriods.Select(p => $"{p} 导入"));
        headers.Add("导入合计 Imported total");
        headers.AddRange(t.SystemYears.Select(y => $"{y} 系统"));
        headers.Add("系统合计 System total");
        var rows = t.Cities.Select(c => new[] { E(c.NameZh) }
            .Concat(t.ImportedPeriods.Select(p => E(c.Imported[p].ToString(Inv))))
            .Append($"<strong>{E(c.ImportedTotal.ToString(Inv))}</strong>")
            .Concat(t.SystemYears.Select(y => E(Wan(c.System[y]))))
            .Append($"<strong>{E(Wan(c.SystemTotal))}</strong>")).ToList();
        rows.Add(new[] { "<strong>合计 Total</strong>" }
            .Concat(t.ImportedPeriods.Select(p => E(t.ImportedByPeriod[p].ToString(Inv))))
            .Append($"<strong id=\"imported-total\">{E(t.ImportedTotal.ToString(Inv))}</strong>")
            .Concat(t.SystemYears.Select(y => E(Wan(t.SystemByYear[y]))))
            .Append($"<strong id=\"system-total\">{E(Wan(t.SystemTotal))}</strong>"));
        body.Append(Inv, $"""
            <section class="card"><h2>各市历年创新券兑付金额 Amounts redeemed by city and year（万元 10,000 CNY）</h2>
            <p class="muted">浅色为导入的历史数据（{E(HistoryImport.Source)}），与系统自身处理的金额分开列示。Light bars: imported history, kept apart from amounts the system processed.</p>
            {Charts.Bars("chart-redemptions", "各市历年兑付金额", "万元", cities, series)}{emptyNote}
            {Table(headers, rows, "")}
            {(t.ImportedPeriods.Count == 0 ? "<p class=\"muted\">尚未导入历史数据。No imported history yet.</p>" : "")}
            {FactsSection(facts)}
            </section>
            """);

        // The selected year, per city.
        var province = figures.Single(f => f.CityCode == "province");
        var cityFigures = figures.Where(f => f.CityCode != "province").ToList();
        body.Append(Inv, $"""
            <section class="card"><h2>{year} 年各市指标 Figures per city</h2>
            {Charts.Bars("chart-paid", $"{year} 年各市兑付金额", "万元", cities, [new ChartSeries(year.ToString(Inv), $"{year} 兑付金额", cityFigures.Select(f => (decimal?)(f.Paid.Yuan / 10_000m)).ToList())])}
            <p class="muted">兑付笔数与兑付金额按拨付日期所在年度统计（驳回按审核日期）。Paid redemptions count in the year they were paid.</p>
            {Table(["地市 City", "审结申请 Decided", "发券 Issued", "已使用 Used", "过期未用 Expired", "兑付笔数 Paid", "驳回 Rejected", "异议 Objected", "兑付金额（拨付年度）Paid", "平均 Average", "服务企业 Enterprises"],
                figures.Select(f => new[] { E(f.CityName), N(f.ApplicationsDecided), N(f.VouchersIssued), N(f.VouchersUsed), N(f.VouchersExpired), N(f.RedemptionsPaid), N(f.RedemptionsRejected), N(f.RedemptionsObjected), E(f.Paid.ToString()), E(f.AveragePayout.ToString()), N(f.EnterprisesServed) }), "")}
            </section>
            """);

        body.Append(MoneySection(year, figures));

        // Cycle times.
        var stageHeaders = new List<string> { "地市 City" };
        stageHeaders.AddRange(StatsReader.Stages.Select(s => $"{s.NameZh} 中位/P90（天）"));
        var stageRows = figures.Select(f => new[] { E(f.CityName) }.Concat(f.Stages.Select(s => s.Count == 0 ? "–" : E($"{s.MedianDays:0.##} / {s.P90Days:0.##}（{s.Count}）"))));
        var ranges = StatsReader.DurationRangeLabels.Select((l, i) => (i.ToString(Inv), l)).ToList();
        body.Append(Inv, $"""
            <section class="card"><h2>{year} 年各环节办理时长 Cycle time per stage（中位数 / 第90百分位，天）</h2>
            <p class="muted">按对数分桶统计，百分位误差不超过 4.4%。Percentiles from logarithmic buckets, within 4.4 % of the exact value.</p>
            {Table(stageHeaders, stageRows, "")}
            <h3>全省各环节时长分布 Distribution, province（笔数 count）</h3>
            {Charts.Bars("chart-stages", $"{year} 年全省各环节时长分布", "笔", ranges, province.Stages.Select(s => new ChartSeries(s.Stage, StatsReader.Stages.First(x => x.Key == s.Stage).NameZh, s.Distribution.Select(v => (decimal?)v).ToList())).ToList())}
            <h3>全省兑付金额分布 Pay-out distribution, province（笔数 count）</h3>
            {Charts.Bars("chart-payouts", $"{year} 年全省兑付金额分布", "笔", province.PayoutDistribution.Select((r, i) => (i.ToString(Inv), r.Range)).ToList(), [new ChartSeries("payouts", "笔数", province.PayoutDistribution.Select(r => (decimal?)r.Count).ToList())])}
            </section>
            """);
        if (ctx.Principal?.Role == Security.Role.Province)
        {
            body.Append("<section class=\"card noprint\"><h2>历史数据 History</h2><form method=\"post\" action=\"/supervision/stats/import\"><p>导入论文表1（2016–2022年各市兑付金额），重复导入不会重复计算。Import Table 1 (idempotent).</p><button type=\"submit\">导入表1 Import Table 1</button></form></section>");
        }

        return Pages.Page("创新券统计 Statistics", body.ToString(), ctx.Principal);
    }

    static string N(long v) => v.ToString(Inv);

    /// <summary>The paper's other imported figures (889 enterprises benefited), each with its source and quote.</summary>
    static string FactsSection(IReadOnlyList<HistoryFactEntity> facts) => facts.Count == 0 ? "" :
        "<dl class=\"facts\" id=\"paper-facts\">" + string.Concat(facts.Select(f => f.RowKey == PaperFacts.EnterprisesBenefited
            ? $"<dt>累计受益中小微企业（导入）Enterprises benefited (imported)</dt><dd><strong id=\"enterprises-benefited\">{f.Value.ToString(Inv)}</strong> {E(f.Unit)}（截至 {E(f.AsOf)}；来源 {E(f.Source)}：“{E(f.Quote)}”）</dd>"
            : $"<dt>{E(f.RowKey)}（导入）</dt><dd>{f.Value.ToString(Inv)} {E(f.Unit)}（截至 {E(f.AsOf)}；来源 {E(f.Source)}）</dd>")) + "</dl>";

    /// <summary>Money by stage per city, in the cap year, beside what was paid and released.</summary>
    static string MoneySection(int year, IReadOnlyList<CityYearFigures> figures)
    {
        var headers = new List<string> { "地市 City" };
        headers.AddRange(MoneyStages.Committed.Select(s => $"{MoneyStages.NameZh(s)}（元）"));
        headers.AddRange(["已核定未拨付合计（元）Committed", "已拨付（元）Paid", "已释放（元）Released", "其中事前兑付已拨付（元）Advances paid"]);
        string Cell(StageMoney m) => $"{E(m.Amount.ToString())}（{m.Count.ToString(Inv)} 笔）";
        var rows = figures.Select(f => new[] { f.CityCode == "province" ? "<strong>全省 Province</strong>" : E(f.CityName) }
            .Concat(f.Money.Stages.Select(Cell))
            .Append($"<strong>{E(f.Money.Committed.ToString())}</strong>（{f.Money.CommittedCount.ToString(Inv)} 笔）")
            .Append($"{E(f.Money.Paid.ToString())}（{f.Money.PaidCount.ToString(Inv)} 笔）")
            .Append($"{E(f.Money.Released.ToString())}（{f.Money.ReleasedCount.ToString(Inv)} 笔）")
            .Append($"{E(f.Money.AdvancesPaid.ToString())}（{f.Money.AdvancesPaidCount.ToString(Inv)} 笔）"));
        return $"""
            <section class="card" id="money-by-stage"><h2>{year} 年度兑付资金进度 Money by stage（按计入年度限额的年度 cap year）</h2>
            <p class="muted">年度口径：{E(AnnualCap.YearRuleZh)}本表按此年度统计各阶段已核定金额；上表“兑付金额”按拨付年度统计，跨年拨付时两者不同。事前兑付仅在财政局确认拨付后计入“其中事前兑付已拨付”。</p>
            {Table(headers, rows, "")}
            </section>
            """;
    }

    static string Wan(Cny amount) => (amount.Yuan / 10_000m).ToString("0.##", Inv);
}
