namespace Voucher.Domain;

/// <summary>The 11 cities of Shanxi, in the order of the paper's table.</summary>
public static class Cities
{
    public static IReadOnlyList<City> All { get; } =
    [
        new("taiyuan", "太原市", "Taiyuan", "1401"),
        new("lvliang", "吕梁市", "Lvliang", "1411"),
        new("changzhi", "长治市", "Changzhi", "1404"),
        new("yangquan", "阳泉市", "Yangquan", "1403"),
        new("yuncheng", "运城市", "Yuncheng", "1408"),
        new("shuozhou", "朔州市", "Shuozhou", "1406"),
        new("xinzhou", "忻州市", "Xinzhou", "1409"),
        new("jinzhong", "晋中市", "Jinzhong", "1407"),
        new("linfen", "临汾市", "Linfen", "1410"),
        new("datong", "大同市", "Datong", "1402"),
        new("jincheng", "晋城市", "Jincheng", "1405"),
    ];

    private static readonly Dictionary<string, City> ByCode =
        All.ToDictionary(c => c.Code, StringComparer.OrdinalIgnoreCase);

    /// <summary>Looks a city up by code, case-insensitively (surrounding white space ignored).</summary>
    public static bool TryGet(string? code, out City city)
    {
        if (code is not null && ByCode.TryGetValue(code.Trim(), out var found))
        {
            city = found;
            return true;
        }
        city = null!;
        return false;
    }

    /// <summary>Looks a city up by code; throws <see cref="DomainException"/> when unknown.</summary>
    public static City Get(string code) =>
        TryGet(code, out var city)
            ? city
            : throw new DomainException($"未知的城市代码“{code}” (Unknown city code '{code}')");

    /// <summary>The city whose 4-digit prefix starts the given 6-digit division code, if any.</summary>
    public static bool TryGetByDivision(string? divisionCode, out City city)
    {
        city = null!;
        if (divisionCode is null || divisionCode.Length < 4)
        {
            return false;
        }
        foreach (var c in All)
        {
            if (divisionCode.StartsWith(c.DivisionPrefix, StringComparison.Ordinal))
            {
                city = c;
                return true;
            }
        }
        return false;
    }
}
