namespace Voucher.Workflows.Supervision;

/// <summary>The statistics API (<c>/api/stats/…</c>) and the CSV exports, over <see cref="StatisticsService"/>.</summary>
public sealed class StatsApi(StatisticsService statistics)
{
    static readonly CultureInfo Inv = CultureInfo.InvariantCulture;

    /// <summary>Which year each kind of figure counts in, as the API and the CSV state it.</summary>
    public const string PaymentYearBasis = "payment year: the date the finance bureau paid (a rejection: the review date)";

    public const string CapYearBasis = "cap year: the China-date year the redemption was queued and its pay-out reserved (the annual cap it counts toward)";

    public async Task<IResult> RedemptionsAsync(RequestContext ctx)
    {
        var (t, facts) = await statistics.RedemptionHistoryAsync(ctx.Aborted);
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

    public async Task<IResult> YearAsync(RequestContext ctx)
    {
        var outcome = await statistics.ReadYearAsync(ctx.RouteValue("year"), ctx.Aborted);
        if (outcome.Failure is { } failure)
        {
            return Problems.For(failure);
        }

        var (year, figures) = (outcome.Value.Year, outcome.Value);
        return Results.Json(new
        {
            year,
            yearBasis = new { applications = "decision year", redemptions = PaymentYearBasis, money = CapYearBasis, capYearRule = AnnualCap.YearRuleEn },
            durationRanges = StatsReader.DurationRangeLabels,
            percentileMethod = "nearest rank over logarithmic buckets (2^(1/8) wide), within 4.4 % of the exact value",
            cities = figures.Cities,
            province = figures.Province,
        }, JsonBody.Response);
    }

    public async Task<IResult> Table1CsvAsync(RequestContext ctx)
    {
        var t = (await statistics.RedemptionHistoryAsync(ctx.Aborted)).Table;
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
        var outcome = await statistics.ReadYearAsync(ctx.Request.Query["year"].ToString(), ctx.Aborted);
        if (outcome.Failure is { } failure)
        {
            return Problems.For(failure);
        }

        var (year, figures) = (outcome.Value.Year, outcome.Value.Figures);
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

}
