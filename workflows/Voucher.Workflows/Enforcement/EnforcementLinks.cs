using Microsoft.AspNetCore.Components;
using Microsoft.Extensions.DependencyInjection;
using Voucher.Workflows.Web;
using Voucher.Workflows.Settlement;
using static Voucher.Workflows.Web.Html;

namespace Voucher.Workflows.Enforcement;

/// <summary>The one line each home page adds: links to this role's supervision pages.</summary>
public static class EnforcementLinks
{
    public static RenderFragment For(VoucherPrincipal p)
    {
        var links = p.Role switch
        {
            Role.Enterprise => [("/portal/credit", "信用记录 Credit history")],
            Role.CityBureau => [("/portal/violations", "违规处理 Violations")],
            Role.Province => [("/portal/violations", "违规处理 Violations"), ("/portal/experts", "专家库 Expert pool")],
            Role.FinanceBureau => [("/portal/clawbacks", "资金追回 Claw-backs")],
            Role.Expert => [("/portal/expert", "我的评审意见 My opinion requests")],
            _ => Array.Empty<(string, string)>(),
        };
        return Fragments.Markup(links.Length == 0
            ? ""
            : "<section class=\"card\"><h2>监督管理 Supervision</h2><p>" + string.Join(" · ", links.Select(l => Link(l.Item1, l.Item2))) + "</p></section>");
    }
}
