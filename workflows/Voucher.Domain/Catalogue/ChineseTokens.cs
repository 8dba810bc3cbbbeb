using System.Text;

namespace Voucher.Domain.Catalogue;

/// <summary>
/// Tokens for keyword search over Chinese text, which has no spaces between words: every Han character
/// (unigram) and every pair of adjacent Han characters (bigram), plus Latin/digit words lower-cased
/// ("ICP-MS" → "icp", "ms"). A query of two or more Han characters matches by its bigrams, so "电镜" finds
/// "扫描电镜材料表征" without a dictionary; a one-character query matches by its unigram.
/// Full-width letters and digits are folded to ASCII first (NFKC).
/// </summary>
public static class ChineseTokens
{
    public static bool IsHan(char c) =>
        c is >= '\u4E00' and <= '\u9FFF' or >= '\u3400' and <= '\u4DBF' or >= '\uF900' and <= '\uFAFF';

    /// <summary>Normalised text: NFKC, lower case; used for tokens and for the phrase check.</summary>
    public static string Normalize(string? text) =>
        string.IsNullOrEmpty(text) ? "" : text.Normalize(NormalizationForm.FormKC).ToLowerInvariant();

    /// <summary>All index tokens of a text: Han unigrams and bigrams, Latin/digit words (distinct).</summary>
    public static HashSet<string> ForIndex(string? text)
    {
        var tokens = new HashSet<string>(StringComparer.Ordinal);
        Walk(Normalize(text), tokens, index: true);
        return tokens;
    }

    /// <summary>
    /// The tokens a query must match: bigrams of each Han run (a lone Han character as a unigram), Latin/digit words.
    /// </summary>
    public static List<string> ForQuery(string? query)
    {
        var tokens = new HashSet<string>(StringComparer.Ordinal);
        Walk(Normalize(query), tokens, index: false);
        return [.. tokens];
    }

    static void Walk(string s, HashSet<string> tokens, bool index)
    {
        var i = 0;
        while (i < s.Length)
        {
            var c = s[i];
            if (IsHan(c))
            {
                var start = i;
                while (i < s.Length && IsHan(s[i]))
                {
                    i++;
                }

                var run = s.AsSpan(start, i - start);
                if (index || run.Length == 1)
                {
                    for (var k = 0; k < run.Length; k++)
                    {
                        tokens.Add(run[k].ToString());
                    }
                }

                for (var k = 0; k + 1 < run.Length; k++)
                {
                    tokens.Add(run.Slice(k, 2).ToString());
                }
            }
            else if (char.IsLetterOrDigit(c))
            {
                var sb = new StringBuilder();
                while (i < s.Length && char.IsLetterOrDigit(s[i]) && !IsHan(s[i]))
                {
                    sb.Append(s[i]);
                    i++;
                }

                if (sb.Length <= 32)
                {
                    tokens.Add(sb.ToString());
                }
            }
            else
            {
                i++;
            }
        }
    }
}
