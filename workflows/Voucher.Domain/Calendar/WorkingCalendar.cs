using System.Globalization;
using System.Text.Json;

namespace Voucher.Domain;

/// <summary>
/// Working-day calendar of mainland China, built from the published arrangement of each year (<see cref="CalendarYear"/>):
/// a working day is a weekday that is not a holiday, or a listed make-up working day. A year without a published
/// arrangement counts Monday to Friday; every deadline that touches such a year says so (<see cref="Basis"/>: provisional).
/// The arrangements of 2024–2026 ship with the code (<c>Calendar/holidays.json</c>) as the first version of those years;
/// later years and corrections are published as data by the province centre.
/// </summary>
public sealed class WorkingCalendar
{
    /// <summary>Logical name of the embedded calendar resource.</summary>
    public const string ResourceName = "Voucher.Domain.Calendar.holidays.json";

    static readonly Lazy<WorkingCalendar> EmbeddedCalendar = new(LoadEmbedded, LazyThreadSafetyMode.ExecutionAndPublication);

    readonly IReadOnlyDictionary<int, CalendarYear> years;
    readonly HashSet<DateOnly> holidays;
    readonly HashSet<DateOnly> workdays;

    WorkingCalendar(IReadOnlyDictionary<int, CalendarYear> years)
    {
        this.years = years;
        holidays = years.Values.SelectMany(y => y.Holidays).ToHashSet();
        workdays = years.Values.SelectMany(y => y.Workdays).ToHashSet();
        Fingerprint = string.Join(',', years.Values.OrderBy(y => y.Year).Select(y => FormattableString.Invariant($"{y.Year}:{y.Version}")));
    }

    /// <summary>Which arrangement of which year this calendar holds (<c>2026:1,2027:2</c>): a new version of any year changes it.</summary>
    public string Fingerprint { get; }

    /// <summary>The arrangements that ship with the code (2024–2026), each as version 1 of its year.</summary>
    public static WorkingCalendar Embedded => EmbeddedCalendar.Value;

    /// <summary>A calendar of these years' arrangements (the latest given for a year wins).</summary>
    public static WorkingCalendar From(IEnumerable<CalendarYear> arrangements)
    {
        var byYear = new Dictionary<int, CalendarYear>();
        foreach (var year in arrangements)
        {
            byYear[year.Year] = year;
        }

        return new WorkingCalendar(byYear);
    }

    /// <summary>This calendar with <paramref name="arrangement"/> replacing its year (or adding it).</summary>
    public WorkingCalendar With(CalendarYear arrangement) => From(years.Values.Append(arrangement));

    /// <summary>Years with a published arrangement, ascending.</summary>
    public IReadOnlyList<int> Years => years.Keys.Order().ToArray();

    /// <summary>Every published arrangement, by year.</summary>
    public IReadOnlyList<CalendarYear> Arrangements => years.Values.OrderBy(y => y.Year).ToArray();

    public CalendarYear? Arrangement(int year) => years.GetValueOrDefault(year);

    /// <summary>The notice recorded for a year, or null when the year has no published arrangement.</summary>
    public string? SourceOf(int year) => Arrangement(year)?.Source;

    public bool IsPublished(int year) => years.ContainsKey(year);

    public bool Covers(DateOnly date) => IsPublished(date.Year);

    /// <summary>Published year: a weekday that is not a holiday, or a make-up working day. Other years: Monday to Friday.</summary>
    public bool IsWorkingDay(DateOnly date) =>
        workdays.Contains(date) || (!holidays.Contains(date) && date.DayOfWeek is not (DayOfWeek.Saturday or DayOfWeek.Sunday));

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

    /// <summary>The calendar a count from <paramref name="from"/> to <paramref name="to"/> rests on: every year it touches, with its version.</summary>
    public CalendarBasis Basis(DateOnly from, DateOnly to)
    {
        var (first, last) = from <= to ? (from.Year, to.Year) : (to.Year, from.Year);
        return new CalendarBasis(Enumerable.Range(first, last - first + 1)
            .Select(y => new CalendarBasis.YearVersion(y, Arrangement(y)?.Version))
            .ToList());
    }

    /// <summary>
    /// A deadline of <paramref name="workingDays"/> working days opened on <paramref name="start"/> (see
    /// <see cref="WorkingDeadline"/> for the rule), with its reminder <paramref name="reminderLead"/> working days before
    /// (0: on the deadline's day; null: none) and the calendar it was counted with.
    /// </summary>
    public DeadlinePlan Plan(DateOnly start, int workingDays, int? reminderLead)
    {
        var deadline = AddWorkingDays(start, workingDays);
        DateOnly? reminder = reminderLead is { } lead ? AddWorkingDays(deadline, -lead) : null;
        return new DeadlinePlan(start, deadline, reminder, Basis(start, deadline));
    }

    /// <summary>
    /// Parses the shipped calendar file: <code>{ "years": { "2026": { "source": "...", "holidays": [...], "workdays": [...] } } }</code>
    /// Each year becomes version 1, validated as a publication would be. Throws <see cref="DomainException"/> for bad data.
    /// </summary>
    public static IReadOnlyList<CalendarYear> Load(Stream json)
    {
        ArgumentNullException.ThrowIfNull(json);
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
            if (document.RootElement.ValueKind != JsonValueKind.Object
                || !document.RootElement.TryGetProperty("years", out var yearsElement)
                || yearsElement.ValueKind != JsonValueKind.Object)
            {
                throw new DomainException("节假日日历缺少 \"years\" 对象 (Calendar must have a \"years\" object)");
            }

            var result = new List<CalendarYear>();
            foreach (var property in yearsElement.EnumerateObject())
            {
                if (!int.TryParse(property.Name, NumberStyles.None, CultureInfo.InvariantCulture, out var year))
                {
                    throw new DomainException($"节假日日历年份无效：“{property.Name}” (Calendar year '{property.Name}' is not valid)");
                }

                if (property.Value.ValueKind != JsonValueKind.Object)
                {
                    throw new DomainException($"{year} 年的日历数据必须是对象 (Calendar data for {year} must be an object)");
                }

                var source = property.Value.TryGetProperty("source", out var s) && s.ValueKind == JsonValueKind.String ? s.GetString() : null;
                var (parsed, errors) = CalendarYear.Parse(year, Texts(property.Value, "holidays", year), Texts(property.Value, "workdays", year), source, "随系统发布 (shipped with the code)");
                if (parsed is null)
                {
                    throw new DomainException($"{year} 年的日历数据有误 (Calendar data for {year} is invalid): " + string.Join("; ", errors.Select(e => $"{e.Field}: {e.Message}")));
                }

                result.Add(parsed);
            }

            return result;
        }
    }

    static List<string?> Texts(JsonElement yearElement, string name, int year)
    {
        if (!yearElement.TryGetProperty(name, out var array))
        {
            return [];
        }

        if (array.ValueKind != JsonValueKind.Array)
        {
            throw new DomainException($"{year} 年的 \"{name}\" 必须是数组 (\"{name}\" of {year} must be an array)");
        }

        return array.EnumerateArray().Select(item => item.ValueKind == JsonValueKind.String ? item.GetString() : item.ToString()).ToList();
    }

    static WorkingCalendar LoadEmbedded()
    {
        using var stream = typeof(WorkingCalendar).Assembly.GetManifestResourceStream(ResourceName)
            ?? throw new DomainException($"缺少内嵌的节假日日历资源 (Embedded calendar resource '{ResourceName}' is missing)");
        return From(Load(stream));
    }
}
