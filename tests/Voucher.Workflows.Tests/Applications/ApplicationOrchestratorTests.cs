namespace Voucher.Workflows.Tests.Applications;

/// <summary>
/// The orchestrator's decisions with a mocked <see cref="TaskOrchestrationContext"/>: which activity runs, in which
/// order, with which inputs, and when the orchestration continues as new. Task completion sources decide which of the
/// decision event and the durable timers completes first. One waiter lives across reminder, deadline and rounds (no
/// continue-as-new between them), so no decision can be dropped. A decision that arrives after the deadline is covered
/// here (escalation, then the late round-1 decision ignored in round 2), not with the real engine.
/// </summary>
public sealed class ApplicationOrchestratorTests
{
    const string Id = "91140100MA0TEXT001-2026-01";

    static readonly DateTime Start = new(2026, 3, 2, 1, 0, 0, DateTimeKind.Utc);
    static readonly DateTime RemindAt = new(2026, 3, 12, 1, 0, 0, DateTimeKind.Utc);
    static readonly DateTime DeadlineAt = new(2026, 3, 16, 15, 59, 59, DateTimeKind.Utc);

    [Fact]
    public async Task Round1_EligibleAndApprovedBeforeReminder_OpensRoundAndRecordsTheApproval()
    {
        var s = new Script();
        var run = s.Run();
        var decision = new ReviewDecision(1, true, null, "city-bureau:taiyuan");

        Assert.False(run.IsCompleted, "the orchestration must wait for the bureau's decision: " + run.Exception);
        s.Decision.SetResult(decision);
        var outcome = await run;

        Assert.Equal(s.RecordedOutcome, outcome);
        s.Context.Verify(c => c.CallActivityAsync<EligibilityOutcome>(Is(nameof(CheckApplicationEligibility)), It.Is<object?>(o => new ApplicationStep(Id, Start).Equals(o)), It.IsAny<TaskOptions?>()), Times.Once);
        s.Context.Verify(c => c.CallActivityAsync<ReviewRoundPlan>(Is(nameof(OpenReviewRound)), It.Is<object?>(o => new ReviewRoundInput(Id, 1, Start).Equals(o)), It.IsAny<TaskOptions?>()), Times.Once);
        s.Context.Verify(c => c.CallActivityAsync<ApplicationOutcome>(Is(nameof(RecordApplicationDecision)), It.Is<object?>(o => new DecisionInput(Id, decision, Start).Equals(o)), It.IsAny<TaskOptions?>()), Times.Once);
        s.VerifyNotCalled(nameof(SendReviewReminder));
        s.VerifyNotCalled(nameof(EscalateApplicationReview));
        s.Context.Verify(c => c.ContinueAsNew(It.IsAny<object?>(), It.IsAny<bool>()), Times.Never);
        Assert.Equal(["CheckApplicationEligibility", "OpenReviewRound", "RecordApplicationDecision"], s.Calls);
    }

    [Fact]
    public async Task Round1_EligibilityOpenedTheFirstRound_NoSeparateOpenStepAndTheSameTimers()
    {
        var s = new Script { Eligibility = new EligibilityOutcome(true, [], 1, new ReviewRoundPlan(1, RemindAt, DeadlineAt, "2026-03-16")) };
        var run = s.Run();

        Assert.False(run.IsCompleted, "the orchestration must wait for the bureau's decision");
        Assert.Equal([RemindAt], s.Timers.Keys);
        s.Decision.SetResult(new ReviewDecision(1, true, null, "city-bureau:taiyuan"));
        await run;

        Assert.Equal(["CheckApplicationEligibility", "RecordApplicationDecision"], s.Calls);
        s.Context.Verify(c => c.SetCustomStatus(It.Is<object?>(o => o != null && o.ToString()!.Contains("under-review"))), Times.Once);
    }

    [Fact]
    public async Task Round1_EligibilityOpenedTheFirstRound_DeadlineStillEscalatesAndOpensRound2()
    {
        var s = new Script { Eligibility = new EligibilityOutcome(true, [], 1, new ReviewRoundPlan(1, RemindAt, DeadlineAt, "2026-03-16")) };
        var run = s.Run();

        s.Fire(RemindAt);
        s.Fire(DeadlineAt);

        Assert.False(run.IsCompleted);
        s.Context.Verify(c => c.CallActivityAsync<ReviewRoundPlan>(Is(nameof(OpenReviewRound)), It.Is<object?>(o => new ReviewRoundInput(Id, 2, DeadlineAt).Equals(o)), It.IsAny<TaskOptions?>()), Times.Once);
        Assert.Equal(["CheckApplicationEligibility", "SendReviewReminder", "EscalateApplicationReview", "OpenReviewRound"], s.Calls);
    }

    [Fact]
    public async Task Round1_DecisionWinsTheRace_CancelsTheReminderTimer()
    {
        var s = new Script();
        var run = s.Run();

        s.Decision.SetResult(new ReviewDecision(1, true, null, "city-bureau:taiyuan"));
        await run;

        Assert.True(s.TimerTokens[RemindAt].IsCancellationRequested, "a pending durable timer must be cancelled so the orchestration can finish");
    }

    [Fact]
    public async Task Round1_Rejected_RecordsTheRejectionWithItsReason()
    {
        var s = new Script();
        var run = s.Run();
        var decision = new ReviewDecision(1, false, "研发费用不符合要求", "city-bureau:taiyuan");

        s.Decision.SetResult(decision);
        await run;

        s.Context.Verify(c => c.CallActivityAsync<ApplicationOutcome>(
            Is(nameof(RecordApplicationDecision)),
            It.Is<object?>(o => o is DecisionInput && ((DecisionInput)o).Decision.Approved == false && ((DecisionInput)o).Decision.Reason == "研发费用不符合要求"),
            It.IsAny<TaskOptions?>()), Times.Once);
        s.Context.Verify(c => c.ContinueAsNew(It.IsAny<object?>(), It.IsAny<bool>()), Times.Never);
    }

    [Fact]
    public async Task Round1_ReminderTimerFiresFirst_SendsReminderThenRecordsTheDecision()
    {
        var s = new Script();
        var run = s.Run();

        s.Fire(RemindAt);
        Assert.False(run.IsCompleted, "after the reminder the orchestration keeps waiting for the decision");
        Assert.Contains(nameof(SendReviewReminder), s.Calls);
        Assert.True(s.Timers.ContainsKey(DeadlineAt), "the decision must now race the deadline timer");

        var decision = new ReviewDecision(1, true, null, "city-bureau:taiyuan");
        s.Now = RemindAt.AddDays(1);
        s.Decision.SetResult(decision);
        await run;

        s.Context.Verify(c => c.CallActivityAsync<bool>(Is(nameof(SendReviewReminder)), It.Is<object?>(o => new ReviewRoundInput(Id, 1, RemindAt).Equals(o)), It.IsAny<TaskOptions?>()), Times.Once);
        s.Context.Verify(c => c.CallActivityAsync<ApplicationOutcome>(Is(nameof(RecordApplicationDecision)), It.Is<object?>(o => new DecisionInput(Id, decision, RemindAt.AddDays(1)).Equals(o)), It.IsAny<TaskOptions?>()), Times.Once);
        s.VerifyNotCalled(nameof(EscalateApplicationReview));
        Assert.Equal(["CheckApplicationEligibility", "OpenReviewRound", "SendReviewReminder", "RecordApplicationDecision"], s.Calls);
    }

    [Fact]
    public async Task Round1_ReminderTimeAlreadyPassed_NoReminderAndOnlyTheDeadlineTimer()
    {
        var s = new Script { Now = RemindAt.AddHours(1) };
        var run = s.Run();

        Assert.False(s.Timers.ContainsKey(RemindAt), "no timer for a reminder time in the past");
        s.Decision.SetResult(new ReviewDecision(1, true, null, "city-bureau:taiyuan"));
        await run;

        s.VerifyNotCalled(nameof(SendReviewReminder));
        Assert.Equal([DeadlineAt], s.Timers.Keys);
        s.VerifyCalledOnce(nameof(RecordApplicationDecision));
    }

    [Fact]
    public async Task Round1_DeadlineTimerWins_EscalatesAndKeepsWaitingInRound2WithTheSameWaiter()
    {
        var s = new Script();
        var run = s.Run();

        s.Fire(RemindAt);
        s.Fire(DeadlineAt);

        Assert.False(run.IsCompleted);
        s.Context.Verify(c => c.CallActivityAsync<bool>(Is(nameof(EscalateApplicationReview)), It.Is<object?>(o => new ReviewRoundInput(Id, 1, DeadlineAt).Equals(o)), It.IsAny<TaskOptions?>()), Times.Once);
        s.Context.Verify(c => c.CallActivityAsync<ReviewRoundPlan>(Is(nameof(OpenReviewRound)), It.Is<object?>(o => new ReviewRoundInput(Id, 2, DeadlineAt).Equals(o)), It.IsAny<TaskOptions?>()), Times.Once);

        // The late decision of round 2 arrives at the waiter created before the escalation: nothing is dropped.
        var decision = new ReviewDecision(2, true, null, "city-bureau:taiyuan");
        s.Decision.SetResult(decision);
        await run;

        s.Context.Verify(c => c.WaitForExternalEvent<ReviewDecision>(ReviewDecision.EventName, It.IsAny<CancellationToken>()), Times.Once);
        s.Context.Verify(c => c.ContinueAsNew(It.IsAny<object?>(), It.IsAny<bool>()), Times.Never);
        s.Context.Verify(c => c.CallActivityAsync<ApplicationOutcome>(Is(nameof(RecordApplicationDecision)), It.Is<object?>(o => new DecisionInput(Id, decision, DeadlineAt).Equals(o)), It.IsAny<TaskOptions?>()), Times.Once);
        Assert.Equal(["CheckApplicationEligibility", "OpenReviewRound", "SendReviewReminder", "EscalateApplicationReview", "OpenReviewRound", "RecordApplicationDecision"], s.Calls);
    }

    [Fact]
    public async Task Round2_SkipsEligibility_OpensTheEscalatedRoundAndAcceptsItsDecision()
    {
        var s = new Script { Round = 2 };
        var run = s.Run();
        var decision = new ReviewDecision(2, true, null, "city-bureau:taiyuan");

        s.Decision.SetResult(decision);
        await run;

        s.VerifyNotCalled(nameof(CheckApplicationEligibility));
        s.Context.Verify(c => c.CallActivityAsync<ReviewRoundPlan>(Is(nameof(OpenReviewRound)), It.Is<object?>(o => new ReviewRoundInput(Id, 2, Start).Equals(o)), It.IsAny<TaskOptions?>()), Times.Once);
        s.Context.Verify(c => c.SetCustomStatus(It.Is<object?>(o => o != null && o.ToString()!.Contains("escalated"))), Times.Once);
        s.Context.Verify(c => c.CallActivityAsync<ApplicationOutcome>(Is(nameof(RecordApplicationDecision)), It.Is<object?>(o => new DecisionInput(Id, decision, Start).Equals(o)), It.IsAny<TaskOptions?>()), Times.Once);
    }

    [Theory]
    [InlineData(1, 2)] // forged: a round that has not started
    [InlineData(1, 0)]
    [InlineData(2, 1)] // late: the round-1 decision arrives after the deadline escalated the case to round 2
    public async Task DecisionForAnotherRound_ChangesNothingAndWaitsAgainInTheSameRound(int round, int decisionRound)
    {
        var s = new Script { Round = round };
        var run = s.Run();

        s.Decision.SetResult(new ReviewDecision(decisionRound, true, null, "city-bureau:taiyuan"));

        Assert.False(run.IsCompleted);
        s.VerifyNotCalled(nameof(RecordApplicationDecision));
        s.VerifyNotCalled(nameof(EscalateApplicationReview));
        s.Context.Verify(c => c.WaitForExternalEvent<ReviewDecision>(ReviewDecision.EventName, It.IsAny<CancellationToken>()), Times.Exactly(2));
        s.Context.Verify(c => c.ContinueAsNew(It.IsAny<object?>(), It.IsAny<bool>()), Times.Never);

        // The right round's decision then decides.
        s.NextDecision.SetResult(new ReviewDecision(round, true, null, "city-bureau:taiyuan"));
        await run;
        s.VerifyCalledOnce(nameof(RecordApplicationDecision));
    }

    [Fact]
    public async Task CalendarPublishedWhileWaiting_ReplansTheRound_WaitsUntilTheNewTimes_DecisionRecordedOnce()
    {
        var laterRemind = RemindAt.AddDays(7);
        var laterDeadline = DeadlineAt.AddDays(7);
        var s = new Script { Replanned = new ReviewRoundPlan(1, laterRemind, laterDeadline, "2026-03-23") };
        var run = s.Run();
        Assert.Equal([RemindAt], s.Timers.Keys);

        // A year's arrangement is published while the reminder is awaited: the round is counted again.
        s.Now = Start.AddDays(1);
        s.CalendarWaiters[0].SetResult(new CalendarChanged(2026, 2));

        Assert.False(run.IsCompleted);
        Assert.True(s.TimerTokens[RemindAt].IsCancellationRequested, "the timer of the old reminder time is cancelled");
        s.Context.Verify(c => c.CallActivityAsync<ReviewRoundPlan>(Is(nameof(ReplanReviewRound)),
            It.Is<object?>(o => o is ReviewReplanInput && ((ReviewReplanInput)o).Round == 1 && ((ReviewReplanInput)o).At == Start.AddDays(1)), It.IsAny<TaskOptions?>()), Times.Once);
        Assert.Contains(laterRemind, s.Timers.Keys);
        Assert.Equal(2, s.CalendarWaiters.Count);

        // The old reminder time passes unnoticed (its timer was cancelled); the new one sends the reminder and the
        // deadline wait uses the new deadline.
        s.Fire(laterRemind);
        Assert.Contains(laterDeadline, s.Timers.Keys);
        Assert.DoesNotContain(DeadlineAt, s.Timers.Keys);

        s.Decision.SetResult(new ReviewDecision(1, true, null, "city-bureau:taiyuan"));
        await run;
        Assert.Equal(["CheckApplicationEligibility", "OpenReviewRound", "ReplanReviewRound", "SendReviewReminder", "RecordApplicationDecision"], s.Calls);
    }

    [Fact]
    public async Task CalendarPublishedWhileTheDeadlineIsAwaited_DeadlineMoves_NoEscalationAtTheOldTime()
    {
        var laterDeadline = DeadlineAt.AddDays(3);
        var s = new Script { Replanned = new ReviewRoundPlan(1, RemindAt, laterDeadline, "2026-03-19") };
        var run = s.Run();
        s.Fire(RemindAt);

        s.Now = RemindAt.AddHours(2);
        s.CalendarWaiters[^1].SetResult(new CalendarChanged(2026, 2));
        Assert.True(s.TimerTokens[DeadlineAt].IsCancellationRequested);

        s.Fire(laterDeadline);
        Assert.False(run.IsCompleted);
        Assert.Equal(["CheckApplicationEligibility", "OpenReviewRound", "SendReviewReminder", "ReplanReviewRound", "EscalateApplicationReview", "OpenReviewRound"], s.Calls);
        s.Context.Verify(c => c.CallActivityAsync<bool>(Is(nameof(EscalateApplicationReview)), It.Is<object?>(o => new ReviewRoundInput(Id, 1, laterDeadline).Equals(o)), It.IsAny<TaskOptions?>()), Times.Once);
    }

    [Fact]
    public async Task Ineligible_EndsWithoutOpeningAReviewRound()
    {
        var s = new Script { Eligibility = new EligibilityOutcome(false, ["barred"], 1) };

        var outcome = await s.Run();

        Assert.Equal(new ApplicationOutcome(Id, ApplicationStatus.Ineligible, null), outcome);
        s.VerifyNotCalled(nameof(OpenReviewRound));
        s.VerifyNotCalled(nameof(RecordApplicationDecision));
        s.Context.Verify(c => c.WaitForExternalEvent<ReviewDecision>(It.IsAny<string>(), It.IsAny<CancellationToken>()), Times.Never);
        s.Context.Verify(c => c.CreateTimer(It.IsAny<DateTime>(), It.IsAny<CancellationToken>()), Times.Never);
        s.Context.Verify(c => c.ContinueAsNew(It.IsAny<object?>(), It.IsAny<bool>()), Times.Never);
    }

    static TaskName Is(string name) => It.Is<TaskName>(n => n.Name == name);

    /// <summary>A mocked context whose activities answer at once and whose event and timers the test completes.</summary>
    sealed class Script
    {
        public Mock<TaskOrchestrationContext> Context { get; } = new(MockBehavior.Loose);

        public DateTime Now { get; set; } = Start;

        public int Round { get; init; } = 1;

        public EligibilityOutcome Eligibility { get; init; } = new(true, [], 1);

        public TaskCompletionSource<ReviewDecision> Decision { get; } = new();

        /// <summary>What the second waiter (after a decision for another round) receives.</summary>
        public TaskCompletionSource<ReviewDecision> NextDecision { get; } = new();

        /// <summary>The calendar-change waiters, in the order the orchestration creates them.</summary>
        public List<TaskCompletionSource<CalendarChanged>> CalendarWaiters { get; } = [];

        /// <summary>What the re-plan step answers (the deadline counted again).</summary>
        public ReviewRoundPlan? Replanned { get; set; }

        public Dictionary<DateTime, TaskCompletionSource> Timers { get; } = [];

        public Dictionary<DateTime, CancellationToken> TimerTokens { get; } = [];

        public List<string> Calls { get; } = [];

        public ApplicationOutcome RecordedOutcome { get; } = new(Id, ApplicationStatus.Approved, "V-" + Id);

        /// <summary>Time reaches <paramref name="at"/> and the timer set for it fires.</summary>
        public void Fire(DateTime at)
        {
            Now = at;
            Timers[at].SetResult();
        }

        public Task<ApplicationOutcome> Run()
        {
            Context.SetupGet(c => c.CurrentUtcDateTime).Returns(() => Now);
            // The stage log goes through the context's replay-safe logger.
            Context.Setup(c => c.CreateReplaySafeLogger<ApplicationOrchestrator>()).Returns(Microsoft.Extensions.Logging.Abstractions.NullLogger.Instance);
            Context.SetupGet(c => c.InstanceId).Returns(ApplicationStore.InstanceId(Id));
            Setup(nameof(CheckApplicationEligibility), Eligibility);
            // Round 1 keeps the fixed times; a later round opened by escalation gets a later deadline.
            Context.Setup(c => c.CallActivityAsync<ReviewRoundPlan>(Is(nameof(OpenReviewRound)), It.IsAny<object?>(), It.IsAny<TaskOptions?>()))
                .Callback(() => Calls.Add(nameof(OpenReviewRound)))
                .Returns((TaskName _, object? input, TaskOptions? _) =>
                {
                    var opened = ((ReviewRoundInput)input!).Round;
                    var shift = TimeSpan.FromDays(14 * Math.Max(0, opened - Round));
                    return Task.FromResult(new ReviewRoundPlan(opened, RemindAt + shift, DeadlineAt + shift, "2026-03-16"));
                });
            Setup(nameof(SendReviewReminder), true);
            Setup(nameof(EscalateApplicationReview), true);
            Context.Setup(c => c.CallActivityAsync<ReviewRoundPlan>(Is(nameof(ReplanReviewRound)), It.IsAny<object?>(), It.IsAny<TaskOptions?>()))
                .Callback(() => Calls.Add(nameof(ReplanReviewRound)))
                .Returns((TaskName _, object? input, TaskOptions? _) => Task.FromResult(Replanned ?? ((ReviewReplanInput)input!).Current));
            Context.Setup(c => c.WaitForExternalEvent<CalendarChanged>(CalendarChanged.EventName, It.IsAny<CancellationToken>()))
                .Returns(() =>
                {
                    var waiter = new TaskCompletionSource<CalendarChanged>();
                    CalendarWaiters.Add(waiter);
                    return waiter.Task;
                });
            Context.Setup(c => c.CallActivityAsync<ApplicationOutcome>(Is(nameof(RecordApplicationDecision)), It.IsAny<object?>(), It.IsAny<TaskOptions?>()))
                .Callback(() => Calls.Add(nameof(RecordApplicationDecision)))
                .Returns(() => Task.FromResult(RecordedOutcome));
            Context.SetupSequence(c => c.WaitForExternalEvent<ReviewDecision>(ReviewDecision.EventName, It.IsAny<CancellationToken>()))
                .Returns(Decision.Task)
                .Returns(NextDecision.Task);
            Context.Setup(c => c.CreateTimer(It.IsAny<DateTime>(), It.IsAny<CancellationToken>()))
                .Returns((DateTime fireAt, CancellationToken token) =>
                {
                    var timer = new TaskCompletionSource();
                    Timers[fireAt] = timer;
                    TimerTokens[fireAt] = token;
                    return timer.Task;
                });
            return new ApplicationOrchestrator().RunAsync(Context.Object, new ApplicationWorkflowInput(Id, Round));
        }

        public void VerifyNotCalled(string activity) => Assert.DoesNotContain(activity, Calls);

        public void VerifyCalledOnce(string activity) => Assert.Single(Calls, c => c == activity);

        void Setup<T>(string activity, T result) =>
            Context.Setup(c => c.CallActivityAsync<T>(Is(activity), It.IsAny<object?>(), It.IsAny<TaskOptions?>()))
                .Callback(() => Calls.Add(activity))
                .Returns(() => Task.FromResult(result));
    }
}
