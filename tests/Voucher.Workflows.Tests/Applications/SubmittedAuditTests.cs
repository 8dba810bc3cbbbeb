namespace Voucher.Workflows.Tests.Applications;

/// <summary>
/// The "Submitted" audit row is written by the eligibility step with the next change (one transaction), not by the
/// submission request; re-runs of the step write the same rows; the application's timeline shows the submission meanwhile.
/// Also the submission's concurrent reads keep the order of the refusals.
/// </summary>
[Collection(AzuriteCollection.Name)]
public sealed class SubmittedAuditTests(AzuriteFixture azurite)
{
    static readonly DateTime At = new(2026, 3, 10, 2, 0, 0, DateTimeKind.Utc);

    [Fact]
    public async Task Submit_WritesNoAuditRow_RecordsWhoSubmitted_AndTheViewShowsTheSubmission()
    {
        await using var sp = await WorkflowServices.BuildAsync(azurite, azurite.NewName("sa")[..13]);
        var enterprise = await RegisterAsync(sp, A.Enterprise().InCity("jincheng").Build());
        var durable = Durable();

        var (applicationId, status, existing) = await sp.GetRequiredService<ApplicationService>().SubmitForAsync(enterprise, 0, durable.Object, CancellationToken.None);

        Assert.Equal((ApplicationStatus.Submitted, false), (status, existing));
        Assert.Empty(await sp.GetRequiredService<AuditLog>().ReadAsync(AuditSubjects.Application(applicationId)));
        var app = (await sp.GetRequiredService<ApplicationStore>().GetAsync(applicationId))!;
        Assert.Equal(enterprise.Uscc, app.SubmittedBy);
        var history = Assert.Single((await sp.GetRequiredService<ApplicationService>().ViewOfAsync(app, CancellationToken.None)).History);
        Assert.Equal(new HistoryView(app.SubmittedAt, enterprise.Uscc, "", nameof(ApplicationStatus.Submitted), 0, SubmittedAudit.Detail), history);
        durable.Verify(d => d.ScheduleNewOrchestrationInstanceAsync(new TaskName(nameof(ApplicationOrchestrator)), It.IsAny<object?>(), It.IsAny<StartOrchestrationOptions?>(), It.IsAny<CancellationToken>()), Times.Once);
    }

    [Fact]
    public async Task Submit_ByAnAgency_RecordsTheAgencyOnTheRow()
    {
        await using var sp = await WorkflowServices.BuildAsync(azurite, azurite.NewName("sa")[..13]);
        var enterprise = await RegisterAsync(sp, A.Enterprise().InCity("jincheng").Build());

        string applicationId;
        using (ActingContext.Enter(new ActingContext("AG-7", Addresses.Enterprise(enterprise.Uscc), "D-1")))
        {
            (applicationId, _, _) = await sp.GetRequiredService<ApplicationService>().SubmitForAsync(enterprise, 0, Durable().Object, CancellationToken.None);
        }

        Assert.Equal($"enterprise:{enterprise.Uscc} via agency:AG-7", (await sp.GetRequiredService<ApplicationStore>().GetAsync(applicationId))!.SubmittedBy);
    }

    [Fact]
    public async Task Eligible_WritesSubmittedAndUnderReviewTogether_AndARerunWritesTheSameRowsAndOneNotice()
    {
        await using var sp = await WorkflowServices.BuildAsync(azurite, azurite.NewName("sa")[..13]);
        var enterprise = await RegisterAsync(sp, A.Enterprise().InCity("jincheng").Build());
        var app = await NewApplicationAsync(sp, enterprise, enterprise.Uscc);
        var step = sp.GetRequiredService<CheckApplicationEligibility>();

        var first = await step.RunAsync(new ApplicationStep(app.ApplicationId, At));
        // The step runs again, as after a crash before its completion was recorded.
        var again = await step.RunAsync(new ApplicationStep(app.ApplicationId, At));

        Assert.True(first.Eligible);
        Assert.Equal((first.Eligible, first.PolicyVersion, first.FirstRound), (again.Eligible, again.PolicyVersion, again.FirstRound));
        var audit = await AuditAsync(sp, app.ApplicationId);
        Assert.Equal([nameof(ApplicationStatus.Submitted), nameof(ApplicationStatus.UnderReview)], audit.Select(a => a.ToState));
        var submitted = audit[0];
        Assert.Equal($"{app.SubmittedAt.UtcTicks:D19}--Submitted", submitted.RowKey);
        Assert.Equal((enterprise.Uscc, app.SubmittedAt, "", 0, SubmittedAudit.Detail, ""), (submitted.Actor, submitted.At, submitted.FromState, submitted.PolicyVersion, submitted.Detail, submitted.Agency));
        Assert.Equal(nameof(ApplicationStatus.Submitted), audit[1].FromState);
        Assert.Single(await InboxAsync(sp, Addresses.CityBureau("jincheng")), n => n.NotificationId == $"review-{app.ApplicationId}-r1");
        Assert.Empty(await sp.GetRequiredService<VoucherStore>().PartitionAsync<NotificationEntity>(VoucherStore.Outbox, "pending"));

        // The timeline now reads the stored row and shows the submission once.
        var view = await sp.GetRequiredService<ApplicationService>().ViewOfAsync((await sp.GetRequiredService<ApplicationStore>().GetAsync(app.ApplicationId))!, CancellationToken.None);
        Assert.Equal([nameof(ApplicationStatus.Submitted), nameof(ApplicationStatus.UnderReview)], view.History.Select(h => h.To));
    }

    [Fact]
    public async Task ARerunAfterTheDecision_WritesNoSecondRoundEntry()
    {
        // A host died after the step wrote its rows and before the engine recorded it; the bureau decided meanwhile, and the
        // restarted host runs the step again: its round entry keeps the transition it made (Submitted → UnderReview).
        await using var sp = await WorkflowServices.BuildAsync(azurite, azurite.NewName("sa")[..13]);
        var enterprise = await RegisterAsync(sp, A.Enterprise().InCity("jincheng").Build());
        var app = await NewApplicationAsync(sp, enterprise, enterprise.Uscc);
        var step = sp.GetRequiredService<CheckApplicationEligibility>();
        await step.RunAsync(new ApplicationStep(app.ApplicationId, At));
        await sp.GetRequiredService<ApplicationStore>().UpdateAsync(app.ApplicationId, a =>
        {
            a.MoveTo(ApplicationStatus.Approved);
            return true;
        }, CancellationToken.None);

        await step.RunAsync(new ApplicationStep(app.ApplicationId, At));

        var audit = await AuditAsync(sp, app.ApplicationId);
        Assert.Equal([nameof(ApplicationStatus.Submitted), nameof(ApplicationStatus.UnderReview)], audit.Select(a => a.ToState));
    }

    [Fact]
    public async Task TwoRunsOfTheStep_TheOneThatLosesTheWriteRace_WritesNoRoundEntry()
    {
        // After a hard kill the engine ran the eligibility step twice with different times (a redelivered message and the
        // re-run episode). The later run read the row before the earlier one moved it, so its write failed on the ETag;
        // read again, the row had its round, and that run must not record a round it did not open.
        await using var sp = await WorkflowServices.BuildAsync(azurite, azurite.NewName("sa")[..13]);
        var enterprise = await RegisterAsync(sp, A.Enterprise().InCity("jincheng").Build());
        var app = await NewApplicationAsync(sp, enterprise, enterprise.Uscc);
        var store = sp.GetRequiredService<ApplicationStore>();
        var stale = await store.GetRequiredAsync(app.ApplicationId);
        await sp.GetRequiredService<CheckApplicationEligibility>().RunAsync(new ApplicationStep(app.ApplicationId, At));

        await sp.GetRequiredService<OpenReviewRound>().RunAsync(new ReviewRoundInput(app.ApplicationId, 1, At.AddSeconds(35)), stale, CancellationToken.None);

        var audit = await AuditAsync(sp, app.ApplicationId);
        Assert.Equal([nameof(ApplicationStatus.Submitted), nameof(ApplicationStatus.UnderReview)], audit.Select(a => a.ToState));
        Assert.Equal(At, (await store.GetRequiredAsync(app.ApplicationId)).NotifiedAt);
    }

    [Fact]
    public async Task Ineligible_WritesSubmittedWithTheAgencyAndIneligibleTogether_AndARerunChangesNothing()
    {
        await using var sp = await WorkflowServices.BuildAsync(azurite, azurite.NewName("sa")[..13]);
        var enterprise = await RegisterAsync(sp, A.Enterprise().InCity("jincheng").BarredUntil(new DateTime(At.Year + 2, 6, 30, 0, 0, 0, DateTimeKind.Utc)).Build());
        var app = await NewApplicationAsync(sp, enterprise, $"enterprise:{enterprise.Uscc} via agency:AG-7");
        var step = sp.GetRequiredService<CheckApplicationEligibility>();

        var first = await step.RunAsync(new ApplicationStep(app.ApplicationId, At));
        var again = await step.RunAsync(new ApplicationStep(app.ApplicationId, At));

        Assert.False(first.Eligible);
        Assert.Equal(first.Reasons, again.Reasons);
        var audit = await AuditAsync(sp, app.ApplicationId);
        Assert.Equal([nameof(ApplicationStatus.Submitted), nameof(ApplicationStatus.Ineligible)], audit.Select(a => a.ToState));
        Assert.Equal(("AG-7", $"enterprise:{enterprise.Uscc}"), (audit[0].Agency, audit[0].ActedFor));
        Assert.Single(await InboxAsync(sp, Addresses.Enterprise(enterprise.Uscc)), n => n.NotificationId == $"ineligible-{app.ApplicationId}");
        Assert.Empty(await sp.GetRequiredService<VoucherStore>().PartitionAsync<NotificationEntity>(VoucherStore.Outbox, "pending"));
    }

    [Fact]
    public async Task OlderRowWithoutSubmittedBy_KeepsTheSubmittedRowItsRequestWrote()
    {
        await using var sp = await WorkflowServices.BuildAsync(azurite, azurite.NewName("sa")[..13]);
        var enterprise = await RegisterAsync(sp, A.Enterprise().InCity("jincheng").Build());
        var app = await NewApplicationAsync(sp, enterprise, submittedBy: null);
        var actor = $"enterprise:{enterprise.Uscc} via agency:AG-8";
        await sp.GetRequiredService<AuditLog>().AppendAsync(AuditSubjects.Application(app.ApplicationId), actor, app.SubmittedAt, "", nameof(ApplicationStatus.Submitted), 0, SubmittedAudit.Detail);

        Assert.True((await sp.GetRequiredService<CheckApplicationEligibility>().RunAsync(new ApplicationStep(app.ApplicationId, At))).Eligible);

        var audit = await AuditAsync(sp, app.ApplicationId);
        Assert.Equal([nameof(ApplicationStatus.Submitted), nameof(ApplicationStatus.UnderReview)], audit.Select(a => a.ToState));
        Assert.Equal((actor, "AG-8"), (audit[0].Actor, audit[0].Agency));
        var view = await sp.GetRequiredService<ApplicationService>().ViewOfAsync((await sp.GetRequiredService<ApplicationStore>().GetAsync(app.ApplicationId))!, CancellationToken.None);
        Assert.Single(view.History, h => h.To == nameof(ApplicationStatus.Submitted));
    }

    [Fact]
    public async Task SubmitRequest_NotRegisteredAndBarred_AnswersNotRegisteredFirst_RegisteredAndBarred_AnswersBarred()
    {
        await using var sp = await WorkflowServices.BuildAsync(azurite, azurite.NewName("sa")[..13]);
        var store = sp.GetRequiredService<VoucherStore>();
        var handlers = sp.GetRequiredService<ApplicationApi>();
        var uscc = TestUscc.New("jincheng");
        await store.UpsertAsync(VoucherStore.ViolationsByUscc, new ViolationIndexEntity
        {
            PartitionKey = uscc, RowKey = "V-1", CityCode = "jincheng", DecidedOn = DateTimeOffset.UtcNow.AddDays(-1), Reason = "test",
        });

        var unregistered = await handlers.SubmitAsync(Request(uscc));
        await RegisterAsync(sp, A.Enterprise().InCity("jincheng").WithUscc(uscc).Build());
        var barred = await handlers.SubmitAsync(Request(uscc));

        var (status1, body1) = await AnswerAsync(unregistered);
        var (status2, body2) = await AnswerAsync(barred);
        Assert.Equal(StatusCodes.Status422UnprocessableEntity, status1);
        Assert.Contains("Register the enterprise first", body1, StringComparison.Ordinal);
        Assert.Equal(StatusCodes.Status422UnprocessableEntity, status2);
        Assert.Contains("barred from applying", body2, StringComparison.Ordinal);
        Assert.Empty(await sp.GetRequiredService<ApplicationStore>().ForEnterpriseAsync(uscc));
    }

    static Mock<DurableTaskClient> Durable()
    {
        var durable = new Mock<DurableTaskClient>("test");
        durable.Setup(d => d.ScheduleNewOrchestrationInstanceAsync(It.IsAny<TaskName>(), It.IsAny<object?>(), It.IsAny<StartOrchestrationOptions?>(), It.IsAny<CancellationToken>()))
            .ReturnsAsync("started");
        return durable;
    }

    static RequestContext Request(string uscc)
    {
        var http = new DefaultHttpContext();
        http.Request.Method = "POST";
        var bytes = JsonSerializer.SerializeToUtf8Bytes(new { uscc });
        http.Request.ContentType = "application/json";
        http.Request.ContentLength = bytes.Length;
        http.Request.Body = new MemoryStream(bytes);
        return new RequestContext(http, new RouteValueDictionary(), new VoucherPrincipal("e", "e", Role.Enterprise, uscc), Durable().Object);
    }

    static async Task<(int Status, string Body)> AnswerAsync(IResult result)
    {
        var http = new DefaultHttpContext { RequestServices = new ServiceCollection().AddLogging().BuildServiceProvider() };
        http.Response.Body = new MemoryStream();
        await result.ExecuteAsync(http);
        http.Response.Body.Position = 0;
        return (http.Response.StatusCode, await new StreamReader(http.Response.Body).ReadToEndAsync());
    }

    static async Task<EnterpriseEntity> RegisterAsync(IServiceProvider sp, EnterpriseEntity enterprise)
    {
        await sp.GetRequiredService<VoucherStore>().UpsertAsync(VoucherStore.Enterprises, enterprise);
        return enterprise;
    }

    static async Task<ApplicationEntity> NewApplicationAsync(IServiceProvider sp, EnterpriseEntity enterprise, string? submittedBy)
    {
        var app = A.Application(enterprise).Numbered(At.Year).SubmittedAt(new DateTimeOffset(At.AddSeconds(-3)), submittedBy).Build();
        Assert.True(await sp.GetRequiredService<ApplicationStore>().TryCreateAsync(app));
        return app;
    }

    static async Task<List<AuditEntry>> AuditAsync(IServiceProvider sp, string applicationId) =>
        (await sp.GetRequiredService<AuditLog>().ReadAsync(AuditSubjects.Application(applicationId))).OrderBy(a => a.RowKey, StringComparer.Ordinal).ToList();

    static Task<List<NotificationEntity>> InboxAsync(IServiceProvider sp, string address) =>
        sp.GetRequiredService<VoucherStore>().PartitionAsync<NotificationEntity>(VoucherStore.Inbox, address);
}
