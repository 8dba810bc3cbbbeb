using System.Globalization;

namespace Voucher.Domain;

/// <summary>One figure of the paper's Table 1: a city's amount redeemed in a period (a year or a span such as 2019–2021), in 10,000 CNY.</summary>
public sealed record HistoricalFigure(string CityCode, string Period, int FirstYear, int LastYear, decimal Amount10k);

/// <summary>Reads the paper's Table 1 (<c>city_zh,city_en,period,amount_10k_cny</c>); any bad line is refused with its number.</summary>
public static class HistoricalRedemptions
{
    public static IReadOnlyList<HistoricalFigure> Parse(TextReader reader)
    {
        var header = reader.ReadLine()?.Trim().TrimStart('\uFEFF');
        if (header != "city_zh,city_en,period,amount_10k_cny")
        {
            throw new DomainException($"表头不符 (Unexpected header '{header}')");
        }

        var result = new List<HistoricalFigure>();
        var lineNo = 1;
        while (reader.ReadLine() is { } line)
        {
            lineNo++;
            if (string.IsNullOrWhiteSpace(line))
            {
                continue;
            }

            var cells = line.Split(',');
            if (cells.Length != 4 || !Cities.TryGet(cells[1].Trim().ToLowerInvariant(), out var city) || city.NameZh != cells[0].Trim())
            {
                throw new DomainException($"第 {lineNo} 行城市无效 (Line {lineNo}: unknown city)");
            }

            var period = cells[2].Trim();
            var years = period.Split('-');
            if (years.Length is < 1 or > 2
                || !int.TryParse(years[0], NumberStyles.None, CultureInfo.InvariantCulture, out var first)
                || !int.TryParse(years[^1], NumberStyles.None, CultureInfo.InvariantCulture, out var last)
                || first is < 2000 or > 2100 || last < first || last > 2100)
            {
                throw new DomainException($"第 {lineNo} 行期间无效 (Line {lineNo}: bad period '{period}')");
            }

            if (!decimal.TryParse(cells[3].Trim(), NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var amount))
            {
                throw new DomainException($"第 {lineNo} 行金额无效 (Line {lineNo}: bad amount)");
            }

            result.Add(new HistoricalFigure(city.Code, period, first, last, amount));
        }

        return result;
    }
}

/// <summary>A figure the paper reports besides Table 1 (e.g. 889 enterprises benefited by December 2022), with the words it is quoted from.</summary>
public sealed record PaperFact(string Name, long Value, string Unit, string AsOf, string Quote);

/// <summary>Reads <c>fact,value,unit,as_of,quote</c> lines; any bad line is refused with its number.</summary>
public static class PaperFacts
{
    public const string EnterprisesBenefited = "enterprises-benefited";

    public static IReadOnlyList<PaperFact> Parse(TextReader reader)
    {
        var header = reader.ReadLine()?.Trim().TrimStart('\uFEFF');
        if (header != "fact,value,unit,as_of,quote")
        {
            throw new DomainException($"表头不符 (Unexpected header '{header}')");
        }

        var result = new List<PaperFact>();
        var lineNo = 1;
        while (reader.ReadLine() is { } line)
        {
            lineNo++;
            if (string.IsNullOrWhiteSpace(line))
            {
                continue;
            }

            var cells = line.Split(',');
            if (cells.Length != 5 || cells[0].Trim().Length == 0 || cells[4].Trim().Length == 0
                || !long.TryParse(cells[1].Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out var value)
                || !DateOnly.TryParseExact(cells[3].Trim() + "-01", "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out _))
            {
                throw new DomainException($"第 {lineNo} 行无效 (Line {lineNo}: expected fact,value,unit,yyyy-MM,quote)");
            }

            result.Add(new PaperFact(cells[0].Trim(), value, cells[2].Trim(), cells[3].Trim(), cells[4].Trim()));
        }

        return result;
    }
}
