using System.Globalization;
using System.Text.Json;

namespace Voucher.Domain;

/// <summary>
/// Working-day calendar of mainland China. Public holidays and make-up working days (调休上班) are data, per year:
/// <code>{ "years": { "2026": { "source": "...", "holidays": ["2026-01-01", ...], "workdays": ["2026-01-04", ...] } } }</code>
/// "holidays" are all days off of the arranged periods; "workdays" are weekend days that become working days.
/// For a year the data does not cover, the documented fallback is Monday to Friday.
/// A year's lists may hold dates of the neighbouring years (a notice can reach into late December or early January).
/// New years are added without code by <see cref="WithOverlay"/>.
/// </summary>
public sealed class WorkingCalendar
{
    /// <summary>Logical name of the embedded calendar resource.</summary>
    public const string ResourceName = "Voucher.Domain.Calendar.holidays.json";

    private static readonly Lazy<WorkingCalendar> EmbeddedCalendar = new(LoadEmbedded, LazyThreadSafetyMode.ExecutionAndPublication);

    private readonly IReadOnlyDictionary<int, CalendarYear> _years;
    private readonly HashSet<DateOnly> _holidays;
    private readonly HashSet<DateOnly> _workdays;

    private WorkingCalendar(IReadOnlyDictionary<int, CalendarYear> years)
    {
        _years = years;
        // A notice may reach into a neighbouring year (e.g. a New Year holiday starting on 30 December),
        // so lookups use the union of all notices rather than the notice of the date's own year.
        _holidays = years.Values.SelectMany(y => y.Holidays).ToHashSet();
        _workdays = years.Values.SelectMany(y => y.Workdays).ToHashSet();
    }

    /// <summary>The calendar embedded in this assembly (Calendar/holidays.json), loaded once on first use.</summary>
    public static WorkingCalendar Embedded => EmbeddedCalendar.Value;

    /// <summary>Years covered by data, ascending.</summary>
    public IReadOnlyCollection<int> Years => _years.Keys.Order().ToArray();

    /// <summary>Parses a calendar document. Throws <see cref="DomainException"/> for malformed or inconsistent data.</summary>
    public static WorkingCalendar Load(Stream json)
    {
        ArgumentNullException.ThrowIfNull(json);
        return new WorkingCalendar(Parse(json));
    }

    /// <summary>A new calendar where the years of <paramref name="json"/> replace or add to the years of this one.</summary>
    public WorkingCalendar WithOverlay(Stream json)
    {
        ArgumentNullException.ThrowIfNull(json);
        var merged = new Dictionary<int, CalendarYear>(_years);
        foreach (var (year, data) in Parse(json))
        {
            merged[year] = data;
        }
        return new WorkingCalendar(merged);
    }

    /// <summary>The source (the State Council notice) recorded for a year, or null when the year is not covered.</summary>
    public string? SourceOf(int year) => _years.TryGetValue(year, out var y) ? y.Source : null;

    public bool Covers(DateOnly date) => _years.ContainsKey(date.Year);

    /// <summary>
    /// Covered year: a weekday that is not a holiday, or a listed make-up workday.
    /// Uncovered year: Monday to Friday (fallback).
    /// </summary>
    public bool IsWorkingDay(DateOnly date)
    {
        if (_workdays.Contains(date))
        {
            return true;
        }
        if (_holidays.Contains(date))
        {
            return false;
        }
        return date.DayOfWeek is not (DayOfWeek.Saturday or DayOfWeek.Sunday);
    }

    /// <summary>
    /// n &gt; 0: the n-th working day strictly after <paramref name="start"/>;
    /// n == 0: <see cref="NextWorkingDayOnOrAfter"/>;
    /// n &lt; 0: the |n|-th working day strictly before <paramref name="start"/>.
    /// </summary>
    public DateOnly AddWorkingDays(DateOnly start, int n)
    {
        if (n == 0)
        {
            return NextWorkingDayOnOrAfter(start);
        }
        var step = n > 0 ? 1 : -1;
        var remaining = Math.Abs((long)n);
        var day = start;
        while (remaining > 0)
        {
            day = day.AddDays(step);
            if (IsWorkingDay(day))
            {
                remaining--;
            }
        }
        return day;
    }

    /// <summary>Working days in (<paramref name="fromExclusive"/>, <paramref name="toInclusive"/>]; negative when to &lt; from.</summary>
    public int WorkingDaysBetween(DateOnly fromExclusive, DateOnly toInclusive)
    {
        if (toInclusive < fromExclusive)
        {
            return -WorkingDaysBetween(toInclusive, fromExclusive);
        }
        var count = 0;
        for (var day = fromExclusive.AddDays(1); day <= toInclusive; day = day.AddDays(1))
        {
            if (IsWorkingDay(day))
            {
                count++;
            }
        }
        return count;
    }

    public DateOnly NextWorkingDayOnOrAfter(DateOnly date)
    {
        var day = date;
        while (!IsWorkingDay(day))
        {
            day = day.AddDays(1);
        }
        return day;
    }

    private static WorkingCalendar LoadEmbedded()
    {
        using var stream = typeof(WorkingCalendar).Assembly.GetManifestResourceStream(ResourceName)
            ?? throw new DomainException($"缺少内嵌的节假日日历资源 (Embedded calendar resource '{ResourceName}' is missing)");
        return Load(stream);
    }

    private static Dictionary<int, CalendarYear> Parse(Stream json)
    {
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(json, new JsonDocumentOptions { CommentHandling = JsonCommentHandling.Skip, AllowTrailingCommas = true });
        }
        catch (JsonException ex)
        {
            throw new DomainException($"节假日日历不是有效的 JSON (Calendar is not valid JSON: {ex.Message})");
        }

        using (document)
        {
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object
                || !root.TryGetProperty("years", out var years)
                || years.ValueKind != JsonValueKind.Object)
            {
                throw new DomainException("节假日日历缺少 \"years\" 对象 (Calendar must have a \"years\" object)");
            }

            var result = new Dictionary<int, CalendarYear>();
            foreach (var property in years.EnumerateObject())
            {
                if (!int.TryParse(property.Name, NumberStyles.None, CultureInfo.InvariantCulture, out var year) || year is < 1900 or > 9999)
                {
                    throw new DomainException($"节假日日历年份无效：“{property.Name}” (Calendar year '{property.Name}' is not valid)");
                }
                if (property.Value.ValueKind != JsonValueKind.Object)
                {
                    throw new DomainException($"{year} 年的日历数据必须是对象 (Calendar data for {year} must be an object)");
                }
                var source = property.Value.TryGetProperty("source", out var s) && s.ValueKind == JsonValueKind.String ? s.GetString() : null;
                var holidays = ReadDates(property.Value, "holidays", year);
                var workdays = ReadDates(property.Value, "workdays", year);

                foreach (var w in workdays)
                {
                    if (w.DayOfWeek is not (DayOfWeek.Saturday or DayOfWeek.Sunday))
                    {
                        throw new DomainException($"调休上班日 {Iso(w)} 不是周末 (Make-up workday {Iso(w)} is not a Saturday or Sunday)");
                    }
                    if (holidays.Contains(w))
                    {
                        throw new DomainException($"{Iso(w)} 同时被列为假日和调休上班日 ({Iso(w)} is listed both as a holiday and as a workday)");
                    }
                }
                result[year] = new CalendarYear(source, holidays, workdays);
            }
            return result;
        }
    }

    private static HashSet<DateOnly> ReadDates(JsonElement yearElement, string name, int year)
    {
        var set = new HashSet<DateOnly>();
        if (!yearElement.TryGetProperty(name, out var array))
        {
            return set;
        }
        if (array.ValueKind != JsonValueKind.Array)
        {
            throw new DomainException($"{year} 年的 \"{name}\" 必须是数组 (\"{name}\" of {year} must be an array)");
        }
        foreach (var item in array.EnumerateArray())
        {
            var text = item.ValueKind == JsonValueKind.String ? item.GetString() : null;
            if (!DateOnly.TryParseExact(text, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var date))
            {
                throw new DomainException($"{year} 年的 \"{name}\" 含无效日期 “{text}” (\"{name}\" of {year} has an invalid date '{text}'; use yyyy-MM-dd)");
            }
            if (Math.Abs(date.Year - year) > 1)
            {
                throw new DomainException($"日期 {Iso(date)} 不属于 {year} 年的安排 (Date {Iso(date)} cannot belong to the arrangement of {year})");
            }
            set.Add(date);
        }
        return set;
    }

    private static string Iso(DateOnly date) => date.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

    private sealed record CalendarYear(string? Source, HashSet<DateOnly> Holidays, HashSet<DateOnly> Workdays);
}
