namespace Voucher.Workflows.Tests.Applications;

/// <summary>The single-use marker of a review round (conditional insert on Azurite) in front of the decision event.</summary>
[Collection(AzuriteCollection.Name)]
public sealed class ReviewDecisionsTests(AzuriteFixture azurite) : IAsyncLifetime
{
    readonly List<ServiceProvider> _providers = [];

    const string Bureau = "city-bureau:taiyuan";

    readonly Mock<DurableTaskClient> _durable = new("test-hub");

    [Fact]
    public async Task DecideAsync_SecondDecisionForTheSameRound_IsAlreadyDecidedAndRaisesNoSecondEvent()
    {
        var (decisions, _) = await NewAsync();
        var app = UnderReview(round: 1);
        var first = new ReviewDecision(1, true, null, Bureau);

        var a = await decisions.DecideAsync(app, first, _durable.Object, CancellationToken.None);
        var b = await decisions.DecideAsync(app, new ReviewDecision(1, false, "no", "city-bureau:taiyuan:another-user"), _durable.Object, CancellationToken.None);

        Assert.Equal(DecisionOutcome.Accepted, a);
        Assert.Equal(DecisionOutcome.AlreadyDecided, b);
        _durable.Verify(d => d.RaiseEventAsync(ApplicationStore.InstanceId(app.ApplicationId), ReviewDecision.EventName, first, It.IsAny<CancellationToken>()), Times.Once);
        _durable.Verify(d => d.RaiseEventAsync(It.IsAny<string>(), It.IsAny<string>(), It.IsAny<object?>(), It.IsAny<CancellationToken>()), Times.Once);
    }

    [Fact]
    public async Task DecideAsync_TenConcurrentDecisions_ExactlyOneIsAccepted()
    {
        var (decisions, _) = await NewAsync();
        var app = UnderReview(round: 1);

        var outcomes = await Task.WhenAll(Enumerable.Range(0, 10).Select(i => Task.Run(() =>
            decisions.DecideAsync(app, new ReviewDecision(1, i % 2 == 0, "r", $"{Bureau}:{i}"), _durable.Object, CancellationToken.None))));

        Assert.Single(outcomes, o => o == DecisionOutcome.Accepted);
        Assert.Equal(9, outcomes.Count(o => o == DecisionOutcome.AlreadyDecided));
        _durable.Verify(d => d.RaiseEventAsync(It.IsAny<string>(), It.IsAny<string>(), It.IsAny<object?>(), It.IsAny<CancellationToken>()), Times.Once);
    }

    [Fact]
    public async Task DecideAsync_MarkerIsSharedWithTheSignedLinkOfTheRound()
    {
        var (decisions, _) = await NewAsync();
        var app = UnderReview(round: 1);
        var linkOfRound1 = new LinkClaims(ApplicationStore.InstanceId(app.ApplicationId), ReviewLinks.Action, Bureau, 1, 1_900_000_000);
        var linkOfRound2 = linkOfRound1 with { Round = 2 };

        Assert.False(await decisions.IsUsedAsync(linkOfRound1, CancellationToken.None));
        await decisions.DecideAsync(app, new ReviewDecision(1, true, null, "city-bureau:taiyuan:signed-in-user"), _durable.Object, CancellationToken.None);

        Assert.True(await decisions.IsUsedAsync(linkOfRound1, CancellationToken.None));
        Assert.False(await decisions.IsUsedAsync(linkOfRound2, CancellationToken.None));
    }

    [Theory]
    [InlineData(1, 2)]
    [InlineData(2, 1)]
    public async Task DecideAsync_RoundNotAwaited_IsNotAwaitingAndUsesNothingUp(int appRound, int decisionRound)
    {
        var (decisions, _) = await NewAsync();
        var app = UnderReview(appRound);
        if (appRound > 1)
        {
            app.MoveTo(ApplicationStatus.Escalated);
        }

        var wrong = await decisions.DecideAsync(app, new ReviewDecision(decisionRound, true, null, Bureau), _durable.Object, CancellationToken.None);
        var right = await decisions.DecideAsync(app, new ReviewDecision(appRound, true, null, Bureau), _durable.Object, CancellationToken.None);

        Assert.Equal(DecisionOutcome.NotAwaiting, wrong);
        Assert.Equal(DecisionOutcome.Accepted, right);
    }

    [Fact]
    public async Task DecideAsync_ApplicationAlreadyFinal_IsAlreadyDecidedWithoutEvent()
    {
        var (decisions, _) = await NewAsync();
        var app = UnderReview(round: 1);
        app.MoveTo(ApplicationStatus.Approved);

        Assert.Equal(DecisionOutcome.AlreadyDecided, await decisions.DecideAsync(app, new ReviewDecision(1, true, null, Bureau), _durable.Object, CancellationToken.None));
        _durable.Verify(d => d.RaiseEventAsync(It.IsAny<string>(), It.IsAny<string>(), It.IsAny<object?>(), It.IsAny<CancellationToken>()), Times.Never);
    }

    [Fact]
    public async Task DecideAsync_EventCannotBeRaised_FreesTheRoundForARetry()
    {
        var (decisions, services) = await NewAsync();
        var app = UnderReview(round: 1);
        _durable.SetupSequence(d => d.RaiseEventAsync(It.IsAny<string>(), It.IsAny<string>(), It.IsAny<object?>(), It.IsAny<CancellationToken>()))
            .ThrowsAsync(new InvalidOperationException("task hub unavailable"))
            .Returns(Task.CompletedTask);

        await Assert.ThrowsAsync<InvalidOperationException>(() => decisions.DecideAsync(app, new ReviewDecision(1, true, null, Bureau), _durable.Object, CancellationToken.None));
        Assert.Empty(await services.GetRequiredService<PendingReviewDecisions>().ListAsync(CancellationToken.None)); // nothing kept for the sweep
        var retry = await decisions.DecideAsync(app, new ReviewDecision(1, true, null, Bureau), _durable.Object, CancellationToken.None);

        Assert.Equal(DecisionOutcome.Accepted, retry);
    }

    [Fact]
    public async Task AnAcceptedDecision_IsKept_AndTheSweepDropsItWithoutRaisingOnceTheApplicationIsDecided()
    {
        var (decisions, services) = await NewAsync();
        var app = UnderReview(round: 1);
        Assert.True(await services.GetRequiredService<ApplicationStore>().TryCreateAsync(app));
        var decision = new ReviewDecision(1, true, null, Bureau);
        Assert.Equal(DecisionOutcome.Accepted, await decisions.DecideAsync(app, decision, _durable.Object, CancellationToken.None));
        var pending = services.GetRequiredService<PendingReviewDecisions>();
        var kept = Assert.Single(await pending.ListAsync(CancellationToken.None));
        Assert.Equal((app.ApplicationId, $"{app.ApplicationId}~decision~1"), (kept.SubjectId, kept.RowKey));

        // The orchestration runs (its instance is known) but the application was decided meanwhile: the event is moot.
        _durable.Setup(d => d.GetInstancesAsync(ApplicationStore.InstanceId(app.ApplicationId), false, It.IsAny<CancellationToken>()))
            .ReturnsAsync(new OrchestrationMetadata(nameof(ApplicationOrchestrator), ApplicationStore.InstanceId(app.ApplicationId)) { RuntimeStatus = OrchestrationRuntimeStatus.Running });
        await services.GetRequiredService<ApplicationStore>().UpdateAsync(app.ApplicationId, a =>
        {
            a.MoveTo(ApplicationStatus.Approved);
            return true;
        });

        Assert.Equal(0, await pending.RedeliverAsync(_durable.Object, CancellationToken.None, minAge: TimeSpan.Zero));
        Assert.Empty(await pending.ListAsync(CancellationToken.None));
        _durable.Verify(d => d.RaiseEventAsync(It.IsAny<string>(), It.IsAny<string>(), It.IsAny<object?>(), It.IsAny<CancellationToken>()), Times.Once);
    }

    async Task<(ReviewDecisions Decisions, ServiceProvider Services)> NewAsync()
    {
        _durable.Setup(d => d.RaiseEventAsync(It.IsAny<string>(), It.IsAny<string>(), It.IsAny<object?>(), It.IsAny<CancellationToken>())).Returns(Task.CompletedTask);
        var services = await WorkflowServices.BuildAsync(azurite, azurite.NewName("rd")[..13], new FakeTimeProvider(new DateTimeOffset(2026, 3, 2, 1, 0, 0, TimeSpan.Zero)));
        _providers.Add(services);
        return (services.GetRequiredService<ReviewDecisions>(), services);
    }

    public async Task InitializeAsync() => await Task.CompletedTask;

    public async Task DisposeAsync()
    {
        foreach (var provider in _providers)
        {
            await provider.DisposeAsync();
        }
    }

    static ApplicationEntity UnderReview(int round) =>
        A.Application(TestUscc.New(), "taiyuan").InStatus(ApplicationStatus.UnderReview).InRound(round).Build();
}
