using Voucher.Workflows.Web;

namespace Voucher.Workflows.Policies;

/// <summary>
/// Who published a version, as the pages name them: by name and unit, never by principal id. Versions keep the editor
/// as "name (principal id)" (<see cref="PolicyService.EditorOf"/>) or only the name (the calendar); the unit is that of
/// the role that alone may publish. The shipped defaults are named as such.
/// </summary>
public static class Publishers
{
    /// <summary>The name the system's defaults are recorded under.</summary>
    public const string System = "system";

    public static string Name(string? recorded, Role role)
    {
        var text = recorded?.Trim() ?? "";
        if (text.Length == 0 || text == System)
        {
            return "系统初始设置";
        }

        if (text == CalendarStore.ShippedBy)
        {
            return text;
        }

        // "王芳 (dev:abc)": the name, without the id in brackets.
        var open = text.LastIndexOf(" (", StringComparison.Ordinal);
        var name = open > 0 && text.EndsWith(')') ? text[..open].Trim() : text;
        // A version recorded with the editor's unit ("王芳 · 太原市科技局") is named as recorded.
        return name.Length == 0 ? Glossary.Of(role) : name.Contains(" · ", StringComparison.Ordinal) ? name : $"{name} · {Glossary.Of(role)}";
    }

    /// <summary>The reason of a version; the shipped defaults' English reason in Chinese.</summary>
    public static string Reason(string reason) => reason == "initial defaults" ? "初始设置" : reason;
}
