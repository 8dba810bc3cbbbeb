namespace Voucher.Workflows.Tests.Agencies;

public sealed class DelegationRuleTests
{
    static readonly DateOnly Today = new(2026, 11, 27);
    const string Agency = "agency-x";
    const string Party = "91140100MA0DEM001U";

    static DelegationGrant Grant(string[] actions, DateOnly? until = null, DateTimeOffset? revokedAt = null, string agency = Agency, string party = Party, Role role = Role.Enterprise) =>
        new($"{agency}.0000000000000000001", agency, role, party, actions, until ?? Today.AddDays(30), revokedAt);

    [Theory]
    [InlineData("SubmitApplication", DelegationActions.ApplyForVoucher)]
    [InlineData("PortalApply", DelegationActions.ApplyForVoucher)]
    [InlineData("CreateRedemption", DelegationActions.RequestRedemption)]
    [InlineData("UploadEvidence", DelegationActions.RequestRedemption)]
    [InlineData("GetApplication", DelegationActions.ViewRecords)]
    [InlineData("UpdateEnterpriseProfile", DelegationActions.EditProfile)]
    public void Decide_GroupThatOpensTheRoute_Allowed(string route, string group)
    {
        var decision = DelegationRule.Decide(Agency, Party, [Grant([group])], route, Today);

        Assert.True(decision.Allowed);
        Assert.Null(decision.Refusal);
    }

    [Fact]
    public void Decide_OtherGroup_RefusedNamingTheMissingGroupAndRoute()
    {
        var decision = DelegationRule.Decide(Agency, Party, [Grant([DelegationActions.ViewRecords])], "SubmitApplication", Today);

        Assert.False(decision.Allowed);
        Assert.Contains(DelegationActions.ApplyForVoucher, decision.Refusal);
        Assert.Contains("SubmitApplication", decision.Refusal);
        Assert.Contains(Party, decision.Refusal);
        Assert.Contains(Agency, decision.Refusal);
    }

    [Fact]
    public void Decide_LastDayInclusive_AllowedThenExpiredTheDayAfter()
    {
        var grant = Grant([DelegationActions.ViewRecords], until: Today);

        Assert.True(DelegationRule.Decide(Agency, Party, [grant], "GetVoucher", Today).Allowed);
        var next = DelegationRule.Decide(Agency, Party, [grant], "GetVoucher", Today.AddDays(1));
        Assert.False(next.Allowed);
        Assert.Contains("expired", next.Refusal);
        Assert.Equal(DelegationState.Expired, grant.StateOn(Today.AddDays(1)));
    }

    [Fact]
    public void Decide_Revoked_RefusedEvenBeforeItsEndDate()
    {
        var grant = Grant([DelegationActions.ViewRecords], revokedAt: new DateTimeOffset(2026, 11, 26, 8, 0, 0, TimeSpan.Zero));

        var decision = DelegationRule.Decide(Agency, Party, [grant], "GetVoucher", Today);

        Assert.False(decision.Allowed);
        Assert.Contains("revoked", decision.Refusal);
        Assert.Equal(DelegationState.Revoked, grant.StateOn(Today));
    }

    [Fact]
    public void Decide_DelegationOfAnotherAgencyOrParty_DoesNotCount()
    {
        DelegationGrant[] grants = [Grant([DelegationActions.ApplyForVoucher], agency: "agency-y"), Grant([DelegationActions.ApplyForVoucher], party: "91140200MA0DEM002X")];

        var decision = DelegationRule.Decide(Agency, Party, grants, "SubmitApplication", Today);

        Assert.False(decision.Allowed);
        Assert.Contains("no delegation found", decision.Refusal);
    }

    [Fact]
    public void Decide_OneOfSeveral_PicksTheActiveCoveringOne()
    {
        var revoked = Grant([DelegationActions.ApplyForVoucher], revokedAt: DateTimeOffset.UnixEpoch) with { DelegationId = "agency-x.1" };
        var active = Grant([DelegationActions.ApplyForVoucher]) with { DelegationId = "agency-x.2" };

        var decision = DelegationRule.Decide(Agency, Party, [revoked, active], "SubmitApplication", Today);

        Assert.Equal("agency-x.2", decision.Grant?.DelegationId);
    }

    [Fact]
    public void Decide_Home_OpensWithAnyActiveGroup()
    {
        Assert.True(DelegationRule.Decide(Agency, Party, [Grant([DelegationActions.EditProfile])], DelegationActions.HomeRoute, Today).Allowed);
        Assert.False(DelegationRule.Decide(Agency, Party, [Grant([DelegationActions.EditProfile], until: Today.AddDays(-1))], DelegationActions.HomeRoute, Today).Allowed);
    }

    [Fact]
    public void InstitutionGroups_OpenBindingButNotEnterpriseActions()
    {
        var grant = Grant([DelegationActions.ConfirmBinding, DelegationActions.ViewRecords], role: Role.Institution, party: "inst-sxu");

        Assert.True(DelegationRule.Decide(Agency, "inst-sxu", [grant], "BindRedemption", Today).Allowed);
        Assert.True(DelegationRule.Decide(Agency, "inst-sxu", [grant], "GetRedemption", Today).Allowed);
        // view-records of an institution does not open the enterprise's records
        var other = DelegationRule.Decide(Agency, "inst-sxu", [grant], "GetApplication", Today);
        Assert.False(other.Allowed);
        Assert.Contains("no action group", other.Refusal);
    }

    [Fact]
    public void EveryRouteNamedByAGroup_Exists_AndBureauRoutesAreNeverDelegable()
    {
        var routes = VoucherRoutes.All.Select(r => r.Name).ToHashSet();
        var unknown = DelegationActions.All.SelectMany(g => g.Routes).Where(r => !routes.Contains(r)).ToList();

        Assert.Empty(unknown);
        Assert.Contains(DelegationActions.HomeRoute, routes);
        foreach (var name in new[] { "DecideApplication", "ConfirmPayment", "StartSettlement", "CreateDelegation", "RevokeDelegation", "Inbox" })
        {
            Assert.False(DelegationActions.IsDelegable(name), name);
        }
    }

    [Fact]
    public void Validate_UnknownGroupPastDateOrTooLong_NamesTheField()
    {
        var today = Today;
        Assert.Contains(AgencyService.Validate(Role.Enterprise, new CreateDelegationRequest("a", [], "2026-12-01"), today).Errors, e => e.Field == "actions");
        Assert.Contains(AgencyService.Validate(Role.Institution, new CreateDelegationRequest("a", [DelegationActions.ApplyForVoucher], "2026-12-01"), today).Errors, e => e.Field == "actions");
        Assert.Contains(AgencyService.Validate(Role.Enterprise, new CreateDelegationRequest("a", [DelegationActions.ViewRecords], "2026-11-26"), today).Errors, e => e.Field == "validUntil");
        Assert.Contains(AgencyService.Validate(Role.Enterprise, new CreateDelegationRequest("a", [DelegationActions.ViewRecords], "2030-01-01"), today).Errors, e => e.Field == "validUntil");
        Assert.Contains(AgencyService.Validate(Role.Enterprise, new CreateDelegationRequest("a", [DelegationActions.ViewRecords], "27/11/2026"), today).Errors, e => e.Field == "validUntil");
        Assert.Empty(AgencyService.Validate(Role.Enterprise, new CreateDelegationRequest("a", [DelegationActions.ViewRecords], "2026-11-27"), today).Errors);
    }

    [Fact]
    public void AgencyActor_FormatsAndParsesBothParties()
    {
        var actor = new VoucherPrincipal("u", "n", Role.Enterprise, Party) { Agency = Agency }.Actor;

        Assert.Equal($"enterprise:{Party} via agency:{Agency}", actor);
        Assert.Equal(($"enterprise:{Party}", (string?)Agency), AgencyActor.Parse(actor));
        Assert.Equal(("system", (string?)null), AgencyActor.Parse("system"));
    }
}
