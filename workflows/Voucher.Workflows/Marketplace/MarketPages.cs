namespace Voucher.Workflows.Marketplace;

/// <summary>How the marketplace's values read on its pages (the states themselves through <see cref="Web.Glossary"/>).</summary>
public static class MarketPages
{
    /// <summary>A price or a price range, as in a table: ¥800.00 – ¥3,000.00.</summary>
    public static string Price(long fromFen, long toFen) =>
        toFen > fromFen ? $"{Cny.FromFen(fromFen)} – {Cny.FromFen(toFen)}" : Cny.FromFen(fromFen).ToString();

    /// <summary>A price or a price range in prose: 800元起 … 3,000元.</summary>
    public static string PriceInProse(long fromFen, long toFen) =>
        toFen > fromFen ? $"{Web.Glossary.MoneyInProse(fromFen)}–{Web.Glossary.MoneyInProse(toFen)}" : Web.Glossary.MoneyInProse(fromFen);

    public static string CityName(string code) => Cities.TryGet(code, out var c) ? c.NameZh : code;

    /// <summary>A stored date (yyyy-MM-dd) as it is, or in a sentence (2026年12月18日).</summary>
    public static string DateInSentence(string stored) => Web.Glossary.DateInSentence(stored);

    /// <summary>What a service version changed, in Chinese: rows keep "发布 published", "修改 edited"…</summary>
    public static string ChangeName(string stored)
    {
        var space = stored.IndexOf(' ', StringComparison.Ordinal);
        return space > 0 ? stored[..space] : stored;
    }

    /// <summary>Shortens a description for a listing.</summary>
    public static string Summary(string s, int length = 90) => s.Length <= length ? s : s[..length] + "…";
}
