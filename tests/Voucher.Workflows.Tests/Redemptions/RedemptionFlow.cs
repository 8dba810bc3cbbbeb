namespace Voucher.Workflows.Tests.Redemptions;

/// <summary>What a redemption test starts from: an enterprise with a live voucher of 50,000, a verified institution and one of its services.</summary>
public sealed record SeededVoucher(EnterpriseEntity Enterprise, VoucherEntity Voucher, InstitutionEntity Institution, ServiceEntity Service)
{
    public VoucherPrincipal Sme => new("sme-user", "SME", Role.Enterprise, Enterprise.Uscc);

    public VoucherPrincipal InstitutionUser => new("inst-user", "Institution", Role.Institution, Institution.InstitutionId);

    public string InstitutionAddress => Addresses.For(Role.Institution, Institution.InstitutionId);

    public RequestRedemption Request(decimal paid = 80_000m) =>
        new(Voucher.VoucherId, Institution.InstitutionId, Service.RowKey, false, "HT-2026-0042", paid);

    /// <summary>A redemption row of this voucher at this institution and service (the rest as the test says).</summary>
    public RedemptionBuilder Redemption() =>
        A.Redemption(Voucher).ByEnterprise(Enterprise.Name).AtInstitution(Institution.InstitutionId, Institution.Name).ForService(Service.RowKey, Service.Title, Service.Category);

    /// <summary>Writes a new enterprise of <paramref name="city"/> with a live voucher (changed by <paramref name="voucher"/>), a verified institution and its service.</summary>
    public static async Task<SeededVoucher> SeedAsync(VoucherStore store, string city, Action<VoucherEntity>? voucher = null)
    {
        var enterprise = A.Enterprise().InCity(city).Build();
        await store.UpsertAsync(VoucherStore.Enterprises, enterprise);
        var v = A.Voucher(enterprise).Build();
        voucher?.Invoke(v);
        await store.UpsertAsync(VoucherStore.Vouchers, v);
        var institutionId = "inst-" + Guid.NewGuid().ToString("N")[..10];
        var institution = new InstitutionEntity
        {
            PartitionKey = institutionId, CityCode = city, Name = "山西测试分析中心 Test Lab", Type = "university",
            Code = institutionId.ToUpperInvariant(), SharingPlatformId = $"SX-OSP-{institutionId}", Verified = true,
        };
        await store.UpsertAsync(VoucherStore.Institutions, institution);
        var service = new ServiceEntity
        {
            PartitionKey = institutionId, RowKey = "svc-icp-ms", Title = "ICP-MS 微量元素检测", Category = "testing", CityCode = city,
            Description = "test service", PriceFromFen = 8_000_000, PriceToFen = 30_000_000, TurnaroundDays = 7,
        };
        await store.UpsertAsync(VoucherStore.Services, service);
        return new SeededVoucher(enterprise, v, institution, service);
    }
}

/// <summary>
/// Flow 2 on the real Durable engine for the redemption tests: seeds vouchers, requests redemptions through the
/// <see cref="RedemptionService"/>, uploads evidence, binds, and waits for the row, the audit trail and the messages.
/// </summary>
public sealed class RedemptionFlow(DurableHostFixture fixture)
{
    public static readonly TimeSpan Timeout = TimeSpan.FromSeconds(30);

    public DurableTaskClient Client => fixture.Host.Client;

    public VoucherStore Store => Get<VoucherStore>();

    public T Get<T>()
        where T : notnull => fixture.Services.GetRequiredService<T>();

    /// <summary>A new enterprise in <paramref name="city"/> with a voucher (changed by <paramref name="voucher"/>), a verified institution and its service.</summary>
    public Task<SeededVoucher> SeedAsync(string city, Action<VoucherEntity>? voucher = null) => SeededVoucher.SeedAsync(Store, city, voucher);

    /// <summary>Requests a redemption as the enterprise through the service, which starts its orchestration.</summary>
    public async Task<RedemptionEntity> CreateAsync(SeededVoucher s, decimal paid = 80_000m)
    {
        var outcome = await Get<RedemptionService>().RequestAsync(s.Sme, s.Request(paid), Client, CancellationToken.None);
        Assert.Null(outcome.Failure);
        Assert.False(outcome.Value.Existing);
        return outcome.Value.Redemption;
    }

    public Task<RedemptionEntity> WaitForAsync(string id, Func<RedemptionEntity, bool> accept, string because) =>
        Eventually.UntilAsync(async () => (await Get<RedemptionStore>().GetAsync(id))!, r => r is not null && accept(r), Timeout, $"{id}: {because}");

    public Task<RedemptionEntity> WaitForRoundAsync(string id, int round) =>
        WaitForAsync(id, r => r.State == RedemptionStatus.AwaitingBinding && r.BindingRound == round && r.BindingDeadline is not null, $"binding round {round} opened");

    public Task<RedemptionEntity> WaitForStateAsync(string id, RedemptionStatus state) =>
        WaitForAsync(id, r => r.State == state, $"reaches {state}");

    /// <summary>The three files stored directly, and (with <paramref name="raise"/>) the event the upload act raises once the set is complete.</summary>
    public async Task<Dictionary<EvidenceKind, byte[]>> UploadEvidenceAsync(SeededVoucher s, string id, bool raise = true)
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

    /// <summary>
    /// The row vouches for its whole status view (<see cref="RedemptionViewKey"/>) within seconds: the steps named what
    /// they wrote after the row, so a poll's 304 costs one read without waiting for a touch to settle.
    /// </summary>
    public Task VouchesForItsViewAsync(string id) =>
        Eventually.UntilAsync(
            async () => (await Get<RedemptionService>().DossierOfRowAsync((await Get<RedemptionStore>().GetAsync(id))!, CancellationToken.None)).Complete,
            complete => complete,
            TimeSpan.FromSeconds(10),
            $"{id}: the row vouches for its view");

    public Task RaiseAsync(string id, RedemptionEvent ev) => Get<RedemptionEvents>().RaiseAsync(id, ev, Client, CancellationToken.None);

    public Task<BindingOutcome> BindAsync(RedemptionEntity r, int round, bool confirm, string? reason, string actor) =>
        Get<RedemptionEvents>().BindAsync(r, round, confirm, reason, actor, Client, CancellationToken.None);

    public async Task<string> WaitForCompletionAsync(string id)
    {
        using var cts = new CancellationTokenSource(Timeout);
        var metadata = await Client.WaitForInstanceCompletionAsync(RedemptionStore.InstanceId(id), getInputsAndOutputs: true, cts.Token);
        Assert.True(metadata.RuntimeStatus == OrchestrationRuntimeStatus.Completed, $"orchestration ended {metadata.RuntimeStatus}: {metadata.FailureDetails?.ErrorMessage}");
        return metadata.ReadOutputAs<string>()!;
    }

    public async Task<List<AuditEntry>> AuditAsync(string id) =>
        (await Get<AuditLog>().ReadRedemptionAsync(id, (await Get<RedemptionStore>().GetAsync(id))?.BatchId)).ToList();

    /// <summary>The audit trail once it has <paramref name="count"/> entries (the entry is written just after the row changes).</summary>
    public Task<List<AuditEntry>> AuditAsync(string id, int count) =>
        Eventually.UntilAsync(() => AuditAsync(id), a => a.Count >= count, Timeout, $"{id}: {count} audit entries");

    public Task<List<NotificationEntity>> InboxAsync(string address) => Store.PartitionAsync<NotificationEntity>(VoucherStore.Inbox, address);

    /// <summary>The one notification with this id (sent just after the row changes, so waited for).</summary>
    public async Task<NotificationEntity> NotificationAsync(string address, string notificationId)
    {
        var inbox = await Eventually.UntilAsync(() => InboxAsync(address), i => i.Any(n => n.NotificationId == notificationId), Timeout, $"{notificationId} in {address}");
        return Assert.Single(inbox, n => n.NotificationId == notificationId);
    }

    public async Task<SettlementQueueEntity?> QueueRowAsync(RedemptionEntity r) =>
        (await Store.PartitionAsync<SettlementQueueEntity>(VoucherStore.SettlementQueue, r.CityCode, 5000)).SingleOrDefault(q => q.RedemptionId == r.RedemptionId);

    public async Task<CapLedgerEntity?> LedgerAsync(string uscc, int year) =>
        await Store.GetAsync<CapLedgerEntity>(VoucherStore.Ledger, uscc, CapLedger.RowKey(year));

    /// <summary>System binding, evidence first: requested → round 1 → evidence complete → bound → queued.</summary>
    public async Task<(SeededVoucher Seed, RedemptionEntity Queued, Dictionary<EvidenceKind, byte[]> Files)> QueueOneAsync(string city)
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
}
