namespace Voucher.Workflows.Tests.Enforcement;

/// <summary>
/// The enforcement services' refusals, each leaving storage as it was: a violation (bad key, bad USCC, unknown enterprise,
/// another city, bad fields), a claw-back confirmation (not that city's finance bureau, no reference, unknown, twice), the
/// credit file and the expert pool; and the claw-back's state machine refusing a second confirmation.
/// </summary>
public sealed class EnforcementServiceTests(SettlementHostFixture fixture) : SettlementHostTests(fixture)
{
    const string City = "xinzhou";

    static readonly VoucherPrincipal Province = new("p", "省中心", Role.Province, null);

    [Fact]
    public async Task RecordViolation_RefusesWithTheRightFailure_AndRecordsNothing()
    {
        var paid = await Seed.QueuedAsync(City, 30_000m, DateTimeOffset.UtcNow.AddDays(-40), startOrchestration: false, status: RedemptionStatus.Paid, enqueue: false);
        var open = await Seed.QueuedAsync(City, 20_000m, DateTimeOffset.UtcNow.AddDays(-2), startOrchestration: false, enqueue: false); // another enterprise's
        var violations = Get<ViolationService>();
        Task<Outcome<ViolationRecorded>> Record(VoucherPrincipal caller, RecordViolation command) => violations.RecordViolationAsync(caller, command, [], Seed.Client, CancellationToken.None);

        var badKey = await Record(Province, new RecordViolation(paid.Uscc, "x", null, null, "键 with spaces", "Idempotency-Key"));
        Assert.Equal("Idempotency-Key", Assert.Single(Assert.IsType<Failure.Invalid>(badKey.Failure).Errors).Field);
        Assert.Equal("uscc", Assert.Single(Assert.IsType<Failure.Invalid>((await Record(Province, new RecordViolation("12345", "x", null, null))).Failure).Errors).Field);
        Assert.IsType<Failure.NotFound>((await Record(Province, new RecordViolation(TestUscc.New(City), "x", null, null))).Failure);
        Assert.IsType<Failure.NotFound>((await Record(SettlementSeed.CityBureau("datong"), new RecordViolation(paid.Uscc, "x", null, [paid.RedemptionId]))).Failure);

        var future = SettlementSeed.Today.AddDays(1).ToString("yyyy-MM-dd");
        var bad = await Record(SettlementSeed.CityBureau(City), new RecordViolation(paid.Uscc, " ", future, [paid.RedemptionId, open.RedemptionId, "nope"]));
        var errors = Assert.IsType<Failure.Invalid>(bad.Failure).Errors;
        Assert.Equal(["decidedOn", "reason", "redemptionIds", "redemptionIds"], errors.Select(e => e.Field).Order());
        Assert.Contains(errors, e => e.Message.Contains(open.RedemptionId, StringComparison.Ordinal) && e.Message.Contains("不属于该企业", StringComparison.Ordinal));

        var store = Get<EnforcementStore>();
        Assert.Empty(await store.ViolationsOfAsync(paid.Uscc));
        Assert.DoesNotContain(await store.ClawBacksAsync(City), c => c.Uscc == paid.Uscc);
        Assert.Empty(await store.CreditAsync(paid.Uscc));
        Assert.Equal(RedemptionStatus.Queued, (await Seed.RedemptionAsync(open.RedemptionId)).State);
    }

    [Fact]
    public async Task ConfirmClawBack_OnlyThatCitysFinanceBureau_WithAReference_Once()
    {
        var paid = await Seed.QueuedAsync(City, 40_000m, DateTimeOffset.UtcNow.AddDays(-40), startOrchestration: false, status: RedemptionStatus.Paid, enqueue: false);
        var recorded = await Get<ViolationService>().RecordViolationAsync(Province, new RecordViolation(paid.Uscc, "伪造合同 (forged contract)", null, [paid.RedemptionId]), [], Seed.Client, CancellationToken.None);
        var claw = Assert.Single(recorded.Value.ClawBacks);
        var clawBacks = Get<ClawBackService>();
        Task<Outcome<ClawBackEntity>> Confirm(VoucherPrincipal caller, string id, string? reference) =>
            clawBacks.ConfirmAsync(caller, new ConfirmClawBack(City, id, reference), CancellationToken.None);

        Assert.IsType<Failure.Forbidden>((await Confirm(SettlementSeed.FinanceBureau("datong"), claw.ClawBackId, "R-1")).Failure);
        Assert.IsType<Failure.Forbidden>((await Confirm(SettlementSeed.CityBureau(City), claw.ClawBackId, "R-1")).Failure);
        Assert.Equal("reference", Assert.Single(Assert.IsType<Failure.Invalid>((await Confirm(SettlementSeed.FinanceBureau(City), claw.ClawBackId, " ")).Failure).Errors).Field);
        Assert.Equal("reference", Assert.Single(Assert.IsType<Failure.Invalid>((await Confirm(SettlementSeed.FinanceBureau(City), claw.ClawBackId, new string('R', 65))).Failure).Errors).Field);
        Assert.IsType<Failure.NotFound>((await Confirm(SettlementSeed.FinanceBureau(City), "nope~nope", "R-1")).Failure);
        Assert.Equal(ClawBackStatus.Due, (await Get<EnforcementStore>().GetClawBackAsync(City, claw.ClawBackId))!.Status);

        var confirmed = await Confirm(SettlementSeed.FinanceBureau(City), claw.ClawBackId, " R-2026-7 ");
        Assert.Equal((ClawBackStatus.Confirmed, "R-2026-7", SettlementSeed.FinanceBureau(City).Address), (confirmed.Value.Status, confirmed.Value.Reference, confirmed.Value.ConfirmedBy));
        Assert.IsType<Failure.Conflict>((await Confirm(SettlementSeed.FinanceBureau(City), claw.ClawBackId, "R-2026-8")).Failure);
        Assert.Equal("R-2026-7", (await Get<EnforcementStore>().GetClawBackAsync(City, claw.ClawBackId))!.Reference);
        Assert.Single(await Get<EnforcementStore>().CreditAsync(paid.Uscc), c => c.Kind == "clawback-confirmed");

        // The finance bureau lists its own city's; the province names one.
        Assert.Contains((await clawBacks.ClawBacksAsync(SettlementSeed.FinanceBureau(City), "datong", CancellationToken.None)).Value, c => c.ClawBackId == claw.ClawBackId);
        Assert.Equal("city", Assert.Single(Assert.IsType<Failure.Invalid>((await clawBacks.ClawBacksAsync(Province, null, CancellationToken.None)).Failure).Errors).Field);
    }

    [Fact]
    public void ClawBack_MoveTo_RefusesASecondConfirmation_AndKeepsTheFirst()
    {
        var claw = new ClawBackEntity { PartitionKey = City, RowKey = "V1~r1", AmountFen = 100 };
        var at = DateTimeOffset.UtcNow;
        claw.Confirm("R-1", "finance-bureau:xinzhou", at);

        var e = Assert.Throws<DomainException>(() => claw.Confirm("R-2", "someone", at.AddMinutes(1)));
        Assert.Contains("Confirmed to Confirmed", e.Message, StringComparison.Ordinal);
        Assert.Throws<DomainException>(() => claw.MoveTo(ClawBackStatus.Due));
        Assert.Equal((ClawBackStatus.Confirmed, "R-1", "finance-bureau:xinzhou", at), (claw.Status, claw.Reference, claw.ConfirmedBy, claw.ConfirmedAt!.Value));
    }

    [Fact]
    public async Task Credit_And_ExpertPool_RefuseWhatTheCallerMayNotDo()
    {
        var paid = await Seed.QueuedAsync(City, 10_000m, DateTimeOffset.UtcNow.AddDays(-40), startOrchestration: false, status: RedemptionStatus.Paid, enqueue: false);
        var credit = Get<CreditService>();
        Assert.IsType<Failure.NotFound>((await credit.CreditAsync(Province, "not-a-uscc", CancellationToken.None)).Failure);
        Assert.IsType<Failure.NotFound>((await credit.CreditAsync(Province, TestUscc.New(City), CancellationToken.None)).Failure);
        Assert.IsType<Failure.NotFound>((await credit.CreditAsync(SettlementSeed.CityBureau("datong"), paid.Uscc, CancellationToken.None)).Failure);
        Assert.IsType<Failure.NotFound>((await credit.CreditAsync(new VoucherPrincipal("e", "e", Role.Enterprise, TestUscc.New(City)), paid.Uscc, CancellationToken.None)).Failure);
        Assert.Equal(paid.Uscc, (await credit.CreditAsync(new VoucherPrincipal("e", "e", Role.Enterprise, paid.Uscc), paid.Uscc, CancellationToken.None)).Value.Uscc);

        var experts = Get<ExpertService>();
        var id = "exp-svc-" + Guid.NewGuid().ToString("N")[..8];
        Assert.IsType<Failure.Forbidden>((await experts.SaveExpertAsync(SettlementSeed.CityBureau(City), new SaveExpertRequest(id, "王专家", ["testing"], null, null, null, true), CancellationToken.None)).Failure);
        var bad = await experts.SaveExpertAsync(Province, new SaveExpertRequest("bad id!", "", [], null, null, ["12345"], true), CancellationToken.None);
        Assert.Equal(["expertId", "fields", "name", "tiedUsccs"], Assert.IsType<Failure.Invalid>(bad.Failure).Errors.Select(e => e.Field).Order());
        Assert.IsType<Failure.Forbidden>((await experts.OpinionRequestsAsync(Province, CancellationToken.None)).Failure);
        Assert.DoesNotContain(await experts.PoolAsync(CancellationToken.None), e => e.ExpertId == id);

        var saved = await experts.SaveExpertAsync(Province, new SaveExpertRequest(id, "王专家", ["testing", " data "], "inst-x", "某大学", [paid.Uscc.ToLowerInvariant()], null), CancellationToken.None);
        Assert.Equal(("testing,data", paid.Uscc, true, Province.Address), (saved.Value.Fields, saved.Value.TiedUsccs, saved.Value.Active, saved.Value.UpdatedBy));
    }
}
