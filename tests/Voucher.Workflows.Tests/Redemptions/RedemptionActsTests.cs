namespace Voucher.Workflows.Tests.Redemptions;

/// <summary>
/// The redemption services' refusals, each a typed failure the adapters map: the enterprise's withdrawal, the
/// institution's binding (signed in and through its link), the bureau's re-opening, evidence uploads and downloads,
/// and reading a redemption — field errors by name, not found, forbidden, conflict. The rows are written directly in
/// the state each case needs, without an orchestration: a refused act never reaches one, and none is raised.
/// </summary>
[Collection(RedemptionDurableCollection.Name)]
public sealed class RedemptionActsTests(DurableHostFixture fixture)
{
    readonly RedemptionFlow flow = new(fixture);

    static readonly CancellationToken None = CancellationToken.None;

    RedemptionService Redemptions => flow.Get<RedemptionService>();

    BindingService Binding => flow.Get<BindingService>();

    EvidenceService Evidence => flow.Get<EvidenceService>();

    static VoucherPrincipal Bureau(string city, Role role = Role.CityBureau) => new($"bureau-{city}", "市局", role, city);

    /// <summary>A redemption of the seeded voucher in <paramref name="status"/> (round 1), stored without an orchestration.</summary>
    async Task<RedemptionEntity> RowAsync(SeededVoucher s, RedemptionStatus status, Action<RedemptionEntity>? change = null)
    {
        var r = s.Redemption().UnderContract("HT-ROW-1").Paying(Cny.FromYuan(80_000m)).InStatus(status)
            .With(row => row.BindingDeadline = ChinaTime.Today(TimeProvider.System).AddDays(7).ToString("yyyy-MM-dd"))
            .Build();
        change?.Invoke(r);
        Assert.True(await flow.Get<RedemptionStore>().TryCreateAsync(r));
        return r;
    }

    async Task AssertNothingRaisedAsync(string redemptionId) =>
        Assert.DoesNotContain(await flow.Get<PendingRedemptionEvents>().ListAsync(None), p => p.SubjectId == redemptionId);

    [Fact]
    public async Task View_TheOwnerReadsTheDossier_AStrangerAndAnUnknownIdAreNotFound()
    {
        var s = await flow.SeedAsync("taiyuan");
        var r = await RowAsync(s, RedemptionStatus.AwaitingBinding);
        var stranger = new VoucherPrincipal("u2", "Other SME", Role.Enterprise, TestUscc.New("taiyuan"));

        var own = await Redemptions.ViewAsync(s.Sme, r.RedemptionId, None);
        var theirs = await Redemptions.ViewAsync(stranger, r.RedemptionId, None);
        var otherCity = await Redemptions.ViewAsync(Bureau("datong"), r.RedemptionId, None);
        var unknown = await Redemptions.ViewAsync(s.Sme, RedemptionStore.NewId(s.Voucher.VoucherId, 9), None);

        Assert.Equal(r.RedemptionId, own.Value.Redemption.RedemptionId);
        Assert.Empty(own.Value.Evidence);
        Assert.NotNull(own.Value.BindingDaysLeft);
        Assert.True((await Redemptions.ViewAsync(Bureau("taiyuan", Role.FinanceBureau), r.RedemptionId, None)).Succeeded);
        // Someone else's redemption answers exactly as a missing one (no existence oracle).
        Assert.Equal(RedemptionService.NotFound(r.RedemptionId), theirs.Failure);
        Assert.Equal(RedemptionService.NotFound(r.RedemptionId), otherCity.Failure);
        Assert.IsType<Failure.NotFound>(unknown.Failure);
    }

    [Fact]
    public async Task Withdraw_UnknownForeignAfterTheReviewStartedOrWithAPaidAdvance_IsRefusedAndRaisesNothing()
    {
        var s = await flow.SeedAsync("yuncheng");
        var inBatch = await RowAsync(s, RedemptionStatus.InBatch);
        var paid = await flow.SeedAsync("yuncheng");
        var advance = await RowAsync(paid, RedemptionStatus.Queued, e =>
        {
            e.PrepaidFen = 1_000_000;
            e.AdvancePaidAt = DateTimeOffset.UtcNow;
        });

        Assert.IsType<Failure.NotFound>((await Redemptions.WithdrawAsync(s.Sme, RedemptionStore.NewId(s.Voucher.VoucherId, 9), flow.Client, None)).Failure);
        Assert.IsType<Failure.NotFound>((await Redemptions.WithdrawAsync(paid.Sme, inBatch.RedemptionId, flow.Client, None)).Failure);
        Assert.IsType<Failure.Forbidden>((await Redemptions.WithdrawAsync(Bureau("yuncheng"), inBatch.RedemptionId, flow.Client, None)).Failure);
        var late = Assert.IsType<Failure.Conflict>((await Redemptions.WithdrawAsync(s.Sme, inBatch.RedemptionId, flow.Client, None)).Failure);
        Assert.Contains("Cannot withdraw now", late.Message, StringComparison.Ordinal);
        var moneyOut = Assert.IsType<Failure.Conflict>((await Redemptions.WithdrawAsync(paid.Sme, advance.RedemptionId, flow.Client, None)).Failure);
        Assert.Contains("advance was paid", moneyOut.Message, StringComparison.Ordinal);

        await AssertNothingRaisedAsync(inBatch.RedemptionId);
        await AssertNothingRaisedAsync(advance.RedemptionId);
    }

    [Fact]
    public async Task Bind_NamesEachBrokenField()
    {
        var s = await flow.SeedAsync("changzhi");
        var r = await RowAsync(s, RedemptionStatus.AwaitingBinding);

        var empty = await Binding.BindAsync(s.InstitutionUser, new BindRedemption(r.RedemptionId, 0, null, null), flow.Client, None);
        var noReason = await Binding.BindAsync(s.InstitutionUser, new BindRedemption(r.RedemptionId, 1, false, "   "), flow.Client, None);
        var longReason = await Binding.BindAsync(s.InstitutionUser, new BindRedemption(r.RedemptionId, 1, true, new string('理', 501)), flow.Client, None);

        Assert.Equal(["round", "confirm"], Assert.IsType<Failure.Invalid>(empty.Failure).Errors.Select(e => e.Field));
        Assert.Contains("reason is required", Assert.Single(Assert.IsType<Failure.Invalid>(noReason.Failure).Errors, e => e.Field == "reason").Message, StringComparison.Ordinal);
        Assert.Contains("500", Assert.Single(Assert.IsType<Failure.Invalid>(longReason.Failure).Errors, e => e.Field == "reason").Message, StringComparison.Ordinal);
        await AssertNothingRaisedAsync(r.RedemptionId);
    }

    [Fact]
    public async Task Bind_UnknownByAnotherPartyOrNotAwaiting_IsRefused()
    {
        var s = await flow.SeedAsync("linfen");
        var disputed = await RowAsync(s, RedemptionStatus.Disputed);
        var answered = await flow.SeedAsync("linfen");
        var bound = await RowAsync(answered, RedemptionStatus.AwaitingBinding, e => e.Bound = true);
        var otherInstitution = new VoucherPrincipal("inst-2", "Other", Role.Institution, "inst-other");
        BindRedemption Confirm(string id) => new(id, 1, true, null);

        Assert.IsType<Failure.NotFound>((await Binding.BindAsync(s.InstitutionUser, Confirm(RedemptionStore.NewId(s.Voucher.VoucherId, 9)), flow.Client, None)).Failure);
        Assert.IsType<Failure.NotFound>((await Binding.BindAsync(otherInstitution, Confirm(disputed.RedemptionId), flow.Client, None)).Failure);
        Assert.IsType<Failure.Forbidden>((await Binding.BindAsync(s.Sme, Confirm(disputed.RedemptionId), flow.Client, None)).Failure);
        var overdue = Assert.IsType<Failure.Conflict>((await Binding.BindAsync(s.InstitutionUser, Confirm(disputed.RedemptionId), flow.Client, None)).Failure);
        Assert.Contains("Not awaiting binding", overdue.Message, StringComparison.Ordinal);
        var again = Assert.IsType<Failure.Conflict>((await Binding.BindAsync(answered.InstitutionUser, Confirm(bound.RedemptionId), flow.Client, None)).Failure);
        Assert.Contains("Already answered", again.Message, StringComparison.Ordinal);
        await AssertNothingRaisedAsync(disputed.RedemptionId);
    }

    [Fact]
    public async Task BindingLink_OpensOnlyWhileItsRoundWaits_AndNamesABrokenAnswer()
    {
        var s = await flow.SeedAsync("xinzhou");
        var r = await RowAsync(s, RedemptionStatus.AwaitingBinding);
        LinkClaims Claims(string id, int round) => new(RedemptionStore.InstanceId(id), BindingLinks.Action, s.InstitutionAddress, round, DateTimeOffset.UtcNow.AddDays(7).ToUnixTimeSeconds());

        Assert.Equal(r.RedemptionId, (await Binding.OpenByLinkAsync(Claims(r.RedemptionId, 1), None)).Value.RedemptionId);
        Assert.IsType<Failure.NotFound>((await Binding.OpenByLinkAsync(Claims(RedemptionStore.NewId(s.Voucher.VoucherId, 9), 1), None)).Failure);
        Assert.IsType<Failure.Conflict>((await Binding.OpenByLinkAsync(Claims(r.RedemptionId, 2), None)).Failure);
        var noChoice = await Binding.AnswerByLinkAsync(Claims(r.RedemptionId, 1), new BindingAnswer(null, ""), flow.Client, None);
        Assert.Equal("confirm", Assert.Single(Assert.IsType<Failure.Invalid>(noChoice.Failure).Errors).Field);

        // Answered once (from the institution's list, say): the link is used up.
        Assert.True(await flow.Get<OneTimeActions>().TryClaimAsync(RedemptionStore.InstanceId(r.RedemptionId), BindingLinks.Action, 1, s.InstitutionAddress, None));
        Assert.IsType<Failure.Conflict>((await Binding.OpenByLinkAsync(Claims(r.RedemptionId, 1), None)).Failure);
        Assert.IsType<Failure.Conflict>((await Binding.AnswerByLinkAsync(Claims(r.RedemptionId, 1), new BindingAnswer(true, null), flow.Client, None)).Failure);
        await AssertNothingRaisedAsync(r.RedemptionId);
    }

    [Fact]
    public async Task Reopen_OnlyTheCitysBureau_TheCurrentRound_OverdueOrDisputed_OncePerRound()
    {
        var s = await flow.SeedAsync("jincheng");
        var disputed = await RowAsync(s, RedemptionStatus.Disputed);
        var waiting = await flow.SeedAsync("jincheng");
        var awaiting = await RowAsync(waiting, RedemptionStatus.AwaitingBinding);
        var bureau = Bureau("jincheng");

        Assert.IsType<Failure.NotFound>((await Binding.ReopenAsync(bureau, new ReopenBinding(RedemptionStore.NewId(s.Voucher.VoucherId, 9), 1), flow.Client, None)).Failure);
        Assert.IsType<Failure.NotFound>((await Binding.ReopenAsync(Bureau("datong"), new ReopenBinding(disputed.RedemptionId, 1), flow.Client, None)).Failure);
        Assert.IsType<Failure.Forbidden>((await Binding.ReopenAsync(Bureau("jincheng", Role.FinanceBureau), new ReopenBinding(disputed.RedemptionId, 1), flow.Client, None)).Failure);
        Assert.Equal("round", Assert.Single(Assert.IsType<Failure.Invalid>((await Binding.ReopenAsync(bureau, new ReopenBinding(disputed.RedemptionId, 2), flow.Client, None)).Failure).Errors).Field);
        Assert.IsType<Failure.Conflict>((await Binding.ReopenAsync(bureau, new ReopenBinding(awaiting.RedemptionId, 1), flow.Client, None)).Failure);

        // Re-opened once for this round already (another clerk was first).
        Assert.True(await flow.Get<RedemptionEvents>().ClaimAsync(disputed.RedemptionId, "extend", 1, bureau.Address, None));
        var twice = Assert.IsType<Failure.Conflict>((await Binding.ReopenAsync(bureau, new ReopenBinding(disputed.RedemptionId, 1), flow.Client, None)).Failure);
        Assert.Contains("Already extended", twice.Message, StringComparison.Ordinal);
        await AssertNothingRaisedAsync(disputed.RedemptionId);
    }

    [Fact]
    public async Task EvidenceUpload_KindOwnerAndLockAreChecked_AndARefusedFileNamesTheFileField()
    {
        var s = await flow.SeedAsync("shuozhou");
        var open = await RowAsync(s, RedemptionStatus.AwaitingBinding);
        var queuedSeed = await flow.SeedAsync("shuozhou");
        var queued = await RowAsync(queuedSeed, RedemptionStatus.Queued);

        Assert.Equal("kind", Assert.Single(Assert.IsType<Failure.Invalid>((await Evidence.TargetAsync(s.Sme, open.RedemptionId, "photo", None)).Failure).Errors).Field);
        Assert.IsType<Failure.NotFound>((await Evidence.TargetAsync(s.Sme, RedemptionStore.NewId(s.Voucher.VoucherId, 9), "report", None)).Failure);
        Assert.IsType<Failure.NotFound>((await Evidence.TargetAsync(queuedSeed.Sme, open.RedemptionId, "report", None)).Failure);
        Assert.IsType<Failure.Forbidden>((await Evidence.TargetAsync(s.InstitutionUser, open.RedemptionId, "report", None)).Failure);
        var locked = Assert.IsType<Failure.Conflict>((await Evidence.TargetAsync(queuedSeed.Sme, queued.RedemptionId, "report", None)).Failure);
        Assert.Contains("locked", locked.Message, StringComparison.Ordinal);

        var target = (await Evidence.TargetAsync(s.Sme, open.RedemptionId, "payment", None)).Value;
        Assert.Equal((EvidenceKind.Payment, open.RedemptionId), (target.Kind, target.Redemption.RedemptionId));
        var text = TestFiles.Text;
        var refused = await Evidence.UploadAsync(target, new EvidenceFile(new MemoryStream(text), text.Length, "payment.pdf"), flow.Client, None);
        Assert.Equal("file", Assert.Single(Assert.IsType<Failure.Invalid>(refused.Failure).Errors).Field);
        Assert.Empty(await flow.Get<EvidenceStore>().ListAsync(open.RedemptionId, None));
        var unknownUpload = await Evidence.CompleteUploadAsync(target, Guid.NewGuid().ToString("N"), flow.Client, None);
        Assert.Equal("file", Assert.Single(Assert.IsType<Failure.Invalid>(unknownUpload.Failure).Errors).Field);
        await AssertNothingRaisedAsync(open.RedemptionId);
    }

    [Fact]
    public async Task EvidenceDownload_ForTheEnterpriseInstitutionBureauAndProvince_NotTheFinanceBureauOrOthers()
    {
        var s = await flow.SeedAsync("lvliang");
        var r = await RowAsync(s, RedemptionStatus.AwaitingEvidence);
        var pdf = TestFiles.Pdf(1500, "download");
        Assert.Null((await flow.Get<EvidenceStore>().UploadAsync(r.RedemptionId, EvidenceKind.Report, new MemoryStream(pdf), pdf.Length, "r.pdf", s.Sme.Actor, None)).Error);

        foreach (var reader in new[] { s.Sme, s.InstitutionUser, Bureau("lvliang"), new VoucherPrincipal("prov", "省", Role.Province, null) })
        {
            var file = (await Evidence.DownloadAsync(reader, r.RedemptionId, "report", None)).Value;
            using var copy = new MemoryStream();
            await file.Content.CopyToAsync(copy);
            await file.Content.DisposeAsync();
            Assert.Equal(pdf, copy.ToArray());
            Assert.Equal(("application/pdf", $"{r.RedemptionId}-report.pdf"), (file.ContentType, file.FileName));
        }

        var finance = Assert.IsType<Failure.Forbidden>((await Evidence.DownloadAsync(Bureau("lvliang", Role.FinanceBureau), r.RedemptionId, "report", None)).Failure);
        Assert.Contains("Evidence is for", finance.Message, StringComparison.Ordinal);
        Assert.IsType<Failure.NotFound>((await Evidence.DownloadAsync(Bureau("taiyuan"), r.RedemptionId, "report", None)).Failure);
        Assert.IsType<Failure.NotFound>((await Evidence.DownloadAsync(s.Sme, RedemptionStore.NewId(s.Voucher.VoucherId, 9), "report", None)).Failure);
        Assert.IsType<Failure.NotFound>((await Evidence.DownloadAsync(s.Sme, r.RedemptionId, "photo", None)).Failure);
        Assert.IsType<Failure.NotFound>((await Evidence.DownloadAsync(s.Sme, r.RedemptionId, "contract", None)).Failure);
    }
}
