using Microsoft.DurableTask;
using Moq;
using Voucher.Workflows.Redemptions;

namespace Voucher.Workflows.Tests.Redemptions;

/// <summary>
/// The redemption orchestrator's decisions with a mocked <see cref="TaskOrchestrationContext"/>: one generation per
/// event (continue-as-new), which activity runs with which input, and which durable timer it races. The binding
/// reminder and deadline timers are days away on the real engine, so the timeout paths are covered here only.
/// </summary>
public sealed class RedemptionOrchestratorTests
{
    const string Id = "V-91140100MA0TEXT001-2026-01-R1";

    static readonly DateTime Start = new(2026, 3, 2, 1, 0, 0, DateTimeKind.Utc);
    static readonly DateTime RemindAt = new(2026, 3, 5, 1, 0, 0, DateTimeKind.Utc);
    static readonly DateTime DeadlineAt = new(2026, 3, 9, 15, 59, 59, DateTimeKind.Utc);

    static RedemptionState Waiting(int round = 1) => new(Id, "AwaitingBinding", false, false, true, round, RemindAt, DeadlineAt);

    [Fact]
    public async Task BindingConfirmedBeforeAnyTimer_AppliesTheEventThenContinuesAsNewInTheSameRound()
    {
        var s = new Script { Opened = Waiting(), Applied = new(Id, "AwaitingEvidence", false, false, false, 1, RemindAt, DeadlineAt) };
        var run = s.Run();
        var ev = new RedemptionEvent(RedemptionEvent.Binding, 1, true, null, "institution:inst-1");

        Assert.False(run.IsCompleted, "the orchestration must wait for an event");
        Assert.Equal([RemindAt], s.Timers.Keys);
        s.Now = Start.AddHours(3);
        s.Event.SetResult(ev);
        var status = await run;

        Assert.Equal("AwaitingEvidence", status);
        Assert.Equal([nameof(OpenBindingRound), nameof(ApplyRedemptionEvent)], s.Calls);
        s.Context.Verify(c => c.CallActivityAsync<RedemptionState>(Is(nameof(OpenBindingRound)), It.Is<object?>(o => new RedemptionRoundInput(Id, 1, Start).Equals(o)), It.IsAny<TaskOptions?>()), Times.Once);
        s.Context.Verify(c => c.CallActivityAsync<RedemptionState>(Is(nameof(ApplyRedemptionEvent)), It.Is<object?>(o => new RedemptionEventInput(Id, ev, Start.AddHours(3)).Equals(o)), It.IsAny<TaskOptions?>()), Times.Once);
        s.Context.Verify(c => c.ContinueAsNew(It.Is<object?>(o => new RedemptionWorkflowInput(Id, 1, false).Equals(o)), true), Times.Once);
        s.Context.Verify(c => c.ContinueAsNew(It.IsAny<object?>(), It.IsAny<bool>()), Times.Once);
        Assert.True(s.TimerTokens[RemindAt].IsCancellationRequested, "the losing timer must be cancelled");
    }

    [Fact]
    public async Task ReminderTimerFiresFirst_SendsTheReminderAndContinuesAsNewWithReminderSent()
    {
        var s = new Script { Opened = Waiting() };
        var run = s.Run();

        s.Now = RemindAt;
        s.Timers[RemindAt].SetResult();
        var status = await run;

        Assert.Equal("AwaitingBinding", status);
        Assert.Equal([nameof(OpenBindingRound), nameof(SendBindingReminder)], s.Calls);
        s.Context.Verify(c => c.CallActivityAsync<bool>(Is(nameof(SendBindingReminder)), It.Is<object?>(o => new RedemptionRoundInput(Id, 1, RemindAt).Equals(o)), It.IsAny<TaskOptions?>()), Times.Once);
        s.Context.Verify(c => c.ContinueAsNew(It.Is<object?>(o => new RedemptionWorkflowInput(Id, 1, true).Equals(o)), true), Times.Once);
    }

    [Fact]
    public async Task ReminderAlreadySent_RacesOnlyTheDeadline_DeadlineFirstMarksBindingOverdue()
    {
        // Binding timeout: the real timer is 5 working days away, so the deadline winning the race is simulated here.
        var s = new Script { Opened = Waiting(), Input = new RedemptionWorkflowInput(Id, 1, ReminderSent: true), Now = RemindAt };
        var run = s.Run();

        Assert.Equal([DeadlineAt], s.Timers.Keys);
        s.Now = DeadlineAt;
        s.Timers[DeadlineAt].SetResult();
        await run;

        Assert.Equal([nameof(OpenBindingRound), nameof(MarkBindingOverdue)], s.Calls);
        s.Context.Verify(c => c.CallActivityAsync<bool>(Is(nameof(MarkBindingOverdue)), It.Is<object?>(o => new RedemptionRoundInput(Id, 1, DeadlineAt).Equals(o)), It.IsAny<TaskOptions?>()), Times.Once);
        s.Context.Verify(c => c.ContinueAsNew(It.Is<object?>(o => new RedemptionWorkflowInput(Id, 1, true).Equals(o)), true), Times.Once);
        Assert.DoesNotContain(nameof(ApplyRedemptionEvent), s.Calls);
    }

    [Fact]
    public async Task ReminderTimeAlreadyPassed_NoReminderTimer_OnlyTheDeadline()
    {
        var s = new Script { Opened = Waiting(), Now = RemindAt.AddMinutes(1) };
        var run = s.Run();

        Assert.Equal([DeadlineAt], s.Timers.Keys);
        s.Timers[DeadlineAt].SetResult();
        await run;

        Assert.Equal([nameof(OpenBindingRound), nameof(MarkBindingOverdue)], s.Calls);
    }

    [Fact]
    public async Task BindingOverdue_WaitsForTheBureauOrTheSmeWithoutATimer()
    {
        var overdue = new RedemptionState(Id, "BindingOverdue", false, false, false, 1, RemindAt, DeadlineAt);
        var s = new Script { Opened = overdue, Input = new RedemptionWorkflowInput(Id, 1, true), Now = DeadlineAt.AddSeconds(1) };
        var run = s.Run();

        Assert.Empty(s.Timers);
        Assert.False(run.IsCompleted);
        s.Event.SetResult(new RedemptionEvent(RedemptionEvent.Withdraw, 1, true, null, "enterprise:x"));
        await run;

        Assert.Equal([nameof(OpenBindingRound), nameof(ApplyRedemptionEvent)], s.Calls);
    }

    [Fact]
    public async Task Extension_ReturnsANewRound_ContinuesAsNewInThatRoundWithTheReminderDueAgain()
    {
        var overdue = new RedemptionState(Id, "BindingOverdue", false, false, false, 1, RemindAt, DeadlineAt);
        var reopened = new RedemptionState(Id, "AwaitingBinding", false, false, false, 2, null, null);
        var s = new Script { Opened = overdue, Applied = reopened, Input = new RedemptionWorkflowInput(Id, 1, true) };
        var run = s.Run();

        s.Event.SetResult(new RedemptionEvent(RedemptionEvent.ExtendBinding, 1, true, null, "city-bureau:taiyuan"));
        await run;

        s.Context.Verify(c => c.ContinueAsNew(It.Is<object?>(o => new RedemptionWorkflowInput(Id, 2, false).Equals(o)), true), Times.Once);
    }

    [Fact]
    public async Task ReadyToQueue_CallsQueueForSettlementThenWaitsWithoutTimers()
    {
        var ready = new RedemptionState(Id, "AwaitingEvidence", false, true, false, 1, RemindAt, DeadlineAt);
        var queued = new RedemptionState(Id, "Queued", false, false, false, 1, RemindAt, DeadlineAt);
        var s = new Script { Opened = ready, Queued = queued, Applied = queued };
        var run = s.Run();

        Assert.Equal([nameof(OpenBindingRound), nameof(QueueForSettlement)], s.Calls);
        s.Context.Verify(c => c.CallActivityAsync<RedemptionState>(Is(nameof(QueueForSettlement)), It.Is<object?>(o => new RedemptionStep(Id, Start).Equals(o)), It.IsAny<TaskOptions?>()), Times.Once);
        s.Context.Verify(c => c.SetCustomStatus(It.Is<object?>(o => o != null && o.ToString()!.Contains("Queued"))), Times.Once);
        Assert.Empty(s.Timers);
        Assert.False(run.IsCompleted, "a queued redemption waits for the settlement's word");

        s.Event.SetResult(new RedemptionEvent(RedemptionEvent.Settled, 0, true, null, "system"));
        await run;
        s.Context.Verify(c => c.ContinueAsNew(It.IsAny<object?>(), true), Times.Once);
    }

    [Fact]
    public async Task NotReadyToQueue_NeverCallsQueueForSettlement()
    {
        var s = new Script { Opened = new RedemptionState(Id, "AwaitingEvidence", false, false, false, 1, null, null) };
        var run = s.Run();
        s.Event.SetResult(new RedemptionEvent(RedemptionEvent.EvidenceComplete, 0, true, null, "enterprise:x"));
        await run;

        Assert.DoesNotContain(nameof(QueueForSettlement), s.Calls);
        Assert.Empty(s.Timers);
    }

    [Theory]
    [InlineData("Withdrawn")]
    [InlineData("Paid")]
    [InlineData("Rejected")]
    public async Task FinalState_ReturnsWithoutWaitingOrContinuing(string status)
    {
        var s = new Script { Opened = new RedemptionState(Id, status, true, false, false, 1, null, null) };

        Assert.Equal(status, await s.Run());

        Assert.Equal([nameof(OpenBindingRound)], s.Calls);
        s.Context.Verify(c => c.WaitForExternalEvent<RedemptionEvent>(It.IsAny<string>(), It.IsAny<CancellationToken>()), Times.Never);
        s.Context.Verify(c => c.CreateTimer(It.IsAny<DateTime>(), It.IsAny<CancellationToken>()), Times.Never);
        s.Context.Verify(c => c.ContinueAsNew(It.IsAny<object?>(), It.IsAny<bool>()), Times.Never);
    }

    static TaskName Is(string name) => It.Is<TaskName>(n => n.Name == name);

    /// <summary>A mocked context whose activities answer at once and whose event and timers the test completes.</summary>
    sealed class Script
    {
        public Mock<TaskOrchestrationContext> Context { get; } = new(MockBehavior.Loose);

        public DateTime Now { get; set; } = Start;

        public RedemptionWorkflowInput Input { get; init; } = new(Id);

        public required RedemptionState Opened { get; init; }

        public RedemptionState? Queued { get; init; }

        public RedemptionState? Applied { get; init; }

        public TaskCompletionSource<RedemptionEvent> Event { get; } = new();

        public Dictionary<DateTime, TaskCompletionSource> Timers { get; } = [];

        public Dictionary<DateTime, CancellationToken> TimerTokens { get; } = [];

        public List<string> Calls { get; } = [];

        public Task<string> Run()
        {
            Context.SetupGet(c => c.CurrentUtcDateTime).Returns(() => Now);
            Context.SetupGet(c => c.InstanceId).Returns(RedemptionStore.InstanceId(Id));
            Setup(nameof(OpenBindingRound), Opened);
            Setup(nameof(QueueForSettlement), Queued ?? Opened with { ReadyToQueue = false, Status = "Queued" });
            Setup(nameof(ApplyRedemptionEvent), Applied ?? Opened);
            Setup(nameof(SendBindingReminder), true);
            Setup(nameof(MarkBindingOverdue), true);
            Context.Setup(c => c.WaitForExternalEvent<RedemptionEvent>(RedemptionEvent.EventName, It.IsAny<CancellationToken>()))
                .Returns(Event.Task);
            Context.Setup(c => c.CreateTimer(It.IsAny<DateTime>(), It.IsAny<CancellationToken>()))
                .Returns((DateTime fireAt, CancellationToken token) =>
                {
                    var timer = new TaskCompletionSource();
                    Timers.Add(fireAt, timer);
                    TimerTokens.Add(fireAt, token);
                    return timer.Task;
                });
            return new RedemptionOrchestrator().RunAsync(Context.Object, Input);
        }

        void Setup<T>(string activity, T result) =>
            Context.Setup(c => c.CallActivityAsync<T>(Is(activity), It.IsAny<object?>(), It.IsAny<TaskOptions?>()))
                .Callback(() => Calls.Add(activity))
                .Returns(() => Task.FromResult(result));
    }
}
