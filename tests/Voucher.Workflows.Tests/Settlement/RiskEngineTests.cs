using Voucher.Workflows.Settlement.Risk;

namespace Voucher.Workflows.Tests.Settlement;

/// <summary>The six risk rules over plain inputs: each raises its flag when it should and stays quiet when it should not.</summary>
public sealed class RiskEngineTests
{
    static readonly DateTimeOffset Submitted = new(2026, 11, 20, 2, 0, 0, TimeSpan.Zero);
    static readonly DateOnly Today = new(2026, 12, 6);
    static readonly RiskPolicy Policy = new() { RepeatedFaceValueCount = 3, RepeatedFaceValueDays = 365, BurstCount = 4, BurstDays = 7, ViolationYears = 3 };

    static RiskSubject Subject() => new(
        "V-A-2026-01-R1", "91140100MA0DEM001U", "inst-czmc", Submitted,
        AmountPaidFen: 80_000_00, FaceValueFen: 100_000_00,
        VoucherIssuedOn: new DateOnly(2026, 3, 1), PaidOn: new DateOnly(2026, 6, 1),
        Enterprise: new PartyContacts("王芳", "0351-1234567", "太原市小店区长治路 1 号"),
        Institution: new PartyContacts("李明", "13800001234", null),
        SharedFiles: [], InstitutionHistory: [], ViolationsDecidedOn: []);

    static IReadOnlyList<RiskRule> Rules(RiskSubject s, RiskPolicy? policy = null) =>
        RiskEngine.Evaluate(policy ?? Policy, s, Today).Select(f => f.Rule).ToList();

    static string Reason(RiskSubject s, RiskRule rule) => RiskEngine.Evaluate(Policy, s, Today).Single(f => f.Rule == rule).Reason;

    [Fact]
    public void A_clean_redemption_raises_no_flag() => Assert.Empty(Rules(Subject()));

    [Fact]
    public void Shared_evidence_names_the_other_redemption_and_only_a_prefix_of_the_hash()
    {
        var sha = new string('a', 64);
        var s = Subject() with { SharedFiles = [new SharedFile("payment", sha, "V-B-2026-01-R2", "payment")] };

        Assert.Equal([RiskRule.SharedEvidence], Rules(s));
        var reason = Reason(s, RiskRule.SharedEvidence);
        Assert.Contains("V-B-2026-01-R2", reason);
        Assert.Contains("支付凭证", reason);
        Assert.Contains("aaaaaaaa…", reason);
        Assert.DoesNotContain(sha, reason);
    }

    [Fact]
    public void Shared_evidence_ignores_the_redemptions_own_file()
    {
        var s = Subject() with { SharedFiles = [new SharedFile("payment", new string('a', 64), "V-A-2026-01-R1", "payment")] };
        Assert.Empty(Rules(s));
    }

    [Fact]
    public void Related_party_by_phone_after_normalising_shows_only_the_last_four_digits()
    {
        var s = Subject() with { Enterprise = new PartyContacts("王芳", "+86 138-0000-1234", null) };

        Assert.Equal([RiskRule.RelatedParty], Rules(s));
        var reason = Reason(s, RiskRule.RelatedParty);
        Assert.Contains("尾号 1234", reason);
        Assert.DoesNotContain("13800001234", reason);
    }

    [Fact]
    public void Related_party_by_contact_person_or_address()
    {
        var byName = Subject() with { Institution = new PartyContacts(" 王 芳", "0351-7654321", null) };
        Assert.Equal([RiskRule.RelatedParty], Rules(byName));
        Assert.Contains("联系人（王某）", Reason(byName, RiskRule.RelatedParty));

        var byAddress = Subject() with { Institution = new PartyContacts("李明", "1", "太原市小店区长治路１号") };
        Assert.Equal([RiskRule.RelatedParty], Rules(byAddress));
    }

    [Fact]
    public void Related_party_never_matches_empty_values()
    {
        var s = Subject() with { Enterprise = new PartyContacts("", "", ""), Institution = new PartyContacts("", " ", "") };
        Assert.Empty(Rules(s));
    }

    [Fact]
    public void Contact_prints_share_exactly_when_the_rule_would_match()
    {
        // The flag pass reads an enterprise's profile only when prints are shared: every pair the rule matches must share one.
        var institution = new PartyContacts("李明", "13800001234", null);
        Assert.True(ContactPrints.AnyShared(ContactPrints.Of(new PartyContacts("王芳", "+86 138-0000-1234", "太原市")), ContactPrints.Of(institution)));
        Assert.True(ContactPrints.AnyShared(ContactPrints.Of(new PartyContacts(" 李 明", "0351-7654321", null)), ContactPrints.Of(institution)));
        Assert.True(ContactPrints.AnyShared(
            ContactPrints.Of(new PartyContacts("王芳", "1", "太原市小店区长治路 1 号")), ContactPrints.Of(new PartyContacts("李明", "2", "太原市小店区长治路１号"))));

        Assert.False(ContactPrints.AnyShared(ContactPrints.Of(new PartyContacts("王芳", "0351-1234567", "太原市")), ContactPrints.Of(institution)));
        // A value of one kind never matches a value of another kind, and empty values never match.
        Assert.False(ContactPrints.AnyShared(ContactPrints.Of(new PartyContacts("13800001234", "", null)), ContactPrints.Of(new PartyContacts("", "13800001234", null))));
        Assert.False(ContactPrints.AnyShared(ContactPrints.Of(new PartyContacts("", " ", "")), ContactPrints.Of(new PartyContacts("", "", ""))));
        Assert.Equal("", ContactPrints.Of(null));
        Assert.DoesNotContain("13800001234", ContactPrints.Of(institution));
    }

    [Fact]
    public void Payment_before_voucher_compares_the_declared_date_with_the_issue_date()
    {
        var early = Subject() with { PaidOn = new DateOnly(2026, 2, 28) };
        Assert.Equal([RiskRule.PaymentBeforeVoucher], Rules(early));
        Assert.Contains("2026-02-28", Reason(early, RiskRule.PaymentBeforeVoucher));

        Assert.Empty(Rules(Subject() with { PaidOn = new DateOnly(2026, 3, 1) }));
        Assert.Empty(Rules(Subject() with { PaidOn = null }));
    }

    static InstitutionRedemption Past(string id, string uscc, int daysAgo, bool atFace) => new(id, uscc, Submitted.AddDays(-daysAgo), atFace);

    [Fact]
    public void Repeated_face_value_counts_the_pair_within_the_window_up_to_the_threshold()
    {
        var atFace = Subject() with { AmountPaidFen = 100_000_00 };
        var twoBefore = atFace with { InstitutionHistory = [Past("V-A-2025-01-R1", atFace.Uscc, 100, true), Past("V-A-2025-01-R2", atFace.Uscc, 200, true)] };
        Assert.Equal([RiskRule.RepeatedFaceValue], Rules(twoBefore));
        Assert.Contains("3 次", Reason(twoBefore, RiskRule.RepeatedFaceValue));

        // One short of the threshold; one outside the window; another enterprise; not at the face value; this one below it.
        Assert.Empty(Rules(atFace with { InstitutionHistory = [Past("x1", atFace.Uscc, 100, true)] }));
        Assert.Empty(Rules(atFace with { InstitutionHistory = [Past("x1", atFace.Uscc, 100, true), Past("x2", atFace.Uscc, 400, true)] }));
        Assert.Empty(Rules(atFace with { InstitutionHistory = [Past("x1", atFace.Uscc, 100, true), Past("x2", "91140100OTHER0001X", 10, true)] }));
        Assert.Empty(Rules(atFace with { InstitutionHistory = [Past("x1", atFace.Uscc, 100, true), Past("x2", atFace.Uscc, 10, false)] }));
        Assert.Empty(Rules(twoBefore with { AmountPaidFen = 99_999_99 }));
    }

    [Fact]
    public void Institution_burst_counts_redemptions_to_the_institution_within_the_days()
    {
        var three = new[] { Past("b1", "U1", 1, false), Past("b2", "U2", 3, false), Past("b3", "U3", 6, false) };
        var burst = Subject() with { InstitutionHistory = [.. three] };
        Assert.Equal([RiskRule.InstitutionBurst], Rules(burst));
        Assert.Contains("4 笔", Reason(burst, RiskRule.InstitutionBurst));

        Assert.Empty(Rules(Subject() with { InstitutionHistory = [.. three[..2]] }));
        Assert.Empty(Rules(Subject() with { InstitutionHistory = [.. three[..2], Past("b4", "U4", 8, false)] }));
        // Later requests do not count toward an earlier one (a re-run later gives the same flags).
        Assert.Empty(Rules(Subject() with { InstitutionHistory = [.. three[..2], new InstitutionRedemption("b5", "U5", Submitted.AddDays(1), false)] }));
    }

    [Fact]
    public void Recent_violation_within_the_years()
    {
        var recent = Subject() with { ViolationsDecidedOn = [new DateOnly(2024, 5, 1)] };
        Assert.Equal([RiskRule.RecentViolation], Rules(recent));
        Assert.Contains("2024-05-01", Reason(recent, RiskRule.RecentViolation));

        Assert.Empty(Rules(Subject() with { ViolationsDecidedOn = [new DateOnly(2023, 12, 5)] }));
    }

    [Fact]
    public void A_rule_switched_off_in_the_policy_raises_nothing()
    {
        var s = Subject() with { ViolationsDecidedOn = [new DateOnly(2026, 1, 1)], PaidOn = new DateOnly(2026, 1, 1) };
        Assert.Equal([RiskRule.PaymentBeforeVoucher, RiskRule.RecentViolation], Rules(s));
        var off = Policy with { Rules = [RiskRules.Code(RiskRule.PaymentBeforeVoucher)] };
        Assert.Equal([RiskRule.PaymentBeforeVoucher], Rules(s, off));
    }

    [Fact]
    public void Reasons_round_trip_through_the_stored_json()
    {
        var s = Subject() with { ViolationsDecidedOn = [new DateOnly(2026, 1, 1)], PaidOn = new DateOnly(2026, 1, 1) };
        var findings = RiskEngine.Evaluate(Policy, s, Today);
        var json = RiskEngine.ReasonsJson(findings)!;

        Assert.StartsWith("[{\"rule\":\"payment-before-voucher\",\"reason\":\"付款", json);
        Assert.Equal(findings, RiskEngine.ParseReasons(json));
        Assert.Null(RiskEngine.ReasonsJson([]));
    }

    [Fact]
    public void The_risk_policy_is_validated_with_the_field_named()
    {
        Assert.Empty(new RiskPolicy().Validate());
        var errors = (new RiskPolicy { Rules = ["nope"], BurstCount = 1, ViolationYears = 0 }).Validate();
        Assert.Contains(errors, e => e.Field == "risk.rules");
        Assert.Contains(errors, e => e.Field == "risk.burstCount");
        Assert.Contains(errors, e => e.Field == "risk.violationYears");
        Assert.Contains(ProvincePolicy.Default(DateTimeOffset.UnixEpoch) with { Risk = new RiskPolicy { BurstDays = 0 } } is var p ? p.Validate() : [], e => e.Field == "risk.burstDays");
    }

    [Fact]
    public void Payment_date_is_optional_validated_and_only_for_payment_proofs()
    {
        var today = new DateOnly(2026, 12, 6);
        Assert.Equal((null, null), Voucher.Workflows.Evidence.EvidenceService.PaidOn(EvidenceKind.Payment, " ", today));
        Assert.Equal(("2026-03-01", null), Voucher.Workflows.Evidence.EvidenceService.PaidOn(EvidenceKind.Payment, " 2026-03-01 ", today));
        Assert.NotNull(Voucher.Workflows.Evidence.EvidenceService.PaidOn(EvidenceKind.Payment, "2026-12-07", today).Error);
        Assert.NotNull(Voucher.Workflows.Evidence.EvidenceService.PaidOn(EvidenceKind.Payment, "2026/03/01", today).Error);
        Assert.NotNull(Voucher.Workflows.Evidence.EvidenceService.PaidOn(EvidenceKind.Report, "2026-03-01", today).Error);
    }
}
