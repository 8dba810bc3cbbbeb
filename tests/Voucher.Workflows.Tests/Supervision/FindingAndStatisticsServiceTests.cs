namespace Voucher.Workflows.Tests.Supervision;

/// <summary>The findings and statistics services' acts: what they record, and what they refuse without writing anything.</summary>
[Collection(AzuriteCollection.Name)]
public sealed class FindingAndStatisticsServiceTests(AzuriteFixture azurite)
{
    static readonly VoucherPrincipal Province = new("p", "prov", Role.Province, null);

    static readonly VoucherPrincipal Bureau = new("b", "bureau", Role.CityBureau, "taiyuan");

    // 2026-03-02 10:00 China time
    readonly FakeTimeProvider time = new(new DateTimeOffset(2026, 3, 2, 2, 0, 0, TimeSpan.Zero));

    [Fact]
    public async Task AddFinding_RecordsItForTheYearOfInspection_AndTheReportShowsIt()
    {
        await using var sp = await WorkflowServices.BuildAsync(azurite, azurite.NewName("fi")[..13], time);
        var findings = sp.GetRequiredService<FindingService>();

        var added = await findings.AddAsync(Province, new AddFinding("lvliang", "2025-12-30", "minor", "  成果报告与合同不一致  ", ""), default);

        Assert.Equal((2025, "2025-12-30", "minor", "成果报告与合同不一致", "prov (p)"), (added.Value.Year, added.Value.InspectedOn, added.Value.Severity, added.Value.Finding, added.Value.Inspector));
        var report = (await findings.ReportAsync(Province, "2025", default)).Value;
        Assert.Single(report.Findings.Single(x => x.City.Code == "lvliang").Findings);
        Assert.Empty((await findings.ForYearAsync(2026, default)).SelectMany(x => x.Findings));
    }

    [Fact]
    public async Task AddFinding_NamesEachBadField_RefusesABureau_AndWritesNothing()
    {
        await using var sp = await WorkflowServices.BuildAsync(azurite, azurite.NewName("fr")[..13], time);
        var findings = sp.GetRequiredService<FindingService>();

        var bad = await findings.AddAsync(Province, new AddFinding("atlantis", "2026-03-03", "fatal", " ", new string('建', 2001)), default);
        Assert.Equal(["cityCode", "finding", "inspectedOn", "recommendation", "severity"], Assert.IsType<Failure.Invalid>(bad.Failure).Errors.Select(e => e.Field).Order());
        Assert.IsType<Failure.Forbidden>((await findings.AddAsync(Bureau, new AddFinding("taiyuan", "2026-03-01", "minor", "x", ""), default)).Failure);
        Assert.IsType<Failure.Forbidden>((await findings.ReportAsync(Bureau, "2026", default)).Failure);
        Assert.Equal("year", Assert.Single(Assert.IsType<Failure.Invalid>((await findings.ReportAsync(Province, "2015", default)).Failure).Errors).Field);

        Assert.Empty((await findings.ForYearAsync(2026, default)).SelectMany(x => x.Findings));
    }

    [Fact]
    public async Task Statistics_RefuseAYearOutOfRange_AndAnImportByAnyoneButTheProvince()
    {
        await using var sp = await WorkflowServices.BuildAsync(azurite, azurite.NewName("st")[..13], time);
        var statistics = sp.GetRequiredService<StatisticsService>();

        Assert.Equal(2026, (await statistics.ReadYearAsync("", default)).Value.Year);
        Assert.Equal(2027, (await statistics.ReadYearAsync("2027", default)).Value.Year);
        Assert.Equal(11, (await statistics.ReadYearAsync("2027", default)).Value.Cities.Count);
        foreach (var year in new[] { "2022", "2028", "20x6", "-2026" })
        {
            Assert.Equal("year", Assert.Single(Assert.IsType<Failure.Invalid>((await statistics.ReadYearAsync(year, default)).Failure).Errors).Field);
        }

        Assert.IsType<Failure.Forbidden>((await statistics.ImportHistoryAsync(Bureau, default)).Failure);
        Assert.Equal(0m, (await statistics.RedemptionHistoryAsync(default)).Table.ImportedTotal);
        Assert.Equal(55, (await statistics.ImportHistoryAsync(Province, default)).Value);
        Assert.Equal(4537m, (await statistics.RedemptionHistoryAsync(default)).Table.ImportedTotal);
    }
}
