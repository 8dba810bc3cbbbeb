using Microsoft.AspNetCore.Components;
using Microsoft.Extensions.DependencyInjection;
using Voucher.Workflows.Web;
using Voucher.Workflows.Settlement;
using static Voucher.Workflows.Web.Html;

namespace Voucher.Workflows.Enforcement;

/// <summary>The expert opinions recorded with a redemption, on its page (reviewers, finance and the province only).</summary>
public static class ExpertOpinionsSection
{
    public static async Task<RenderFragment> OpinionsSectionAsync(Http.RequestContext ctx, string redemptionId)
    {
        if (ctx.Principal?.Role is not (Role.CityBureau or Role.FinanceBureau or Role.Province))
        {
            return Fragments.Markup("");
        }

        var opinions = await ctx.Services.GetRequiredService<EnforcementStore>().OpinionsForRedemptionAsync(redemptionId, ctx.Aborted);
        if (opinions.Count == 0)
        {
            return Fragments.Markup("");
        }

        var rows = opinions.OrderBy(o => o.RequestedAt).Select(o => new[]
        {
            E(o.ExpertId), E(o.Field), E(BatchLinks.ChinaDate(o.RequestedAt)), E(o.Opinion ?? "待出具 pending"), E(o.OpinionAt is { } at ? BatchLinks.ChinaDate(at) : ""),
        });
        return Fragments.Markup($"<section class=\"card\"><h2>专家意见 Expert opinions</h2>{Table(["专家 Expert", "领域 Field", "请求 Requested", "意见 Opinion", "出具 Given"], rows, "")}</section>");
    }
}
