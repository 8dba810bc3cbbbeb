namespace Voucher.Workflows.Tests.Policies;

/// <summary>The calendar as published policy data on Azurite: versions, validation, the re-plan start and the notices.</summary>
[Collection(AzuriteCollection.Name)]
public sealed class CalendarServiceTests(AzuriteFixture azurite)
{
    static readonly DateTimeOffset Now = new(2026, 12, 6, 2, 0, 0, TimeSpan.Zero);

    static CalendarPublishRequest Request(string[] holidays, string[]? workdays = null, int? expected = null, string reason = "首次发布") =>
        new(expected, holidays, workdays ?? [], "国务院办公厅关于2027年部分节假日安排的通知（测试）", reason);

    [Fact]
    public async Task ShippedYears_AreSeededAsVersionOne_OnceAndKeptAfterACorrection()
    {
        var (service, store, durable) = await NewAsync();
        await store.EnsureSeededAsync();
        await store.EnsureSeededAsync();

        var y2026 = await service.ViewAsync(2026, CancellationToken.None);
        Assert.Equal(CalendarYearView.Published, y2026.Status);
        Assert.Equal(1, y2026.Version);
        Assert.Equal(CalendarStore.ShippedBy, y2026.PublishedBy);
        Assert.Single(y2026.History);

        var corrected = await service.PublishAsync(2026, Request([.. y2026.Holidays, "2026-12-07"], [.. y2026.Workdays], expected: 1, reason: "更正"), "省中心", "p1", durable.Object, CancellationToken.None);
        Assert.Equal(PublishOutcome.Published, corrected.Outcome);
        await store.EnsureSeededAsync();

        var after = await service.ViewAsync(2026, CancellationToken.None);
        Assert.Equal(2, after.Version);
        Assert.Equal([2, 1], after.History.Select(h => h.Version));
        Assert.Contains("2026-12-07", after.Holidays);
        Assert.False((await store.FreshAsync()).IsWorkingDay(new DateOnly(2026, 12, 7)));
        durable.Verify(d => d.ScheduleNewOrchestrationInstanceAsync(
            It.Is<TaskName>(n => n.Name == nameof(CalendarReplanOrchestrator)), It.Is<object?>(o => new CalendarReplanInput(2026, 2).Equals(o)),
            It.Is<StartOrchestrationOptions?>(o => o!.InstanceId == "calendar-2026-v2"), It.IsAny<CancellationToken>()), Times.Once);
    }

    [Fact]
    public async Task MissingYear_AnswersMissing_PublishingMakesVersionOneWithWhoWhenWhy()
    {
        var (service, store, durable) = await NewAsync();
        Assert.Equal(CalendarYearView.Missing, (await service.ViewAsync(2027, CancellationToken.None)).Status);

        var result = await service.PublishAsync(2027, Request(["2027-01-01", "2027-02-08"], ["2027-02-06"], expected: 0), "省中心 王芳", "p1", durable.Object, CancellationToken.None);

        Assert.Equal(PublishOutcome.Published, result.Outcome);
        var view = await service.ViewAsync(2027, CancellationToken.None);
        Assert.Equal((CalendarYearView.Published, 1, "省中心 王芳", Now, "首次发布"), (view.Status, view.Version!.Value, view.PublishedBy!, view.PublishedAt!.Value, view.Reason!));
        Assert.Equal(["2027-01-01", "2027-02-08"], view.Holidays);
        Assert.True((await store.CurrentAsync()).IsPublished(2027), "this process sees its own publication at once");
    }

    [Fact]
    public async Task InvalidInput_NamesTheFieldAndSavesNothing()
    {
        var (service, store, durable) = await NewAsync();

        var result = await service.PublishAsync(2028, Request(["2028-01-03", "2029-01-01"], ["2028-01-04"]), "p", "p", durable.Object, CancellationToken.None);

        Assert.Equal(PublishOutcome.Invalid, result.Outcome);
        Assert.Equal(["holidays[1]", "workdays[0]"], result.Errors.Select(e => e.Field));
        Assert.Equal(CalendarYearView.Missing, (await service.ViewAsync(2028, CancellationToken.None)).Status);
        Assert.False((await store.FreshAsync()).IsPublished(2028));
        durable.VerifyNoOtherCalls();
    }

    [Fact]
    public async Task StaleExpectedVersion_IsRefused_AndTheSecondOfTwoEditorsLoses()
    {
        var (service, _, durable) = await NewAsync();
        Assert.Equal(PublishOutcome.Published, (await service.PublishAsync(2029, Request(["2029-01-01"], expected: 0), "a", "a", durable.Object, CancellationToken.None)).Outcome);

        var stale = await service.PublishAsync(2029, Request(["2029-01-01", "2029-01-02"], expected: 0), "b", "b", durable.Object, CancellationToken.None);

        Assert.Equal(PublishOutcome.Stale, stale.Outcome);
        Assert.Equal("expectedVersion", stale.Errors[0].Field);
        Assert.Equal(1, (await service.ViewAsync(2029, CancellationToken.None)).Version);
    }

    [Theory]
    [InlineData("2026-10-31", false, false)]
    [InlineData("2026-11-01", true, false)]
    [InlineData("2027-03-01", false, true)]
    [InlineData("2027-11-02", true, true)]
    public void Notices_NextYearFromNoticeDate_CurrentYearAlways(string today, bool nextYearNotice, bool currentYearNotice)
    {
        var notices = CalendarService.Notices(WorkingCalendar.Embedded, DateOnly.Parse(today), "11-01");

        Assert.Equal(nextYearNotice, notices.Any(n => n.StartsWith($"{DateOnly.Parse(today).Year + 1}年节假日安排尚未发布", StringComparison.Ordinal)));
        Assert.Equal(currentYearNotice, notices.Any(n => n.StartsWith($"{DateOnly.Parse(today).Year}年节假日安排尚未发布", StringComparison.Ordinal)));
    }

    [Fact]
    public async Task Check_StartsTheReplanOfAPublicationThatNeverGotOne()
    {
        var (service, store, durable) = await NewAsync();
        // Published straight into the store, as if the process died before starting the re-plan.
        Assert.True(await store.TryPublishAsync(new CalendarYear { Year = 2027, Holidays = [new DateOnly(2027, 1, 1)], Workdays = [], Source = "s", Version = 1, PublishedBy = "p" }));

        await service.CheckAsync(durable.Object, CancellationToken.None);

        durable.Verify(d => d.ScheduleNewOrchestrationInstanceAsync(
            It.Is<TaskName>(n => n.Name == nameof(CalendarReplanOrchestrator)), It.Is<object?>(o => new CalendarReplanInput(2027, 1).Equals(o)),
            It.IsAny<StartOrchestrationOptions?>(), It.IsAny<CancellationToken>()), Times.Once);
    }

    async Task<(CalendarService Service, CalendarStore Store, Mock<DurableTaskClient> Durable)> NewAsync()
    {
        var store = await StoreFactory.NewAsync(azurite);
        var time = new FakeTimeProvider(Now);
        var calendars = new CalendarStore(store, time, CalendarSeed.Shipped);
        var settings = new VoucherSettings { PublicBaseUrl = "https://voucher.test", OutboxSchedule = "*/30 * * * * *", TaskHubName = "t" };
        var durable = new Mock<DurableTaskClient>(MockBehavior.Loose, "test");
        durable.Setup(d => d.ScheduleNewOrchestrationInstanceAsync(It.IsAny<TaskName>(), It.IsAny<object?>(), It.IsAny<StartOrchestrationOptions?>(), It.IsAny<CancellationToken>()))
            .ReturnsAsync((TaskName _, object? _, StartOrchestrationOptions? o, CancellationToken _) => o!.InstanceId!);
        return (new CalendarService(calendars, settings, time, NullLogger<CalendarService>.Instance), calendars, durable);
    }
}
