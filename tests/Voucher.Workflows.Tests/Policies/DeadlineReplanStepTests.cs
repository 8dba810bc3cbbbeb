namespace Voucher.Workflows.Tests.Policies;

/// <summary>
/// The re-plan steps of a review round, a binding round and a publicity window on Azurite, across the turn of 2030 into
/// 2031 (years no arrangement ships for): counted Monday to Friday first, then again when 2031 is published; a step run
/// twice, with the same wake-up or with another one that lost the write race, writes its audit entry and notice once, and
/// what was reached stays.
/// </summary>
[Collection(AzuriteCollection.Name)]
public sealed class DeadlineReplanStepTests(AzuriteFixture azurite)
{
    const string City = "changzhi";
    static readonly DateOnly OpenedOn = new(2030, 12, 27); // a Friday
    static readonly DateTime WakeUp = new(2030, 12, 28, 2, 0, 0, DateTimeKind.Utc);

    static readonly CalendarYear Y2031 = new()
    {
        Year = 2031, Holidays = [new DateOnly(2031, 1, 1)], Workdays = [], Source = "测试通知", Version = 1, PublishedBy = "p", Reason = "r",
    };

    [Fact]
    public async Task BindingRound_CountedAgainWhenTheYearIsPublished_OnceEvenWhenRunTwice()
    {
        await using var sp = await WorkflowServices.BuildAsync(azurite, azurite.NewName("rb")[..13]);
        var r = await AwaitingBindingAsync(sp);
        Assert.Equal("2031-01-03", r.BindingDeadline); // Dec 30, 31, Jan 1, 2, 3: weekdays only
        Assert.True(BindingDeadlines.Of(r)!.Basis.Provisional);

        Assert.True(await sp.GetRequiredService<CalendarStore>().TryPublishAsync(Y2031));
        var wake = new RedemptionEventInput(r.RedemptionId, new RedemptionEvent(RedemptionEvent.Calendar, 0, false, "2031:1", "calendar"), WakeUp);
        var state = await sp.GetRequiredService<ApplyRedemptionEvent>().RunAsync(wake);
        await sp.GetRequiredService<ApplyRedemptionEvent>().RunAsync(wake);

        r = (await sp.GetRequiredService<RedemptionStore>().GetAsync(r.RedemptionId))!;
        Assert.Equal("2031-01-06", r.BindingDeadline);
        Assert.Equal("2031-01-02", r.BindingReminder);
        Assert.Equal("2030:-,2031:1", r.BindingBasis);
        Assert.Equal(WorkingDeadline.EndsAtUtc(new DateOnly(2031, 1, 6)), state.DeadlineAtUtc);
        var entry = Assert.Single(await sp.GetRequiredService<AuditLog>().ReadAsync(AuditSubjects.Redemption(r.RedemptionId)), e => e.Detail.Contains("重新计算机构确认期限", StringComparison.Ordinal));
        Assert.Contains("2031-01-03 → 2031-01-06", entry.Detail);
        var inbox = await sp.GetRequiredService<VoucherStore>().PartitionAsync<NotificationEntity>(VoucherStore.Inbox, Addresses.For(Role.Institution, r.InstitutionId));
        Assert.Single(inbox, n => n.NotificationId.StartsWith($"binding-recounted-{r.RedemptionId}-r1-", StringComparison.Ordinal));

        // A later wake-up with nothing new changes nothing.
        await sp.GetRequiredService<ApplyRedemptionEvent>().RunAsync(wake with { At = WakeUp.AddHours(1) });
        Assert.Single(await sp.GetRequiredService<AuditLog>().ReadAsync(AuditSubjects.Redemption(r.RedemptionId)), e => e.Detail.Contains("重新计算", StringComparison.Ordinal));
    }

    [Fact]
    public async Task BindingRound_TwoRunsWithDifferentWakeUps_TheOneThatLosesTheWriteRace_WritesNoSecondEntry()
    {
        // After a hard kill the engine ran the re-plan twice with different times (the redelivered step and the re-run
        // episode's). The later run read the row before the earlier one counted the round again, so its write failed on
        // the ETag; read again, the row had the new count, and that run must not record it a second time.
        await using var sp = await WorkflowServices.BuildAsync(azurite, azurite.NewName("rb")[..13]);
        var r = await AwaitingBindingAsync(sp);
        Assert.True(await sp.GetRequiredService<CalendarStore>().TryPublishAsync(Y2031));
        var stale = await sp.GetRequiredService<RedemptionStore>().GetRequiredAsync(r.RedemptionId);
        var wake = new RedemptionEventInput(r.RedemptionId, new RedemptionEvent(RedemptionEvent.Calendar, 0, false, "2031:1", "calendar"), WakeUp);
        var replan = sp.GetRequiredService<ReplanBindingRound>();

        var first = await replan.RunAsync(wake, CancellationToken.None);
        var second = await replan.RunAsync(wake with { At = WakeUp.AddSeconds(35) }, stale, CancellationToken.None);

        Assert.Equal(first, second);
        r = await sp.GetRequiredService<RedemptionStore>().GetRequiredAsync(r.RedemptionId);
        Assert.Equal(("2031-01-06", new DateTimeOffset(WakeUp)), (r.BindingDeadline, r.BindingReplannedAt));
        Assert.Single(await sp.GetRequiredService<AuditLog>().ReadAsync(AuditSubjects.Redemption(r.RedemptionId)), e => e.Detail.Contains("重新计算机构确认期限", StringComparison.Ordinal));
        var inbox = await sp.GetRequiredService<VoucherStore>().PartitionAsync<NotificationEntity>(VoucherStore.Inbox, Addresses.For(Role.Institution, r.InstitutionId));
        Assert.Single(inbox, n => n.NotificationId.StartsWith($"binding-recounted-{r.RedemptionId}-r1-", StringComparison.Ordinal));
    }

    [Fact]
    public async Task ReviewRound_TwoRunsWithDifferentWakeUps_TheOneThatLosesTheWriteRace_WritesNoSecondEntry()
    {
        // The same for the bureau's review round (found by ReplanCrashTests in a fresh-clone run: one application had two
        // identical "重新计算审核期限" entries after a kill in the middle of the re-plan).
        await using var sp = await WorkflowServices.BuildAsync(azurite, azurite.NewName("ra")[..13]);
        var app = await UnderReviewAsync(sp);
        Assert.Equal("2031-01-10", app.DeadlineDate); // ten weekdays from Friday 2030-12-27
        Assert.True(await sp.GetRequiredService<CalendarStore>().TryPublishAsync(Y2031));
        var store = sp.GetRequiredService<ApplicationStore>();
        var stale = await store.GetRequiredAsync(app.ApplicationId);
        var current = ReviewDeadline.PlanOf(1, ReviewDeadline.Of(stale)!);
        var replan = sp.GetRequiredService<ReplanReviewRound>();

        var first = await replan.RunAsync(new ReviewReplanInput(app.ApplicationId, 1, WakeUp, current));
        var second = await replan.RunAsync(new ReviewReplanInput(app.ApplicationId, 1, WakeUp.AddSeconds(35), current), stale, CancellationToken.None);

        Assert.Equal(first, second);
        Assert.Equal("2031-01-13", first.DeadlineDate);
        app = await store.GetRequiredAsync(app.ApplicationId);
        Assert.Equal(("2031-01-13", new DateTimeOffset(WakeUp)), (app.DeadlineDate, app.DeadlineReplannedAt));
        var entry = Assert.Single(await sp.GetRequiredService<AuditLog>().ReadAsync(AuditSubjects.Application(app.ApplicationId)), e => e.Detail.Contains("重新计算审核期限", StringComparison.Ordinal));
        Assert.Contains("2031-01-10 → 2031-01-13", entry.Detail);
        var inbox = await sp.GetRequiredService<VoucherStore>().PartitionAsync<NotificationEntity>(VoucherStore.Inbox, Addresses.CityBureau(City));
        Assert.Single(inbox, n => n.NotificationId.StartsWith($"review-recounted-{app.ApplicationId}-r1-", StringComparison.Ordinal));
    }

    [Fact]
    public async Task ReviewRound_RunAgainAfterTheDecision_WritesItsEntryUnderTheSameKey()
    {
        // Found by ReplanCrashTests: the kill cut the step between its row write and its entry; the bureau's decision
        // landed before the step's message came back, and the re-run keyed its entry by the row's state now (Approved).
        await using var sp = await WorkflowServices.BuildAsync(azurite, azurite.NewName("ra")[..13]);
        var app = await UnderReviewAsync(sp);
        Assert.True(await sp.GetRequiredService<CalendarStore>().TryPublishAsync(Y2031));
        var store = sp.GetRequiredService<ApplicationStore>();
        var input = new ReviewReplanInput(app.ApplicationId, 1, WakeUp, ReviewDeadline.PlanOf(1, ReviewDeadline.Of(app)!));
        await sp.GetRequiredService<ReplanReviewRound>().RunAsync(input);
        var audit = sp.GetRequiredService<AuditLog>();
        bool Recount(AuditEntry e) => e.Detail.Contains("重新计算审核期限", StringComparison.Ordinal);
        var entry = Assert.Single(await audit.ReadAsync(AuditSubjects.Application(app.ApplicationId)), Recount);
        await sp.GetRequiredService<VoucherStore>().Table(VoucherStore.Audit).DeleteEntityAsync(entry.PartitionKey, entry.RowKey);
        await store.UpdateAsync(app.ApplicationId, a =>
        {
            a.MoveTo(ApplicationStatus.Approved);
            return true;
        });

        await sp.GetRequiredService<ReplanReviewRound>().RunAsync(input);

        Assert.Equal(entry.RowKey, Assert.Single(await audit.ReadAsync(AuditSubjects.Application(app.ApplicationId)), Recount).RowKey);
    }

    [Fact]
    public async Task BindingRound_RunAgainAfterTheBinding_WritesItsEntryUnderTheSameKey()
    {
        await using var sp = await WorkflowServices.BuildAsync(azurite, azurite.NewName("rb")[..13]);
        var r = await AwaitingBindingAsync(sp);
        Assert.True(await sp.GetRequiredService<CalendarStore>().TryPublishAsync(Y2031));
        var wake = new RedemptionEventInput(r.RedemptionId, new RedemptionEvent(RedemptionEvent.Calendar, 0, false, "2031:1", "calendar"), WakeUp);
        await sp.GetRequiredService<ReplanBindingRound>().RunAsync(wake, CancellationToken.None);
        var audit = sp.GetRequiredService<AuditLog>();
        bool Recount(AuditEntry e) => e.Detail.Contains("重新计算机构确认期限", StringComparison.Ordinal);
        var entry = Assert.Single(await audit.ReadAsync(AuditSubjects.Redemption(r.RedemptionId)), Recount);
        await sp.GetRequiredService<VoucherStore>().Table(VoucherStore.Audit).DeleteEntityAsync(entry.PartitionKey, entry.RowKey);
        await sp.GetRequiredService<RedemptionStore>().UpdateAsync(r.RedemptionId, e =>
        {
            e.Bound = true;
            RedemptionSteps.Move(e, RedemptionStatus.AwaitingEvidence);
            return true;
        });

        await sp.GetRequiredService<ReplanBindingRound>().RunAsync(wake, CancellationToken.None);

        Assert.Equal(entry.RowKey, Assert.Single(await audit.ReadAsync(AuditSubjects.Redemption(r.RedemptionId)), Recount).RowKey);
    }

    [Fact]
    public async Task BindingRound_ReminderAlreadyDue_StaysAsItWas()
    {
        await using var sp = await WorkflowServices.BuildAsync(azurite, azurite.NewName("rb")[..13]);
        var r = await AwaitingBindingAsync(sp);
        Assert.True(await sp.GetRequiredService<CalendarStore>().TryPublishAsync(Y2031));

        // Woken after 09:00 China time on the reminder day (2031-01-01 under the old count): the reminder went out.
        var late = new DateTime(2031, 1, 1, 3, 0, 0, DateTimeKind.Utc);
        await sp.GetRequiredService<ApplyRedemptionEvent>().RunAsync(new RedemptionEventInput(r.RedemptionId, new RedemptionEvent(RedemptionEvent.Calendar, 0, false, "2031:1", "calendar"), late));

        r = (await sp.GetRequiredService<RedemptionStore>().GetAsync(r.RedemptionId))!;
        Assert.Equal("2031-01-06", r.BindingDeadline);
        Assert.Equal("2031-01-01", r.BindingReminder);
        Assert.Contains("提醒已于 2031-01-01 到期发出，保持不变", r.BindingReplanNote);
    }

    [Fact]
    public async Task PublicityWindow_CountedAgain_ListingRowFollows_MinutesWindowUntouched()
    {
        await using var sp = await WorkflowServices.BuildAsync(azurite, azurite.NewName("rp")[..13]);
        var settlements = sp.GetRequiredService<SettlementStore>();
        var counted = await BatchInPublicityAsync(sp, "2030M12", WorkingCalendar.From([]).Plan(OpenedOn, 5, null));
        var minutes = await BatchInPublicityAsync(sp, "2030M11", null);
        Assert.True(await sp.GetRequiredService<CalendarStore>().TryPublishAsync(Y2031));

        var window = await sp.GetRequiredService<ReplanPublicity>().RunAsync(new BatchStep(counted.BatchId, WakeUp));
        await sp.GetRequiredService<ReplanPublicity>().RunAsync(new BatchStep(counted.BatchId, WakeUp));
        var untouched = await sp.GetRequiredService<ReplanPublicity>().RunAsync(new BatchStep(minutes.BatchId, WakeUp));

        Assert.Equal(("2031-01-06", WorkingDeadline.EndsAtUtc(new DateOnly(2031, 1, 6)), true), (window.End, window.EndsAtUtc, window.Provisional));
        Assert.Equal((minutes.PublicityEnd, minutes.PublicityEndsAt!.Value.UtcDateTime), (untouched.End, untouched.EndsAtUtc));
        var listed = await sp.GetRequiredService<VoucherStore>().GetAsync<PublicityIndexEntity>(VoucherStore.PublicityIndex, "open", counted.BatchId);
        Assert.Equal("2031-01-06", listed!.PublicityEnd);
        Assert.Single(await sp.GetRequiredService<AuditLog>().ReadAsync(AuditSubjects.Batch(counted.BatchId)));
        Assert.Equal("2031-01-06", (await settlements.GetBatchAsync(counted.BatchId))!.PublicityEnd);
    }

    static async Task<RedemptionEntity> AwaitingBindingAsync(IServiceProvider sp)
    {
        var uscc = TestUscc.New(City);
        var plan = BindingDeadlines.Count(WorkingCalendar.From([]), OpenedOn, CityPolicy.Default(City, DateTimeOffset.UnixEpoch));
        var r = A.Redemption(uscc, VoucherEntity.IdFor($"{uscc}-2030-01"), City).AtInstitution("inst-replan", "测试机构").ForService(null, "检测", "")
            .Paying(Cny.FromYuan(10_000m)).SubmittedAt(new DateTimeOffset(2030, 12, 27, 2, 0, 0, TimeSpan.Zero)).Build();
        BindingDeadlines.Apply(r, plan);
        Assert.True(await sp.GetRequiredService<RedemptionStore>().TryCreateAsync(r));
        return r;
    }

    static async Task<ApplicationEntity> UnderReviewAsync(IServiceProvider sp)
    {
        var enterprise = A.Enterprise().InCity(City).Build();
        await sp.GetRequiredService<VoucherStore>().UpsertAsync(VoucherStore.Enterprises, enterprise);
        var opened = new DateTime(2030, 12, 27, 2, 0, 0, DateTimeKind.Utc);
        var app = A.Application(enterprise).Numbered(2030).SubmittedAt(new DateTimeOffset(opened.AddMinutes(-1))).Build();
        Assert.True(await sp.GetRequiredService<ApplicationStore>().TryCreateAsync(app));
        await sp.GetRequiredService<OpenReviewRound>().RunAsync(new ReviewRoundInput(app.ApplicationId, 1, opened));
        return await sp.GetRequiredService<ApplicationStore>().GetRequiredAsync(app.ApplicationId);
    }

    static async Task<BatchEntity> BatchInPublicityAsync(IServiceProvider sp, string period, DeadlinePlan? plan)
    {
        var batch = A.Batch(City, period).InStage(BatchStage.Publicity).With(b => b.PublicityStart = "2030-12-27").Build();
        if (plan is null)
        {
            batch.PublicityEnd = "2030-12-27";
            batch.PublicityEndsAt = new DateTimeOffset(2030, 12, 27, 2, 30, 0, TimeSpan.Zero);
        }
        else
        {
            PublicityWindows.Apply(batch, plan);
        }

        var settlements = sp.GetRequiredService<SettlementStore>();
        await settlements.Tables.UpsertAsync(VoucherStore.Batches, batch);
        await PublicityWindows.IndexAsync(settlements, batch, CancellationToken.None);
        return (await settlements.GetBatchAsync(batch.BatchId))!;
    }
}
