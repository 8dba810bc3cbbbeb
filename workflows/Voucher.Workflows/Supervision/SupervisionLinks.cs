using Microsoft.AspNetCore.Components;
using Voucher.Workflows.Portal;

namespace Voucher.Workflows.Supervision;

/// <summary>The supervision links shown on the province centre's and the city bureaus' home pages.</summary>
public static class SupervisionLinks
{
    public static RenderFragment ProvinceSection(int year) => new LinkSectionModel("监督管理",
    [
        ("/supervision/policies", "政策参数管理"),
        ("/supervision/calendar", "节假日安排"),
        ($"/stats?year={year}", "统计图表"),
        ($"/supervision/evaluations/{year - 1}", $"{year - 1}年度绩效评价"),
        ($"/supervision/findings?year={year}", "检查发现"),
        ($"/supervision/report?year={year}", "监督检查报告"),
    ]).Fragment;

    public static RenderFragment BureauSection(int year) => new LinkSectionModel("统计与评价",
    [
        ($"/stats?year={year}", "统计图表"),
        ($"/supervision/evaluations/{year}", $"本市{year}年度绩效评价"),
        ($"/supervision/evaluations/{year - 1}", $"{year - 1}年度绩效评价"),
    ]).Fragment;
}
