using Voucher.Workflows.Settlement;
using static Voucher.Workflows.Web.Html;

namespace Voucher.Workflows.Enforcement;

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
