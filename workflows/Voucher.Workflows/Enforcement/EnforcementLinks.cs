using Microsoft.AspNetCore.Components;
using Voucher.Workflows.Portal;

namespace Voucher.Workflows.Enforcement;

/// <summary>The one section each home page adds: links to this role's supervision pages (none for the others).</summary>
public static class EnforcementLinks
{
    public static RenderFragment For(VoucherPrincipal p) => (p.Role switch
    {
        Role.Enterprise => new LinkSectionModel("信用", [("/portal/credit", "信用记录")]),
        Role.CityBureau => new LinkSectionModel("违规处理", [("/portal/violations", "违规处理"), ("/portal/work/violations", "违规处理清单（查询、导出）")]),
        Role.Province => new LinkSectionModel("违规处理与专家", [("/portal/violations", "违规处理"), ("/portal/work/violations", "违规处理清单（查询、导出）"), ("/portal/experts", "专家库")]),
        Role.FinanceBureau => new LinkSectionModel("资金追回", [("/portal/clawbacks", "资金追回"), ("/portal/work/clawbacks", "资金追回清单（查询、导出）")]),
        Role.Expert => new LinkSectionModel("评审意见", [("/portal/expert", "我的评审意见")]),
        _ => new LinkSectionModel("", []),
    }).Fragment;
}
