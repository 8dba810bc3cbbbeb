namespace Voucher.Workflows.Tests.Settlement;

/// <summary>
/// The settlement, publicity and payment services refuse what they must, with the failure the adapters map (field
/// errors 400, not found 404, forbidden 403, conflict 409, refused 422), and change nothing when they do. Batches and
/// redemptions are written straight into the store; no orchestration is started.
/// </summary>
public sealed class SettlementActsRefusedTests(SettlementHostFixture fixture) : SettlementHostTests(fixture)
{
    const string City = "datong";
    const string OtherCity = "changzhi";

    static readonly VoucherPrincipal Bureau = SettlementSeed.CityBureau(City);
    static readonly VoucherPrincipal OtherBureau = SettlementSeed.CityBureau(OtherCity);
    static readonly VoucherPrincipal Finance = SettlementSeed.FinanceBureau(City);
    static readonly VoucherPrincipal OtherFinance = SettlementSeed.FinanceBureau(OtherCity);

    SettlementService Settlements => Get<SettlementService>();

    [Fact]
    public async Task Start_NamesTheField_RefusesAnotherCityAndAWrongOrFuturePeriod()
    {
        var current = await Seed.CurrentPeriodAsync(City);
        var future = SettlementPeriod.Containing(current.Cadence, current.LastDay.AddYears(1));

        AssertInvalid(await StartAsync(Bureau, "beijing", current.Id), "cityCode");
        AssertInvalid(await StartAsync(Bureau, City, "  "), "periodId");
        Assert.IsType<Failure.Forbidden>((await StartAsync(OtherBureau, City, current.Id)).Failure);
        Assert.IsType<Failure.Forbidden>((await StartAsync(Finance, City, current.Id)).Failure);
        var garbage = Assert.IsType<Failure.Refused>((await StartAsync(Bureau, City, current.Id + "9")).Failure);
        Assert.Contains("Period id does not match", garbage.Message, StringComparison.Ordinal);
        var early = Assert.IsType<Failure.Refused>((await StartAsync(Bureau, City, future.Id)).Failure);
        Assert.Contains("has not started", early.Message, StringComparison.Ordinal);

        foreach (var period in new[] { current.Id, future.Id })
        {
            Assert.Null(await Seed.Client.GetInstanceAsync(SettlementIds.InstanceId(SettlementIds.BatchId(City, period))));
            Assert.Null(await Get<SettlementStore>().GetBatchAsync(SettlementIds.BatchId(City, period)));
        }
    }

    [Fact]
    public async Task View_UnknownBatch_And_AnotherCitysBatch_NotFound()
    {
        var batch = await BatchAsync("2020M01", BatchStage.Reviewing);

        Assert.IsType<Failure.NotFound>((await Settlements.ReadableAsync(Bureau, SettlementIds.BatchId(City, "2019M01"), default)).Failure);
        Assert.IsType<Failure.NotFound>((await Settlements.ReadableAsync(OtherBureau, batch.BatchId, default)).Failure);
        Assert.IsType<Failure.NotFound>((await Settlements.ReadableAsync(OtherFinance, batch.BatchId, default)).Failure);
        var readable = await Settlements.ReadableAsync(Finance, batch.BatchId, default);
        var (seen, complete) = await Settlements.ViewOfRowAsync(readable.Value, Seed.Client, default);
        Assert.Equal((BatchStage.Reviewing, (string?)null), (seen.Stage, seen.RuntimeStatus));
        // No orchestration behind this row: its progress is unknown, so the row does not vouch for the view.
        Assert.False(complete);
    }

    [Fact]
    public async Task SaveDecisions_ChecksTheCall_TheBatch_AndEachRow_SavingOnlyTheGoodRows()
    {
        var batch = await BatchAsync("2020M02", BatchStage.Reviewing, ["V-REFUSE-1-R1", "V-REFUSE-2-R1"]);
        RowDecision approve = new("V-REFUSE-1-R1", "approve", null, null, null);

        AssertInvalid(await Settlements.SaveDecisionsAsync(Bureau, new SaveBatchDecisions(batch.BatchId, []), default), "decisions");
        AssertInvalid(await Settlements.SaveDecisionsAsync(Bureau, new SaveBatchDecisions(batch.BatchId, Enumerable.Repeat(approve, 1001).ToList()), default), "decisions");
        Assert.IsType<Failure.NotFound>((await Settlements.SaveDecisionsAsync(Bureau, new SaveBatchDecisions(SettlementIds.BatchId(City, "2019M02"), [approve]), default)).Failure);
        Assert.IsType<Failure.NotFound>((await Settlements.SaveDecisionsAsync(OtherBureau, new SaveBatchDecisions(batch.BatchId, [approve]), default)).Failure);
        Assert.IsType<Failure.Forbidden>((await Settlements.SaveDecisionsAsync(Finance, new SaveBatchDecisions(batch.BatchId, [approve]), default)).Failure);

        var rows = await Settlements.SaveDecisionsAsync(Bureau, new SaveBatchDecisions(batch.BatchId,
        [
            new("V-NOT-IN-BATCH-R1", "approve", null, null, null),
            new("V-REFUSE-1-R1", "maybe", null, null, null),
            new("V-REFUSE-1-R1", "reject", " ", null, null),
            new("V-REFUSE-1-R1", "", null, "no-such-expert", null),
            new("V-REFUSE-2-R1", "approve", null, null, null),
        ]), default);
        Assert.Equal(
            ["decisions[0].redemptionId", "decisions[1].decision", "decisions[2].reason", "decisions[3].expertId"],
            SettlementSeed.FieldErrors(rows).Select(e => e.Field));
        var items = (await Get<SettlementStore>().ItemsAsync(batch.BatchId)).ToDictionary(i => i.RedemptionId);
        Assert.Equal((RowVerdict.Undecided, (string?)null), (items["V-REFUSE-1-R1"].Verdict, items["V-REFUSE-1-R1"].ExpertId));
        Assert.Equal((RowVerdict.Approve, Bureau.Address), (items["V-REFUSE-2-R1"].Verdict, items["V-REFUSE-2-R1"].DecidedBy));

        var closed = await BatchAsync("2020M03", BatchStage.Publicity, ["V-REFUSE-3-R1"]);
        AssertInvalid(await Settlements.SaveDecisionsAsync(Bureau, new SaveBatchDecisions(closed.BatchId, [approve with { RedemptionId = "V-REFUSE-3-R1" }]), default), "batch");
        Assert.Equal(RowVerdict.Undecided, (await Get<SettlementStore>().GetItemAsync(closed.BatchId, "V-REFUSE-3-R1"))!.Verdict);
    }

    [Fact]
    public async Task Submit_Undecided_Refused_NotUnderReview_AndSubmittedBefore_Conflict()
    {
        var open = await BatchAsync("2020M04", BatchStage.Reviewing, ["V-SUBMIT-1-R1", "V-SUBMIT-2-R1"]);
        Assert.IsType<Failure.NotFound>((await Settlements.SubmitAsync(Bureau, SettlementIds.BatchId(City, "2019M04"), Seed.Client, default)).Failure);
        Assert.IsType<Failure.NotFound>((await Settlements.SubmitAsync(OtherBureau, open.BatchId, Seed.Client, default)).Failure);
        Assert.Equal(SettlementService.Incomplete(2), (await Settlements.SubmitAsync(Bureau, open.BatchId, Seed.Client, default)).Failure);

        // Every row decided, but a concurrent submission claimed the batch first.
        Assert.True((await Settlements.SaveDecisionsAsync(Bureau, new SaveBatchDecisions(open.BatchId,
            [new("V-SUBMIT-1-R1", "approve", null, null, null), new("V-SUBMIT-2-R1", "reject", "发票不符", null, null)]), default)).Succeeded);
        Assert.True(await Get<OneTimeActions>().TryClaimAsync(SettlementIds.InstanceId(open.BatchId), SettlementService.SubmitAction, 1, "someone else", default));
        Assert.Equal(SettlementService.AlreadySubmitted, (await Settlements.SubmitAsync(Bureau, open.BatchId, Seed.Client, default)).Failure);
        var stored = (await Get<SettlementStore>().GetBatchAsync(open.BatchId))!;
        Assert.Equal((BatchStage.Reviewing, (DateTimeOffset?)null), (stored.Stage, stored.SubmittedAt));

        var forming = await BatchAsync("2020M05", BatchStage.Forming);
        Assert.Equal(SettlementService.NotUnderReview, (await Settlements.SubmitAsync(Bureau, forming.BatchId, Seed.Client, default)).Failure);
        var deciding = await BatchAsync("2020M06", BatchStage.Deciding);
        Assert.Equal(SettlementService.AlreadySubmitted, (await Settlements.SubmitAsync(Bureau, deciding.BatchId, Seed.Client, default)).Failure);
        Assert.Equal(BatchStage.Deciding, (await Get<SettlementStore>().GetBatchAsync(deciding.BatchId))!.Stage);
    }

    [Fact]
    public async Task Opinion_OnlyTheAskedExpert_Once_AndNotOverAChangedRow()
    {
        var batch = await BatchAsync("2020M07", BatchStage.Reviewing, ["V-OPINION-1-R1"]);
        var store = Get<VoucherStore>();
        var asked = (await Get<SettlementStore>().GetItemAsync(batch.BatchId, "V-OPINION-1-R1"))!;
        asked.AskExpert("exp-a", DateTimeOffset.UtcNow);
        await store.UpsertAsync(VoucherStore.BatchItems, asked);

        Assert.IsType<Failure.NotFound>((await Settlements.OpinionRequestAsync(batch.BatchId, "V-OPINION-1-R1", Addresses.For(Role.Expert, "exp-b"), default)).Failure);
        Assert.IsType<Failure.NotFound>((await Settlements.OpinionRequestAsync(batch.BatchId, "V-NONE-R1", Addresses.For(Role.Expert, "exp-a"), default)).Failure);
        var request = (await Settlements.OpinionRequestAsync(batch.BatchId, "V-OPINION-1-R1", Addresses.For(Role.Expert, "exp-a"), default)).Value;
        var stale = (await Settlements.OpinionRequestAsync(batch.BatchId, "V-OPINION-1-R1", Addresses.For(Role.Expert, "exp-a"), default)).Value;
        AssertInvalid(await Settlements.RecordOpinionAsync(request, "   ", default), "opinion");
        AssertInvalid(await Settlements.RecordOpinionAsync(request, new string('意', SettlementService.MaxOpinionLength + 1), default), "opinion");

        Assert.True((await Settlements.RecordOpinionAsync(request, "材料完整 (complete)", default)).Succeeded);
        var fresh = (await Settlements.OpinionRequestAsync(batch.BatchId, "V-OPINION-1-R1", Addresses.For(Role.Expert, "exp-a"), default)).Value;
        Assert.Equal(SettlementService.OpinionAlreadyGiven, (await Settlements.RecordOpinionAsync(fresh, "again", default)).Failure);
        Assert.IsType<Failure.Conflict>((await Settlements.RecordOpinionAsync(stale, "read before the first one", default)).Failure);
        Assert.Equal("材料完整 (complete)", (await Get<SettlementStore>().GetItemAsync(batch.BatchId, "V-OPINION-1-R1"))!.ExpertOpinion);
    }

    [Fact]
    public async Task Objection_NamesTheField_NotUnderPublicity_NotFound_AfterTheWindow_Refused()
    {
        var publicity = Get<PublicityService>();
        var queued = await Seed.QueuedAsync(City, 10_000m, DateTimeOffset.UtcNow.AddDays(-3), startOrchestration: false, enqueue: false);
        var ended = await BatchAsync("2020M08", BatchStage.Publicity, windowEndsAt: DateTimeOffset.UtcNow.AddMinutes(-1));
        var late = await PublishedAsync(ended);

        var blank = await publicity.FileObjectionAsync(new FileObjection(late.RedemptionId, " ", null), default);
        Assert.Equal(["contact", "grounds"], Assert.IsType<Failure.Invalid>(blank.Failure).Errors.Select(e => e.Field));
        AssertInvalid(await publicity.FileObjectionAsync(new FileObjection(late.RedemptionId, new string('x', PublicityService.MaxContactLength + 1), "grounds"), default), "contact");
        Assert.IsType<Failure.NotFound>((await publicity.FileObjectionAsync(new FileObjection("V-NONE-R1", "张某", "grounds"), default)).Failure);
        Assert.IsType<Failure.NotFound>((await publicity.FileObjectionAsync(new FileObjection(queued.RedemptionId, "张某", "grounds"), default)).Failure);
        var closed = Assert.IsType<Failure.Refused>((await publicity.FileObjectionAsync(new FileObjection(late.RedemptionId, "张某", "grounds"), default)).Failure);
        Assert.Contains(ended.PublicityEnd!, closed.Message, StringComparison.Ordinal);

        Assert.Empty(await Get<SettlementStore>().ObjectionsAsync(late.RedemptionId));
        Assert.Equal(RedemptionStatus.Published, (await Seed.RedemptionAsync(late.RedemptionId)).State);
    }

    [Fact]
    public async Task Resolution_OnlyTheCitysBureau_NamesTheFields_NoOpenObjection_Conflict()
    {
        var publicity = Get<PublicityService>();
        var batch = await BatchAsync("2020M09", BatchStage.Publicity, windowEndsAt: DateTimeOffset.UtcNow.AddMinutes(10));
        var published = await PublishedAsync(batch);
        ResolveObjection dismiss = new(published.RedemptionId, false, "无依据 (unfounded)");

        Assert.IsType<Failure.NotFound>((await publicity.ResolveObjectionAsync(Bureau, dismiss with { RedemptionId = "V-NONE-R1" }, Seed.Client, default)).Failure);
        Assert.IsType<Failure.NotFound>((await publicity.ResolveObjectionAsync(OtherBureau, dismiss, Seed.Client, default)).Failure);
        Assert.IsType<Failure.Forbidden>((await publicity.ResolveObjectionAsync(Finance, dismiss, Seed.Client, default)).Failure);
        var invalid = await publicity.ResolveObjectionAsync(Bureau, new ResolveObjection(published.RedemptionId, null, "  "), Seed.Client, default);
        Assert.Equal(["uphold", "reason"], Assert.IsType<Failure.Invalid>(invalid.Failure).Errors.Select(e => e.Field));
        AssertInvalid(await publicity.ResolveObjectionAsync(Bureau, dismiss with { Reason = new string('x', PublicityService.MaxResolutionLength + 1) }, Seed.Client, default), "reason");
        Assert.Equal(PublicityService.NoOpenObjection, (await publicity.ResolveObjectionAsync(Bureau, dismiss, Seed.Client, default)).Failure);

        var row = await Seed.RedemptionAsync(published.RedemptionId);
        Assert.Equal((RedemptionStatus.Published, (DateTimeOffset?)null), (row.State, row.ObjectionResolvedAt));
    }

    [Fact]
    public async Task Payment_OnlyTheCitysFinanceBureau_NamesTheFields_NotPayable_Conflict()
    {
        var payments = Get<PaymentService>();
        var queued = await Seed.QueuedAsync(City, 12_000m, DateTimeOffset.UtcNow.AddDays(-3), startOrchestration: false, enqueue: false);
        var today = SettlementSeed.Today.ToString("yyyy-MM-dd");
        ConfirmPayment pay = new(queued.RedemptionId, "BANK-REFUSED", today);

        Assert.IsType<Failure.NotFound>((await payments.ConfirmPaymentAsync(Finance, pay with { RedemptionId = "V-NONE-R1" }, Seed.Client, default)).Failure);
        Assert.IsType<Failure.NotFound>((await payments.ConfirmPaymentAsync(OtherFinance, pay, Seed.Client, default)).Failure);
        Assert.IsType<Failure.Forbidden>((await payments.ConfirmPaymentAsync(Bureau, pay, Seed.Client, default)).Failure);
        var invalid = await payments.ConfirmPaymentAsync(Finance, pay with { Reference = " ", PaidOn = "2026/01/01" }, Seed.Client, default);
        Assert.Equal(["reference", "paidOn"], Assert.IsType<Failure.Invalid>(invalid.Failure).Errors.Select(e => e.Field));
        AssertInvalid(await payments.ConfirmPaymentAsync(Finance, pay with { PaidOn = SettlementSeed.Today.AddDays(1).ToString("yyyy-MM-dd") }, Seed.Client, default), "paidOn");
        var notPayable = Assert.IsType<Failure.Conflict>((await payments.ConfirmPaymentAsync(Finance, pay, Seed.Client, default)).Failure);
        Assert.Contains("Not payable", notPayable.Message, StringComparison.Ordinal);

        var noAdvance = Assert.IsType<Failure.Conflict>((await payments.ConfirmAdvanceAsync(Finance, pay, default)).Failure);
        Assert.Contains("No advance was approved", noAdvance.Message, StringComparison.Ordinal);
        Assert.IsType<Failure.NotFound>((await payments.ConfirmAdvanceAsync(OtherFinance, pay, default)).Failure);

        Assert.IsType<Failure.Forbidden>((await payments.PayablesAsync(Bureau, default)).Failure);
        Assert.IsType<Failure.Forbidden>((await payments.AdvancesDueAsync(Bureau, default)).Failure);
        Assert.IsType<Failure.Forbidden>((await payments.LedgerAsync(Bureau, new PaymentFilter(PaymentLedgerTab.Payable), default)).Failure);
        Assert.IsType<Failure.Forbidden>((await payments.ConfirmManyAsync(Bureau, new ConfirmPayments([queued.RedemptionId], null, "REF", SettlementSeed.Today.ToString("yyyy-MM-dd")), Seed.Client, default)).Failure);
        var row = await Seed.RedemptionAsync(queued.RedemptionId);
        Assert.Equal((RedemptionStatus.Queued, (string?)null, (DateTimeOffset?)null), (row.State, row.PaymentReference, row.AdvancePaidAt));
    }

    void AssertInvalid<T>(Outcome<T> outcome, string field) =>
        Assert.Contains(field, Assert.IsType<Failure.Invalid>(outcome.Failure).Errors.Select(e => e.Field));

    Task<Outcome<SettlementStart>> StartAsync(VoucherPrincipal caller, string city, string periodId) =>
        Settlements.StartAsync(caller, new StartSettlement(city, periodId), Seed.Client, default);

    /// <summary>
    /// A batch of <see cref="City"/> at <paramref name="stage"/> with undecided rows for <paramref name="redemptionIds"/>,
    /// its objection window ending at <paramref name="windowEndsAt"/> when it has one.
    /// </summary>
    async Task<BatchEntity> BatchAsync(string periodId, BatchStage stage, string[]? redemptionIds = null, DateTimeOffset? windowEndsAt = null)
    {
        redemptionIds ??= [];
        var store = Get<VoucherStore>();
        var batch = A.Batch(City, periodId).InStage(stage).WithItems(redemptionIds.Length);
        if (stage > BatchStage.Reviewing)
        {
            batch.SubmittedAt(DateTimeOffset.UtcNow);
        }

        if (windowEndsAt is { } end)
        {
            batch.InPublicity(SettlementSeed.Today.AddDays(-5).ToString("yyyy-MM-dd"), ChinaTime.DateOf(end.UtcDateTime).ToString("yyyy-MM-dd"), end);
        }

        await store.UpsertAsync(VoucherStore.Batches, batch.Build());
        var batchId = SettlementIds.BatchId(City, periodId);
        foreach (var id in redemptionIds)
        {
            await store.UpsertAsync(VoucherStore.BatchItems, A.BatchItem(batchId, id).Of("91140200MA0REFUSE1", "inst-refuse", "").Build());
        }

        return (await Get<SettlementStore>().GetBatchAsync(batchId))!;
    }

    /// <summary>A redemption published in <paramref name="batch"/> (no orchestration).</summary>
    async Task<SeededRedemption> PublishedAsync(BatchEntity batch)
    {
        var r = await Seed.QueuedAsync(City, 15_000m, DateTimeOffset.UtcNow.AddDays(-10), startOrchestration: false, status: RedemptionStatus.Published, enqueue: false);
        await Get<RedemptionStore>().UpdateAsync(r.RedemptionId, e =>
        {
            e.BatchId = batch.BatchId;
            e.PublishedAt = DateTimeOffset.UtcNow.AddDays(-5);
            return true;
        });
        return r;
    }
}
