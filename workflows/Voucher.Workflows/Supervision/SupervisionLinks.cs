using Microsoft.AspNetCore.Components;
using Voucher.Workflows.Web;
using static Voucher.Workflows.Web.Html;

namespace Voucher.Workflows.Supervision;

/// <summary>The supervision links shown on the province centre's and the city bureaus' home pages.</summary>
public static class SupervisionLinks
{
    public static RenderFragment ProvinceSection(int year) => Fragments.Markup(
        $"<section class=\"card\"><h2>监督管理 Supervision</h2><p>{Link("/supervision/policies", "政策参数管理 Policy administration")} · {Link("/supervision/calendar", "节假日安排 Working-day calendar")} · {Link($"/stats?year={year}", "统计图表 Statistics")} · "
        + $"{Link($"/supervision/evaluations/{year - 1}", $"{year - 1} 年度绩效评价 Evaluation")} · {Link($"/supervision/findings?year={year}", "检查发现 Findings")} · {Link($"/supervision/report?year={year}", "监督检查报告 Report")}</p></section>");

    public static RenderFragment BureauSection(int year) => Fragments.Markup(
        $"<section class=\"card\"><h2>统计与评价 Statistics and evaluation</h2><p>{Link($"/stats?year={year}", "统计图表 Statistics")} · {Link($"/supervision/evaluations/{year}", $"本市 {year} 年度绩效评价 Our evaluation {year}")} · {Link($"/supervision/evaluations/{year - 1}", $"{year - 1} 年度 Evaluation {year - 1}")}</p></section>");
}
