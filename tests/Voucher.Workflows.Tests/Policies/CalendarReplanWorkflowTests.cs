namespace Voucher.Workflows.Tests.Policies;

/// <summary>
/// A review opened while the year it is counted in has no published holiday arrangement (this engine starts with none):
/// the deadline is provisional; publishing the year re-plans it through <see cref="CalendarReplanOrchestrator"/> on the
/// real Durable engine, and the bureau's decision — before, during or after the re-plan — lands exactly once.
/// </summary>
[Collection(UnpublishedCalendarCollection.Name)]
public sealed class CalendarReplanWorkflowTests(UnpublishedCalendarHostFixture fixture)
{
    static readonly TimeSpan Timeout = TimeSpan.FromSeconds(60);

    [Fact]
    public async Task ReviewAcrossAnUnpublishedYear_IsProvisional_PublishingTheYearReplansIt_DecisionLandsOnce_AlsoWhenACorrectionRacesTheDecision()
    {
        const string city = "datong";
        var app = await SubmitAndWaitForReviewAsync(city);
        var notifiedOn = ChinaTime.DateOf(app.NotifiedAt!.Value);
        var old = ReviewDeadline.Of(app)!;
        Assert.True(old.Basis.Provisional, $"no year is published, so the deadline is provisional: {app.DeadlineBasis}");
        Assert.Equal(WorkingCalendar.From([]).Plan(notifiedOn, 10, 2).Deadline, old.Deadline);
        Assert.True((await fixture.Get<ApplicationService>().ViewOfAsync(app, CancellationToken.None)).Deadline!.Provisional);

        // The province publishes the year with a holiday on the first weekday the review counts: the deadline moves a day.
        var holiday = FirstWeekdayAfter(notifiedOn);
        var published = await PublishAsync(holiday.Year, [holiday]);
        var expected = (await fixture.Get<CalendarStore>().FreshAsync()).Plan(notifiedOn, 10, 2);
        Assert.Equal(WorkingCalendar.From([]).AddWorkingDays(old.Deadline, 1), expected.Deadline);

        using (var cts = new CancellationTokenSource(CalendarReplanOrchestrator.SettleDelay + Timeout))
        {
            var replan = await fixture.Client.WaitForInstanceCompletionAsync(new CalendarReplanInput(holiday.Year, published.Version).InstanceId, getInputsAndOutputs: true, cts.Token);
            Assert.Equal(OrchestrationRuntimeStatus.Completed, replan.RuntimeStatus);
            Assert.True(replan.ReadOutputAs<CalendarReplanSummary>()!.Applications >= 1);
        }

        app = await Eventually.UntilAsync(() => fixture.Get<ApplicationStore>().GetRequiredAsync(app.ApplicationId), a => a.DeadlineDate == ReviewDeadline.Iso(expected.Deadline), Timeout, "the deadline is counted again");
        Assert.Equal(expected.Basis.ToString(), app.DeadlineBasis);
        Assert.Equal(ReviewDeadline.Iso(expected.Reminder!.Value), app.ReminderDate);
        // The step writes the row, then its history entry.
        var history = await Eventually.UntilAsync(() => AuditAsync(app.ApplicationId), h => h.Any(a => a.FromState == a.ToState), Timeout, "the recount's history entry");
        var entry = Assert.Single(history, a => a.FromState == a.ToState);
        Assert.Contains($"{ReviewDeadline.Iso(old.Deadline)} → {ReviewDeadline.Iso(expected.Deadline)}", entry.Detail);
        Assert.Contains($"{holiday.Year}年日历第{published.Version}版", entry.Detail);
        Assert.Contains(await InboxAsync(Addresses.CityBureau(city)), n => n.NotificationId.StartsWith($"review-recounted-{app.ApplicationId}-r1-", StringComparison.Ordinal));
        var custom = (await fixture.Client.GetInstanceAsync(ApplicationStore.InstanceId(app.ApplicationId), getInputsAndOutputs: true))!.SerializedCustomStatus!;
        Assert.Contains(ReviewDeadline.Iso(expected.Deadline), custom);

        await DecideAndAssertOnceAsync(app, city);

        // Then (same engine, now with a published year) a correction races a decision.
        await CalendarChangeAndDecisionArriveTogether_ReplannedThenDecidedOnce("shuozhou");
    }

    /// <summary>Part of the test above: it needs the year published there, and that test needs it unpublished before.</summary>
    async Task CalendarChangeAndDecisionArriveTogether_ReplannedThenDecidedOnce(string city)
    {
        var app = await SubmitAndWaitForReviewAsync(city);
        var notifiedOn = ChinaTime.DateOf(app.NotifiedAt!.Value);
        var before = ReviewDeadline.Of(app)!;

        // A correction adds a holiday inside the review's count; the wake-up and the decision are raised back to back,
        // so the decision arrives while the re-plan step runs.
        var holiday = FirstWeekdayAfter(FirstWeekdayAfter(notifiedOn));
        var current = (await fixture.Get<CalendarStore>().FreshAsync()).Arrangement(holiday.Year);
        var published = await PublishAsync(holiday.Year, [.. current?.Holidays ?? [], holiday]);
        await fixture.Client.RaiseEventAsync(ApplicationStore.InstanceId(app.ApplicationId), CalendarChanged.EventName, new CalendarChanged(holiday.Year, published.Version));
        Assert.Equal(DecisionOutcome.Accepted, await fixture.Get<ReviewDecisions>().DecideAsync(app, new ReviewDecision(1, true, null, Addresses.CityBureau(city)), fixture.Client, CancellationToken.None));

        await DecideAndAssertOnceAsync(app, city, alreadyDecided: true);
        var replanned = Assert.Single(await AuditAsync(app.ApplicationId), a => a.FromState == a.ToState);
        Assert.Contains($"{ReviewDeadline.Iso(before.Deadline)} → ", replanned.Detail);
        Assert.True(string.CompareOrdinal(replanned.RowKey, (await AuditAsync(app.ApplicationId)).Single(a => a.ToState == "Approved").RowKey) < 0, "re-planned before the decision was recorded");
    }

    async Task<ApplicationEntity> SubmitAndWaitForReviewAsync(string city)
    {
        var enterprise = A.Enterprise().InCity(city).Build();
        await fixture.Get<VoucherStore>().UpsertAsync(VoucherStore.Enterprises, enterprise);
        var (applicationId, _, _) = await fixture.Get<ApplicationService>().SubmitForAsync(enterprise, 0, fixture.Client, CancellationToken.None);
        return await Eventually.UntilAsync(
            async () => (await fixture.Get<ApplicationStore>().GetAsync(applicationId))!,
            a => a?.State == ApplicationStatus.UnderReview,
            Timeout,
            $"application {applicationId} is under review");
    }

    async Task<CalendarYear> PublishAsync(int year, IReadOnlyList<DateOnly> holidays)
    {
        var result = await fixture.Get<CalendarService>().PublishAsync(year,
            new CalendarPublishRequest(null, holidays.Distinct().Select(d => (string?)ReviewDeadline.Iso(d)).ToList(), [], $"测试通知（{year}）", "测试发布"),
            "省中心 测试", "province-test", fixture.Client, CancellationToken.None);
        Assert.True(result.Outcome == Voucher.Workflows.Policies.PublishOutcome.Published, string.Join("; ", result.Errors.Select(e => $"{e.Field}: {e.Message}")));
        return result.Policy!;
    }

    async Task DecideAndAssertOnceAsync(ApplicationEntity app, string city, bool alreadyDecided = false)
    {
        if (!alreadyDecided)
        {
            var current = await fixture.Get<ApplicationStore>().GetRequiredAsync(app.ApplicationId);
            Assert.Equal(DecisionOutcome.Accepted, await fixture.Get<ReviewDecisions>().DecideAsync(current, new ReviewDecision(1, true, null, Addresses.CityBureau(city)), fixture.Client, CancellationToken.None));
        }

        using var cts = new CancellationTokenSource(Timeout);
        var done = await fixture.Client.WaitForInstanceCompletionAsync(ApplicationStore.InstanceId(app.ApplicationId), getInputsAndOutputs: true, cts.Token);
        Assert.Equal(OrchestrationRuntimeStatus.Completed, done.RuntimeStatus);
        Assert.Equal(ApplicationStatus.Approved, done.ReadOutputAs<ApplicationOutcome>()!.Status);
        Assert.Single(await AuditAsync(app.ApplicationId), a => a.ToState == nameof(ApplicationStatus.Approved));
        Assert.Single(await fixture.Get<VoucherRepository>().ForEnterpriseAsync(app.Uscc));
    }

    static DateOnly FirstWeekdayAfter(DateOnly day)
    {
        var next = day.AddDays(1);
        while (next.DayOfWeek is DayOfWeek.Saturday or DayOfWeek.Sunday)
        {
            next = next.AddDays(1);
        }

        return next;
    }

    async Task<List<AuditEntry>> AuditAsync(string applicationId) =>
        (await fixture.Get<AuditLog>().ReadAsync(AuditSubjects.Application(applicationId))).OrderBy(a => a.RowKey, StringComparer.Ordinal).ToList();

    Task<List<NotificationEntity>> InboxAsync(string address) =>
        fixture.Get<VoucherStore>().PartitionAsync<NotificationEntity>(VoucherStore.Inbox, address);
}
