namespace Voucher.Workflows.Evidence;

/// <summary>
/// The name a browser sent with a file, made safe to keep and show: any path dropped (Windows and Unix separators),
/// control and reserved characters removed, Chinese and other letters kept, at most <see cref="MaxLength"/> characters
/// with the extension kept when it has to be shortened.
/// </summary>
public static class EvidenceFileNames
{
    public const int MaxLength = 120;

    public static string Safe(string? sent)
    {
        if (string.IsNullOrWhiteSpace(sent))
        {
            return "";
        }

        var name = sent.Replace('\\', '/');
        name = name[(name.LastIndexOf('/') + 1)..];
        var kept = new StringBuilder(name.Length);
        foreach (var c in name.Normalize(NormalizationForm.FormC))
        {
            if (!char.IsControl(c) && c is not ('"' or '<' or '>' or '|' or ':' or '*' or '?') && char.GetUnicodeCategory(c) != UnicodeCategory.Format)
            {
                kept.Append(char.IsWhiteSpace(c) ? ' ' : c);
            }
        }

        name = kept.ToString().Trim().Trim('.').Trim();
        if (name.Length <= MaxLength)
        {
            return name;
        }

        // Shortened by text elements, so a surrogate pair (a rare CJK character) is never cut in half.
        var extension = Path.GetExtension(name) is { Length: > 1 and <= 10 } ext ? ext : "";
        var stem = new StringInfo(name[..^extension.Length]);
        var room = MaxLength - extension.Length;
        var shortened = new StringBuilder();
        for (var i = 0; i < stem.LengthInTextElements; i++)
        {
            var element = stem.SubstringByTextElements(i, 1);
            if (shortened.Length + element.Length > room)
            {
                break;
            }

            shortened.Append(element);
        }

        return shortened.ToString().TrimEnd() + extension;
    }

    /// <summary>A size as people read it: 850 KB, 2.4 MB.</summary>
    public static string Size(long bytes) =>
        bytes < 1024 * 1024
            ? Math.Max(1, (long)Math.Round(bytes / 1024d, MidpointRounding.AwayFromZero)).ToString(CultureInfo.InvariantCulture) + " KB"
            : (bytes / (1024d * 1024d)).ToString("0.#", CultureInfo.InvariantCulture) + " MB";
}
