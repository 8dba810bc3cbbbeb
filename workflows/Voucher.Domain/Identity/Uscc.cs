namespace Voucher.Domain;

/// <summary>
/// Unified social credit code (统一社会信用代码), GB 32100-2015.
/// 18 characters from <see cref="Alphabet"/> (no I, O, Z, S, V):
/// 1 registration authority, 2 organisation type, 3-8 administrative division (6 digits),
/// 9-17 organisation code, 18 check character.
/// </summary>
public static class Uscc
{
    /// <summary>The 31 characters allowed by GB 32100-2015; a character's value is its index.</summary>
    public const string Alphabet = "0123456789ABCDEFGHJKLMNPQRTUWXY";

    /// <summary>Registration authority codes accepted for character 1: 1-9, A-N (of the alphabet) and Y.</summary>
    public const string RegistrationAuthorities = "123456789ABCDEFGHJKLMNY";

    public const int Length = 18;

    private static readonly int[] Weights = [1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28];

    /// <summary>
    /// Trims and upper-cases <paramref name="input"/>, then checks length, character set, registration authority,
    /// division code digits and the check character. <paramref name="error"/> names the broken rule (bilingual).
    /// </summary>
    public static bool TryValidate(string? input, out string normalized, out string? error)
    {
        normalized = (input ?? string.Empty).Trim().ToUpperInvariant();
        if (normalized.Length == 0)
        {
            error = "统一社会信用代码不能为空 (USCC is required)";
            return false;
        }
        if (normalized.Length != Length)
        {
            error = $"统一社会信用代码应为 18 位，实际为 {normalized.Length} 位 (USCC must be 18 characters long, got {normalized.Length})";
            return false;
        }
        for (var i = 0; i < normalized.Length; i++)
        {
            if (Alphabet.IndexOf(normalized[i]) < 0)
            {
                error = $"统一社会信用代码第 {i + 1} 位字符“{normalized[i]}”不合法，不得使用 I、O、Z、S、V (USCC character {i + 1} '{normalized[i]}' is not allowed; I, O, Z, S, V and symbols are never used)";
                return false;
            }
        }
        if (RegistrationAuthorities.IndexOf(normalized[0]) < 0)
        {
            error = $"统一社会信用代码登记管理部门代码“{normalized[0]}”无效 (USCC registration authority code '{normalized[0]}' is not valid)";
            return false;
        }
        for (var i = 2; i < 8; i++)
        {
            if (normalized[i] is < '0' or > '9')
            {
                error = "统一社会信用代码第 3-8 位行政区划码必须为数字 (USCC characters 3-8, the administrative division code, must be digits)";
                return false;
            }
        }
        var expected = ComputeCheckCharacter(normalized[..17]);
        if (normalized[17] != expected)
        {
            error = "统一社会信用代码校验位错误 (USCC check character is wrong)";
            return false;
        }
        error = null;
        return true;
    }

    /// <summary>A whole code from its first 17 characters (authority, type, division, organisation code) and their check character.</summary>
    public static string Complete(string first17) => first17.ToUpperInvariant() + ComputeCheckCharacter(first17);

    /// <summary>Check character for the first 17 characters: C18 = 31 - (Σ value×weight mod 31), 31 → 0.</summary>
    public static char ComputeCheckCharacter(string first17)
    {
        ArgumentNullException.ThrowIfNull(first17);
        var text = first17.ToUpperInvariant();
        if (text.Length != 17)
        {
            throw new DomainException($"计算校验位需要前 17 位，实际为 {text.Length} 位 (The check character needs the first 17 characters, got {text.Length})");
        }
        var sum = 0;
        for (var i = 0; i < 17; i++)
        {
            var value = Alphabet.IndexOf(text[i]);
            if (value < 0)
            {
                throw new DomainException($"统一社会信用代码第 {i + 1} 位字符“{text[i]}”不合法 (USCC character {i + 1} '{text[i]}' is not allowed)");
            }
            sum += value * Weights[i];
        }
        var check = 31 - (sum % 31);
        return Alphabet[check == 31 ? 0 : check];
    }

    /// <summary>The 6-digit administrative division code (characters 3-8) of a valid code.</summary>
    public static string DivisionCode(string validUscc)
    {
        ArgumentNullException.ThrowIfNull(validUscc);
        if (validUscc.Length < 8)
        {
            throw new DomainException("统一社会信用代码过短，无法取得行政区划码 (USCC is too short to contain a division code)");
        }
        return validUscc.Substring(2, 6);
    }

    /// <summary>True when the division code starts with "14" (Shanxi Province).</summary>
    public static bool IsShanxi(string validUscc) => DivisionCode(validUscc).StartsWith("14", StringComparison.Ordinal);
}
