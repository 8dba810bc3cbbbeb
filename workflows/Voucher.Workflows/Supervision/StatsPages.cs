using Voucher.Workflows.Web;
using static Voucher.Workflows.Web.Html;

namespace Voucher.Workflows.Supervision;

/// <summary>The statistics dashboard (public) and the province centre's import of the paper's Table 1, over <see cref="StatisticsService"/>.</summary>
public sealed class StatsPages(StatisticsService statistics)
{
    /// <summary>The shared table, its scroll box keyboard-focusable (these tables are wide).</summary>
    static string Table(IReadOnlyList<string> headers, IEnumerable<IEnumerable<string>> rows, string empty) =>
        Charts.Region(Voucher.Workflows.Web.Html.Table(headers, rows, empty), $"表格 Table：{headers[0]}，{headers[1]} … {headers[^1]}");

    static readonly CultureInfo Inv = CultureInfo.InvariantCulture;

    public async Task<IResult> ImportAsync(RequestContext ctx)
    {
        var outcome = await statistics.ImportHistoryAsync(ctx.Principal!, ctx.Aborted);
        if (outcome.Failure is { } failure)
        {
            return Pages.Forbidden(ctx.Principal!, failure.Message);
        }

        var count = outcome.Value;
        return Results.Redirect("/stats?done=" + Uri.EscapeDataString($"已导入论文表1历史数据 {count} 条，及论文报告的受益企业数 (Table 1 and the paper's figures imported)"));
    }

    public async Task<IResult> PageAsync(RequestContext ctx)
    {
        var ct = ctx.Aborted;
        var read = await statistics.ReadYearAsync(ctx.Request.Query["year"].ToString(), ct);
        if (read.Failure is not null)
        {
            return Pages.Error(ctx.Principal, $"年份须在 {StatsReader.FirstSystemYear} 至明年之间 (Year out of range)", StatusCodes.Status400BadRequest);
        }

        var (year, figures) = (read.Value.Year, read.Value.Figures);
        var (t, facts) = await statistics.RedemptionHistoryAsync(ct);
        var cities = Cities.All.Select(c => (c.Code, c.NameZh)).ToList();
        var body = new StringBuilder(Charts.Css);
        body.Append(Web.PageParts.Flash(ctx.Request));
        var yearOptions = string.Concat(statistics.SystemYears.Select(y => $"<option value=\"{y}\"{(y == year ? " selected" : "")}>{y}</option>"));
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
        var province = read.Value.Province;
        var cityFigures = read.Value.Cities;
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
