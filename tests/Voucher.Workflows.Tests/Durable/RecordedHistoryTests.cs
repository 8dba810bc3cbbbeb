namespace Voucher.Workflows.Tests.Durable;

/// <summary>
/// Orchestrations that were already waiting when a change landed keep working: histories recorded by the local host
/// before the working-day calendar became published data (commit 7dea534, see Histories/README.md) replay against
/// today's orchestrators, the events they waited for still lead to the same next step, and a calendar publication
/// wakes them to count their deadline again.
/// </summary>
public sealed class RecordedHistoryTests
{
    [Fact]
    public void ApplicationUnderReview_DecisionArrives_RecordsTheDecision()
    {
        var history = RecordedHistory.Load("application-under-review");
        var actions = history.Run(new ApplicationOrchestrator(), history.LastRunUtc.AddHours(1),
            RecordedHistory.Raised(ReviewDecision.EventName, new ReviewDecision(1, true, null, "city-bureau:jinzhong")));

        Assert.Contains(actions, a => a.ScheduleTask?.Name == nameof(RecordApplicationDecision));
    }

    [Fact]
    public void RedemptionAwaitingBinding_BindingArrives_AppliesIt()
    {
        var history = RecordedHistory.Load("redemption-awaiting-binding");
        var actions = history.Run(new RedemptionOrchestrator(), history.LastRunUtc.AddHours(1),
            RecordedHistory.Raised(RedemptionEvent.EventName, new RedemptionEvent(RedemptionEvent.Binding, 1, true, null, "institution:x")));

        Assert.Contains(actions, a => a.ScheduleTask?.Name == nameof(ApplyRedemptionEvent));
    }

    [Fact]
    public void SettlementInPublicity_TimerFires_WaitsOnUntilTheWindowEnds()
    {
        var history = RecordedHistory.Load("settlement-in-publicity");
        var (id, fireAt) = history.LastTimer;
        var actions = history.Run(new SettlementOrchestrator(), fireAt, RecordedHistory.TimerFired(id, fireAt));

        // Long timers are cut into pieces of a few days: the next piece is created until the window's end.
        Assert.Contains(actions, a => a.CreateTimer is not null);
    }

    [Fact]
    public void ApplicationUnderReview_CalendarPublished_ReplansTheRound()
    {
        var history = RecordedHistory.Load("application-under-review");
        var actions = history.Run(new ApplicationOrchestrator(), history.LastRunUtc.AddHours(1),
            RecordedHistory.Raised(CalendarChanged.EventName, new CalendarChanged(2027, 1)));

        Assert.Contains(actions, a => a.ScheduleTask?.Name == nameof(ReplanReviewRound));
    }

    [Fact]
    public void RedemptionAwaitingBinding_CalendarPublished_AppliesTheWakeUp()
    {
        var history = RecordedHistory.Load("redemption-awaiting-binding");
        var actions = history.Run(new RedemptionOrchestrator(), history.LastRunUtc.AddHours(1),
            RecordedHistory.Raised(RedemptionEvent.EventName, new RedemptionEvent(RedemptionEvent.Calendar, 0, false, "2027:1", "calendar")));

        Assert.Contains(actions, a => a.ScheduleTask?.Name == nameof(ApplyRedemptionEvent));
    }

    [Fact]
    public void SettlementInPublicity_CalendarPublished_ReplansTheWindow()
    {
        var history = RecordedHistory.Load("settlement-in-publicity");
        var actions = history.Run(new SettlementOrchestrator(), history.LastRunUtc.AddHours(1),
            RecordedHistory.Raised(CalendarChanged.EventName, new CalendarChanged(2027, 1)));

        Assert.Contains(actions, a => a.ScheduleTask?.Name == nameof(ReplanPublicity));
    }

    [Fact]
    public void AHistoryReplayedAgainstAnotherOrchestrator_Fails()
    {
        var history = RecordedHistory.Load("settlement-in-publicity");
        var (id, fireAt) = history.LastTimer;

        // The harness itself must be able to fail: the application orchestrator never scheduled FormSettlementBatch.
        Assert.ThrowsAny<Xunit.Sdk.XunitException>(() => history.Run(new ApplicationOrchestrator(), fireAt, RecordedHistory.TimerFired(id, fireAt)));
    }
}
