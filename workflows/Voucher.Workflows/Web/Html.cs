using System.Text.Encodings.Web;
using System.Text.Unicode;

namespace Voucher.Workflows.Web;

/// <summary>HTML building with encoding by default: every interpolated value goes through <see cref="E"/>.</summary>
public static class Html
{
    /// <summary>Encodes markup characters but leaves Chinese text readable in the page source.</summary>
    static readonly HtmlEncoder Encoder = HtmlEncoder.Create(UnicodeRanges.All);

    public static string E(string? value) => Encoder.Encode(value ?? "");

    public static string Attr(string? value) => Encoder.Encode(value ?? "");

    public static string Table(IEnumerable<string> headers, IEnumerable<IEnumerable<string>> rowsOfEncodedCells, string emptyText)
    {
        // data-label carries each column's header into the cell, so on a phone a row reads as a small card (see .stack).
        var labels = headers.Select(h => Attr(h)).ToList();
        var rows = rowsOfEncodedCells.Select(r => "<tr>" + string.Concat(r.Select((c, i) => $"<td data-label=\"{(i < labels.Count ? labels[i] : "")}\">{c}</td>")) + "</tr>").ToList();
        if (rows.Count == 0)
        {
            return $"<p class=\"muted\">{E(emptyText)}</p>";
        }

        return "<div class=\"table-wrap\"><table class=\"stack\"><thead><tr>" + string.Concat(headers.Select(h => $"<th scope=\"col\">{E(h)}</th>")) +
               "</tr></thead><tbody>" + string.Concat(rows) + "</tbody></table></div>";
    }

    /// <summary>A link; an aria-label that adds context (which row) starts with the visible text, so speech input
    /// ("click View") still finds it (WCAG 2.5.3, axe label-content-name-mismatch).</summary>
    public static string Link(string href, string text, string? ariaLabel = null) =>
        ariaLabel is null ? $"<a href=\"{Attr(href)}\">{E(text)}</a>"
            : $"<a href=\"{Attr(href)}\" aria-label=\"{Attr(ariaLabel.StartsWith(text, StringComparison.Ordinal) ? ariaLabel : text + " " + ariaLabel)}\">{E(text)}</a>";

    /// <summary>
    /// A working-day deadline as the pages show it: the date, the working days left (or overdue), and "推定" when it was
    /// counted across a year whose holiday arrangement is not published.
    /// </summary>
    public static string Deadline(string date, int workingDaysLeft, bool provisional)
    {
        var text = workingDaysLeft < 0
            ? $"<span class=\"warn\">{E(date)}（已逾期 {-workingDaysLeft} 个工作日）</span>"
            : $"{E(date)}（剩余 {workingDaysLeft} 个工作日）";
        return provisional ? text + " " + Provisional : text;
    }

    /// <summary>The mark of a provisional deadline, with what it means.</summary>
    public const string Provisional =
        "<span class=\"provisional\" title=\"所跨年份的节假日安排尚未发布，暂按周一至周五推定；安排发布后自动重新计算\">推定</span>";
}
