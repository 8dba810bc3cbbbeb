namespace Voucher.Workflows.Supervision;

/// <summary>One processing stage whose duration the statistics keep.</summary>
public sealed record Stage(string Key, string NameZh, string NameEn, Func<CityYearStatsEntity, string> Histogram);

public sealed record StageFigures(string Stage, long Count, double? MedianDays, double? P90Days, IReadOnlyList<long> Distribution);

public sealed record RangeCount(string Range, long Count);

/// <summary>A city's (or the province's) figures for one year, as the pages and the API show them.</summary>
public sealed record CityYearFigures(
    string CityCode,
    string CityName,
    int Year,
    long ApplicationsDecided,
    long ApplicationsApproved,
    long ApplicationsRejected,
    long VouchersIssued,
    long VouchersUsed,
    long VouchersExpired,
    long RedemptionsFinished,
    long RedemptionsPaid,
    long RedemptionsRejected,
    long RedemptionsObjected,
    Cny Paid,
    Cny ServiceAmount,
    Cny AveragePayout,
    long EnterprisesServed,
    IReadOnlyList<RangeCount> PayoutDistribution,
    IReadOnlyList<StageFigures> Stages,
    MoneyByStage Money);

/// <summary>One money stage's amount and the number of redemptions in it.</summary>
public sealed record StageMoney(string Stage, string NameZh, Cny Amount, long Count);

/// <summary>
/// A city's (or the province's) money by stage for one cap year: committed (queued, review, publicity, payable) beside
/// paid and released; advances paid are the pre-payments the finance bureau confirmed, included in the stages.
/// </summary>
public sealed record MoneyByStage(int CapYear, IReadOnlyList<StageMoney> Stages, Cny Committed, long CommittedCount, Cny Paid, long PaidCount, Cny Released, long ReleasedCount, Cny AdvancesPaid, long AdvancesPaidCount)
{
    public static MoneyByStage Of(int capYear, IReadOnlyList<CityYearStatsEntity> rows)
    {
        (long Fen, long Count) Sum(MoneyStage s) => (rows.Sum(r => r.Stage(s).Fen), rows.Sum(r => r.Stage(s).Count));
        var stages = MoneyStages.Committed.Select(s => (Stage: s, Figures: Sum(s))).ToList();
        var paid = Sum(MoneyStage.Paid);
        var released = Sum(MoneyStage.Released);
        return new MoneyByStage(
            capYear,
            stages.Select(x => new StageMoney(char.ToLowerInvariant(x.Stage.ToString()[0]) + x.Stage.ToString()[1..], MoneyStages.NameZh(x.Stage), Cny.FromFen(x.Figures.Fen), x.Figures.Count)).ToList(),
            Cny.FromFen(stages.Sum(x => x.Figures.Fen)),
            stages.Sum(x => x.Figures.Count),
            Cny.FromFen(paid.Fen),
            paid.Count,
            Cny.FromFen(released.Fen),
            released.Count,
            Cny.FromFen(rows.Sum(r => r.AdvancePaidFen)),
            rows.Sum(r => r.AdvancePaidCount));
    }

    public StageMoney Stage(MoneyStage s) => Stages.Single(x => x.NameZh == MoneyStages.NameZh(s));
}

/// <summary>
/// Reads the aggregates: a year is 11 point reads (one per city), the Table 1 form is 11 × the system years plus the
/// imported history partition. Nothing here scans the records themselves.
/// </summary>
public sealed class StatsReader(VoucherStore store, TimeProvider time)
{
    /// <summary>The first year the system itself can have processed (Table 1's imported history ends with 2022).</summary>
    public const int FirstSystemYear = 2023;

    /// <summary>Display ranges of cycle times, upper bounds in days (the last range is open).</summary>
    public static IReadOnlyList<double> DurationRangesDays { get; } = [1, 3, 7, 14, 30, 60, 90, 180, 365];

    public static IReadOnlyList<string> DurationRangeLabels { get; } = ["<1天", "1–3天", "3–7天", "7–14天", "14–30天", "30–60天", "60–90天", "90–180天", "180–365天", "≥365天"];

    public static IReadOnlyList<Stage> Stages { get; } =
    [
        new("applicationReview", "申请审核", "Application review", s => s.HApplicationReview),
        new("binding", "机构确认", "Binding", s => s.HBinding),
        new("waitForBatch", "等待批次", "Wait for batch", s => s.HWaitForBatch),
        new("review", "兑付审核", "Review", s => s.HReview),
        new("publicity", "公示", "Publicity", s => s.HPublicity),
        new("payment", "拨付", "Payment", s => s.HPayment),
        new("total", "申请兑付至拨付（全程）", "Request to payment", s => s.HTotal),
    ];

    public DateOnly Today => ChinaTime.DateOf(time.GetUtcNow().UtcDateTime);

    public IReadOnlyList<int> SystemYears => Enumerable.Range(FirstSystemYear, Math.Max(1, Today.Year - FirstSystemYear + 1)).ToList();

    public async Task<CityYearStatsEntity> RowAsync(string cityCode, int year, CancellationToken ct) =>
        await store.GetAsync<CityYearStatsEntity>(SupervisionTables.Stats, CityYearStatsEntity.PartitionOf(cityCode, year), CityYearStatsEntity.TotalsRow, ct)
        ?? new CityYearStatsEntity { PartitionKey = CityYearStatsEntity.PartitionOf(cityCode, year), RowKey = CityYearStatsEntity.TotalsRow };

    /// <summary>Every city's row for a year, in the order of the paper's table.</summary>
    public async Task<IReadOnlyList<(City City, CityYearStatsEntity Row)>> YearAsync(int year, CancellationToken ct)
    {
        var rows = await Task.WhenAll(Cities.All.Select(c => RowAsync(c.Code, year, ct)));
        return Cities.All.Zip(rows).ToList();
    }

    /// <summary>Only the amount paid per city for a year: 11 point reads that fetch one column each.</summary>
    async Task<Dictionary<string, long>> PaidByCityAsync(int year, CancellationToken ct)
    {
        var table = store.Table(SupervisionTables.Stats);
        var rows = await Task.WhenAll(Cities.All.Select(async c =>
        {
            var r = await table.GetEntityIfExistsAsync<Azure.Data.Tables.TableEntity>(CityYearStatsEntity.PartitionOf(c.Code, year), CityYearStatsEntity.TotalsRow, [nameof(CityYearStatsEntity.PaidFen)], ct);
            return (c.Code, Fen: r.HasValue ? r.Value!.GetInt64(nameof(CityYearStatsEntity.PaidFen)) ?? 0 : 0);
        }));
        return rows.ToDictionary(x => x.Code, x => x.Fen);
    }

    public async Task<IReadOnlyList<CityYearFigures>> FiguresAsync(int year, CancellationToken ct)
    {
        var rows = await YearAsync(year, ct);
        var today = Today;
        var list = rows.Select(x => Figures(x.City.Code, x.City.NameZh, year, [x.Row], today)).ToList();
        list.Add(Figures("province", "全省", year, rows.Select(x => x.Row).ToList(), today));
        return list;
    }

    public static CityYearFigures Figures(string code, string name, int year, IReadOnlyList<CityYearStatsEntity> rows, DateOnly today)
    {
        long Sum(Func<CityYearStatsEntity, long> f) => rows.Sum(f);
        var paid = Sum(r => r.RedemptionsPaid);
        var paidFen = Sum(r => r.PaidFen);
        var ranges = new long[PayoutDistribution.LowerYuan.Count];
        foreach (var r in rows)
        {
            var p = PayoutDistribution.Parse(r.PayoutRanges);
            for (var i = 0; i < ranges.Length; i++)
            {
                ranges[i] += p[i];
            }
        }

        var stages = Stages.Select(stage =>
        {
            var h = new DurationHistogram();
            foreach (var r in rows)
            {
                h.Merge(DurationHistogram.Parse(stage.Histogram(r)));
            }

            return new StageFigures(stage.Key, h.Count, Days(h.Percentile(0.5)), Days(h.Percentile(0.9)), h.Group(DurationRangesDays));
        }).ToList();

        return new CityYearFigures(code, name, year,
            Sum(r => r.ApplicationsDecided), Sum(r => r.ApplicationsApproved), Sum(r => r.ApplicationsRejected),
            Sum(r => r.VouchersIssued), Sum(r => r.VouchersUsed), rows.Sum(r => ExpiryCounts.ExpiredUnused(r.Expiries, today)),
            Sum(r => r.RedemptionsFinished), paid, Sum(r => r.RedemptionsRejected), Sum(r => r.RedemptionsObjected),
            Cny.FromFen(paidFen), Cny.FromFen(Sum(r => r.ServiceAmountFen)), paid == 0 ? Cny.Zero : Cny.FromFen(paidFen / paid),
            Sum(r => r.EnterprisesServed),
            ranges.Select((c, i) => new RangeCount(Voucher.Domain.PayoutDistribution.Label(i), c)).ToList(),
            stages,
            MoneyByStage.Of(year, rows));
    }

    static double? Days(TimeSpan? t) => t is null ? null : Math.Round(t.Value.TotalDays, 2);

    public async Task<IReadOnlyList<HistoryEntity>> HistoryAsync(CancellationToken ct) =>
        (await store.PartitionAsync<HistoryEntity>(SupervisionTables.StatsHistory, HistoryImport.Partition, 1000, ct))
        .OrderBy(h => h.FirstYear).ThenBy(h => h.CityCode).ToList();

    /// <summary>The paper's other imported figures (e.g. enterprises benefited), by name.</summary>
    public async Task<IReadOnlyList<HistoryFactEntity>> FactsAsync(CancellationToken ct) =>
        (await store.PartitionAsync<HistoryFactEntity>(SupervisionTables.StatsHistory, HistoryImport.FactsPartition, 100, ct)).OrderBy(f => f.RowKey, StringComparer.Ordinal).ToList();

    /// <summary>The paper's Table 1 form: imported periods and the system's own years, per city, in 10,000 CNY.</summary>
    public async Task<RedemptionsByCity> RedemptionsByCityAsync(CancellationToken ct)
    {
        var history = await HistoryAsync(ct);
        var periods = history.OrderBy(h => h.FirstYear).Select(h => h.Period).Distinct().ToList();
        var years = SystemYears;
        var system = await Task.WhenAll(years.Select(y => PaidByCityAsync(y, ct)));
        var rows = Cities.All.Select(c =>
        {
            var imported = periods.ToDictionary(p => p, p => history.Where(h => h.CityCode == c.Code && h.Period == p).Sum(h => decimal.Parse(h.Amount10k, CultureInfo.InvariantCulture)));
            var own = years.Select((y, i) => (Year: y, Fen: system[i][c.Code])).ToDictionary(x => x.Year.ToString(CultureInfo.InvariantCulture), x => Cny.FromFen(x.Fen));
            return new CityRedemptions(c.Code, c.NameZh, c.NameEn, imported, imported.Values.Sum(), own, Cny.FromFen(own.Values.Sum(v => v.Fen)));
        }).ToList();
        return new RedemptionsByCity(periods, years.Select(y => y.ToString(CultureInfo.InvariantCulture)).ToList(), rows,
            periods.ToDictionary(p => p, p => rows.Sum(r => r.Imported[p])), rows.Sum(r => r.ImportedTotal),
            rows.Count == 0 ? [] : rows[0].System.Keys.ToDictionary(k => k, k => Cny.FromFen(rows.Sum(r => r.System[k].Fen))),
            Cny.FromFen(rows.Sum(r => r.SystemTotal.Fen)));
    }
}

/// <summary>One city's row of the Table 1 form: imported amounts in 10,000 CNY per period, system amounts in CNY per year.</summary>
public sealed record CityRedemptions(string City, string NameZh, string NameEn, IReadOnlyDictionary<string, decimal> Imported, decimal ImportedTotal, IReadOnlyDictionary<string, Cny> System, Cny SystemTotal);

public sealed record RedemptionsByCity(
    IReadOnlyList<string> ImportedPeriods,
    IReadOnlyList<string> SystemYears,
    IReadOnlyList<CityRedemptions> Cities,
    IReadOnlyDictionary<string, decimal> ImportedByPeriod,
    decimal ImportedTotal,
    IReadOnlyDictionary<string, Cny> SystemByYear,
    Cny SystemTotal);
