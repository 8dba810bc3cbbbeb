using Voucher.Workflows.Web;
using Voucher.Workflows.Web.Lists;

namespace Voucher.Workflows.Settlement.Risk;

/// <summary>What the province's risk list page shows: the query, the page of rows, or the refused filters.</summary>
public sealed record ProvinceRiskModel(ListQuery Query, ListPage<FlaggedRow> Page, IReadOnlyList<FieldError> Errors);

/// <summary>The province centre's list of flagged batch items across the cities (<c>/portal/province/risk</c>), and its exports.</summary>
public sealed class ProvinceRiskPages(ProvinceRiskService risk)
{
    public const string Path = "/portal/province/risk";

    public async Task<IResult> ListAsync(RequestContext ctx)
    {
        var query = ListQuery.From(ctx.Request, [], ProvinceRiskService.Sorts, "checked", true, [ProvinceRiskService.CityFilter, ProvinceRiskService.RuleFilter]);
        var outcome = await risk.ListAsync(ctx.Principal!, query, ctx.Aborted);
        if (outcome.Failure is Failure.Invalid invalid)
        {
            return Pages.View<ProvinceRiskPage>("全省风险提示", ctx.Principal, new ProvinceRiskModel(query, query.PageOf<FlaggedRow>([]), invalid.Errors), StatusCodes.Status400BadRequest);
        }

        if (outcome.Failure is { } failure)
        {
            return Pages.Forbidden(ctx.Principal!, failure.Message);
        }

        if (TableExport.ParseFormat(ctx.Request.Query["format"]) is { } format)
        {
            return TableExport.File(format, "全省风险提示", "风险提示", Columns, outcome.Value);
        }

        return Pages.View<ProvinceRiskPage>("全省风险提示", ctx.Principal, new ProvinceRiskModel(query, query.PageOf(outcome.Value), []));
    }

    static readonly IReadOnlyList<ExportColumn<FlaggedRow>> Columns =
    [
        new("地市", r => r.City.NameZh),
        new("结算期", r => SettlementText.PeriodName(r.Item.PeriodId)),
        new("兑付申请编号", r => r.Item.RedemptionId),
        new("企业名称", r => r.Item.EnterpriseName),
        new("服务机构", r => r.Item.InstitutionName),
        new("服务内容", r => r.Item.ServiceTitle),
        new("兑付金额（元）", r => Cny.FromFen(r.Item.PayoutFen).Yuan),
        new("风险提示", r => string.Join("、", r.Rules.Select(RiskRules.Chinese))),
        new("提示原因", r => string.Join("；", r.Findings.Select(f => f.Reason))),
        new("核查时间", r => Glossary.Time(r.Item.RiskCheckedAt)),
        new("全省政策版本", r => r.Item.RiskPolicyVersion),
    ];
}
