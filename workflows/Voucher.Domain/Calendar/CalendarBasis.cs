using System.Globalization;

namespace Voucher.Domain;

/// <summary>
/// Which calendar a deadline was counted with: each year its counting touched, with the version of that year's
/// published arrangement, or none when the year had none (counted Monday to Friday: provisional, 推定). Recorded with
/// the deadline, so an auditor sees what it rested on and a publication finds the deadlines that depend on it.
/// Stored as text: <c>2026:1,2027:-</c>.
/// </summary>
public sealed record CalendarBasis(IReadOnlyList<CalendarBasis.YearVersion> Years)
{
    public sealed record YearVersion(int Year, int? Version);

    /// <summary>Counted at least in part without a published arrangement.</summary>
    public bool Provisional => Years.Any(y => y.Version is null);

    public IEnumerable<int> MissingYears => Years.Where(y => y.Version is null).Select(y => y.Year);

    public bool DependsOn(int year) => Years.Any(y => y.Year == year);

    public override string ToString() =>
        string.Join(",", Years.Select(y => $"{y.Year.ToString(CultureInfo.InvariantCulture)}:{y.Version?.ToString(CultureInfo.InvariantCulture) ?? "-"}"));

    /// <summary>What a page shows: e.g. "依据2026年日历第1版；2027年安排未发布，按周一至周五推定".</summary>
    public string Describe()
    {
        var known = Years.Where(y => y.Version is not null).Select(y => $"{y.Year}年日历第{y.Version}版").ToList();
        var parts = new List<string>();
        if (known.Count > 0)
        {
            parts.Add("依据" + string.Join("、", known));
        }

        if (Provisional)
        {
            parts.Add(string.Join("、", MissingYears.Select(y => $"{y}年")) + "节假日安排未发布，暂按周一至周五推定");
        }

        return string.Join("；", parts);
    }

    /// <summary>Reads the stored text; null for an empty or malformed value (rows written before bases were recorded).</summary>
    public static CalendarBasis? Parse(string? text)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            return null;
        }

        var years = new List<YearVersion>();
        foreach (var part in text.Split(','))
        {
            var pair = part.Split(':');
            if (pair.Length != 2 || !int.TryParse(pair[0], NumberStyles.None, CultureInfo.InvariantCulture, out var year))
            {
                return null;
            }

            int? version = null;
            if (pair[1] != "-")
            {
                if (!int.TryParse(pair[1], NumberStyles.None, CultureInfo.InvariantCulture, out var v))
                {
                    return null;
                }

                version = v;
            }

            years.Add(new YearVersion(year, version));
        }

        return new CalendarBasis(years);
    }
}
