using Voucher.Workflows.Tests.Redemptions;

namespace Voucher.Workflows.Tests.Durable;

/// <summary>
/// Nothing stays "submitted" when a host dies between writing a record and scheduling its orchestration: the
/// submission's pending start is left behind, and the sweep (both hosts' outbox sweep) starts the orchestration under the
/// business id once, on the real engine in process. The crash is the request failing at its scheduling call, which
/// leaves storage exactly as a host killed at that point does.
/// </summary>
[Collection(DurableCollection.Name)]
public sealed class PendingStartsTests(DurableHostFixture fixture)
{
    static readonly TimeSpan Timeout = TimeSpan.FromSeconds(30);

    PendingStarts Sweep => fixture.Get<PendingStarts>();

    static DurableTaskClient Dying()
    {
        var client = new Mock<DurableTaskClient>("dying");
        client.Setup(c => c.ScheduleNewOrchestrationInstanceAsync(It.IsAny<TaskName>(), It.IsAny<object?>(), It.IsAny<StartOrchestrationOptions?>(), It.IsAny<CancellationToken>()))
            .ThrowsAsync(new IOException("the host died before scheduling the orchestration"));
        return client.Object;
    }

    async Task<PendingStartEntity?> PendingAsync(string kind, string id) =>
        (await Sweep.ListAsync(CancellationToken.None)).SingleOrDefault(p => p.RowKey == PendingStarts.RowKeyOf(kind, id));

    [Fact]
    public async Task AnApplicationWhoseHostDiedBeforeItsStart_IsStartedByTheSweep_Once()
    {
        var enterprise = A.Enterprise().InCity("xinzhou").Build();
        await fixture.Get<VoucherStore>().UpsertAsync(VoucherStore.Enterprises, enterprise);
        var service = fixture.Get<ApplicationService>();
        await Assert.ThrowsAsync<IOException>(() => service.SubmitForAsync(enterprise, 0, Dying(), CancellationToken.None));

        // As the dying host left it: the row "submitted", no orchestration, its pending start.
        var app = Assert.Single(await fixture.Get<VoucherStore>().PartitionAsync<ApplicationEntity>(VoucherStore.Applications, enterprise.Uscc));
        Assert.Equal(ApplicationStatus.Submitted, app.State);
        var instanceId = ApplicationStore.InstanceId(app.ApplicationId);
        Assert.Null(await fixture.Client.GetInstanceAsync(instanceId));
        Assert.NotNull(await PendingAsync(ApplicationStarts.KindName, app.ApplicationId));

        // A sweep before the minute is up leaves a submission that may still be in progress alone.
        Assert.Equal(0, await Sweep.HealAsync(fixture.Client, CancellationToken.None));
        Assert.Null(await fixture.Client.GetInstanceAsync(instanceId));

        // Then it starts it; the sweep again (the other host's, a later tick) starts nothing more.
        Assert.Equal(1, await Sweep.HealAsync(fixture.Client, CancellationToken.None, minAge: TimeSpan.Zero));
        Assert.Null(await PendingAsync(ApplicationStarts.KindName, app.ApplicationId));
        Assert.Equal(0, await Sweep.HealAsync(fixture.Client, CancellationToken.None, minAge: TimeSpan.Zero));
        await Eventually.UntilAsync(async () => (await fixture.Get<ApplicationStore>().GetAsync(app.ApplicationId))!, a => a.State == ApplicationStatus.UnderReview, Timeout, "the healed application under review");

        // Once: one review round opened, one "under review" audit entry; the same submission again answers the same application.
        var audit = await Eventually.UntilAsync(() => fixture.Get<AuditLog>().ReadAsync(AuditSubjects.Application(app.ApplicationId)),
            entries => entries.Any(a => a.ToState == nameof(ApplicationStatus.UnderReview)), Timeout, "the review's audit entry (written just after the row)");
        Assert.Single(audit, a => a.ToState == nameof(ApplicationStatus.UnderReview));
        Assert.Equal(1, (await fixture.Get<ApplicationStore>().GetAsync(app.ApplicationId))!.Round);
        var again = await service.SubmitForAsync(enterprise, 0, fixture.Client, CancellationToken.None);
        Assert.Equal((app.ApplicationId, true), (again.ApplicationId, again.Existing));
    }

    [Fact]
    public async Task ARedemptionWhoseHostDiedBeforeItsStart_IsStartedByTheSweep_Once()
    {
        var flow = new RedemptionFlow(fixture);
        var s = await flow.SeedAsync("shuozhou");
        await Assert.ThrowsAsync<IOException>(() => flow.Get<RedemptionService>().RequestAsync(s.Sme, s.Request(), Dying(), CancellationToken.None));
        var id = RedemptionStore.NewId(s.Voucher.VoucherId, 1);
        Assert.Equal(1, (await flow.Get<RedemptionStore>().GetAsync(id))!.BindingRound); // the request opened round 1 itself
        Assert.Null(await fixture.Client.GetInstanceAsync(RedemptionStore.InstanceId(id)));

        Assert.Equal(1, await Sweep.HealAsync(fixture.Client, CancellationToken.None, minAge: TimeSpan.Zero));
        Assert.Equal(0, await Sweep.HealAsync(fixture.Client, CancellationToken.None, minAge: TimeSpan.Zero));
        var r = await flow.WaitForRoundAsync(id, 1);
        Assert.Null(await PendingAsync(RedemptionStarts.KindName, id));
        Assert.Single(await flow.AuditAsync(id, 2), a => a.Detail.StartsWith("第 1 轮机构确认", StringComparison.Ordinal));
        Assert.Equal(RedemptionStatus.AwaitingBinding, r.State);
    }

    [Fact]
    public async Task ASubmissionThatStarted_LeavesNoPendingStart_AndPendingStartsNotOwedAreNotStarted()
    {
        var enterprise = A.Enterprise().InCity("lvliang").Build();
        await fixture.Get<VoucherStore>().UpsertAsync(VoucherStore.Enterprises, enterprise);
        var (applicationId, _, _) = await fixture.Get<ApplicationService>().SubmitForAsync(enterprise, 0, fixture.Client, CancellationToken.None);
        Assert.Null(await PendingAsync(ApplicationStarts.KindName, applicationId));

        // The request died before its row: nothing to start, the pending start goes.
        var rowless = ApplicationStore.NewId(A.Enterprise().Build().Uscc, 2026, 1);
        await Sweep.RecordAsync(ApplicationStarts.KindName, rowless, CancellationToken.None);

        // A record of another task hub on the same storage (a test's other host, a staging slot): left to that hub.
        var other = A.Enterprise().InCity("lvliang").Build();
        var otherApp = A.Application(other).Build();
        await fixture.Get<ApplicationStore>().TryCreateAsync(otherApp);
        await fixture.Get<VoucherStore>().UpsertAsync(VoucherStore.PendingEvents, new PendingStartEntity
        {
            PartitionKey = PendingStarts.Partition, RowKey = PendingStarts.RowKeyOf(ApplicationStarts.KindName, otherApp.ApplicationId),
            Kind = ApplicationStarts.KindName, BusinessId = otherApp.ApplicationId, TaskHub = "anotherhub", RecordedAt = DateTimeOffset.UtcNow.AddMinutes(-5),
        });

        Assert.Equal(0, await Sweep.HealAsync(fixture.Client, CancellationToken.None, minAge: TimeSpan.Zero));
        Assert.Null(await PendingAsync(ApplicationStarts.KindName, rowless));
        Assert.Null(await fixture.Client.GetInstanceAsync(ApplicationStore.InstanceId(rowless)));
        Assert.NotNull(await PendingAsync(ApplicationStarts.KindName, otherApp.ApplicationId));
        Assert.Null(await fixture.Client.GetInstanceAsync(ApplicationStore.InstanceId(otherApp.ApplicationId)));
    }
}
