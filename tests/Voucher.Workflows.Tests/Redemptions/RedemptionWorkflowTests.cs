using System.Text.Json;
using Microsoft.AspNetCore.Http;
using Microsoft.DurableTask.Client;
using Microsoft.Extensions.DependencyInjection;
using Voucher.Domain;
using Voucher.Testing;
using Voucher.Workflows.Audit;
using Voucher.Workflows.Marketplace;
using Voucher.Workflows.Enterprises;
using Voucher.Workflows.Evidence;
using Voucher.Workflows.Ledger;
using Voucher.Workflows.Links;
using Voucher.Workflows.Notifications;
using Voucher.Workflows.Policies;
using Voucher.Workflows.Redemptions;
using Voucher.Workflows.Security;
using Voucher.Workflows.Storage;
using Voucher.Workflows.Tests.Support;
using Voucher.Workflows.Vouchers;

namespace Voucher.Workflows.Tests.Redemptions;

/// <summary>
/// Flow 2 up to the settlement queue on the real Durable Task engine (in process) with the production activities over
/// Azurite: request, evidence, binding (system and seal), dispute and extension, withdrawal, duplicates. Each test
/// has its own enterprise and institution; the seal test owns its city's policy. The binding reminder and deadline
/// timers are days away, so they are covered with a mocked context in <see cref="RedemptionOrchestratorTests"/>.
/// </summary>
[Collection(RedemptionDurableCollection.Name)]
public sealed class RedemptionWorkflowTests(DurableHostFixture fixture)
{
    static readonly TimeSpan Timeout = TimeSpan.FromSeconds(30);
    static readonly Cny Paid = Cny.FromYuan(80_000m);

    DurableTaskClient Client => fixture.Host.Client;

    T Get<T>()
        where T : notnull => fixture.Services.GetRequiredService<T>();

    VoucherStore Store => Get<VoucherStore>();

    sealed record Seeded(EnterpriseEntity Enterprise, VoucherEntity Voucher, InstitutionEntity Institution, ServiceEntity Service)
    {
        public VoucherPrincipal Sme => new("sme-user", "SME", Role.Enterprise, Enterprise.Uscc);

        public string InstitutionAddress => Addresses.For(Role.Institution, Institution.InstitutionId);

        public CreateRedemptionRequest Request(decimal paid = 80_000m) =>
            new(Voucher.VoucherId, Institution.InstitutionId, Service.RowKey, false, "HT-2026-0042", paid);
    }

    async Task<Seeded> SeedAsync(string city, Action<VoucherEntity>? voucher = null)
    {
        var now = DateTimeOffset.UtcNow;
        var today = ChinaTime.DateOf(now);
        var enterprise = TestEnterprises.Registered(city);
        await Store.UpsertAsync(VoucherStore.Enterprises, enterprise);
        var applicationId = $"{enterprise.Uscc}-{today.Year}-01";
        var v = new VoucherEntity
        {
            PartitionKey = enterprise.Uscc,
            RowKey = VoucherEntity.IdFor(applicationId),
            ApplicationId = applicationId,
            CityCode = city,
            FaceValueFen = Cny.FromYuan(50_000m).Fen,
            IssuedOn = today.ToString("yyyy-MM-dd"),
            ExpiresOn = today.AddYears(1).ToString("yyyy-MM-dd"),
            IssuedAt = now,
            PolicyVersion = 1,
        };
        voucher?.Invoke(v);
        await Store.UpsertAsync(VoucherStore.Vouchers, v);
        var institutionId = "inst-" + Guid.NewGuid().ToString("N")[..10];
        var institution = new InstitutionEntity
        {
            PartitionKey = institutionId, CityCode = city, Name = "山西测试分析中心 Test Lab", Type = "university",
            Code = institutionId.ToUpperInvariant(), SharingPlatformId = $"SX-OSP-{institutionId}", Verified = true,
        };
        await Store.UpsertAsync(VoucherStore.Institutions, institution);
        var service = new ServiceEntity
        {
            PartitionKey = institutionId, RowKey = "svc-icp-ms", Title = "ICP-MS 微量元素检测", Category = "testing", CityCode = city,
            Description = "test service", PriceFromFen = 8_000_000, PriceToFen = 30_000_000, TurnaroundDays = 7,
        };
        await Store.UpsertAsync(VoucherStore.Services, service);
        return new Seeded(enterprise, v, institution, service);
    }

    async Task<RedemptionEntity> CreateAsync(Seeded s, decimal paid = 80_000m)
    {
        var outcome = await Get<RedemptionHandlers>().CreateForAsync(s.Sme, s.Request(paid), Client, CancellationToken.None);
        Assert.Null(outcome.Problem);
        Assert.False(outcome.Existing);
        return outcome.Redemption!;
    }

    Task<RedemptionEntity> WaitForAsync(string id, Func<RedemptionEntity, bool> accept, string because) =>
        Eventually.UntilAsync(async () => (await Get<RedemptionStore>().GetAsync(id))!, r => r is not null && accept(r), Timeout, $"{id}: {because}");

    Task<RedemptionEntity> WaitForRoundAsync(string id, int round) =>
        WaitForAsync(id, r => r.State == RedemptionStatus.AwaitingBinding && r.BindingRound == round && r.BindingDeadline is not null, $"binding round {round} opened");

    Task<RedemptionEntity> WaitForStateAsync(string id, RedemptionStatus state) =>
        WaitForAsync(id, r => r.State == state, $"reaches {state}");

    async Task<Dictionary<EvidenceKind, byte[]>> UploadEvidenceAsync(Seeded s, string id, bool raise = true)
    {
        var files = new Dictionary<EvidenceKind, byte[]>
        {
            [EvidenceKind.Report] = TestFiles.Pdf(4000, "result report"),
            [EvidenceKind.Contract] = TestFiles.Pdf(3000, "service contract"),
            [EvidenceKind.Payment] = TestFiles.Png(2000),
        };
        foreach (var (kind, bytes) in files)
        {
            var result = await Get<EvidenceStore>().UploadAsync(id, kind, new MemoryStream(bytes), bytes.Length, $"{kind}.bin", Addresses.Enterprise(s.Enterprise.Uscc), CancellationToken.None);
            Assert.Null(result.Error);
        }

        Assert.True(await Get<EvidenceStore>().IsCompleteAsync(id, CancellationToken.None));
        if (raise)
        {
            await RaiseAsync(id, new RedemptionEvent(RedemptionEvent.EvidenceComplete, 0, true, null, Addresses.Enterprise(s.Enterprise.Uscc)));
        }

        return files;
    }

    Task RaiseAsync(string id, RedemptionEvent ev) => Get<RedemptionEvents>().RaiseAsync(id, ev, Client, CancellationToken.None);

    Task<BindingOutcome> BindAsync(RedemptionEntity r, int round, bool confirm, string? reason, string actor) =>
        Get<RedemptionEvents>().BindAsync(r, round, confirm, reason, actor, Client, CancellationToken.None);

    async Task<string> WaitForCompletionAsync(string id)
    {
        using var cts = new CancellationTokenSource(Timeout);
        var metadata = await Client.WaitForInstanceCompletionAsync(RedemptionStore.InstanceId(id), getInputsAndOutputs: true, cts.Token);
        Assert.True(metadata.RuntimeStatus == OrchestrationRuntimeStatus.Completed, $"orchestration ended {metadata.RuntimeStatus}: {metadata.FailureDetails?.ErrorMessage}");
        return metadata.ReadOutputAs<string>()!;
    }

    async Task<List<AuditEntry>> AuditAsync(string id) =>
        (await Get<AuditLog>().ReadRedemptionAsync(id, (await Get<RedemptionStore>().GetAsync(id))?.BatchId)).ToList();

    /// <summary>The audit trail once it has <paramref name="count"/> entries (the entry is written just after the row changes).</summary>
    Task<List<AuditEntry>> AuditAsync(string id, int count) =>
        Eventually.UntilAsync(() => AuditAsync(id), a => a.Count >= count, Timeout, $"{id}: {count} audit entries");

    Task<List<NotificationEntity>> InboxAsync(string address) => Store.PartitionAsync<NotificationEntity>(VoucherStore.Inbox, address);

    /// <summary>The one notification with this id (sent just after the row changes, so waited for).</summary>
    async Task<NotificationEntity> NotificationAsync(string address, string notificationId)
    {
        var inbox = await Eventually.UntilAsync(() => InboxAsync(address), i => i.Any(n => n.NotificationId == notificationId), Timeout, $"{notificationId} in {address}");
        return Assert.Single(inbox, n => n.NotificationId == notificationId);
    }

    async Task<SettlementQueueEntity?> QueueRowAsync(RedemptionEntity r) =>
        (await Store.PartitionAsync<SettlementQueueEntity>(VoucherStore.SettlementQueue, r.CityCode, 5000)).SingleOrDefault(q => q.RedemptionId == r.RedemptionId);

    async Task<CapLedgerEntity?> LedgerAsync(string uscc, int year) =>
        await Store.GetAsync<CapLedgerEntity>(VoucherStore.Ledger, uscc, CapLedger.RowKey(year));

    /// <summary>System binding, evidence first: requested → round 1 → evidence complete → bound → queued.</summary>
    async Task<(Seeded Seed, RedemptionEntity Queued, Dictionary<EvidenceKind, byte[]> Files)> QueueOneAsync(string city)
    {
        var s = await SeedAsync(city);
        var created = await CreateAsync(s);
        var r = await WaitForRoundAsync(created.RedemptionId, 1);
        var files = await UploadEvidenceAsync(s, r.RedemptionId);
        r = await WaitForAsync(r.RedemptionId, x => x.EvidenceComplete, "evidence complete recorded");
        Assert.Equal(RedemptionStatus.AwaitingBinding, r.State);
        Assert.Equal(BindingOutcome.Accepted, await BindAsync(r, 1, true, null, s.InstitutionAddress));
        return (s, await WaitForStateAsync(r.RedemptionId, RedemptionStatus.Queued), files);
    }

    [Fact]
    public async Task EvidenceThenBinding_QueuesWithThePayoutStepsPolicyVersionReservationAndQueueRow()
    {
        const string city = "taiyuan";
        var before = ChinaTime.DateOf(DateTime.UtcNow);
        var (s, r, files) = await QueueOneAsync(city);
        var id = r.RedemptionId;

        // The request as recorded.
        Assert.Equal(RedemptionStore.NewId(s.Voucher.VoucherId, 1), id);
        Assert.Equal(s.Enterprise.Uscc, r.Uscc);
        Assert.Equal("system", r.BindingMode);
        Assert.Equal(1, r.PolicyVersion);
        Assert.Equal(Paid.Fen, r.AmountPaidFen);
        Assert.Equal(s.Institution.Name, r.InstitutionName);
        Assert.Equal("ICP-MS 微量元素检测", r.ServiceTitle);
        Assert.Equal((await Get<Voucher.Workflows.Policies.CalendarStore>().CurrentAsync()).AddWorkingDays(before, 5).ToString("yyyy-MM-dd"), r.BindingDeadline);
        Assert.True(r.Bound);
        Assert.Equal(s.InstitutionAddress, r.BoundBy);

        // Pay-out: 50,000 + 0.5 × 30,000 = 65,000, every step recorded with the policy version in force.
        Assert.Equal(Cny.FromYuan(65_000m).Fen, r.PayoutFen);
        var c = JsonSerializer.Deserialize<PayoutComputation>(r.PayoutJson!)!;
        Assert.Equal(Paid, c.Paid);
        Assert.Equal(Cny.FromYuan(50_000m), c.FaceValue);
        Assert.Equal(0.5m, c.ExcessRatio);
        Assert.Equal(Cny.FromYuan(200_000m), c.CapRemainingBefore);
        Assert.Equal(Cny.FromYuan(30_000m), c.Excess);
        Assert.Equal(Cny.FromYuan(15_000m), c.ExcessSubsidy);
        Assert.Equal(Cny.FromYuan(65_000m), c.Payout);
        Assert.Equal(
            [PayoutRules.WithinFaceRule, PayoutRules.ExcessRule, PayoutRules.ExcessSubsidyRule, PayoutRules.BeforeCapRule, PayoutRules.AnnualCapRule],
            c.Steps.Select(x => x.Rule));
        Assert.Equal(c.Payout, c.Steps[^1].Result);
        var year = ChinaTime.DateOf(r.QueuedAt!.Value).Year;
        Assert.Equal(year, r.CapYear);

        // The audit trail, each transition with the policy version.
        var audit = await AuditAsync(id, 4);
        Assert.Equal(["AwaitingBinding", "AwaitingBinding", "AwaitingEvidence", "Queued"], audit.Select(a => a.ToState));
        Assert.All(audit, a => Assert.Equal(1, a.PolicyVersion));
        Assert.Equal(s.InstitutionAddress, audit[2].Actor);
        Assert.Contains("65,000", audit[^1].Detail, StringComparison.Ordinal);

        // The annual-cap ledger holds the reservation; the city's settlement queue has the row.
        var ledger = (await LedgerAsync(s.Enterprise.Uscc, year))!;
        Assert.Equal(new Dictionary<string, long> { [id] = r.PayoutFen }, ledger.Reservations());
        Assert.Equal(r.PayoutFen, ledger.ReservedFen);
        Assert.Equal(0, ledger.GrantedFen);
        var queue = await QueueRowAsync(r);
        Assert.NotNull(queue);
        Assert.Equal(RedemptionStore.QueueRowKey(r), queue.RowKey);
        Assert.Equal(r.PayoutFen, queue.PayoutFen);

        // Evidence: server-chosen names, sizes and hashes of the bytes sent.
        var evidence = await Get<EvidenceStore>().ListAsync(id, CancellationToken.None);
        Assert.Equal(3, evidence.Count);
        foreach (var (kind, bytes) in files)
        {
            var e = evidence.Single(x => x.RowKey == EvidenceRules.Slug(kind));
            Assert.Equal(TestFiles.Sha256(bytes), e.Sha256);
            Assert.Equal(bytes.Length, e.Size);
            Assert.StartsWith($"{id}/{EvidenceRules.Slug(kind)}/", e.BlobName, StringComparison.Ordinal);
        }

        // The institution got a signed round-1 link; the SME heard that the redemption is queued.
        var request = await NotificationAsync(s.InstitutionAddress, $"binding-{id}-r1");
        var link = Assert.Single(request.ToNotification().Links).Url;
        Assert.StartsWith(WorkflowServices.PublicBaseUrl + "/binding/", link, StringComparison.Ordinal);
        Assert.Equal(LinkCheck.Valid, Get<LinkSigner>().Verify(link[(WorkflowServices.PublicBaseUrl + "/binding/").Length..], out var claims));
        Assert.Equal((RedemptionStore.InstanceId(id), BindingLinks.Action, s.InstitutionAddress, 1), (claims!.InstanceId, claims.Action, claims.Party, claims.Round));
        await NotificationAsync(Addresses.Enterprise(s.Enterprise.Uscc), $"queued-{id}");

        // Queued evidence is locked, and the orchestration waits for the settlement.
        var metadata = await Client.GetInstanceAsync(RedemptionStore.InstanceId(id));
        Assert.Equal(OrchestrationRuntimeStatus.Running, metadata!.RuntimeStatus);
    }

    [Fact]
    public async Task ALostEvent_IsRaisedAgainByTheSweep_AppliedOnce_AndItsPendingRowCleared()
    {
        var s = await SeedAsync("changzhi");
        var r = await WaitForRoundAsync((await CreateAsync(s)).RedemptionId, 1);
        var pending = Get<PendingRedemptionEvents>();
        var ev = new RedemptionEvent(RedemptionEvent.EvidenceComplete, 0, true, null, Addresses.Enterprise(s.Enterprise.Uscc));
        var rowKey = PendingRedemptionEvents.RowKeyOf(r.RedemptionId, ev);

        // The handler's record step happened, its raise was lost: nothing moves.
        await UploadEvidenceAsync(s, r.RedemptionId, raise: false);
        await pending.RecordAsync(r.RedemptionId, ev, CancellationToken.None);
        await Task.Delay(TimeSpan.FromSeconds(2));
        Assert.False((await Get<RedemptionStore>().GetAsync(r.RedemptionId))!.EvidenceComplete);
        Assert.Contains(await pending.ListAsync(CancellationToken.None), p => p.RowKey == rowKey);

        // A fresh event is not raised again yet; an old one is.
        Assert.DoesNotContain(await pending.ListAsync(CancellationToken.None), p => p.RowKey == rowKey && p.Attempts > 1);
        await pending.RedeliverAsync(Client, CancellationToken.None);
        Assert.Equal(1, (await pending.ListAsync(CancellationToken.None)).Single(p => p.RowKey == rowKey).Attempts);
        Assert.True(await pending.RedeliverAsync(Client, CancellationToken.None, minAge: TimeSpan.Zero) >= 1);

        var applied = await WaitForAsync(r.RedemptionId, x => x.EvidenceComplete, "evidence complete after the redelivery");
        Assert.Equal(RedemptionStatus.AwaitingBinding, applied.State);
        await Eventually.UntilAsync(() => pending.ListAsync(CancellationToken.None), rows => rows.All(p => p.RowKey != rowKey), Timeout, "pending row cleared by the activity");

        // The same event once more (a redelivery racing a slow apply): handled, its row cleared, nothing changes.
        await RaiseAsync(r.RedemptionId, ev);
        await Eventually.UntilAsync(() => pending.ListAsync(CancellationToken.None), rows => rows.All(p => p.RowKey != rowKey), Timeout, "duplicate's pending row cleared");
        var after = (await Get<RedemptionStore>().GetAsync(r.RedemptionId))!;
        Assert.Equal(applied.EvidenceCompleteAt, after.EvidenceCompleteAt);
        Assert.Equal(applied.State, after.State);
    }

    [Fact]
    public async Task WithdrawWhileQueued_ReleasesTheReservationRemovesTheQueueRowAndCompletes()
    {
        var (s, r, _) = await QueueOneAsync("lvliang");
        Assert.True(RedemptionTransitions.CanWithdraw(r.State));

        await RaiseAsync(r.RedemptionId, new RedemptionEvent(RedemptionEvent.Withdraw, r.BindingRound, true, null, Addresses.Enterprise(s.Enterprise.Uscc)));

        Assert.Equal(nameof(RedemptionStatus.Withdrawn), await WaitForCompletionAsync(r.RedemptionId));
        var withdrawn = await Get<RedemptionStore>().GetRequiredAsync(r.RedemptionId);
        Assert.Equal(RedemptionStatus.Withdrawn, withdrawn.State);
        Assert.Equal(Addresses.Enterprise(s.Enterprise.Uscc), withdrawn.WithdrawnBy);
        Assert.NotNull(withdrawn.WithdrawnAt);
        var ledger = (await LedgerAsync(s.Enterprise.Uscc, r.CapYear))!;
        Assert.Empty(ledger.Reservations());
        Assert.Equal(0, ledger.ReservedFen);
        Assert.Equal(0, ledger.GrantedFen);
        Assert.Equal(Cny.FromYuan(200_000m), (await Get<CapLedger>().GetAsync(s.Enterprise.Uscc, r.CapYear, Cny.FromYuan(200_000m))).Remaining);
        Assert.Null(await QueueRowAsync(r));
        Assert.Equal("Withdrawn", (await AuditAsync(r.RedemptionId))[^1].ToState);
        await NotificationAsync(s.InstitutionAddress, $"withdrawn-{r.RedemptionId}-inst");

        // A new request on the same voucher is possible once the first is final.
        var again = await Get<RedemptionHandlers>().CreateForAsync(s.Sme, s.Request(), Client, CancellationToken.None);
        Assert.Null(again.Problem);
        Assert.Equal(RedemptionStore.NewId(s.Voucher.VoucherId, 2), again.Redemption!.RedemptionId);
    }

    [Fact]
    public async Task WithdrawAfterTheReviewStarted_ChangesNothingAndKeepsTheReservation()
    {
        var (s, r, _) = await QueueOneAsync("datong");
        // The settlement froze it into a batch (what FormSettlementBatch does to the row).
        var inBatch = await Get<RedemptionStore>().UpdateAsync(r.RedemptionId, e =>
        {
            e.MoveTo(RedemptionStatus.InBatch);
            e.BatchId = "test-batch";
            return true;
        });
        Assert.False(RedemptionTransitions.CanWithdraw(inBatch.State));

        // Applied directly through the production activity, so the test knows when it ran.
        var state = await Get<ApplyRedemptionEvent>().RunAsync(new RedemptionEventInput(
            r.RedemptionId, new RedemptionEvent(RedemptionEvent.Withdraw, 1, true, null, Addresses.Enterprise(s.Enterprise.Uscc)), DateTime.UtcNow));

        Assert.Equal(RedemptionStatus.InBatch, state.Status);
        Assert.False(state.Final);
        var after = await Get<RedemptionStore>().GetRequiredAsync(r.RedemptionId);
        Assert.Null(after.WithdrawnAt);
        Assert.Equal(r.PayoutFen, (await LedgerAsync(s.Enterprise.Uscc, r.CapYear))!.Reservations()[r.RedemptionId]);
        Assert.DoesNotContain(await AuditAsync(r.RedemptionId), a => a.ToState == "Withdrawn");
    }

    [Fact]
    public async Task Disputed_ThenTheBureauExtends_OpensANewRoundWithANewDeadlineAndLink()
    {
        var s = await SeedAsync("changzhi");
        var r = await WaitForRoundAsync((await CreateAsync(s)).RedemptionId, 1);
        var id = r.RedemptionId;

        Assert.Equal(BindingOutcome.Accepted, await BindAsync(r, 1, false, "合同金额与实际不符 (amount differs)", s.InstitutionAddress));
        var disputed = await WaitForStateAsync(id, RedemptionStatus.Disputed);
        Assert.Equal("合同金额与实际不符 (amount differs)", disputed.DisputeReason);
        Assert.False(disputed.Bound);
        await NotificationAsync(Addresses.Enterprise(s.Enterprise.Uscc), $"disputed-{id}-r1-ent");
        await NotificationAsync(Addresses.CityBureau("changzhi"), $"disputed-{id}-r1-city");
        Assert.Equal(BindingOutcome.NotAwaiting, await BindAsync(disputed, 1, true, null, s.InstitutionAddress));

        var bureau = Addresses.CityBureau("changzhi");
        Assert.True(await Get<RedemptionEvents>().ClaimAsync(id, "extend", 1, bureau, CancellationToken.None));
        Assert.False(await Get<RedemptionEvents>().ClaimAsync(id, "extend", 1, bureau, CancellationToken.None));
        var extendedOn = ChinaTime.DateOf(DateTime.UtcNow);
        await RaiseAsync(id, new RedemptionEvent(RedemptionEvent.ExtendBinding, 1, true, null, bureau));

        var round2 = await WaitForRoundAsync(id, 2);
        Assert.Null(round2.DisputeReason);
        Assert.Equal((await Get<Voucher.Workflows.Policies.CalendarStore>().CurrentAsync()).AddWorkingDays(extendedOn, 5).ToString("yyyy-MM-dd"), round2.BindingDeadline);
        Assert.NotNull(round2.BindingReminder);
        var request = await NotificationAsync(s.InstitutionAddress, $"binding-{id}-r2");
        Assert.Equal(LinkCheck.Valid, Get<LinkSigner>().Verify(request.ToNotification().Links[0].Url[(WorkflowServices.PublicBaseUrl + "/binding/").Length..], out var claims));
        Assert.Equal(2, claims!.Round);
        Assert.Equal(["AwaitingBinding", "AwaitingBinding", "Disputed", "AwaitingBinding", "AwaitingBinding"], (await AuditAsync(id, 5)).Select(a => a.ToState));

        // The stale round-1 answer no longer counts; the round-2 answer binds.
        Assert.Equal(BindingOutcome.NotAwaiting, await BindAsync(round2, 1, true, null, s.InstitutionAddress));
        Assert.Equal(BindingOutcome.Accepted, await BindAsync(round2, 2, true, null, s.InstitutionAddress));
        var bound = await WaitForStateAsync(id, RedemptionStatus.AwaitingEvidence);
        Assert.Equal(2, bound.BindingRound);
        Assert.True(bound.Bound);
    }

    [Fact]
    public async Task SealMode_NoBindingLink_BoundBySeal_QueuedOnceTheEvidenceIsComplete()
    {
        const string city = "jincheng";
        var now = DateTimeOffset.UtcNow;
        var policies = Get<PolicyStore>();
        var current = await policies.GetCurrentAsync(city);
        var sealPolicy = current.NextVersion("province-admin", "seal binding for the test", now) with { BindingMode = BindingMode.Seal, ExcessRatio = 0.4m };
        Assert.True(await policies.TryPublishAsync(sealPolicy), "publishing the seal-mode policy");
        var s = await SeedAsync(city);

        var created = await CreateAsync(s);
        Assert.Equal("seal", created.BindingMode);
        Assert.Equal(sealPolicy.Version, created.PolicyVersion);
        var r = await WaitForAsync(created.RedemptionId, x => x.State == RedemptionStatus.AwaitingEvidence, "seal binding at once");

        Assert.True(r.Bound);
        Assert.Equal("seal", r.BoundBy);
        Assert.Equal(1, r.BindingRound);
        Assert.Null(r.BindingDeadline);
        Assert.Contains("seal", (await AuditAsync(r.RedemptionId, 2))[^1].Detail, StringComparison.Ordinal);
        Assert.Equal(BindingOutcome.AlreadyDone, await BindAsync(r, 1, true, null, s.InstitutionAddress));

        await UploadEvidenceAsync(s, r.RedemptionId);
        var queued = await WaitForStateAsync(r.RedemptionId, RedemptionStatus.Queued);

        // The version in force at the request decides: ratio 0.4 → 50,000 + 0.4 × 30,000 = 62,000.
        Assert.Equal(Cny.FromYuan(62_000m).Fen, queued.PayoutFen);
        Assert.Equal(0.4m, JsonSerializer.Deserialize<PayoutComputation>(queued.PayoutJson!)!.ExcessRatio);
        Assert.All(await AuditAsync(r.RedemptionId, 3), a => Assert.Equal(sealPolicy.Version, a.PolicyVersion));
        Assert.NotNull(await QueueRowAsync(queued));
        Assert.DoesNotContain(await InboxAsync(s.InstitutionAddress), n => n.NotificationId.StartsWith("binding", StringComparison.Ordinal));
    }

    [Fact]
    public async Task DuplicateBindingAnswer_SecondIsAlreadyDone_FirstAnswerStands()
    {
        var s = await SeedAsync("yuncheng");
        var r = await WaitForRoundAsync((await CreateAsync(s)).RedemptionId, 1);

        var first = await BindAsync(r, 1, true, null, s.InstitutionAddress);
        // The same (now stale) view, a different answer from someone else: the round is used up.
        var second = await BindAsync(r, 1, false, "changed our mind", s.InstitutionAddress + ":someone-else");
        var bound = await WaitForStateAsync(r.RedemptionId, RedemptionStatus.AwaitingEvidence);
        var third = await BindAsync(bound, 1, true, null, s.InstitutionAddress);

        Assert.Equal(BindingOutcome.Accepted, first);
        Assert.Equal(BindingOutcome.AlreadyDone, second);
        Assert.Equal(BindingOutcome.AlreadyDone, third);
        Assert.Equal(s.InstitutionAddress, bound.BoundBy);
        Assert.Null(bound.DisputeReason);
        Assert.True(await Get<RedemptionEvents>().IsBindingAnsweredAsync(r.RedemptionId, 1, CancellationToken.None));
    }

    [Fact]
    public async Task BindingEventRaisedTwice_OneTransition()
    {
        var s = await SeedAsync("xinzhou");
        var r = await WaitForRoundAsync((await CreateAsync(s)).RedemptionId, 1);

        await RaiseAsync(r.RedemptionId, new RedemptionEvent(RedemptionEvent.Binding, 1, true, null, s.InstitutionAddress));
        await RaiseAsync(r.RedemptionId, new RedemptionEvent(RedemptionEvent.Binding, 1, false, "second answer", s.InstitutionAddress + ":other"));
        // Events are handled in order: once the later evidence event has queued the redemption, both bindings were applied.
        await UploadEvidenceAsync(s, r.RedemptionId);
        var queued = await WaitForStateAsync(r.RedemptionId, RedemptionStatus.Queued);

        Assert.Equal(s.InstitutionAddress, queued.BoundBy);
        Assert.Null(queued.DisputeReason);
        var audit = await AuditAsync(r.RedemptionId, 4);
        Assert.Single(audit, a => a.ToState == "AwaitingEvidence");
        Assert.DoesNotContain(audit, a => a.ToState == "Disputed");
        Assert.Single(audit, a => a.ToState == "Queued");
        Assert.Equal(queued.PayoutFen, (await LedgerAsync(s.Enterprise.Uscc, queued.CapYear))!.ReservedFen);
    }

    [Fact]
    public async Task BindingBeforeEvidence_WaitsForTheEvidenceThenQueues()
    {
        var s = await SeedAsync("linfen");
        var r = await WaitForRoundAsync((await CreateAsync(s)).RedemptionId, 1);

        Assert.Equal(BindingOutcome.Accepted, await BindAsync(r, 1, true, null, s.InstitutionAddress));
        var bound = await WaitForStateAsync(r.RedemptionId, RedemptionStatus.AwaitingEvidence);
        Assert.False(bound.EvidenceComplete);
        Assert.Equal(0, bound.PayoutFen);

        // Two of three files and the event: still waiting (cannot go to review until all three are valid).
        var report = TestFiles.Pdf();
        await Get<EvidenceStore>().UploadAsync(r.RedemptionId, EvidenceKind.Report, new MemoryStream(report), report.Length, "r.pdf", "enterprise:x", CancellationToken.None);
        var contract = TestFiles.Pdf();
        await Get<EvidenceStore>().UploadAsync(r.RedemptionId, EvidenceKind.Contract, new MemoryStream(contract), contract.Length, "c.pdf", "enterprise:x", CancellationToken.None);
        await RaiseAsync(r.RedemptionId, new RedemptionEvent(RedemptionEvent.EvidenceComplete, 0, true, null, "enterprise:x"));
        // The third file was refused by content: still incomplete.
        var text = TestFiles.Text;
        Assert.NotNull((await Get<EvidenceStore>().UploadAsync(r.RedemptionId, EvidenceKind.Payment, new MemoryStream(text), text.Length, "p.pdf", "enterprise:x", CancellationToken.None)).Error);
        await Task.Delay(1500);
        var waiting = await Get<RedemptionStore>().GetRequiredAsync(r.RedemptionId);
        Assert.Equal(RedemptionStatus.AwaitingEvidence, waiting.State);
        Assert.False(waiting.EvidenceComplete);

        await UploadEvidenceAsync(s, r.RedemptionId);
        var queued = await WaitForStateAsync(r.RedemptionId, RedemptionStatus.Queued);
        Assert.Equal(Cny.FromYuan(65_000m).Fen, queued.PayoutFen);
    }

    [Theory]
    [InlineData("expired", StatusCodes.Status422UnprocessableEntity)]
    [InlineData("used-up", StatusCodes.Status422UnprocessableEntity)]
    [InlineData("revoked", StatusCodes.Status422UnprocessableEntity)]
    [InlineData("other-enterprise", StatusCodes.Status403Forbidden)]
    [InlineData("unknown-voucher", StatusCodes.Status404NotFound)]
    [InlineData("unverified-institution", StatusCodes.Status400BadRequest)]
    [InlineData("unknown-service", StatusCodes.Status400BadRequest)]
    [InlineData("ineligible-category", StatusCodes.Status400BadRequest)]
    public async Task Request_ForAVoucherThatCannotBeRedeemed_IsAClear4xxAndStartsNothing(string what, int status)
    {
        var today = ChinaTime.DateOf(DateTime.UtcNow);
        var s = await SeedAsync("jinzhong", v =>
        {
            switch (what)
            {
                case "expired":
                    v.IssuedOn = today.AddYears(-1).ToString("yyyy-MM-dd");
                    v.ExpiresOn = today.AddDays(-1).ToString("yyyy-MM-dd");
                    break;
                case "used-up":
                    v.UsedFen = v.FaceValueFen;
                    break;
                case "revoked":
                    v.Revoked = true;
                    break;
            }
        });
        if (what == "unverified-institution")
        {
            s.Institution.MoveTo(InstitutionStatus.Pending);
            await Store.UpsertAsync(VoucherStore.Institutions, s.Institution);
        }

        if (what == "ineligible-category")
        {
            // A category the province policy does not list (nor the catalogue knows): vouchers cannot pay for it.
            s.Service.Category = "equipment-purchase";
            await Store.UpsertAsync(VoucherStore.Services, s.Service);
        }

        var principal = what == "other-enterprise" ? new VoucherPrincipal("u2", "Other SME", Role.Enterprise, TestEnterprises.NewUscc("jinzhong")) : s.Sme;
        var request = what switch
        {
            "unknown-voucher" => s.Request() with { VoucherId = VoucherEntity.IdFor($"{s.Enterprise.Uscc}-{today.Year}-09") },
            "unknown-service" => s.Request() with { ServiceId = "svc-none" },
            _ => s.Request(),
        };

        var outcome = await Get<RedemptionHandlers>().CreateForAsync(principal, request, Client, CancellationToken.None);

        Assert.Null(outcome.Redemption);
        var problem = Assert.IsAssignableFrom<IStatusCodeHttpResult>(outcome.Problem);
        Assert.Equal(status, problem.StatusCode);
        if (what == "ineligible-category")
        {
            var details = Assert.IsAssignableFrom<IValueHttpResult>(outcome.Problem).Value as Microsoft.AspNetCore.Mvc.ProblemDetails;
            Assert.Contains("not eligible for vouchers under province policy", System.Text.Json.JsonSerializer.Serialize(details!, details!.GetType()), StringComparison.Ordinal);
        }

        if (what == "expired")
        {
            var details = Assert.IsAssignableFrom<IValueHttpResult>(outcome.Problem).Value as Microsoft.AspNetCore.Mvc.ProblemDetails;
            Assert.Contains($"expired on {s.Voucher.ExpiresOn}", details!.Detail, StringComparison.Ordinal);
        }

        Assert.Empty(await Get<RedemptionStore>().ForEnterpriseAsync(s.Enterprise.Uscc));
        Assert.Null(await Client.GetInstanceAsync(RedemptionStore.InstanceId(RedemptionStore.NewId(s.Voucher.VoucherId, 1))));
    }

    [Fact]
    public async Task Request_Twice_SameRequestIsTheExistingOne_DifferentOneIsAConflict()
    {
        var s = await SeedAsync("yangquan");
        var first = await CreateAsync(s);

        var same = await Get<RedemptionHandlers>().CreateForAsync(s.Sme, s.Request(), Client, CancellationToken.None);
        var different = await Get<RedemptionHandlers>().CreateForAsync(s.Sme, s.Request(90_000m), Client, CancellationToken.None);

        Assert.True(same.Existing);
        Assert.Equal(first.RedemptionId, same.Redemption!.RedemptionId);
        Assert.Equal(StatusCodes.Status409Conflict, Assert.IsAssignableFrom<IStatusCodeHttpResult>(different.Problem).StatusCode);
        Assert.Single(await Get<RedemptionStore>().ForEnterpriseAsync(s.Enterprise.Uscc));
    }
}
