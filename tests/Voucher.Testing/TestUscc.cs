using System.Security.Cryptography;
using Voucher.Domain;

namespace Voucher.Testing;

/// <summary>
/// The one source of fresh, valid enterprise codes for tests and benchmarks: "91" (enterprise, company) + the division
/// + a random organisation code + the GB 32100 check character. The organisation code always ends in a letter, so a
/// code never reads as a long run of digits (a phone number) in the personal-data checks.
/// </summary>
public static class TestUscc
{
    const string Letters = "ABCDEFGHJKLMNPQRTUWXY";

    /// <summary>A code registered in the city's own division (its prefix + "00"), e.g. taiyuan → 911401 00…</summary>
    public static string New(string cityCode = "taiyuan") => InDivision(Cities.Get(cityCode).DivisionPrefix + "00");

    /// <summary>A code registered in the six-digit administrative division <paramref name="division"/>.</summary>
    public static string InDivision(string division)
    {
        var org = string.Concat(Enumerable.Range(0, 8).Select(_ => Uscc.Alphabet[RandomNumberGenerator.GetInt32(Uscc.Alphabet.Length)]))
            + Letters[RandomNumberGenerator.GetInt32(Letters.Length)];
        return Uscc.Complete("91" + division + org);
    }

    /// <summary>The same code with a wrong (but allowed) check character.</summary>
    public static string WithWrongCheckCharacter(string uscc) => uscc[..17] + Uscc.Alphabet.First(c => c != uscc[17]);
}
