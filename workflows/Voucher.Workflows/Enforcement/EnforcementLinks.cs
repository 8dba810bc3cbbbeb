using Microsoft.AspNetCore.Components;
using Microsoft.Extensions.DependencyInjection;
using Voucher.Workflows.Web;
using Voucher.Workflows.Settlement;
using static Voucher.Workflows.Web.Html;

namespace Voucher.Workflows.Enforcement;

/// <summary>
/// The one line each home page adds (links to this role's supervision pages), and the expert opinions recorded with a
/// redemption on its page (reviewers, finance and the province only).
/// </summary>
public static class EnforcementLinks
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

/// <summary>The batch review's "ask an expert" control: pool members by field, conflicts of interest shown and not selectable.</summary>
public static class ExpertPicker
{
    public static string Select(string name, string? current, BatchItemEntity item, IReadOnlyList<ExpertEntity> pool)
    {
        var sb = new StringBuilder();
        sb.Append($"<label for=\"{name}\">请专家（专家库，按领域）Ask an expert from the pool</label><select id=\"{name}\" name=\"{name}\">")
          .Append($"<option value=\"\"{(string.IsNullOrEmpty(current) ? " selected" : "")}>不请专家 No expert</option>");
        if (!string.IsNullOrEmpty(current) && pool.All(e => e.ExpertId != current))
        {
            sb.Append($"<option value=\"{Attr(current)}\" selected>{E(current)}</option>");
        }

        var matching = pool.Where(e => e.FieldList().Contains(item.ServiceCategory, StringComparer.OrdinalIgnoreCase)).ToList();
        Group($"本领域 Field: {item.ServiceCategory}", matching);
        Group("其他领域 Other fields", pool.Except(matching).ToList());
        sb.Append("</select>");
        return sb.ToString();

        void Group(string label, List<ExpertEntity> experts)
        {
            if (experts.Count == 0)
            {
                return;
            }

            sb.Append($"<optgroup label=\"{Attr(label)}\">");
            foreach (var e in experts)
            {
                var conflict = ConflictOfInterest.Check(e.Ties(), item.InstitutionId, item.Uscc) is not null;
                var text = $"{e.Name}（{e.ExpertId}）· {string.Join("、", e.FieldList())} · {e.Affiliation}{(conflict ? " · 利益冲突 conflict of interest" : "")}";
                sb.Append($"<option value=\"{Attr(e.ExpertId)}\"{(e.ExpertId == current ? " selected" : "")}{(conflict && e.ExpertId != current ? " disabled" : "")}>{E(text)}</option>");
            }

            sb.Append("</optgroup>");
        }
    }
}
