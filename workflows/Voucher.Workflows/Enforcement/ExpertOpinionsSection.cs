using Microsoft.AspNetCore.Components;
using Microsoft.Extensions.DependencyInjection;
using Voucher.Workflows.Web;

namespace Voucher.Workflows.Enforcement;

/// <summary>The expert opinions recorded with a redemption, on its page (reviewers, finance and the province only).</summary>
public static class ExpertOpinionsSection
{
    public static async Task<RenderFragment> OpinionsSectionAsync(Http.RequestContext ctx, string redemptionId)
    {
        if (ctx.Principal?.Role is not (Role.CityBureau or Role.FinanceBureau or Role.Province))
        {
            return _ => { };
        }

        var store = ctx.Services.GetRequiredService<EnforcementStore>();
        var opinions = await store.OpinionsForRedemptionAsync(redemptionId, ctx.Aborted);
        if (opinions.Count == 0)
        {
            return _ => { };
        }

        var rows = new List<ExpertOpinionRow>();
        foreach (var o in opinions.OrderBy(o => o.RequestedAt))
        {
            var expert = await store.GetExpertAsync(o.ExpertId, ctx.Aborted);
            rows.Add(new ExpertOpinionRow(expert?.Name ?? "专家库外人员", expert?.Affiliation ?? "", ExpertForm.FieldName(o.Field), o.RequestedAt, o.Opinion, o.OpinionAt));
        }

        return builder =>
        {
            builder.OpenComponent<ExpertOpinions>(0);
            builder.AddComponentParameter(1, nameof(ExpertOpinions.Model), rows);
            builder.CloseComponent();
        };
    }
}

/// <summary>One expert's opinion on a redemption: the expert by name and unit.</summary>
public sealed record ExpertOpinionRow(string Expert, string Affiliation, string Field, DateTimeOffset RequestedAt, string? Opinion, DateTimeOffset? OpinionAt);
