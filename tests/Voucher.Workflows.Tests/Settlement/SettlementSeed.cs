namespace Voucher.Workflows.Tests.Settlement;

/// <summary>A redemption seeded straight into the settlement queue: its ids and the pay-out it reserved.</summary>
public sealed record SeededRedemption(string Uscc, string VoucherId, string RedemptionId, int CapYear, PayoutComputation Payout)
{
    public string InstanceId => RedemptionStore.InstanceId(RedemptionId);
}

/// <summary>
/// Seeds queued redemptions without going through binding (enterprise, voucher, redemption row, cap reservation,
/// queue row, and a running redemption orchestration that sees Queued and waits), and the helpers the settlement
/// tests share: waits, inboxes, ledger, and request contexts for the HTTP handlers.
/// </summary>
public sealed class SettlementSeed(SettlementHostFixture fixture)
{
    public static readonly TimeSpan Timeout = TimeSpan.FromSeconds(30);

    public DurableTaskClient Client => fixture.Host.Client;

    public T Get<T>()
        where T : notnull => fixture.Services.GetRequiredService<T>();

    public static DateOnly Today => ChinaTime.DateOf(DateTime.UtcNow);

    public async Task<SettlementPeriod> CurrentPeriodAsync(string city) =>
        SettlementPeriod.Containing((await Get<PolicyStore>().GetCurrentAsync(city)).Cadence, Today);

    /// <summary>A queued redemption of a new enterprise of <paramref name="city"/>, its orchestration started (optional).</summary>
    public async Task<SeededRedemption> QueuedAsync(
        string city,
        decimal paidYuan,
        DateTimeOffset queuedAt,
        bool startOrchestration = true,
        RedemptionStatus status = RedemptionStatus.Queued,
        bool enqueue = true)
    {
        var store = Get<VoucherStore>();
        var policy = await Get<PolicyStore>().GetCurrentAsync(city);
        var enterprise = A.Enterprise().InCity(city).Build();
        var uscc = enterprise.Uscc;
        await store.UpsertAsync(VoucherStore.Enterprises, enterprise);

        var applicationId = $"{uscc}-{Today.Year}-01";
        var voucherId = VoucherEntity.IdFor(applicationId);
        await store.UpsertAsync(VoucherStore.Vouchers, A.Voucher(enterprise).ForApplication(applicationId).IssuedAt(DateTimeOffset.UtcNow.AddMonths(-2)).UnderPolicy(policy.Version).Build());

        var redemptionId = RedemptionStore.NewId(voucherId, 1);
        Assert.True(RedemptionStore.IsWellFormedId(redemptionId), redemptionId);
        var capYear = ChinaTime.DateOf(queuedAt.UtcDateTime).Year;
        var paid = Cny.FromYuan(paidYuan);
        PayoutComputation? computation = null;
        var reservation = await Get<CapLedger>().ReserveAsync(uscc, capYear, redemptionId, policy.AnnualCap, remaining =>
        {
            computation = PayoutRules.Compute(paid, Cny.FromFen(5_000_000), policy.ExcessRatio, remaining);
            return computation.Payout;
        });
        Assert.False(reservation.Existing);
        var r = A.Redemption(uscc, voucherId, city).ByEnterprise($"测试科技 {uscc[^4..]}")
            .AtInstitution("inst-settlement-test", "山西大学测试中心 Test Centre").ForService(null, "检验检测 Testing", "testing")
            .UnderContract($"HT-{uscc[^6..]}").Paying(paid).InStatus(status).UnderPolicy(policy.Version).SubmittedAt(queuedAt.AddDays(-3))
            .BoundWithEvidence(queuedAt.AddDays(-2), queuedAt.AddDays(-1))
            .With(row =>
            {
                row.CapYear = capYear;
                row.PayoutFen = reservation.Reserved.Fen;
                row.PayoutJson = JsonSerializer.Serialize(computation);
                row.QueuedAt = queuedAt;
                row.WithdrawnAt = status == RedemptionStatus.Withdrawn ? queuedAt.AddMinutes(1) : null;
                row.WithdrawnBy = status == RedemptionStatus.Withdrawn ? Addresses.Enterprise(uscc) : null;
            })
            .Build();
        Assert.True(await Get<RedemptionStore>().TryCreateAsync(r));
        if (enqueue)
        {
            await Get<RedemptionStore>().EnqueueAsync(r);
        }

        if (status == RedemptionStatus.Queued)
        {
            // What the queue step counts: its money enters the queued stage (the later steps move it on).
            await Get<Voucher.Workflows.Supervision.StatsAggregator>().CommittedEnteredAsync([r], MoneyStage.Queued);
        }

        var seeded = new SeededRedemption(uscc, voucherId, redemptionId, capYear, computation!);
        if (startOrchestration)
        {
            await Client.ScheduleNewOrchestrationInstanceAsync(
                nameof(RedemptionOrchestrator), new RedemptionWorkflowInput(redemptionId, 1), new StartOrchestrationOptions(seeded.InstanceId));
            var started = await Eventually.UntilAsync(
                async () => await Client.GetInstanceAsync(seeded.InstanceId, getInputsAndOutputs: true),
                m => m?.SerializedCustomStatus?.Contains(status.ToString(), StringComparison.Ordinal) == true || m?.IsCompleted == true,
                Timeout,
                $"redemption orchestration {redemptionId} waits in {status}");
            Assert.True(started!.RuntimeStatus == OrchestrationRuntimeStatus.Running, $"{redemptionId}: {started.RuntimeStatus} {started.FailureDetails?.ErrorType} {started.FailureDetails?.ErrorMessage} {started.FailureDetails?.StackTrace}");
        }

        return seeded;
    }

    /// <summary>
    /// A batch of the current period in its objection window (ten minutes left) with two published redemptions, listed
    /// among the open notices and in the archive as publication lists it; the batch records <paramref name="policyVersion"/>
    /// of the city's policy (the version its notice reads the objection contacts from).
    /// </summary>
    public async Task<(string BatchId, SeededRedemption First, SeededRedemption Second)> PublicityBatchAsync(string city, int policyVersion = 1)
    {
        var period = await CurrentPeriodAsync(city);
        var batchId = SettlementIds.BatchId(city, period.Id);
        var first = await QueuedAsync(city, 16_000m, DateTimeOffset.UtcNow.AddDays(-20), status: RedemptionStatus.Published, enqueue: false);
        var second = await QueuedAsync(city, 17_000m, DateTimeOffset.UtcNow.AddDays(-20), status: RedemptionStatus.Published, enqueue: false);
        var store = Get<VoucherStore>();
        var now = DateTimeOffset.UtcNow;
        var start = Today.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture);
        var endsAt = now.AddMinutes(10);
        var end = ChinaTime.DateOf(endsAt.UtcDateTime).ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture);
        var batch = A.Batch(city, period.Id).InStage(BatchStage.Publicity).WithItems(2)
            .SubmittedAt(now.AddHours(-1), Addresses.CityBureau(city)).InPublicity(start, end, endsAt)
            .With(b => (b.CutoffUtc, b.FormedAt, b.PolicyVersion) = (now.AddDays(-1), now.AddDays(-1), policyVersion)).Build();
        await store.UpsertAsync(VoucherStore.Batches, batch);
        await PublicityWindows.IndexAsync(Get<SettlementStore>(), batch, CancellationToken.None);
        foreach (var r in new[] { first, second })
        {
            var row = await RedemptionAsync(r.RedemptionId);
            await store.UpsertAsync(VoucherStore.BatchItems, A.BatchItem(batchId, r.RedemptionId).From(row).Decided(RowVerdict.Approve, Addresses.CityBureau(city)).Build());
            await Get<RedemptionStore>().UpdateAsync(r.RedemptionId, e =>
            {
                e.BatchId = batchId;
                e.PublishedAt = now.AddMinutes(-5);
                return true;
            });
        }

        return (batchId, first, second);
    }

    public Task<RedemptionEntity> RedemptionAsync(string redemptionId) => Get<RedemptionStore>().GetRequiredAsync(redemptionId);

    public Task<RedemptionEntity> WaitForStatusAsync(string redemptionId, RedemptionStatus status, TimeSpan? timeout = null) =>
        Eventually.UntilAsync(
            () => RedemptionAsync(redemptionId),
            r => r.State == status,
            timeout ?? Timeout,
            $"redemption {redemptionId} reaches {status}");

    /// <summary>The city bureau settles <paramref name="periodId"/> of its city by hand.</summary>
    public async Task<SettlementStart> StartByHandAsync(string city, string periodId)
    {
        var outcome = await Get<SettlementService>().StartAsync(CityBureau(city), new StartSettlement(city, periodId), Client, CancellationToken.None);
        Assert.True(outcome.Succeeded, outcome.Failure?.Message);
        return outcome.Value;
    }

    /// <summary>The field errors of an act: none when it succeeded (any other failure fails the test).</summary>
    public static IReadOnlyList<FieldError> FieldErrors<T>(Outcome<T> outcome) => outcome.Failure switch
    {
        null => [],
        Failure.Invalid invalid => invalid.Errors,
        var other => throw new Xunit.Sdk.XunitException($"expected field errors, got {other}"),
    };

    public Task<BatchEntity> WaitForBatchAsync(string batchId, BatchStage stage, TimeSpan? timeout = null) =>
        Eventually.UntilAsync(
            async () => (await Get<SettlementStore>().GetBatchAsync(batchId))!,
            b => b?.Stage == stage,
            timeout ?? Timeout,
            $"batch {batchId} reaches stage {stage}");

    public async Task<OrchestrationMetadata> WaitForCompletionAsync(string instanceId, TimeSpan? timeout = null)
    {
        using var cts = new CancellationTokenSource(timeout ?? Timeout);
        var metadata = await Client.WaitForInstanceCompletionAsync(instanceId, getInputsAndOutputs: true, cts.Token);
        Assert.True(
            metadata.RuntimeStatus == OrchestrationRuntimeStatus.Completed,
            $"{instanceId} ended {metadata.RuntimeStatus}: {metadata.FailureDetails?.ErrorType} {metadata.FailureDetails?.ErrorMessage}");
        return metadata;
    }

    public Task<CapLedgerEntity?> LedgerAsync(SeededRedemption r) =>
        Get<VoucherStore>().GetAsync<CapLedgerEntity>(VoucherStore.Ledger, r.Uscc, CapLedger.RowKey(r.CapYear));

    public Task<List<NotificationEntity>> InboxAsync(string address) =>
        Get<VoucherStore>().PartitionAsync<NotificationEntity>(VoucherStore.Inbox, address);

    /// <summary>The city's queue rows (without the queue's count row).</summary>
    public async Task<List<SettlementQueueEntity>> QueueAsync(string city) =>
        [.. (await Get<VoucherStore>().PartitionAsync<SettlementQueueEntity>(VoucherStore.SettlementQueue, city)).Where(q => q.RowKey != QueueCount.RowKey)];

    /// <summary>A request as the HTTP dispatcher would hand it to a handler: JSON body, route values, principal.</summary>
    public RequestContext Request(VoucherPrincipal? principal, object? json, params (string Name, string Value)[] route)
    {
        var request = TestRequests.Json(principal, json, route, Client);
        // A client of its own per request (the public rate limiter counts per client address; no proxy is trusted here).
        request.Http.Connection.RemoteIpAddress = System.Net.IPAddress.Parse("203.0.113." + Random.Shared.Next(1, 250));
        return request;
    }

    /// <summary>A form post (the expert's opinion page).</summary>
    public RequestContext FormRequest(IReadOnlyDictionary<string, string> form, params (string Name, string Value)[] route) => FormRequest(null, form, route);

    /// <summary>A form post by a signed-in user (a portal page).</summary>
    public RequestContext FormRequest(VoucherPrincipal? principal, IReadOnlyDictionary<string, string> form, params (string Name, string Value)[] route)
    {
        var ctx = Request(principal, null, route);
        var body = string.Join("&", form.Select(f => $"{Uri.EscapeDataString(f.Key)}={Uri.EscapeDataString(f.Value)}"));
        var bytes = Encoding.UTF8.GetBytes(body);
        ctx.Request.ContentType = "application/x-www-form-urlencoded";
        ctx.Request.ContentLength = bytes.Length;
        ctx.Request.Body = new MemoryStream(bytes);
        return ctx;
    }

    public static int? StatusOf(IResult result) => result switch
    {
        IStatusCodeHttpResult { StatusCode: { } code } => code,
        IStatusCodeHttpResult => StatusCodes.Status200OK,
        _ => null,
    };

    public static VoucherPrincipal CityBureau(string city) => new($"bureau-{city}", "市科技局", Role.CityBureau, city);

    public static VoucherPrincipal FinanceBureau(string city) => new($"finance-{city}", "市财政局", Role.FinanceBureau, city);
}
