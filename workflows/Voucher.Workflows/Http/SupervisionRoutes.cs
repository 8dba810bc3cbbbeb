using Voucher.Workflows.Policies;
using Voucher.Workflows.Security;
using Voucher.Workflows.Supervision;

namespace Voucher.Workflows.Http;

/// <summary>
/// Routes of the supervision area: policy administration (city, province, the working-day calendar), statistics (public), the annual performance evaluation and
/// the province centre's inspection findings and report. Spread into <see cref="VoucherRoutes.All"/>.
/// </summary>
public static class SupervisionRoutes
{
    public static IReadOnlyList<RouteDef> All { get; } =
    [
        RouteDef.For<StatsPages>("StatsPage", "GET", "stats", Access.Public, (h, c) => h.PageAsync(c)),
        RouteDef.For<StatsApi>("StatsTable1Csv", "GET", "stats/table1.csv", Access.Public, (h, c) => h.Table1CsvAsync(c)),
        RouteDef.For<StatsApi>("StatsFiguresCsv", "GET", "stats/figures.csv", Access.Public, (h, c) => h.YearCsvAsync(c)),
        RouteDef.For<StatsApi>("GetStatsRedemptions", "GET", "api/stats/redemptions", Access.Public, (h, c) => h.RedemptionsAsync(c)),
        RouteDef.For<StatsApi>("GetStatsYear", "GET", "api/stats/years/{year}", Access.Public, (h, c) => h.YearAsync(c)),
        RouteDef.For<StatsPages>("ImportStatsHistory", "POST", "supervision/stats/import", Access.Only(Role.Province), (h, c) => h.ImportAsync(c)),

        RouteDef.For<PolicyPages>("PolicyAdminPage", "GET", "supervision/policies", Access.Only(Role.Province), (h, c) => h.PageAsync(c)),
        RouteDef.For<PolicyPages>("PolicyAdminPublish", "POST", "supervision/policies/{city}", Access.Only(Role.Province), (h, c) => h.PublishCityFormAsync(c)),
        RouteDef.For<PolicyPages>("ProvincePolicyPublishForm", "POST", "supervision/province-policy", Access.Only(Role.Province), (h, c) => h.PublishProvinceFormAsync(c)),
        RouteDef.For<PolicyApi>("GetCityPolicy", "GET", "api/policies/{city}", Access.Only(Role.CityBureau, Role.Province), (h, c) => h.GetCityAsync(c)),
        RouteDef.For<PolicyApi>("PublishCityPolicy", "POST", "api/policies/{city}", Access.Only(Role.Province), (h, c) => h.PublishCityAsync(c)),
        RouteDef.For<PolicyApi>("GetProvincePolicy", "GET", "api/province-policy", Access.Only(Role.CityBureau, Role.Province), (h, c) => h.GetProvinceAsync(c)),
        RouteDef.For<PolicyApi>("PublishProvincePolicy", "POST", "api/province-policy", Access.Only(Role.Province), (h, c) => h.PublishProvinceAsync(c)),

        RouteDef.For<CalendarPages>("GetCalendarYear", "GET", "api/calendar/{year}", Access.Public, (h, c) => h.ApiGetAsync(c)),
        RouteDef.For<CalendarPages>("PublishCalendarYear", "PUT", "api/calendar/{year}", Access.Only(Role.Province), (h, c) => h.ApiPutAsync(c)),
        RouteDef.For<CalendarPages>("CalendarAdminPage", "GET", "supervision/calendar", Access.Only(Role.Province), (h, c) => h.PageAsync(c)),
        RouteDef.For<CalendarPages>("CalendarAdminPublish", "POST", "supervision/calendar/{year}", Access.Only(Role.Province), (h, c) => h.PublishFormAsync(c)),

        RouteDef.For<EvaluationPages>("EvaluationPublicPage", "GET", "evaluations/{year}", Access.Public, (h, c) => h.PublicPageAsync(c)),
        RouteDef.For<EvaluationApi>("GetEvaluation", "GET", "api/evaluations/{year}", Access.Public, (h, c) => h.GetAsync(c)),
        RouteDef.For<EvaluationPages>("EvaluationWorkPage", "GET", "supervision/evaluations/{year}", Access.Only(Role.CityBureau, Role.Province), (h, c) => h.WorkPageAsync(c)),
        RouteDef.For<EvaluationPages>("EvaluationSave", "POST", "supervision/evaluations/{year}", Access.Only(Role.Province), (h, c) => h.SaveAsync(c)),

        RouteDef.For<FindingPages>("FindingsPage", "GET", "supervision/findings", Access.Only(Role.Province), (h, c) => h.PageAsync(c)),
        RouteDef.For<FindingPages>("AddFinding", "POST", "supervision/findings", Access.Only(Role.Province), (h, c) => h.AddAsync(c)),
        RouteDef.For<FindingPages>("SupervisionReport", "GET", "supervision/report", Access.Only(Role.Province), (h, c) => h.ReportAsync(c)),
        RouteDef.For<FindingPages>("SupervisionReportCsv", "GET", "supervision/report.csv", Access.Only(Role.Province), (h, c) => h.ReportCsvAsync(c)),
    ];
}
