using Microsoft.Extensions.Logging;

namespace Voucher.Workflows.Tests.Redemptions;

/// <summary>
/// The redemption orchestrator's decisions with a mocked <see cref="TaskOrchestrationContext"/>: which activity runs
/// with which input, which durable timer it races, and that one event waiter lives across the loop (no
/// continue-as-new between events, so an event raised while another is applied is never dropped). The binding
/// reminder and deadline timers are days away on the real engine, so the timeout paths are covered here only.
/// Each script ends with a final state from <see cref="OpenBindingRound"/> so the run completes.
/// </summary>
public sealed class RedemptionOrchestratorTests
{
    const string Id = "V-91140100MA0TEXT001-2026-01-R1";

    static readonly DateTime Start = new(2026, 3, 2, 1, 0, 0, DateTimeKind.Utc);
    static readonly DateTime RemindAt = new(2026, 3, 5, 1, 0, 0, DateTimeKind.Utc);
    static readonly DateTime DeadlineAt = new(2026, 3, 9, 15, 59, 59, DateTimeKind.Utc);

    static RedemptionState Waiting(int round = 1) => new(Id, RedemptionStatus.AwaitingBinding, false, false, true, round, RemindAt, DeadlineAt);

    static RedemptionState Overdue() => new(Id, RedemptionStatus.BindingOverdue, false, false, false, 1, RemindAt, DeadlineAt);

    static RedemptionState Final(RedemptionStatus status = RedemptionStatus.Withdrawn) => new(Id, status, true, false, false, 1, null, null);

    [Fact]
    public async Task BindingConfirmedBeforeAnyTimer_AppliesTheEventCancelsTheTimerAndKeepsGoingWithoutContinueAsNew()
    {
        var applied = new RedemptionState(Id, RedemptionStatus.AwaitingEvidence, false, false, false, 1, RemindAt, DeadlineAt);
        var s = new Script { Opened = [Waiting(), Final()], Applied = [applied] };
        var run = s.Run();
        var ev = new RedemptionEvent(RedemptionEvent.Binding, 1, true, null, "institution:inst-1");

        Assert.False(run.IsCompleted, "the orchestration must wait for an event");
        Assert.Equal([RemindAt], s.Timers.Keys);
        s.Now = Start.AddHours(3);
        s.Events[0].SetResult(ev);
        Assert.Equal("Withdrawn", await run);

        Assert.Equal([nameof(OpenBindingRound), nameof(ApplyRedemptionEvent), nameof(OpenBindingRound)], s.Calls);
        s.Context.Verify(c => c.CallActivityAsync<RedemptionState>(Is(nameof(ApplyRedemptionEvent)), It.Is<object?>(o => new RedemptionEventInput(Id, ev, Start.AddHours(3)).Equals(o)), It.IsAny<TaskOptions?>()), Times.Once);
        s.Context.Verify(c => c.ContinueAsNew(It.IsAny<object?>(), It.IsAny<bool>()), Times.Never);
        Assert.True(s.TimerTokens[RemindAt].IsCancellationRequested, "the losing timer must be cancelled");
    }

    [Fact]
    public async Task ReminderTimerFiresFirst_SendsTheReminderThenRacesTheDeadlineWithTheSameWaiter()
    {
        var s = new Script { Opened = [Waiting(), Waiting(), Final()], Applied = [Waiting()] };
        var run = s.Run();

        s.Now = RemindAt;
        s.Timers[RemindAt].SetResult();
        Assert.False(run.IsCompleted);
        Assert.Equal([RemindAt, DeadlineAt], s.Timers.Keys);
        s.Context.Verify(c => c.CallActivityAsync<bool>(Is(nameof(SendBindingReminder)), It.Is<object?>(o => new RedemptionRoundInput(Id, 1, RemindAt).Equals(o)), It.IsAny<TaskOptions?>()), Times.Once);

        s.Events[0].SetResult(new RedemptionEvent(RedemptionEvent.Binding, 1, true, null, "institution:inst-1"));
        await run;
        s.Context.Verify(c => c.WaitForExternalEvent<RedemptionEvent>(RedemptionEvent.EventName, It.IsAny<CancellationToken>()), Times.Once);
        s.Context.Verify(c => c.ContinueAsNew(It.IsAny<object?>(), It.IsAny<bool>()), Times.Never);
    }

    [Fact]
    public async Task ReminderAlreadySent_RacesOnlyTheDeadline_DeadlineFirstMarksBindingOverdue()
    {
        var s = new Script { Opened = [Waiting(), Overdue(), Final()], Applied = [Final()], Input = new RedemptionWorkflowInput(Id, 1, ReminderSent: true), Now = RemindAt };
        var run = s.Run();

        Assert.Equal([DeadlineAt], s.Timers.Keys);
        s.Now = DeadlineAt;
        s.Timers[DeadlineAt].SetResult();
        Assert.False(run.IsCompleted, "binding overdue waits for the bureau or the SME");
        s.Context.Verify(c => c.CallActivityAsync<bool>(Is(nameof(MarkBindingOverdue)), It.Is<object?>(o => new RedemptionRoundInput(Id, 1, DeadlineAt).Equals(o)), It.IsAny<TaskOptions?>()), Times.Once);
        Assert.Single(s.Timers);

        s.Events[0].SetResult(new RedemptionEvent(RedemptionEvent.Withdraw, 1, true, null, "enterprise:x"));
        await run;
        Assert.Equal([nameof(OpenBindingRound), nameof(MarkBindingOverdue), nameof(OpenBindingRound), nameof(ApplyRedemptionEvent), nameof(OpenBindingRound)], s.Calls);
    }

    [Fact]
    public async Task ReminderTimeAlreadyPassed_NoReminderTimer_OnlyTheDeadline()
    {
        var s = new Script { Opened = [Waiting(), Final()], Now = RemindAt.AddMinutes(1) };
        var run = s.Run();

        Assert.Equal([DeadlineAt], s.Timers.Keys);
        s.Timers[DeadlineAt].SetResult();
        await run;

        Assert.Equal([nameof(OpenBindingRound), nameof(MarkBindingOverdue), nameof(OpenBindingRound)], s.Calls);
    }

    [Fact]
    public async Task Extension_ReturnsANewRound_OpensThatRoundWithTheReminderDueAgain()
    {
        var reopened = new RedemptionState(Id, RedemptionStatus.AwaitingBinding, false, false, false, 2, null, null);
        var s = new Script { Opened = [Overdue(), Waiting(2), Final()], Applied = [reopened, Final()], Input = new RedemptionWorkflowInput(Id, 1, true) };
        var run = s.Run();

        Assert.Empty(s.Timers);
        s.Events[0].SetResult(new RedemptionEvent(RedemptionEvent.ExtendBinding, 1, true, null, "city-bureau:taiyuan"));
        Assert.False(run.IsCompleted);
        s.Context.Verify(c => c.CallActivityAsync<RedemptionState>(Is(nameof(OpenBindingRound)), It.Is<object?>(o => ((RedemptionRoundInput)o!).Round == 2), It.IsAny<TaskOptions?>()), Times.Once);
        Assert.Equal([RemindAt], s.Timers.Keys);

        s.Events[1].SetResult(new RedemptionEvent(RedemptionEvent.Withdraw, 2, true, null, "enterprise:x"));
        await run;
        s.Context.Verify(c => c.ContinueAsNew(It.IsAny<object?>(), It.IsAny<bool>()), Times.Never);
    }

    [Fact]
    public async Task ReadyToQueue_CallsQueueForSettlementThenWaitsWithoutTimers()
    {
        var ready = new RedemptionState(Id, RedemptionStatus.AwaitingEvidence, false, true, false, 1, RemindAt, DeadlineAt);
        var queued = new RedemptionState(Id, RedemptionStatus.Queued, false, false, false, 1, RemindAt, DeadlineAt);
        var s = new Script { Opened = [ready, Final(RedemptionStatus.Paid)], Queued = queued, Applied = [Final(RedemptionStatus.Paid)] };
        var run = s.Run();

        Assert.Equal([nameof(OpenBindingRound), nameof(QueueForSettlement)], s.Calls);
        s.Context.Verify(c => c.CallActivityAsync<RedemptionState>(Is(nameof(QueueForSettlement)), It.Is<object?>(o => new RedemptionStep(Id, Start).Equals(o)), It.IsAny<TaskOptions?>()), Times.Once);
        s.Context.Verify(c => c.SetCustomStatus(It.Is<object?>(o => o != null && o.ToString()!.Contains("Queued"))), Times.Once);
        Assert.Empty(s.Timers);
        Assert.False(run.IsCompleted, "a queued redemption waits for the settlement's word");

        s.Events[0].SetResult(new RedemptionEvent(RedemptionEvent.Settled, 0, true, null, "system"));
        Assert.Equal("Paid", await run);
    }

    [Fact]
    public async Task NotReadyToQueue_NeverCallsQueueForSettlement()
    {
        var s = new Script { Opened = [new RedemptionState(Id, RedemptionStatus.AwaitingEvidence, false, false, false, 1, null, null), Final()], Applied = [Final()] };
        var run = s.Run();
        s.Events[0].SetResult(new RedemptionEvent(RedemptionEvent.EvidenceComplete, 0, true, null, "enterprise:x"));
        await run;

        Assert.DoesNotContain(nameof(QueueForSettlement), s.Calls);
        Assert.Empty(s.Timers);
    }

    [Theory]
    [InlineData(RedemptionStatus.Withdrawn)]
    [InlineData(RedemptionStatus.Paid)]
    [InlineData(RedemptionStatus.Rejected)]
    public async Task FinalState_ReturnsWithoutWaitingOrContinuing(RedemptionStatus status)
    {
        var s = new Script { Opened = [Final(status)] };

        Assert.Equal(status.ToString(), await s.Run());

        Assert.Equal([nameof(OpenBindingRound)], s.Calls);
        s.Context.Verify(c => c.WaitForExternalEvent<RedemptionEvent>(It.IsAny<string>(), It.IsAny<CancellationToken>()), Times.Never);
        s.Context.Verify(c => c.CreateTimer(It.IsAny<DateTime>(), It.IsAny<CancellationToken>()), Times.Never);
        s.Context.Verify(c => c.ContinueAsNew(It.IsAny<object?>(), It.IsAny<bool>()), Times.Never);
    }

    [Fact]
    public async Task EventStepAlreadyAdvanced_WaitsOnItsStateWithoutOpeningTheRoundOrQueueingAgain()
    {
        var queued = new RedemptionState(Id, RedemptionStatus.Queued, false, false, false, 1, null, null, Advanced: true);
        var paid = Final(RedemptionStatus.Paid) with { Advanced = true };
        var s = new Script { Opened = [Waiting()], Applied = [queued, paid] };
        var run = s.Run();

        s.Events[0].SetResult(new RedemptionEvent(RedemptionEvent.Binding, 1, true, null, "institution:inst-1"));
        Assert.False(run.IsCompleted, "a queued redemption waits for the settlement's word");
        s.Context.Verify(c => c.SetCustomStatus(It.Is<object?>(o => o != null && o.ToString()!.Contains("Queued"))), Times.Once);
        Assert.Single(s.Timers); // the reminder timer of the first wait only: a queued redemption waits without one

        s.Events[1].SetResult(new RedemptionEvent(RedemptionEvent.Settled, 0, true, null, "system"));
        Assert.Equal("Paid", await run);
        Assert.Equal([nameof(OpenBindingRound), nameof(ApplyRedemptionEvent), nameof(ApplyRedemptionEvent)], s.Calls);
    }

    [Fact]
    public async Task RoundOpenedByTheRequest_FirstWaitsOnItsStateWithoutTheRoundStep()
    {
        var queued = new RedemptionState(Id, RedemptionStatus.Queued, false, false, false, 1, null, null, Advanced: true);
        var s = new Script { Input = new RedemptionWorkflowInput(Id, Opened: Waiting()), Opened = [Final()], Applied = [queued, Final(RedemptionStatus.Paid) with { Advanced = true }] };
        var run = s.Run();

        Assert.False(run.IsCompleted, "the orchestration must wait for the institution");
        Assert.Equal([RemindAt], s.Timers.Keys);
        s.Events[0].SetResult(new RedemptionEvent(RedemptionEvent.Binding, 1, true, null, "institution:inst-1"));
        s.Events[1].SetResult(new RedemptionEvent(RedemptionEvent.Settled, 0, true, null, "system"));
        Assert.Equal("Paid", await run);
        Assert.Equal([nameof(ApplyRedemptionEvent), nameof(ApplyRedemptionEvent)], s.Calls);
    }

    [Fact]
    public async Task EventStepRecordedBeforeAdvancing_OpensTheRoundAsTheHistoryDid()
    {
        // A history recorded before the step advanced itself: its output has no Advanced flag, so the replay schedules
        // OpenBindingRound after it exactly as the recorded run did.
        var applied = System.Text.Json.JsonSerializer.Deserialize<RedemptionState>(
            System.Text.Json.JsonSerializer.Serialize(new RedemptionState(Id, RedemptionStatus.AwaitingEvidence, false, false, false, 1, RemindAt, DeadlineAt))
                .Replace(",\"Advanced\":false", "", StringComparison.Ordinal))!;
        Assert.False(applied.Advanced);
        var s = new Script { Opened = [Waiting(), Final()], Applied = [applied] };
        var run = s.Run();

        s.Events[0].SetResult(new RedemptionEvent(RedemptionEvent.Binding, 1, true, null, "institution:inst-1"));
        await run;
        Assert.Equal([nameof(OpenBindingRound), nameof(ApplyRedemptionEvent), nameof(OpenBindingRound)], s.Calls);
    }

    [Fact]
    public async Task StageChanges_AreLoggedOnceEach_ThroughTheReplaySafeLogger()
    {
        var log = new Mock<ILogger>();
        log.Setup(l => l.IsEnabled(It.IsAny<LogLevel>())).Returns(true);
        var s = new Script { Opened = [Waiting(), Waiting(), Final()], Applied = [Waiting()], Log = log.Object };
        var run = s.Run();

        s.Now = RemindAt;
        s.Timers[RemindAt].SetResult();
        s.Events[0].SetResult(new RedemptionEvent(RedemptionEvent.Withdraw, 1, true, null, "enterprise:x"));
        await run;

        // Awaiting binding (round 1) is seen three times but logged once; then withdrawn.
        var stages = log.Invocations.Where(i => i.Method.Name == nameof(ILogger.Log) && i.Arguments[1] is EventId { Id: LogEventIds.Redemptions + 30 })
            .Select(i => i.Arguments[2]?.ToString() ?? "").ToList();
        Assert.Equal(2, stages.Count);
        Assert.Contains("AwaitingBinding, binding round 1", stages[0], StringComparison.Ordinal);
        Assert.Contains("Withdrawn", stages[1], StringComparison.Ordinal);
        s.Context.Verify(c => c.CreateReplaySafeLogger<RedemptionOrchestrator>(), Times.Once);
    }

    static TaskName Is(string name) => It.Is<TaskName>(n => n.Name == name);

    /// <summary>A mocked context: activities answer from the scripted sequences; the test completes events and timers.</summary>
    sealed class Script
    {
        public Mock<TaskOrchestrationContext> Context { get; } = new(MockBehavior.Loose);

        public DateTime Now { get; set; } = Start;

        public RedemptionWorkflowInput Input { get; init; } = new(Id);

        /// <summary>What <see cref="OpenBindingRound"/> answers, call by call (the last answer repeats).</summary>
        public required RedemptionState[] Opened { get; init; }

        public RedemptionState? Queued { get; init; }

        /// <summary>What <see cref="ApplyRedemptionEvent"/> answers, call by call (the last answer repeats).</summary>
        public RedemptionState[] Applied { get; init; } = [];

        public List<TaskCompletionSource<RedemptionEvent>> Events { get; } = [new(), new(), new()];

        public Dictionary<DateTime, TaskCompletionSource> Timers { get; } = [];

        /// <summary>The orchestrator's replay-safe logger (none by default).</summary>
        public ILogger Log { get; init; } = NullLogger.Instance;

        public Dictionary<DateTime, CancellationToken> TimerTokens { get; } = [];

        public List<string> Calls { get; } = [];

        public Task<string> Run()
        {
            Context.SetupGet(c => c.CurrentUtcDateTime).Returns(() => Now);
            Context.SetupGet(c => c.InstanceId).Returns(RedemptionStore.InstanceId(Id));
            Context.Setup(c => c.CreateReplaySafeLogger<RedemptionOrchestrator>()).Returns(Log);
            Sequence(nameof(OpenBindingRound), Opened);
            Sequence(nameof(QueueForSettlement), [Queued ?? Opened[0] with { ReadyToQueue = false, Status = RedemptionStatus.Queued }]);
            Sequence(nameof(ApplyRedemptionEvent), Applied.Length > 0 ? Applied : Opened);
            Sequence(nameof(SendBindingReminder), [true]);
            Sequence(nameof(MarkBindingOverdue), [true]);
            var waiter = 0;
            Context.Setup(c => c.WaitForExternalEvent<RedemptionEvent>(RedemptionEvent.EventName, It.IsAny<CancellationToken>()))
                .Returns(() => Events[waiter++].Task);
            Context.Setup(c => c.CreateTimer(It.IsAny<DateTime>(), It.IsAny<CancellationToken>()))
                .Returns((DateTime fireAt, CancellationToken token) =>
                {
                    var timer = new TaskCompletionSource();
                    Timers[fireAt] = timer;
                    TimerTokens[fireAt] = token;
                    return timer.Task;
                });
            return new RedemptionOrchestrator().RunAsync(Context.Object, Input);
        }

        void Sequence<T>(string activity, T[] answers)
        {
            var call = 0;
            Context.Setup(c => c.CallActivityAsync<T>(Is(activity), It.IsAny<object?>(), It.IsAny<TaskOptions?>()))
                .Callback(() => Calls.Add(activity))
                .Returns(() => Task.FromResult(answers[Math.Min(call++, answers.Length - 1)]));
        }
    }
}
