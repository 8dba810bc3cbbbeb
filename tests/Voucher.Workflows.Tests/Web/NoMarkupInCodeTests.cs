using System.Text.RegularExpressions;

namespace Voucher.Workflows.Tests.Web;

/// <summary>
/// Markup lives in Razor components, encoded by default, never in C# strings (issue #17): no C# file under
/// <c>workflows/</c> may hold an HTML tag outside its comments.
/// </summary>
public sealed partial class NoMarkupInCodeTests
{
    [Fact]
    public void No_csharp_file_under_workflows_builds_html()
    {
        var root = Path.Combine(RepositoryRoot(), "workflows");
        var files = Directory.EnumerateFiles(root, "*.cs", SearchOption.AllDirectories)
            .Where(f => !f.Contains($"{Path.DirectorySeparatorChar}obj{Path.DirectorySeparatorChar}", StringComparison.Ordinal)
                     && !f.Contains($"{Path.DirectorySeparatorChar}bin{Path.DirectorySeparatorChar}", StringComparison.Ordinal))
            .ToList();
        Assert.NotEmpty(files);

        var found = new List<string>();
        foreach (var file in files)
        {
            var lines = File.ReadAllLines(file);
            for (var i = 0; i < lines.Length; i++)
            {
                var line = lines[i].TrimStart();
                if (line.StartsWith("//", StringComparison.Ordinal))
                {
                    continue;
                }

                if (Tag().Match(line) is { Success: true } tag)
                {
                    found.Add($"{Path.GetRelativePath(root, file)}:{i + 1}: {tag.Value}");
                }
            }
        }

        Assert.True(found.Count == 0, $"{found.Count} line(s) of markup in C# files (move it to a .razor component):{Environment.NewLine}{string.Join(Environment.NewLine, found.Take(60))}");
    }

    [Theory]
    [InlineData("var s = \"<p class=\\\"muted\\\">暂无</p>\";", true)]
    [InlineData("return $\"<a href=\\\"{url}\\\">{text}</a>\";", true)]
    [InlineData("sb.Append(\"<table>\");", true)]
    [InlineData("Task<IResult> PageAsync(RequestContext ctx)", false)]
    [InlineData("Dictionary<string, List<int>> map = new();", false)]
    public void The_scan_tells_markup_from_generics(string line, bool markup) => Assert.Equal(markup, Tag().IsMatch(line));

    internal static string RepositoryRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Voucher.Functions.sln")))
            {
                return dir.FullName;
            }
        }

        throw new DirectoryNotFoundException("No Voucher.Functions.sln above " + AppContext.BaseDirectory);
    }

    [GeneratedRegex(@"</?(a|article|aside|b|body|br|button|caption|code|dd|details|div|dl|dt|em|fieldset|footer|form|h[1-6]|head|header|hr|html|img|input|label|legend|li|link|main|meta|nav|ol|optgroup|option|p|pre|script|section|select|small|span|strong|style|summary|svg|table|tbody|td|textarea|tfoot|th|thead|title|tr|ul|rect|line|path|g)(\s[^<>]*)?/?>", RegexOptions.CultureInvariant)]
    private static partial Regex Tag();
}
