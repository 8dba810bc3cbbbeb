namespace Voucher.Workflows.Tests.Enforcement;

/// <summary>
/// Money is clawed back once: a second violation naming a redemption already clawed back is recorded (its own bar and
/// credit entry) but points to the existing claw-back instead of adding one — also when both are recorded at once, when
/// each is retried, and when the first stopped between claiming the money and writing its claw-back row.
/// </summary>
public sealed class ClawBackOnceTests(SettlementHostFixture fixture) : SettlementHostTests(fixture)
{
    const string City = "datong";

    static VoucherPrincipal Bureau => SettlementSeed.CityBureau(City);

    [Fact]
    public async Task SecondViolationNamingAClawedBackRedemption_PointsToTheExistingClawBack_AlsoWhenRetried()
    {
        var paid = await PaidAsync(80_000m);
        var store = Get<EnforcementStore>();

        var first = await RecordAsync(paid.RedemptionId, "伪造检测报告 (forged report)");
        var second = await RecordAsync(paid.RedemptionId, "虚开发票 (false invoice)");
        Assert.Equal((StatusCodes.Status201Created, StatusCodes.Status201Created), (first.Status, second.Status));

        // Retries of both change nothing.
        Assert.Equal(StatusCodes.Status200OK, (await RecordAsync(paid.RedemptionId, "伪造检测报告 (forged report)")).Status);
        Assert.Equal(StatusCodes.Status200OK, (await RecordAsync(paid.RedemptionId, "虚开发票 (false invoice)")).Status);

        var violations = await store.ViolationsInCityAsync(City);
        var a = violations.Single(v => v.Uscc == paid.Uscc && v.Reason.StartsWith("伪造", StringComparison.Ordinal));
        var b = violations.Single(v => v.Uscc == paid.Uscc && v.Reason.StartsWith("虚开", StringComparison.Ordinal));
        var claw = Assert.Single(await store.ClawBacksAsync(City), c => c.RedemptionId == paid.RedemptionId);
        Assert.Equal((a.ViolationId, 6_500_000L, "paid"), (claw.ViolationId, claw.AmountFen, claw.Kind));
        Assert.Equal((6_500_000L, ""), (a.ClawBackFen, a.ExistingClawBackIds));
        Assert.Equal((0L, claw.ClawBackId), (b.ClawBackFen, b.ExistingClawBackIds));
        Assert.Contains(claw.ClawBackId, second.Body, StringComparison.Ordinal);
        Assert.Equal(2, (await store.CreditAsync(paid.Uscc)).Count(c => c.Kind == "violation"));
    }

    [Fact]
    public async Task TwoViolationsAtOnce_OneClawBack_TheOtherPointsToIt()
    {
        var paid = await PaidAsync(50_000m);

        var both = await Task.WhenAll(RecordAsync(paid.RedemptionId, "事实一 (facts one)"), RecordAsync(paid.RedemptionId, "事实二 (facts two)"));

        Assert.All(both, r => Assert.Equal(StatusCodes.Status201Created, r.Status));
        var claw = Assert.Single(await Get<EnforcementStore>().ClawBacksAsync(City), c => c.RedemptionId == paid.RedemptionId);
        Assert.Equal(5_000_000, claw.AmountFen);
        var mine = (await Get<EnforcementStore>().ViolationsInCityAsync(City)).Where(v => v.Uscc == paid.Uscc).ToList();
        Assert.Equal(5_000_000, mine.Sum(v => v.ClawBackFen));
        Assert.Single(mine, v => v.ExistingClawBackIds == claw.ClawBackId);
    }

    [Fact]
    public async Task FirstStoppedAfterClaimingTheMoney_TheSecondWritesItsClawBackRow_AndPointsToIt()
    {
        var paid = await PaidAsync(30_000m);
        var store = Get<EnforcementStore>();
        var row = await Seed.RedemptionAsync(paid.RedemptionId);

        // A first violation claimed the money, then its process died before the claw-back row (and the violation) were written.
        var lostId = ClawBackEntity.IdFor("V20260101-lost", paid.RedemptionId);
        await store.ClaimAsync(paid.RedemptionId, lostId, "V20260101-lost", ClawBackClaims.PartsOf(row, "paid"), DateTimeOffset.UtcNow, CancellationToken.None);
        Assert.Null(await store.GetClawBackAsync(City, lostId));

        var second = await RecordAsync(paid.RedemptionId, "另案查处 (another case)");

        Assert.Equal(StatusCodes.Status201Created, second.Status);
        var claw = Assert.Single(await store.ClawBacksAsync(City), c => c.RedemptionId == paid.RedemptionId);
        Assert.Equal((lostId, 3_000_000L, ClawBackStatus.Due), (claw.ClawBackId, claw.AmountFen, claw.Status));
        var recorded = Assert.Single(await store.ViolationsOfAsync(paid.Uscc));
        var violation = (await store.GetViolationAsync(City, recorded.RowKey))!;
        Assert.Equal((0L, lostId), (violation.ClawBackFen, violation.ExistingClawBackIds));
    }

    [Fact]
    public async Task AdvanceClawedBackFirst_ThePaymentAfterIsClawedBackByTheNext_EachFenOnce()
    {
        // Published, its advance paid: a violation claws back the advance (the rest is not paid yet).
        var s = await Seed.QueuedAsync(City, 80_000m, DateTimeOffset.UtcNow.AddDays(-30), startOrchestration: false, status: RedemptionStatus.Published, enqueue: false);
        await Get<RedemptionStore>().UpdateAsync(s.RedemptionId, e =>
        {
            e.PrepaidFen = 3_250_000;
            e.AdvancePaidAt = DateTimeOffset.UtcNow.AddDays(-25);
            e.AdvancePaidOn = SettlementSeed.Today.AddDays(-25).ToString("yyyy-MM-dd");
            e.AdvanceReference = "ADV-OLD";
            return true;
        });
        var first = await RecordAsync(s.RedemptionId, "预付后发现合同造假 (forged contract)");
        Assert.Equal(StatusCodes.Status201Created, first.Status);

        // Later it was paid (the remainder), and another violation names it: only the final payment is new.
        await Get<RedemptionStore>().UpdateAsync(s.RedemptionId, e =>
        {
            e.MoveTo(RedemptionStatus.Payable);
            e.MoveTo(RedemptionStatus.Paid);
            e.FinalPaidFen = e.PayoutFen - e.AdvancePaidFen;
            e.PaidOn = SettlementSeed.Today.ToString("yyyy-MM-dd");
            e.PaidAt = DateTimeOffset.UtcNow;
            return true;
        });
        var second = await RecordAsync(s.RedemptionId, "另查实重复申报 (claimed twice)");
        Assert.Equal(StatusCodes.Status201Created, second.Status);

        var claws = (await Get<EnforcementStore>().ClawBacksAsync(City)).Where(c => c.RedemptionId == s.RedemptionId).OrderBy(c => c.CreatedAt).ToList();
        Assert.Equal([("prepaid", 3_250_000L), ("paid", 3_250_000L)], claws.Select(c => (c.Kind, c.AmountFen)));
        Assert.Equal(6_500_000, claws.Sum(c => c.AmountFen));
        var violations = (await Get<EnforcementStore>().ViolationsInCityAsync(City)).Where(v => v.Uscc == s.Uscc).OrderBy(v => v.RecordedAt).ToList();
        Assert.Equal(claws[0].ClawBackId, violations[1].ExistingClawBackIds);
    }

    async Task<SeededRedemption> PaidAsync(decimal paidYuan)
    {
        var s = await Seed.QueuedAsync(City, paidYuan, DateTimeOffset.UtcNow.AddDays(-40), startOrchestration: false, status: RedemptionStatus.Paid, enqueue: false);
        await Get<RedemptionStore>().UpdateAsync(s.RedemptionId, e =>
        {
            e.FinalPaidFen = e.PayoutFen;
            return true;
        });
        return s;
    }

    async Task<(int? Status, string Body)> RecordAsync(string redemptionId, string reason)
    {
        var r = await Seed.RedemptionAsync(redemptionId);
        var result = await Get<ViolationApi>().RecordAsync(Seed.Request(Bureau, new { uscc = r.Uscc, reason, redemptionIds = new[] { redemptionId } }));
        return (SettlementSeed.StatusOf(result), await ViolationWorkflowTests.BodyOfAsync(result));
    }
}
