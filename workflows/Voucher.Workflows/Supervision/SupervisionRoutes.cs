namespace Voucher.Workflows.Supervision;

/// <summary>Supervision: statistics (public pages, CSV and API; the province's history import), the annual performance evaluation, inspection findings and the report.</summary>
public static class SupervisionRoutes
{
    public static IReadOnlyList<RouteDef> All { get; } =
    [
        RouteDef.For<StatsPages>("StatsPage", "GET", "stats", Access.Public, (h, c) => h.PageAsync(c)),
        RouteDef.For<StatsApi>("StatsTable1Csv", "GET", "stats/table1.csv", Access.Public, (h, c) => h.Table1CsvAsync(c)),
        RouteDef.For<StatsApi>("StatsFiguresCsv", "GET", "stats/figures.csv", Access.Public, (h, c) => h.YearCsvAsync(c)),
        RouteDef.For<StatsApi>("GetStatsRedemptions", "GET", "api/stats/redemptions", Access.Public, (h, c) => h.RedemptionsAsync(c)) with { Contract = ApiContract.Get<JsonObjectResponse>() },
        RouteDef.For<StatsApi>("GetStatsYear", "GET", "api/stats/years/{year}", Access.Public, (h, c) => h.YearAsync(c)) with { Contract = ApiContract.Get<JsonObjectResponse>(400) },
        RouteDef.For<StatsPages>("ImportStatsHistory", "POST", "supervision/stats/import", Access.Only(Role.Province), (h, c) => h.ImportAsync(c)),

        RouteDef.For<EvaluationPages>("EvaluationPublicPage", "GET", "evaluations/{year}", Access.Public, (h, c) => h.PublicPageAsync(c)),
        RouteDef.For<EvaluationApi>("GetEvaluation", "GET", "api/evaluations/{year}", Access.Public, (h, c) => h.GetAsync(c)) with { Contract = ApiContract.Get<EvaluationResult>(400) },
        RouteDef.For<EvaluationPages>("EvaluationWorkPage", "GET", "supervision/evaluations/{year}", Access.Only(Role.CityBureau, Role.Province), (h, c) => h.WorkPageAsync(c)),
        RouteDef.For<EvaluationPages>("EvaluationSave", "POST", "supervision/evaluations/{year}", Access.Only(Role.Province), (h, c) => h.SaveAsync(c)),

        RouteDef.For<FindingPages>("FindingsPage", "GET", "supervision/findings", Access.Only(Role.Province), (h, c) => h.PageAsync(c)),
        RouteDef.For<FindingPages>("AddFinding", "POST", "supervision/findings", Access.Only(Role.Province), (h, c) => h.AddAsync(c)),
        RouteDef.For<FindingPages>("SupervisionReport", "GET", "supervision/report", Access.Only(Role.Province), (h, c) => h.ReportAsync(c)),
        RouteDef.For<FindingPages>("SupervisionReportCsv", "GET", "supervision/report.csv", Access.Only(Role.Province), (h, c) => h.ReportCsvAsync(c)),
    ];
}
