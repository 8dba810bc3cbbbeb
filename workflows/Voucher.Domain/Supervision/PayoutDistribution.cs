using System.Globalization;

namespace Voucher.Domain;

/// <summary>
/// Pay-outs counted in fixed money ranges (exact: a pay-out belongs to exactly one range). Ranges are 10,000 yuan wide
/// up to 100,000, then 25,000 wide up to the 200,000 annual cap, then "200,000 and more".
/// </summary>
public static class PayoutDistribution
{
    /// <summary>Lower bounds in yuan of each range; the last range is open.</summary>
    public static IReadOnlyList<long> LowerYuan { get; } = [0, 10_000, 20_000, 30_000, 40_000, 50_000, 60_000, 70_000, 80_000, 90_000, 100_000, 125_000, 150_000, 175_000, 200_000];

    public static int RangeOf(Cny payout)
    {
        var i = LowerYuan.Count - 1;
        while (i > 0 && payout.Fen < LowerYuan[i] * 100)
        {
            i--;
        }

        return i;
    }

    public static string Label(int i) =>
        i == LowerYuan.Count - 1
            ? $"≥{LowerYuan[i] / 10_000}万"
            : $"{LowerYuan[i] / 10_000m:0.#}–{LowerYuan[i + 1] / 10_000m:0.#}万";

    public static long[] Parse(string? text)
    {
        var result = new long[LowerYuan.Count];
        if (string.IsNullOrEmpty(text))
        {
            return result;
        }

        var parts = text.Split(',');
        for (var i = 0; i < parts.Length && i < result.Length; i++)
        {
            result[i] = long.Parse(parts[i], CultureInfo.InvariantCulture);
        }

        return result;
    }

    public static string Serialize(long[] counts) => string.Join(',', counts.Select(c => c.ToString(CultureInfo.InvariantCulture)));
}
