using System.Text.RegularExpressions;

namespace Voucher.Workflows.Tests.Web;

/// <summary>
/// Totals rows (<c>tr class="totals"</c>) keep their meaning on a phone: the responsive tables label each cell from its
/// <c>data-label</c>, so every figure of a totals row in every page must carry one (only blank filler cells may not),
/// and the list CSS shows the row's heading instead of hiding it.
/// </summary>
public sealed partial class TotalsRowLabelTests
{
    [Fact]
    public void Every_figure_of_a_totals_row_is_labelled()
    {
        var root = Path.Combine(RepositoryRoot(), "workflows");
        var pages = Directory.EnumerateFiles(root, "*.razor", SearchOption.AllDirectories)
            .Where(f => !f.Contains($"{Path.DirectorySeparatorChar}obj{Path.DirectorySeparatorChar}", StringComparison.Ordinal))
            .ToList();
        var rows = 0;
        var unlabelled = new List<string>();
        foreach (var file in pages)
        {
            foreach (System.Text.RegularExpressions.Match row in TotalsRow().Matches(File.ReadAllText(file)))
            {
                rows++;
                foreach (System.Text.RegularExpressions.Match cell in Cell().Matches(row.Value))
                {
                    var blank = cell.Groups["body"].Value.Trim().Length == 0;
                    if (!blank && !cell.Groups["attrs"].Value.Contains("data-label=", StringComparison.Ordinal))
                    {
                        unlabelled.Add($"{Path.GetRelativePath(root, file)}: {cell.Value}");
                    }
                }
            }
        }

        Assert.True(rows >= 8, $"only {rows} totals rows found: the pattern no longer matches the pages");
        Assert.True(unlabelled.Count == 0, $"totals cells without data-label (they show no label at 390 px):{Environment.NewLine}{string.Join(Environment.NewLine, unlabelled)}");
    }

    [Fact]
    public void On_a_phone_the_totals_heading_shows_and_blank_cells_go()
    {
        var css = File.ReadAllText(Path.Combine(RepositoryRoot(), "workflows", "Voucher.Workflows", "Web", "Static", "css", "15-lists.css"));
        var phone = css[css.LastIndexOf("@media (max-width:40rem)", StringComparison.Ordinal)..];
        Assert.Contains("table.stack tr.totals th{display:block", phone);
        Assert.Contains("table.stack tr.totals td:empty{display:none}", phone);
    }

    [GeneratedRegex("""<tr class="totals">.*?</tr>""", RegexOptions.Singleline)]
    private static partial Regex TotalsRow();

    [GeneratedRegex("""<td(?<attrs>[^>]*)>(?<body>.*?)</td>""", RegexOptions.Singleline)]
    private static partial Regex Cell();

    static string RepositoryRoot() => NoMarkupInCodeTests.RepositoryRoot();
}
