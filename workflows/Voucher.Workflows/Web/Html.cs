using System.Text.Encodings.Web;

namespace Voucher.Workflows.Web;

/// <summary>HTML building with encoding by default: every interpolated value goes through <see cref="E"/>.</summary>
public static class Html
{
    public static string E(string? value) => HtmlEncoder.Default.Encode(value ?? "");

    public static string Attr(string? value) => HtmlEncoder.Default.Encode(value ?? "");

    public static string Table(IEnumerable<string> headers, IEnumerable<IEnumerable<string>> rowsOfEncodedCells, string emptyText)
    {
        var rows = rowsOfEncodedCells.Select(r => "<tr>" + string.Concat(r.Select(c => $"<td>{c}</td>")) + "</tr>").ToList();
        if (rows.Count == 0)
        {
            return $"<p class=\"muted\">{E(emptyText)}</p>";
        }

        return "<div class=\"table-wrap\"><table><thead><tr>" + string.Concat(headers.Select(h => $"<th scope=\"col\">{E(h)}</th>")) +
               "</tr></thead><tbody>" + string.Concat(rows) + "</tbody></table></div>";
    }

    public static string Link(string href, string text) => $"<a href=\"{Attr(href)}\">{E(text)}</a>";
}
