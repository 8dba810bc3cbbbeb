using Microsoft.AspNetCore.Components;
using Voucher.Workflows.Portal;

namespace Voucher.Workflows.Enforcement;

/// <summary>The one section each home page adds: links to this role's supervision pages (none for the others).</summary>
public static class EnforcementLinks
{
    public static RenderFragment For(VoucherPrincipal p) => new LinkSectionModel("监督管理", p.Role switch
    {
        Role.Enterprise => [("/portal/credit", "信用记录")],
        Role.CityBureau => [("/portal/violations", "违规处理")],
        Role.Province => [("/portal/violations", "违规处理"), ("/portal/experts", "专家库")],
        Role.FinanceBureau => [("/portal/clawbacks", "资金追回")],
        Role.Expert => [("/portal/expert", "我的评审意见")],
        _ => [],
    }).Fragment;
}
