namespace Voucher.Workflows.Marketplace;

/// <summary>Field rules the marketplace's acts share: optional text, amounts in yuan, turnaround days, cities, dates.</summary>
public static class MarketInput
{
    public const string DateFormat = "yyyy-MM-dd";

    /// <summary>Trimmed text, empty when absent; longer than <paramref name="max"/> is an error on the field.</summary>
    public static string Optional(string? value, string field, int max, List<FieldError> errors)
    {
        var v = value?.Trim() ?? "";
        if (v.Length > max)
        {
            errors.Add(new FieldError(field, $"不能超过 {max} 个字符 (At most {max} characters)"));
        }

        return v;
    }

    /// <summary>A required amount in yuan (exact to the fen).</summary>
    public static Cny Amount(decimal? yuan, string field, List<FieldError> errors)
    {
        if (yuan is null)
        {
            errors.Add(new FieldError(field, "必填 (Required)"));
            return Cny.Zero;
        }

        if (!Cny.TryParseAmount(yuan.Value, out var amount, out var error))
        {
            errors.Add(new FieldError(field, error!));
        }

        return amount;
    }

    public static int TurnaroundDays(int? days, List<FieldError> errors)
    {
        if (days is not (>= 1 and <= 365))
        {
            errors.Add(new FieldError("turnaroundDays", "服务周期为 1–365 天 (1 to 365 days)"));
            return 0;
        }

        return days.Value;
    }

    /// <summary>One of Shanxi's 11 cities, by code (lower-cased).</summary>
    public static string City(string? code, string field, List<FieldError> errors)
    {
        var city = code?.Trim().ToLowerInvariant() ?? "";
        if (!Cities.TryGet(city, out _))
        {
            errors.Add(new FieldError(field, "请选择山西省 11 个地市之一 (One of the 11 cities)"));
        }

        return city;
    }

    public static string Date(DateOnly day) => day.ToString(DateFormat, CultureInfo.InvariantCulture);

    /// <summary>Shortens a description for a listing row.</summary>
    public static string Shorten(string s) => s.Length <= 60 ? s : s[..60] + "…";
}
