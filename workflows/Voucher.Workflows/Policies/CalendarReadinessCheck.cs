using Voucher.Workflows.Readiness;

namespace Voucher.Workflows.Policies;

/// <summary>
/// The working-day calendar's coverage, as the province's home page and the daily check say it
/// (<see cref="CalendarService.NoticesFor"/>): read fresh from storage; a missing arrangement of this or next year is a
/// warning (deadlines are then counted provisionally), not a reason to stop serving.
/// </summary>
public sealed class CalendarReadinessCheck(CalendarService calendars, CalendarStore store) : IReadinessCheck
{
    public string Name => "calendar";

    public async Task<ReadinessResult> CheckAsync(CancellationToken ct)
    {
        var calendar = await store.FreshAsync(ct);
        var notices = calendars.NoticesFor(calendar);
        var today = calendars.Today.Year;
        return notices.Count == 0
            ? ReadinessResult.Ok($"published: {string.Join(", ", new[] { today, today + 1 }.Where(calendar.IsPublished))}")
            : ReadinessResult.Warning(string.Join("\n", notices));
    }
}
