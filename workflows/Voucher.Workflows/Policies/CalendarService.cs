using System.Text.Json.Serialization;
using Microsoft.DurableTask;
using Microsoft.DurableTask.Client;
using Voucher.Workflows.Durable;
using Voucher.Workflows.Configuration;

namespace Voucher.Workflows.Policies;

/// <summary>A publication or correction of a year's arrangement, as entered (dates as text, so errors can name them).</summary>
public sealed record CalendarPublishRequest(int? ExpectedVersion, IReadOnlyList<string?>? Holidays, IReadOnlyList<string?>? Workdays, string? Source, string? Reason);

public sealed record CalendarVersionView(int Version, string PublishedBy, DateTimeOffset PublishedAt, string Source, string Reason, int Holidays, int Workdays);

/// <summary>
/// A year's arrangement as <c>GET /api/calendar/{year}</c> answers it ("missing": counted Monday to Friday; the version
/// and publication fields are then null, never left out).
/// </summary>
public sealed record CalendarYearView(
    int Year,
    string Status,
    IReadOnlyList<string> Holidays,
    IReadOnlyList<string> Workdays,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.Never)] int? Version,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.Never)] string? PublishedBy,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.Never)] DateTimeOffset? PublishedAt,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.Never)] string? Source,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.Never)] string? Reason,
    string CountingRule,
    IReadOnlyList<CalendarVersionView> History)
{
    public const string Published = "published";
    public const string Missing = "missing";
}

/// <summary>
/// The working-day calendar as policy: the province centre publishes each year's arrangement (versioned: who, when, why),
/// every publication re-plans the open deadlines that depend on the year (<see cref="CalendarReplanOrchestrator"/>), and a
/// year without an arrangement is never silent: from the notice date (setting <c>Voucher__CalendarNoticeFrom</c>, default
/// 1 November) the province's home page, the readiness check and the host's log say that next year's is missing.
/// </summary>
public sealed partial class CalendarService(CalendarStore store, VoucherSettings settings, TimeProvider time, ILogger<CalendarService> log)
{
    public DateOnly Today => ChinaTime.Today(time);

    public async Task<CalendarYearView> ViewAsync(int year, CancellationToken ct)
    {
        var (current, history) = await store.YearAsync(year, ct);
        var versions = history.Select(v => new CalendarVersionView(v.Version, v.PublishedBy, v.PublishedAt, v.Source, v.Reason, v.Holidays.Count, v.Workdays.Count)).ToList();
        return current is null
            ? new CalendarYearView(year, CalendarYearView.Missing, [], [], null, null, null, null, null, WorkingDeadline.RuleZh, versions)
            : new CalendarYearView(year, CalendarYearView.Published, current.Holidays.Select(Iso).ToList(), current.Workdays.Select(Iso).ToList(),
                current.Version, current.PublishedBy, current.PublishedAt, current.Source, current.Reason, WorkingDeadline.RuleZh, versions);
    }

    /// <summary>
    /// Publishes the year's next version and starts the re-plan of the deadlines that depend on it. Invalid input changes
    /// nothing (errors name the field); a version published meanwhile by someone else is <see cref="PublishOutcome.Stale"/>.
    /// </summary>
    public async Task<PublishResult<CalendarYear>> PublishAsync(int year, CalendarPublishRequest request, string actor, string actorId, DurableTaskClient durable, CancellationToken ct)
    {
        var (parsed, errors) = CalendarYear.Parse(year, request.Holidays, request.Workdays, request.Source, request.Reason);
        if (parsed is null)
        {
            return new(PublishOutcome.Invalid, null, errors);
        }

        var (current, _) = await store.YearAsync(year, ct);
        var currentVersion = current?.Version ?? 0;
        if (request.ExpectedVersion is { } expected && expected != currentVersion)
        {
            return new(PublishOutcome.Stale, current, [new("expectedVersion", $"{year}年日历已被他人更新为第{currentVersion}版，请刷新后重试 (Changed meanwhile to version {currentVersion}; reload)")]);
        }

        var next = parsed with { Version = currentVersion + 1, PublishedBy = actor, PublishedById = actorId, PublishedAt = time.GetUtcNow() };
        if (!await store.TryPublishAsync(next, ct))
        {
            var (now, _) = await store.YearAsync(year, ct);
            return new(PublishOutcome.Stale, now, [new("expectedVersion", "日历已被他人更新，请刷新后重试 (Changed meanwhile; reload)")]);
        }

        Log.Published(log, year, next.Version, actorId);
        var replan = new CalendarReplanInput(year, next.Version);
        await Orchestrations.StartOnceAsync(durable, nameof(CalendarReplanOrchestrator), replan, replan.InstanceId, ct);
        return new(PublishOutcome.Published, next, []);
    }

    /// <summary>
    /// What the province must hear about the calendar today: the current year unpublished (always), next year's from the
    /// notice date on. Empty when all is well.
    /// </summary>
    public static IReadOnlyList<string> Notices(WorkingCalendar calendar, DateOnly today, string noticeFrom)
    {
        var notices = new List<string>();
        if (!calendar.IsPublished(today.Year))
        {
            notices.Add($"{today.Year}年节假日安排尚未发布：本年的期限暂按周一至周五推定，请尽快发布。");
        }

        if (today >= NoticeDate(today.Year, noticeFrom) && !calendar.IsPublished(today.Year + 1))
        {
            notices.Add($"{today.Year + 1}年节假日安排尚未发布：跨入{today.Year + 1}年的期限暂按周一至周五推定（标注“推定”），国务院通知公布后请及时发布。");
        }

        return notices;
    }

    public async Task<IReadOnlyList<string>> NoticesAsync(CancellationToken ct) => NoticesFor(await store.CurrentAsync(ct));

    public IReadOnlyList<string> NoticesFor(WorkingCalendar calendar) => Notices(calendar, Today, settings.CalendarNoticeFrom);

    /// <summary>
    /// The host's check, at start and daily: a warning in the log for each notice, and the re-plan of every published
    /// version of this year and the next started (a crash between a publication and its re-plan's start loses nothing).
    /// </summary>
    public async Task CheckAsync(DurableTaskClient durable, CancellationToken ct)
    {
        var calendar = await store.FreshAsync(ct);
        foreach (var notice in Notices(calendar, Today, settings.CalendarNoticeFrom))
        {
            Log.CalendarMissing(log, notice);
        }

        foreach (var year in new[] { Today.Year, Today.Year + 1 })
        {
            if (calendar.Arrangement(year) is { } published && published.PublishedBy != CalendarStore.ShippedBy)
            {
                var input = new CalendarReplanInput(year, published.Version);
                // Started before: a retried publication, or the daily check after it.
                await Orchestrations.EnsureStartedAsync(durable, nameof(CalendarReplanOrchestrator), input, input.InstanceId, ct);
            }
        }
    }

    /// <summary>The day of <paramref name="year"/> from which next year's arrangement is expected (<c>MM-dd</c>; 1 November when unreadable).</summary>
    public static DateOnly NoticeDate(int year, string noticeFrom) =>
        DateOnly.TryParseExact($"{year:D4}-{noticeFrom}", "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var day) ? day : new DateOnly(year, 11, 1);

    static string Iso(DateOnly day) => day.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

    static partial class Log
    {
        [LoggerMessage(EventId = 5001, Level = LogLevel.Warning, Message = "Working-day calendar: {Notice}")]
        public static partial void CalendarMissing(ILogger logger, string notice);

        [LoggerMessage(EventId = 5002, Level = LogLevel.Information, Message = "Working-day calendar {Year} published as version {Version} by {Actor}; re-planning open deadlines")]
        public static partial void Published(ILogger logger, int year, int version, string actor);
    }
}
