using System.Globalization;

namespace Voucher.Domain;

/// <summary>
/// One year's arrangement of public holidays and make-up working days (调休上班), as the State Council publishes it
/// (usually in November or December of the year before) and the province centre enters it: a published, versioned
/// policy. <see cref="Holidays"/> lists every day off of the arranged periods (weekend days inside a period included);
/// <see cref="Workdays"/> lists the weekend days that become working days. Every date lies in <see cref="Year"/>: a
/// notice that reaches into the previous year's December is entered as a correction of that year.
/// </summary>
public sealed record CalendarYear
{
    public const int MinYear = 2000;
    public const int MaxYear = 2100;
    public const int MaxTextLength = 200;

    public required int Year { get; init; }

    public required IReadOnlyList<DateOnly> Holidays { get; init; }

    public required IReadOnlyList<DateOnly> Workdays { get; init; }

    /// <summary>The notice: its title and number (e.g. 国务院办公厅关于2027年部分节假日安排的通知（国办发明电〔2026〕N号）).</summary>
    public required string Source { get; init; }

    /// <summary>1 for the first publication of the year; each correction is the next version.</summary>
    public int Version { get; init; } = 1;

    /// <summary>Who published it, by name and unit as people read it.</summary>
    public string PublishedBy { get; init; } = "";

    /// <summary>The publisher's account (the identity provider's id), for the audit.</summary>
    public string PublishedById { get; init; } = "";

    public DateTimeOffset PublishedAt { get; init; }

    /// <summary>Why this version was published (a correction says what it corrects).</summary>
    public string Reason { get; init; } = "";

    public static bool IsSupportedYear(int year) => year is >= MinYear and <= MaxYear;

    /// <summary>
    /// Reads a year's arrangement as people enter it (dates as yyyy-MM-dd text). Errors name the field and the rule
    /// (<c>holidays[3]</c>, <c>workdays[0]</c>, <c>source</c>, <c>reason</c>); nothing is returned unless all is well.
    /// </summary>
    public static (CalendarYear? Year, IReadOnlyList<FieldError> Errors) Parse(
        int year, IReadOnlyList<string?>? holidays, IReadOnlyList<string?>? workdays, string? source, string? reason)
    {
        var errors = new List<FieldError>();
        if (!IsSupportedYear(year))
        {
            errors.Add(new("year", $"年份须在 {MinYear}–{MaxYear} 之间 (The year must be between {MinYear} and {MaxYear})"));
            return (null, errors);
        }

        var off = ReadDates("holidays", year, holidays, errors);
        var on = ReadDates("workdays", year, workdays, errors);
        if (holidays is null || holidays.Count == 0)
        {
            errors.Add(new("holidays", "请至少列出一个放假日 (List at least one holiday)"));
        }

        for (var i = 0; i < on.Count; i++)
        {
            var (day, index) = on[i];
            if (day.DayOfWeek is not (DayOfWeek.Saturday or DayOfWeek.Sunday))
            {
                errors.Add(new($"workdays[{index}]", $"{Iso(day)} 是{Weekday(day)}，调休上班日须为周六或周日 (A make-up working day must be a Saturday or Sunday)"));
            }
            else if (off.Any(h => h.Day == day))
            {
                errors.Add(new($"workdays[{index}]", $"{Iso(day)} 同时列为放假日和调休上班日 ({Iso(day)} is both a holiday and a make-up working day)"));
            }
        }

        var notice = source?.Trim() ?? "";
        if (notice.Length == 0)
        {
            errors.Add(new("source", "请填写通知的标题和文号 (Give the notice's title and number)"));
        }
        else if (notice.Length > MaxTextLength)
        {
            errors.Add(new("source", $"不能超过 {MaxTextLength} 个字符 (At most {MaxTextLength} characters)"));
        }

        var why = reason?.Trim() ?? "";
        if (why.Length == 0)
        {
            errors.Add(new("reason", "请说明发布或更正的原因 (Say why this version is published)"));
        }
        else if (why.Length > MaxTextLength)
        {
            errors.Add(new("reason", $"不能超过 {MaxTextLength} 个字符 (At most {MaxTextLength} characters)"));
        }

        if (errors.Count > 0)
        {
            return (null, errors);
        }

        return (new CalendarYear
        {
            Year = year,
            Holidays = off.Select(d => d.Day).Order().ToList(),
            Workdays = on.Select(d => d.Day).Order().ToList(),
            Source = notice,
            Reason = why,
        }, errors);
    }

    static List<(DateOnly Day, int Index)> ReadDates(string field, int year, IReadOnlyList<string?>? texts, List<FieldError> errors)
    {
        var days = new List<(DateOnly, int)>();
        if (texts is null)
        {
            return days;
        }

        if (texts.Count > 366)
        {
            errors.Add(new(field, "日期过多，一年至多 366 天 (At most 366 dates)"));
            return days;
        }

        var seen = new HashSet<DateOnly>();
        for (var i = 0; i < texts.Count; i++)
        {
            var text = texts[i]?.Trim();
            if (!DateOnly.TryParseExact(text, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var day))
            {
                errors.Add(new($"{field}[{i}]", $"“{text}” 不是有效日期，格式为 yyyy-MM-dd (Not a date; use yyyy-MM-dd)"));
            }
            else if (day.Year != year)
            {
                errors.Add(new($"{field}[{i}]",
                    $"{Iso(day)} 不在 {year} 年内；跨年的安排请在 {day.Year} 年的日历中录入或更正 ({Iso(day)} is not in {year}; enter it in the calendar of {day.Year})"));
            }
            else if (!seen.Add(day))
            {
                errors.Add(new($"{field}[{i}]", $"{Iso(day)} 重复列出 ({Iso(day)} is listed twice)"));
            }
            else
            {
                days.Add((day, i));
            }
        }

        return days;
    }

    static string Weekday(DateOnly day) => day.DayOfWeek switch
    {
        DayOfWeek.Monday => "周一",
        DayOfWeek.Tuesday => "周二",
        DayOfWeek.Wednesday => "周三",
        DayOfWeek.Thursday => "周四",
        DayOfWeek.Friday => "周五",
        DayOfWeek.Saturday => "周六",
        _ => "周日",
    };

    static string Iso(DateOnly day) => day.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
}
