using Voucher.Workflows.Web;

namespace Voucher.Workflows.Supervision;

/// <summary>The statistics dashboard (public) and the province centre's import of the paper's Table 1, over <see cref="StatisticsService"/>.</summary>
public sealed class StatsPages(StatisticsService statistics)
{
    const string Title = "创新券统计";

    static readonly CultureInfo Inv = CultureInfo.InvariantCulture;

    public async Task<IResult> ImportAsync(RequestContext ctx)
    {
        var outcome = await statistics.ImportHistoryAsync(ctx.Principal!, ctx.Aborted);
        if (outcome.Failure is { } failure)
        {
            return Pages.Forbidden(ctx.Principal!, failure.Message);
        }

        return PageParts.Back("/stats", done: $"已导入论文表1历史数据 {outcome.Value} 条，及论文报告的受益企业数；重复导入不会重复计算。");
    }

    public async Task<IResult> PageAsync(RequestContext ctx)
    {
        var ct = ctx.Aborted;
        var read = await statistics.ReadYearAsync(ctx.Request.Query["year"].ToString(), ct);
        if (read.Failure is not null)
        {
            return Pages.Error(ctx.Principal, $"统计年度须在 {StatsReader.FirstSystemYear} 年至明年之间。", StatusCodes.Status400BadRequest);
        }

        var year = read.Value.Year;
        var (table, facts) = await statistics.RedemptionHistoryAsync(ct);
        var cities = Cities.All.Select(c => (c.Code, c.NameZh)).ToList();

        // Table 1 form: imported history and the system's own years, periods without any amount left out of the chart.
        var series = table.ImportedPeriods.Select(p => new ChartSeries(p, p + "（导入）", table.Cities.Select(c => (decimal?)c.Imported[p]).ToList(), Imported: true))
            .Concat(table.SystemYears.Select(y => new ChartSeries(y, y + "（系统）", table.Cities.Select(c => (decimal?)Wan(c.System[y])).ToList())))
            .ToList();
        var empty = series.Where(s => s.Values.All(v => v is null or 0m)).ToList();
        var redemptions = new BarChartModel("chart-redemptions", "各市历年兑付金额", "万元", "地市", cities, series.Except(empty).ToList());

        var figures = read.Value.Cities;
        var paid = new BarChartModel("chart-paid", $"{year}年各市兑付金额", "万元", "地市", cities,
            [new ChartSeries(year.ToString(Inv), $"{year}年兑付金额", figures.Select(f => (decimal?)Wan(f.Paid)).ToList())]);
        var province = read.Value.Province;
        var ranges = StatsReader.DurationRangeLabels.Select((l, i) => (i.ToString(Inv), l)).ToList();
        var stages = new BarChartModel("chart-stages", $"{year}年全省各环节办理时长分布", "笔", "时长", ranges,
            province.Stages.Select(s => new ChartSeries(s.Stage, StatsReader.Stages.First(x => x.Key == s.Stage).NameZh, s.Distribution.Select(v => (decimal?)v).ToList())).ToList());
        var payouts = new BarChartModel("chart-payouts", $"{year}年全省兑付金额分布", "笔", "兑付金额", province.PayoutDistribution.Select((r, i) => (i.ToString(Inv), r.Range)).ToList(),
            [new ChartSeries("payouts", "笔数", province.PayoutDistribution.Select(r => (decimal?)r.Count).ToList())]);

        return Pages.View<StatsPage>(Title, ctx.Principal, new StatsModel(
            year, statistics.SystemYears, table, facts, redemptions, empty.Select(s => s.Key).ToList(), read.Value.Figures, paid, stages, payouts,
            ctx.Principal?.Role == Role.Province));
    }

    /// <summary>An amount in 万元 (statistics), as a number for charts and tables.</summary>
    public static decimal Wan(Cny amount) => amount.Yuan / 10_000m;

    /// <summary>An amount in 万元 with two decimals, for the statistics tables (the unit is in the column header).</summary>
    public static string WanText(Cny amount) => Wan(amount).ToString("#,##0.00", Inv);
}

/// <summary>
/// The statistics page: the Table 1 form (imported history beside the system's own years), the year's figures per city
/// (the row with city code <c>province</c> is the province's), money by stage, cycle times, and the charts.
/// </summary>
public sealed record StatsModel(
    int Year,
    IReadOnlyList<int> Years,
    RedemptionsByCity Table1,
    IReadOnlyList<HistoryFactEntity> Facts,
    BarChartModel RedemptionsChart,
    IReadOnlyList<string> PeriodsNotDrawn,
    IReadOnlyList<CityYearFigures> Figures,
    BarChartModel PaidChart,
    BarChartModel StagesChart,
    BarChartModel PayoutsChart,
    bool CanImport)
{
    public IReadOnlyList<CityYearFigures> Cities => Figures.Where(f => f.CityCode != "province").ToList();
}
