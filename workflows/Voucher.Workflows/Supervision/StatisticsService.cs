namespace Voucher.Workflows.Supervision;

/// <summary>A year's figures per city and for the province (the row with city code <c>province</c>).</summary>
public sealed record StatisticsYear(int Year, IReadOnlyList<CityYearFigures> Figures)
{
    public CityYearFigures Province => Figures.Single(f => f.CityCode == "province");

    public IReadOnlyList<CityYearFigures> Cities => Figures.Where(f => f.CityCode != "province").ToList();
}

/// <summary>The amounts redeemed per city: the imported history (paper Table 1) beside the system's own years, and the paper's other figures.</summary>
public sealed record RedemptionHistory(RedemptionsByCity Table, IReadOnlyList<HistoryFactEntity> Facts);

/// <summary>
/// The statistics (public): a year's figures read from the aggregates, the redemptions by city with the imported history,
/// and the province centre's import of the paper's Table 1. The API, the CSV exports and the dashboard call these.
/// </summary>
public sealed class StatisticsService(StatsReader reader, HistoryImport import, ILogger<StatisticsService> log)
{
    public static string YearRule => $"年份须在 {StatsReader.FirstSystemYear} 至明年之间 (Year must be between {StatsReader.FirstSystemYear} and next year)";

    public IReadOnlyList<int> SystemYears => reader.SystemYears;

    /// <summary>A year's figures; <paramref name="year"/> empty: this year; otherwise from the system's first year to next year.</summary>
    public async Task<Outcome<StatisticsYear>> ReadYearAsync(string? year, CancellationToken ct)
    {
        int y;
        if (string.IsNullOrEmpty(year))
        {
            y = reader.Today.Year;
        }
        else if (!int.TryParse(year, NumberStyles.None, CultureInfo.InvariantCulture, out y) || y < StatsReader.FirstSystemYear || y > reader.Today.Year + 1)
        {
            return new Failure.Invalid("year", YearRule);
        }

        return new StatisticsYear(y, await reader.FiguresAsync(y, ct));
    }

    public async Task<RedemptionHistory> RedemptionHistoryAsync(CancellationToken ct) =>
        new(await reader.RedemptionsByCityAsync(ct), await reader.FactsAsync(ct));

    /// <summary>The province centre imports the paper's Table 1 and its other figures (idempotent); answers the number of Table 1 figures.</summary>
    public async Task<Outcome<int>> ImportHistoryAsync(VoucherPrincipal caller, CancellationToken ct)
    {
        if (caller.Role != Role.Province)
        {
            return new Failure.Forbidden("只有省中心可以导入历史数据 (Only the province centre imports history)");
        }

        var count = await import.ImportEmbeddedAsync(ct);
        SupervisionLog.HistoryImported(log, count, caller.Actor);
        return count;
    }
}
