using Voucher.Workflows.Web;

namespace Voucher.Workflows.Tests.Applications;

/// <summary>
/// Flow 1 on the real Durable Task engine (in process) with the production activities over Azurite. Each test uses
/// its own enterprise and its own city, so tests sharing the host see only their own rows and inboxes.
/// Deadline and reminder timers (days away) are covered with the mocked context in <see cref="ApplicationOrchestratorTests"/>.
/// </summary>
[Collection(DurableCollection.Name)]
public sealed class ApplicationWorkflowTests(DurableHostFixture fixture)
{
    static readonly TimeSpan Timeout = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task Submit_ApprovedByTheBureau_IssuesOneVoucherFromThePolicyAuditsAndNotifies()
    {
        const string city = "jinzhong";
        var now = DateTimeOffset.UtcNow;
        var policy = CityPolicy.Default(city, now).NextVersion("province-admin", "longer validity for the test", now) with { ValidityMonths = 18 };
        Assert.True(await fixture.Get<PolicyStore>().TryPublishAsync(policy), "publishing version 2 of the city's policy");
        var enterprise = await RegisterAsync(A.Enterprise().InCity(city).Build());

        var (applicationId, status, existing) = await fixture.Get<ApplicationService>().SubmitForAsync(enterprise, 0, fixture.Client, CancellationToken.None);
        Assert.Equal(ApplicationStatus.Submitted, status);
        Assert.False(existing);
        var app = await WaitForStateAsync(applicationId, ApplicationStatus.UnderReview);
        Assert.Equal(1, app.Round);
        Assert.Equal(2, app.PolicyVersion);

        var before = ChinaTime.DateOf(DateTime.UtcNow);
        var decided = await fixture.Get<ReviewDecisions>().DecideAsync(app, new ReviewDecision(1, true, null, Addresses.CityBureau(city)), fixture.Client, CancellationToken.None);
        Assert.Equal(DecisionOutcome.Accepted, decided);
        var outcome = await WaitForCompletionAsync(applicationId);
        var after = ChinaTime.DateOf(DateTime.UtcNow);

        var voucherId = VoucherEntity.IdFor(applicationId);
        Assert.Equal(new ApplicationOutcome(applicationId, ApplicationStatus.Approved, voucherId), outcome);
        app = await fixture.Get<ApplicationStore>().GetRequiredAsync(applicationId);
        Assert.Equal(ApplicationStatus.Approved, app.State);
        Assert.Equal(voucherId, app.VoucherId);
        Assert.Equal(Addresses.CityBureau(city), app.DecidedBy);
        Assert.Equal(2, app.PolicyVersion);

        var voucher = Assert.Single(await fixture.Get<VoucherRepository>().ForEnterpriseAsync(enterprise.Uscc));
        Assert.Equal(voucherId, voucher.VoucherId);
        Assert.Equal(5_000_000, voucher.FaceValueFen);
        Assert.Equal(city, voucher.CityCode);
        Assert.Equal(2, voucher.PolicyVersion);
        var issuedOn = DateOnly.Parse(voucher.IssuedOn);
        Assert.InRange(issuedOn, before, after);
        Assert.Equal(issuedOn.AddMonths(18).AddDays(-1).ToString("yyyy-MM-dd"), voucher.ExpiresOn);

        var audit = await AuditAsync(applicationId);
        Assert.Equal(["Submitted", "UnderReview", "Approved"], audit.Select(a => a.ToState));
        Assert.Equal(["", "Submitted", "UnderReview"], audit.Select(a => a.FromState));
        Assert.Equal([2, 2], audit.Skip(1).Select(a => a.PolicyVersion));
        Assert.Equal(Addresses.CityBureau(city), audit[^1].Actor);

        // The enterprise is told at each step, in Chinese, with links to portal pages only: accepted for review, then
        // approved with the voucher's face value and validity and a link to the voucher's page.
        var inbox = await InboxAsync(Addresses.Enterprise(enterprise.Uscc));
        var accepted = Assert.Single(inbox, n => n.NotificationId == $"accepted-{applicationId}");
        Assert.Contains(applicationId, accepted.Body, StringComparison.Ordinal);
        Assert.Contains($"将在 {Glossary.DateInSentence(DateOnly.Parse(app.DeadlineDate!))} 前完成审核", accepted.Body, StringComparison.Ordinal);
        Assert.Equal([$"{WorkflowServices.PublicBaseUrl}/portal/applications/{applicationId}"], accepted.ToNotification().Links.Select(l => l.Url));
        var decision = Assert.Single(inbox, n => n.NotificationId == $"decision-{applicationId}");
        Assert.Equal("创新券申请已通过，创新券已发放", decision.Subject);
        Assert.Contains("已发放面额 5万元 的创新券", decision.Body, StringComparison.Ordinal);
        Assert.Contains($"有效期至 {Glossary.DateInSentence(DateOnly.Parse(voucher.ExpiresOn))}", decision.Body, StringComparison.Ordinal);
        Assert.Equal(
            [($"查看创新券", $"{WorkflowServices.PublicBaseUrl}/portal/vouchers/{voucherId}"), ("查看办理进度", $"{WorkflowServices.PublicBaseUrl}/portal/applications/{applicationId}")],
            decision.ToNotification().Links.Select(l => (l.Label, l.Url)));
        AssertChineseOnlyWithPortalLinks(inbox);
        var request = Assert.Single(await InboxAsync(Addresses.CityBureau(city)), n => n.NotificationId == $"review-{applicationId}-r1");
        var link = Assert.Single(request.ToNotification().Links);
        Assert.StartsWith(WorkflowServices.PublicBaseUrl + "/review/", link.Url, StringComparison.Ordinal);
        Assert.Equal(LinkCheck.Valid, fixture.Get<LinkSigner>().Verify(link.Url[(WorkflowServices.PublicBaseUrl + "/review/").Length..], out var claims));
        Assert.Equal(new LinkClaims(ApplicationStore.InstanceId(applicationId), ReviewLinks.Action, Addresses.CityBureau(city), 1, claims!.ExpiresUnixSeconds), claims);
        Assert.Empty(await fixture.Get<VoucherStore>().PartitionAsync<NotificationEntity>(VoucherStore.Outbox, "pending"));
    }

    [Fact]
    public async Task Submit_RejectedWithReason_EndsRejectedWithoutVoucherAndTellsTheEnterpriseWhy()
    {
        const string city = "changzhi";
        const string reason = "研发合同材料不全 (R&D contract incomplete)";
        var enterprise = await RegisterAsync(A.Enterprise().InCity(city).Build());
        var (applicationId, _, _) = await fixture.Get<ApplicationService>().SubmitForAsync(enterprise, 0, fixture.Client, CancellationToken.None);
        var app = await WaitForStateAsync(applicationId, ApplicationStatus.UnderReview);

        var decided = await fixture.Get<ReviewDecisions>().DecideAsync(app, new ReviewDecision(1, false, reason, Addresses.CityBureau(city)), fixture.Client, CancellationToken.None);
        var outcome = await WaitForCompletionAsync(applicationId);

        Assert.Equal(DecisionOutcome.Accepted, decided);
        Assert.Equal(new ApplicationOutcome(applicationId, ApplicationStatus.Rejected, null), outcome);
        app = await fixture.Get<ApplicationStore>().GetRequiredAsync(applicationId);
        Assert.Equal(ApplicationStatus.Rejected, app.State);
        Assert.Equal(reason, app.DecisionReason);
        Assert.False(app.Approved);
        Assert.Empty(await fixture.Get<VoucherRepository>().ForEnterpriseAsync(enterprise.Uscc));
        Assert.Equal(["Submitted", "UnderReview", "Rejected"], (await AuditAsync(applicationId)).Select(a => a.ToState));
        var message = Assert.Single(await InboxAsync(Addresses.Enterprise(enterprise.Uscc)), n => n.NotificationId == $"decision-{applicationId}");
        Assert.Equal("创新券申请未通过", message.Subject);
        Assert.Contains("驳回理由：" + reason, message.Body, StringComparison.Ordinal);
        var link = Assert.Single(message.ToNotification().Links);
        Assert.Equal(("查看申请", $"{WorkflowServices.PublicBaseUrl}/portal/applications/{applicationId}"), (link.Label, link.Url));
    }

    [Fact]
    public async Task DecideTwice_SecondDecisionIsAlreadyDecidedAndOneVoucherIsIssued()
    {
        const string city = "datong";
        var enterprise = await RegisterAsync(A.Enterprise().InCity(city).Build());
        var (applicationId, _, _) = await fixture.Get<ApplicationService>().SubmitForAsync(enterprise, 0, fixture.Client, CancellationToken.None);
        var app = await WaitForStateAsync(applicationId, ApplicationStatus.UnderReview);
        var decisions = fixture.Get<ReviewDecisions>();

        var first = await decisions.DecideAsync(app, new ReviewDecision(1, true, null, Addresses.CityBureau(city)), fixture.Client, CancellationToken.None);
        // Same (now stale) view of the application, a different answer and a different person: the round is used up.
        var second = await decisions.DecideAsync(app, new ReviewDecision(1, false, "changed my mind", "city-bureau:datong:someone-else"), fixture.Client, CancellationToken.None);
        await WaitForCompletionAsync(applicationId);
        var third = await decisions.DecideAsync(await fixture.Get<ApplicationStore>().GetRequiredAsync(applicationId), new ReviewDecision(1, true, null, Addresses.CityBureau(city)), fixture.Client, CancellationToken.None);

        Assert.Equal(DecisionOutcome.Accepted, first);
        Assert.Equal(DecisionOutcome.AlreadyDecided, second);
        Assert.Equal(DecisionOutcome.AlreadyDecided, third);
        Assert.Equal(ApplicationStatus.Approved, (await fixture.Get<ApplicationStore>().GetRequiredAsync(applicationId)).State);
        Assert.Single(await fixture.Get<VoucherRepository>().ForEnterpriseAsync(enterprise.Uscc));
    }

    [Fact]
    public async Task DecisionEventRaisedTwice_IssuesOneVoucherAndAuditsOneApproval()
    {
        const string city = "yangquan";
        var enterprise = await RegisterAsync(A.Enterprise().InCity(city).Build());
        var (applicationId, _, _) = await fixture.Get<ApplicationService>().SubmitForAsync(enterprise, 0, fixture.Client, CancellationToken.None);
        await WaitForStateAsync(applicationId, ApplicationStatus.UnderReview);
        var instanceId = ApplicationStore.InstanceId(applicationId);
        var decision = new ReviewDecision(1, true, null, Addresses.CityBureau(city));

        await fixture.Client.RaiseEventAsync(instanceId, ReviewDecision.EventName, decision);
        await fixture.Client.RaiseEventAsync(instanceId, ReviewDecision.EventName, decision);
        var outcome = await WaitForCompletionAsync(applicationId);

        Assert.Equal(ApplicationStatus.Approved, outcome.Status);
        Assert.Single(await fixture.Get<VoucherRepository>().ForEnterpriseAsync(enterprise.Uscc));
        Assert.Single(await AuditAsync(applicationId), a => a.ToState == "Approved");
        Assert.Single(await InboxAsync(Addresses.Enterprise(enterprise.Uscc)), n => n.NotificationId == $"decision-{applicationId}");
    }

    [Fact]
    public async Task DecisionEventRaisedBeforeTheReviewOpens_IsKeptAndApplied()
    {
        const string city = "yuncheng";
        var enterprise = await RegisterAsync(A.Enterprise().InCity(city).Build());
        var (applicationId, _, _) = await fixture.Get<ApplicationService>().SubmitForAsync(enterprise, 0, fixture.Client, CancellationToken.None);

        // Straight after the start, while eligibility is still being checked: the engine buffers the event.
        await fixture.Client.RaiseEventAsync(ApplicationStore.InstanceId(applicationId), ReviewDecision.EventName, new ReviewDecision(1, true, null, Addresses.CityBureau(city)));
        var outcome = await WaitForCompletionAsync(applicationId);

        Assert.Equal(ApplicationStatus.Approved, outcome.Status);
        Assert.Single(await fixture.Get<VoucherRepository>().ForEnterpriseAsync(enterprise.Uscc));
    }

    [Fact]
    public async Task DecisionForAnotherRound_IsIgnoredAndTheRightRoundStillDecides()
    {
        const string city = "linfen";
        var enterprise = await RegisterAsync(A.Enterprise().InCity(city).Build());
        var (applicationId, _, _) = await fixture.Get<ApplicationService>().SubmitForAsync(enterprise, 0, fixture.Client, CancellationToken.None);
        await WaitForStateAsync(applicationId, ApplicationStatus.UnderReview);
        var instanceId = ApplicationStore.InstanceId(applicationId);

        await fixture.Client.RaiseEventAsync(instanceId, ReviewDecision.EventName, new ReviewDecision(2, true, null, "forged"));
        // The forged event makes the orchestration continue as new in round 1; it must still be waiting afterwards.
        await Eventually.UntilAsync(
            async () => (await fixture.Client.GetInstanceAsync(instanceId))?.RuntimeStatus,
            s => s == OrchestrationRuntimeStatus.Running,
            Timeout,
            "the orchestration keeps running after a decision for another round");
        await Task.Delay(500);
        Assert.Empty(await fixture.Get<VoucherRepository>().ForEnterpriseAsync(enterprise.Uscc));
        Assert.Equal(ApplicationStatus.UnderReview, (await fixture.Get<ApplicationStore>().GetRequiredAsync(applicationId)).State);

        await fixture.Client.RaiseEventAsync(instanceId, ReviewDecision.EventName, new ReviewDecision(1, false, "不符合条件", Addresses.CityBureau(city)));
        var outcome = await WaitForCompletionAsync(applicationId);

        Assert.Equal(ApplicationStatus.Rejected, outcome.Status);
        Assert.Equal(Addresses.CityBureau(city), (await fixture.Get<ApplicationStore>().GetRequiredAsync(applicationId)).DecidedBy);
    }

    [Fact]
    public async Task SubmitAgainWhileOpen_ReturnsTheSameApplicationAndStartsNoSecondOrchestration()
    {
        const string city = "shuozhou";
        var enterprise = await RegisterAsync(A.Enterprise().InCity(city).Build());
        var handlers = fixture.Get<ApplicationService>();

        var first = await handlers.SubmitForAsync(enterprise, 0, fixture.Client, CancellationToken.None);
        await WaitForStateAsync(first.ApplicationId, ApplicationStatus.UnderReview);
        var instance = await fixture.Client.GetInstanceAsync(ApplicationStore.InstanceId(first.ApplicationId));
        var second = await handlers.SubmitForAsync(enterprise, 0, fixture.Client, CancellationToken.None);

        Assert.False(first.Existing);
        Assert.True(second.Existing);
        Assert.Equal(first.ApplicationId, second.ApplicationId);
        Assert.Equal(ApplicationStatus.UnderReview, second.Status);
        Assert.Single(await fixture.Get<ApplicationStore>().ForEnterpriseAsync(enterprise.Uscc));
        var after = await fixture.Client.GetInstanceAsync(ApplicationStore.InstanceId(first.ApplicationId));
        Assert.NotNull(instance);
        Assert.NotNull(after);
        Assert.Equal(instance.CreatedAt, after.CreatedAt);
        Assert.Equal(OrchestrationRuntimeStatus.Running, after.RuntimeStatus);
        Assert.Single(await HistoryWithAsync(first.ApplicationId, "UnderReview"), a => a.ToState == "UnderReview");
    }

    [Fact]
    public async Task SubmitTwiceConcurrently_OneApplicationAndBothCallersGetItsId()
    {
        const string city = "lvliang";
        var enterprise = await RegisterAsync(A.Enterprise().InCity(city).Build());
        var handlers = fixture.Get<ApplicationService>();

        var results = await Task.WhenAll(
            handlers.SubmitForAsync(enterprise, 0, fixture.Client, CancellationToken.None),
            handlers.SubmitForAsync(enterprise, 0, fixture.Client, CancellationToken.None));

        Assert.Equal(results[0].ApplicationId, results[1].ApplicationId);
        Assert.Single(results, r => !r.Existing);
        Assert.Single(await fixture.Get<ApplicationStore>().ForEnterpriseAsync(enterprise.Uscc));
        // Both callers may have found no instance and both asked to start one: the orchestration must still run once
        // and reach the review.
        var instanceId = ApplicationStore.InstanceId(results[0].ApplicationId);
        var state = await Eventually.UntilAsync(
            async () => (await fixture.Get<ApplicationStore>().GetAsync(results[0].ApplicationId))?.Status,
            s => s == ApplicationStatus.UnderReview,
            Timeout,
            "application reaches UnderReview").ContinueWith(async t =>
            {
                if (t.IsCompletedSuccessfully)
                {
                    return t.Result;
                }

                var instance = await fixture.Client.GetInstanceAsync(instanceId, getInputsAndOutputs: true);
                throw new Xunit.Sdk.XunitException(
                    $"{t.Exception?.InnerException?.Message}; instance {instanceId}: {instance?.RuntimeStatus} {instance?.SerializedCustomStatus} {instance?.FailureDetails?.ErrorMessage}");
            }).Unwrap();
        Assert.Equal(ApplicationStatus.UnderReview, state);
        Assert.Single(await HistoryWithAsync(results[0].ApplicationId, "UnderReview"), a => a.ToState == "UnderReview");
    }

    [Fact]
    public async Task BarredEnterprise_EndsIneligibleWithTheReasonAndNoReviewRequest()
    {
        const string city = "xinzhou";
        var barredUntil = new DateTime(DateTime.UtcNow.Year + 2, 6, 30, 0, 0, 0, DateTimeKind.Utc);
        var enterprise = await RegisterAsync(A.Enterprise().InCity(city).BarredUntil(barredUntil).Build());

        var (applicationId, _, _) = await fixture.Get<ApplicationService>().SubmitForAsync(enterprise, 0, fixture.Client, CancellationToken.None);
        var outcome = await WaitForCompletionAsync(applicationId);

        Assert.Equal(new ApplicationOutcome(applicationId, ApplicationStatus.Ineligible, null), outcome);
        var app = await fixture.Get<ApplicationStore>().GetRequiredAsync(applicationId);
        Assert.Equal(ApplicationStatus.Ineligible, app.State);
        var reason = Assert.Single((app.IneligibleReasons ?? "").Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.Contains("barred", reason, StringComparison.Ordinal);
        Assert.Contains(barredUntil.ToString("yyyy-MM-dd"), reason, StringComparison.Ordinal);
        Assert.Equal(0, app.Round);
        Assert.Equal(["Submitted", "Ineligible"], (await AuditAsync(applicationId)).Select(a => a.ToState));
        var inbox = await InboxAsync(Addresses.Enterprise(enterprise.Uscc));
        var notice = Assert.Single(inbox, n => n.NotificationId == $"ineligible-{applicationId}");
        Assert.Equal("创新券申请不符合申请条件", notice.Subject);
        Assert.Contains($"企业因违规被限制申请，至 {barredUntil:yyyy-MM-dd} 止", notice.Body, StringComparison.Ordinal);
        Assert.Equal([$"{WorkflowServices.PublicBaseUrl}/portal/applications/{applicationId}"], notice.ToNotification().Links.Select(l => l.Url));
        Assert.DoesNotContain(inbox, n => n.NotificationId == $"accepted-{applicationId}");
        AssertChineseOnlyWithPortalLinks(inbox);
        Assert.Empty(await InboxAsync(Addresses.CityBureau(city)));
        Assert.Empty(await fixture.Get<VoucherRepository>().ForEnterpriseAsync(enterprise.Uscc));
    }

    /// <summary>No English in a subject or body, and every link opens a portal page (never the API).</summary>
    static void AssertChineseOnlyWithPortalLinks(IEnumerable<NotificationEntity> messages)
    {
        foreach (var n in messages)
        {
            Assert.DoesNotMatch("[A-Za-z]{3,}", n.Subject);
            Assert.DoesNotMatch("[A-Za-z]{3,}", System.Text.RegularExpressions.Regex.Replace(n.Body, "[0-9A-Z]{18}-[0-9]{4}-[0-9]{2}", ""));
            Assert.All(n.ToNotification().Links, l => Assert.DoesNotContain("/api/", l.Url, StringComparison.Ordinal));
        }
    }

    [Fact]
    public async Task ADecisionTheEngineDropped_IsRaisedAgainByTheSweep_AppliedOnce_AndItsRowCleared()
    {
        // The scale-out test's lost approval: the engine discarded the decision (raised while the orchestration's start
        // was not committed). Here the raise goes nowhere; the accepted decision was kept, and the sweep delivers it.
        const string city = "jincheng";
        var enterprise = await RegisterAsync(A.Enterprise().InCity(city).Build());
        var (applicationId, _, _) = await fixture.Get<ApplicationService>().SubmitForAsync(enterprise, 0, fixture.Client, CancellationToken.None);
        var app = await WaitForStateAsync(applicationId, ApplicationStatus.UnderReview);
        var dropped = new Mock<DurableTaskClient>("dropped");
        dropped.Setup(c => c.RaiseEventAsync(It.IsAny<string>(), It.IsAny<string>(), It.IsAny<object?>(), It.IsAny<CancellationToken>())).Returns(Task.CompletedTask);
        var decision = new ReviewDecision(1, true, null, Addresses.CityBureau(city));
        Assert.Equal(DecisionOutcome.Accepted, await fixture.Get<ReviewDecisions>().DecideAsync(app, decision, dropped.Object, CancellationToken.None));

        var pending = fixture.Get<PendingReviewDecisions>();
        var rowKey = pending.RowKeyOf(applicationId, decision);
        Assert.Equal(1, Assert.Single(await pending.ListAsync(CancellationToken.None), p => p.RowKey == rowKey).Attempts);
        Assert.Equal(0, await pending.RedeliverAsync(fixture.Client, CancellationToken.None)); // younger than RedeliverAfter: left alone
        Assert.True(await pending.RedeliverAsync(fixture.Client, CancellationToken.None, minAge: TimeSpan.Zero) >= 1);

        var outcome = await WaitForCompletionAsync(applicationId);
        Assert.Equal(ApplicationStatus.Approved, outcome.Status);
        await Eventually.UntilAsync(() => pending.ListAsync(CancellationToken.None), rows => rows.All(p => p.RowKey != rowKey), Timeout, "the decision's row cleared by the step that applied it");
        Assert.Single(await AuditAsync(applicationId), a => a.ToState == "Approved");
        Assert.Single(await fixture.Get<VoucherRepository>().ForEnterpriseAsync(enterprise.Uscc));
    }

    async Task<EnterpriseEntity> RegisterAsync(EnterpriseEntity enterprise)
    {
        await fixture.Get<VoucherStore>().UpsertAsync(VoucherStore.Enterprises, enterprise);
        return enterprise;
    }

    Task<ApplicationEntity> WaitForStateAsync(string applicationId, ApplicationStatus state) =>
        Eventually.UntilAsync(
            async () => (await fixture.Get<ApplicationStore>().GetAsync(applicationId))!,
            a => a?.State == state,
            Timeout,
            $"application {applicationId} reaches {state}");

    async Task<ApplicationOutcome> WaitForCompletionAsync(string applicationId)
    {
        using var cts = new CancellationTokenSource(Timeout);
        var metadata = await fixture.Client.WaitForInstanceCompletionAsync(ApplicationStore.InstanceId(applicationId), getInputsAndOutputs: true, cts.Token);
        Assert.True(metadata.RuntimeStatus == OrchestrationRuntimeStatus.Completed, $"orchestration ended {metadata.RuntimeStatus}: {metadata.FailureDetails?.ErrorMessage}");
        return metadata.ReadOutputAs<ApplicationOutcome>()!;
    }

    /// <summary>The history once it holds an entry into <paramref name="state"/>: the step writes the row, then the entry.</summary>
    Task<List<AuditEntry>> HistoryWithAsync(string applicationId, string state) =>
        Eventually.UntilAsync(() => AuditAsync(applicationId), entries => entries.Any(a => a.ToState == state), Timeout, $"{applicationId}: the entry into {state}");

    async Task<List<AuditEntry>> AuditAsync(string applicationId) =>
        (await fixture.Get<AuditLog>().ReadAsync(AuditSubjects.Application(applicationId))).OrderBy(a => a.RowKey, StringComparer.Ordinal).ToList();

    Task<List<NotificationEntity>> InboxAsync(string address) =>
        fixture.Get<VoucherStore>().PartitionAsync<NotificationEntity>(VoucherStore.Inbox, address);
}
