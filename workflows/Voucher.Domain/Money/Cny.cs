using System.Globalization;
using System.Text.Json.Serialization;

namespace Voucher.Domain;

/// <summary>
/// An exact amount of Chinese yuan (CNY), stored as an integer number of fen (1 yuan = 100 fen).
/// Never uses floating point. Serialised to JSON as a string such as "50000.00".
/// </summary>
[JsonConverter(typeof(CnyJsonConverter))]
public readonly record struct Cny : IComparable<Cny>
{
    /// <summary>The largest amount a user may enter: 100,000,000,000 yuan.</summary>
    public static readonly decimal MaxInputYuan = 100_000_000_000m;

    private Cny(long fen) => Fen = fen;

    /// <summary>The amount in fen (hundredths of a yuan).</summary>
    public long Fen { get; }

    /// <summary>The amount in yuan, exact (<c>Fen / 100m</c>).</summary>
    public decimal Yuan => Fen / 100m;

    public static Cny Zero => default;

    public bool IsZero => Fen == 0;
    public bool IsPositive => Fen > 0;
    public bool IsNegative => Fen < 0;

    public static Cny FromFen(long fen) => new(fen);

    /// <summary>Creates an amount from yuan. Throws <see cref="DomainException"/> for more than 2 decimal places or overflow.</summary>
    public static Cny FromYuan(decimal yuan)
    {
        if (!TryFromYuan(yuan, out var value, out var error))
        {
            throw new DomainException(error!);
        }
        return value;
    }

    /// <summary>Validates a user-entered amount: greater than zero, at most 2 decimals, at most 100,000,000,000 yuan.</summary>
    public static bool TryParseAmount(decimal yuan, out Cny value, out string? error)
    {
        value = Zero;
        if (yuan <= 0m)
        {
            error = "金额必须大于零 (Amount must be greater than zero)";
            return false;
        }
        if (yuan > MaxInputYuan)
        {
            error = "金额不能超过 100,000,000,000 元 (Amount must not exceed 100,000,000,000 yuan)";
            return false;
        }
        return TryFromYuan(yuan, out value, out error);
    }

    private static bool TryFromYuan(decimal yuan, out Cny value, out string? error)
    {
        value = Zero;
        try
        {
            var fen = yuan * 100m;
            if (fen != decimal.Truncate(fen))
            {
                error = $"金额最多保留两位小数：{yuan.ToString(CultureInfo.InvariantCulture)} (Amount must have at most 2 decimal places: {yuan.ToString(CultureInfo.InvariantCulture)})";
                return false;
            }
            value = new Cny(decimal.ToInt64(fen));
            error = null;
            return true;
        }
        catch (OverflowException)
        {
            error = "金额超出可表示范围 (Amount is out of range)";
            return false;
        }
    }

    /// <summary>Multiplies by a ratio; the result is rounded to the fen, half away from zero.</summary>
    public Cny MultiplyRatio(decimal ratio)
    {
        try
        {
            var fen = decimal.Round(Fen * ratio, 0, MidpointRounding.AwayFromZero);
            return new Cny(decimal.ToInt64(fen));
        }
        catch (OverflowException)
        {
            throw new DomainException("金额超出可表示范围 (Amount is out of range)");
        }
    }

    public static Cny Min(Cny a, Cny b) => a.Fen <= b.Fen ? a : b;
    public static Cny Max(Cny a, Cny b) => a.Fen >= b.Fen ? a : b;

    public int CompareTo(Cny other) => Fen.CompareTo(other.Fen);

    public static Cny operator +(Cny a, Cny b) => new(checked(a.Fen + b.Fen));
    public static Cny operator -(Cny a, Cny b) => new(checked(a.Fen - b.Fen));
    public static Cny operator -(Cny a) => new(checked(-a.Fen));
    public static bool operator <(Cny a, Cny b) => a.Fen < b.Fen;
    public static bool operator >(Cny a, Cny b) => a.Fen > b.Fen;
    public static bool operator <=(Cny a, Cny b) => a.Fen <= b.Fen;
    public static bool operator >=(Cny a, Cny b) => a.Fen >= b.Fen;

    /// <summary>Plain invariant number with two decimals and thousands separators, e.g. "50,000.00" (no currency sign).</summary>
    public string ToAmountString() => Yuan.ToString("#,##0.00", CultureInfo.InvariantCulture);

    /// <summary>Invariant number with two decimals and no separators, e.g. "50000.00" (the JSON form).</summary>
    public string ToInvariantString() => Yuan.ToString("0.00", CultureInfo.InvariantCulture);

    /// <summary>"¥50,000.00" (invariant culture); negative amounts as "-¥1.00".</summary>
    public override string ToString() =>
        Fen < 0
            ? "-¥" + (-Yuan).ToString("#,##0.00", CultureInfo.InvariantCulture)
            : "¥" + ToAmountString();
}
