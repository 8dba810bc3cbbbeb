namespace Voucher.Domain.Tests.Settlement;

/// <summary>Settlement periods per cadence: ids, first and last days, the cut-off in China time, parsing.</summary>
public sealed class SettlementPeriodTests
{
    [Theory]
    [InlineData(SettlementCadence.Annual, 2026, 1, "2026", "2026-01-01", "2026-12-31")]
    [InlineData(SettlementCadence.Semiannual, 2026, 1, "2026H1", "2026-01-01", "2026-06-30")]
    [InlineData(SettlementCadence.Semiannual, 2026, 2, "2026H2", "2026-07-01", "2026-12-31")]
    [InlineData(SettlementCadence.Quarterly, 2026, 1, "2026Q1", "2026-01-01", "2026-03-31")]
    [InlineData(SettlementCadence.Quarterly, 2026, 2, "2026Q2", "2026-04-01", "2026-06-30")]
    [InlineData(SettlementCadence.Quarterly, 2026, 3, "2026Q3", "2026-07-01", "2026-09-30")]
    [InlineData(SettlementCadence.Quarterly, 2026, 4, "2026Q4", "2026-10-01", "2026-12-31")]
    [InlineData(SettlementCadence.Monthly, 2026, 1, "2026M01", "2026-01-01", "2026-01-31")]
    [InlineData(SettlementCadence.Monthly, 2026, 2, "2026M02", "2026-02-01", "2026-02-28")]
    [InlineData(SettlementCadence.Monthly, 2028, 2, "2028M02", "2028-02-01", "2028-02-29")]
    [InlineData(SettlementCadence.Monthly, 2026, 4, "2026M04", "2026-04-01", "2026-04-30")]
    [InlineData(SettlementCadence.Monthly, 2026, 11, "2026M11", "2026-11-01", "2026-11-30")]
    [InlineData(SettlementCadence.Monthly, 2026, 12, "2026M12", "2026-12-01", "2026-12-31")]
    public void Period_IdFirstAndLastDay(SettlementCadence cadence, int year, int index, string id, string first, string last)
    {
        var p = new SettlementPeriod(cadence, year, index);

        Assert.Equal(id, p.Id);
        Assert.Equal(DateOnly.Parse(first), p.FirstDay);
        Assert.Equal(DateOnly.Parse(last), p.LastDay);
        Assert.True(SettlementPeriod.TryParse(cadence, id, out var parsed));
        Assert.Equal(p, parsed);
    }

    [Theory]
    [InlineData(SettlementCadence.Annual, "2026-12-31", "2026-12-31T15:59:59Z")]
    [InlineData(SettlementCadence.Quarterly, "2026-05-15", "2026-06-30T15:59:59Z")]
    [InlineData(SettlementCadence.Monthly, "2028-02-10", "2028-02-29T15:59:59Z")]
    [InlineData(SettlementCadence.Semiannual, "2026-01-01", "2026-06-30T15:59:59Z")]
    public void CutoffUtc_Is235959ChinaTimeOnTheLastDay(SettlementCadence cadence, string date, string cutoffUtc)
    {
        var p = SettlementPeriod.Containing(cadence, DateOnly.Parse(date));
        var expected = DateTime.Parse(cutoffUtc, null, System.Globalization.DateTimeStyles.AdjustToUniversal | System.Globalization.DateTimeStyles.AssumeUniversal);

        Assert.Equal(expected, p.CutoffUtc);
        Assert.Equal(DateTimeKind.Utc, p.CutoffUtc.Kind);
        Assert.Equal(p.LastDay, ChinaTime.DateOf(p.CutoffUtc));
        Assert.Equal(p.LastDay.AddDays(1), ChinaTime.DateOf(p.CutoffUtc.AddSeconds(1)));
        Assert.Equal(new TimeOnly(23, 59, 59), TimeOnly.FromDateTime(p.CutoffUtc + ChinaTime.Offset));
    }

    [Theory]
    [InlineData(SettlementCadence.Annual, "2026-01-01", "2026")]
    [InlineData(SettlementCadence.Annual, "2026-12-31", "2026")]
    [InlineData(SettlementCadence.Semiannual, "2026-06-30", "2026H1")]
    [InlineData(SettlementCadence.Semiannual, "2026-07-01", "2026H2")]
    [InlineData(SettlementCadence.Quarterly, "2026-03-31", "2026Q1")]
    [InlineData(SettlementCadence.Quarterly, "2026-04-01", "2026Q2")]
    [InlineData(SettlementCadence.Quarterly, "2026-12-31", "2026Q4")]
    [InlineData(SettlementCadence.Monthly, "2026-11-15", "2026M11")]
    public void Containing_FindsThePeriodOfADate(SettlementCadence cadence, string date, string id) =>
        Assert.Equal(id, SettlementPeriod.Containing(cadence, DateOnly.Parse(date)).Id);

    [Theory]
    [InlineData(SettlementCadence.Annual, "2027-01-01", "2026")]
    [InlineData(SettlementCadence.Annual, "2027-06-30", "2026")]
    [InlineData(SettlementCadence.Semiannual, "2027-01-01", "2026H2")]
    [InlineData(SettlementCadence.Semiannual, "2027-07-01", "2027H1")]
    [InlineData(SettlementCadence.Quarterly, "2027-01-01", "2026Q4")]
    [InlineData(SettlementCadence.Quarterly, "2027-02-15", "2026Q4")]
    [InlineData(SettlementCadence.Quarterly, "2027-04-01", "2027Q1")]
    [InlineData(SettlementCadence.Quarterly, "2026-12-31", "2026Q3")]
    [InlineData(SettlementCadence.Monthly, "2027-01-01", "2026M12")]
    [InlineData(SettlementCadence.Monthly, "2027-01-31", "2026M12")]
    [InlineData(SettlementCadence.Monthly, "2028-03-01", "2028M02")]
    public void LastEnded_IsThePeriodBeforeToday_AcrossTheYearBoundary(SettlementCadence cadence, string today, string id)
    {
        var p = SettlementPeriod.LastEnded(cadence, DateOnly.Parse(today));

        Assert.Equal(id, p.Id);
        Assert.True(p.LastDay < DateOnly.Parse(today));
        Assert.Equal(SettlementPeriod.Containing(cadence, DateOnly.Parse(today)).FirstDay, p.LastDay.AddDays(1));
    }

    [Theory]
    [InlineData(SettlementCadence.Annual, "2026", 2026, 1)]
    [InlineData(SettlementCadence.Semiannual, "2026H2", 2026, 2)]
    [InlineData(SettlementCadence.Quarterly, "2000Q1", 2000, 1)]
    [InlineData(SettlementCadence.Quarterly, "2100Q4", 2100, 4)]
    [InlineData(SettlementCadence.Monthly, "2026M01", 2026, 1)]
    [InlineData(SettlementCadence.Monthly, "2026M12", 2026, 12)]
    public void TryParse_ValidIds(SettlementCadence cadence, string id, int year, int index)
    {
        Assert.True(SettlementPeriod.TryParse(cadence, id, out var p));
        Assert.Equal(new SettlementPeriod(cadence, year, index), p);
        Assert.Equal(id, p.Id);
    }

    [Theory]
    [InlineData(SettlementCadence.Quarterly, null)]
    [InlineData(SettlementCadence.Quarterly, "")]
    [InlineData(SettlementCadence.Quarterly, "202")]
    [InlineData(SettlementCadence.Quarterly, "2026")] // an annual id is not a quarter
    [InlineData(SettlementCadence.Quarterly, "2026Q0")]
    [InlineData(SettlementCadence.Quarterly, "2026Q5")]
    [InlineData(SettlementCadence.Quarterly, "2026q4")]
    [InlineData(SettlementCadence.Quarterly, "2026Q4 ")]
    [InlineData(SettlementCadence.Quarterly, " 2026Q4")]
    [InlineData(SettlementCadence.Quarterly, "2026Q44")]
    [InlineData(SettlementCadence.Quarterly, "2026H1")] // another cadence's id
    [InlineData(SettlementCadence.Quarterly, "1999Q4")]
    [InlineData(SettlementCadence.Quarterly, "2101Q1")]
    [InlineData(SettlementCadence.Quarterly, "+026Q1")]
    [InlineData(SettlementCadence.Quarterly, "２０２６Q1")] // full-width digits
    [InlineData(SettlementCadence.Annual, "2026Q1")]
    [InlineData(SettlementCadence.Annual, "2026 ")]
    [InlineData(SettlementCadence.Semiannual, "2026H0")]
    [InlineData(SettlementCadence.Semiannual, "2026H3")]
    [InlineData(SettlementCadence.Semiannual, "2026Q1")]
    [InlineData(SettlementCadence.Monthly, "2026M1")] // two digits required
    [InlineData(SettlementCadence.Monthly, "2026M00")]
    [InlineData(SettlementCadence.Monthly, "2026M13")]
    [InlineData(SettlementCadence.Monthly, "2026M+1")]
    [InlineData(SettlementCadence.Monthly, "2026M-1")]
    [InlineData(SettlementCadence.Monthly, "2026Q1")]
    [InlineData(SettlementCadence.Monthly, "2026m11")]
    public void TryParse_InvalidIds_AreRejected(SettlementCadence cadence, string? id)
    {
        Assert.False(SettlementPeriod.TryParse(cadence, id, out var p));
        Assert.Null(p);
    }

    [Fact]
    public void Previous_OfTheFirstPeriod_IsTheLastOfTheYearBefore()
    {
        Assert.Equal("2025Q4", new SettlementPeriod(SettlementCadence.Quarterly, 2026, 1).Previous().Id);
        Assert.Equal("2025M12", new SettlementPeriod(SettlementCadence.Monthly, 2026, 1).Previous().Id);
        Assert.Equal("2025H2", new SettlementPeriod(SettlementCadence.Semiannual, 2026, 1).Previous().Id);
        Assert.Equal("2025", new SettlementPeriod(SettlementCadence.Annual, 2026, 1).Previous().Id);
    }

    [Theory]
    [InlineData(SettlementCadence.Annual)]
    [InlineData(SettlementCadence.Semiannual)]
    [InlineData(SettlementCadence.Quarterly)]
    [InlineData(SettlementCadence.Monthly)]
    public void PeriodsOfAYear_TileItWithoutGapsOrOverlaps(SettlementCadence cadence)
    {
        var day = new DateOnly(2026, 1, 1);
        var seen = new List<string>();
        while (day.Year == 2026)
        {
            var p = SettlementPeriod.Containing(cadence, day);
            Assert.Equal(day, p.FirstDay);
            seen.Add(p.Id);
            day = p.LastDay.AddDays(1);
        }

        Assert.Equal(new DateOnly(2027, 1, 1), day);
        Assert.Equal(seen.Distinct().Count(), seen.Count);
        Assert.Equal(cadence switch { SettlementCadence.Annual => 1, SettlementCadence.Semiannual => 2, SettlementCadence.Quarterly => 4, _ => 12 }, seen.Count);
    }
}
