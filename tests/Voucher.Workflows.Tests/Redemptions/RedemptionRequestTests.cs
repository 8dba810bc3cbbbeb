namespace Voucher.Workflows.Tests.Redemptions;

/// <summary>
/// Requesting a redemption (<see cref="RedemptionService.RequestAsync"/>): each field's rule, a voucher that cannot be
/// redeemed (refused, forbidden, not found), the same request again and a different one while the first is open. A
/// refused request stores nothing and starts nothing. The annual cap's refusal is <see cref="CapRefusalTests"/>.
/// </summary>
[Collection(RedemptionDurableCollection.Name)]
public sealed class RedemptionRequestTests(DurableHostFixture fixture)
{
    readonly RedemptionFlow flow = new(fixture);

    [Fact]
    public void Validate_NamesEveryBrokenField()
    {
        var command = new RequestRedemption(null, new string('i', 65), "svc-x", true, "", -1m);

        var invalid = RedemptionService.Validate(command, out _);

        Assert.NotNull(invalid);
        Assert.Equal(["voucherId", "institutionId", "contractNumber", "amountPaid", "serviceId"], invalid.Errors.Select(e => e.Field));
        Assert.Contains("cooperativeRd", RedemptionService.Validate(command with { CooperativeRd = false, ServiceId = null }, out _)!.Errors.Single(e => e.Field == "serviceId").Message, StringComparison.Ordinal);
        Assert.Equal("amountPaid", Assert.Single(RedemptionService.Validate(new RequestRedemption("V-1", "inst", "svc", false, "HT-1", null), out _)!.Errors).Field);
        Assert.Null(RedemptionService.Validate(new RequestRedemption("V-1", "inst", "svc", false, "HT-1", 100.5m), out var paid));
        Assert.Equal(Cny.FromYuan(100.5m), paid);
    }

    [Fact]
    public async Task Request_WithInvalidFields_IsRefusedByField_AndStoresNothing()
    {
        var s = await flow.SeedAsync("jinzhong");

        var outcome = await flow.Get<RedemptionService>().RequestAsync(s.Sme, s.Request() with { ContractNumber = null, AmountPaid = 0.001m }, flow.Client, CancellationToken.None);

        var invalid = Assert.IsType<Failure.Invalid>(outcome.Failure);
        Assert.Equal(["contractNumber", "amountPaid"], invalid.Errors.Select(e => e.Field));
        Assert.Equal(["contractNumber", "amountPaid"], Problems.FieldMessages(invalid).Keys);
        Assert.Empty(await flow.Get<RedemptionStore>().ForEnterpriseAsync(s.Enterprise.Uscc));
    }

    [Theory]
    [InlineData("expired", typeof(Failure.Refused), StatusCodes.Status422UnprocessableEntity)]
    [InlineData("used-up", typeof(Failure.Refused), StatusCodes.Status422UnprocessableEntity)]
    [InlineData("revoked", typeof(Failure.Refused), StatusCodes.Status422UnprocessableEntity)]
    [InlineData("other-enterprise", typeof(Failure.NotFound), StatusCodes.Status404NotFound)]
    [InlineData("unknown-voucher", typeof(Failure.NotFound), StatusCodes.Status404NotFound)]
    [InlineData("unverified-institution", typeof(Failure.Invalid), StatusCodes.Status400BadRequest)]
    [InlineData("unknown-service", typeof(Failure.Invalid), StatusCodes.Status400BadRequest)]
    [InlineData("ineligible-category", typeof(Failure.Invalid), StatusCodes.Status400BadRequest)]
    public async Task Request_ForAVoucherThatCannotBeRedeemed_IsAClear4xxAndStartsNothing(string what, Type failure, int status)
    {
        var today = ChinaTime.DateOf(DateTime.UtcNow);
        var s = await flow.SeedAsync("jinzhong", v =>
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
            await flow.Store.UpsertAsync(VoucherStore.Institutions, s.Institution);
        }

        if (what == "ineligible-category")
        {
            // A category the province policy does not list (nor the catalogue knows): vouchers cannot pay for it.
            s.Service.Category = "equipment-purchase";
            await flow.Store.UpsertAsync(VoucherStore.Services, s.Service);
        }

        var principal = what == "other-enterprise" ? new VoucherPrincipal("u2", "Other SME", Role.Enterprise, TestUscc.New("jinzhong")) : s.Sme;
        var request = what switch
        {
            "unknown-voucher" => s.Request() with { VoucherId = VoucherEntity.IdFor($"{s.Enterprise.Uscc}-{today.Year}-09") },
            "unknown-service" => s.Request() with { ServiceId = "svc-none" },
            _ => s.Request(),
        };

        var outcome = await flow.Get<RedemptionService>().RequestAsync(principal, request, flow.Client, CancellationToken.None);

        Assert.False(outcome.Succeeded);
        Assert.IsType(failure, outcome.Failure);
        Assert.Equal(status, Assert.IsAssignableFrom<IStatusCodeHttpResult>(Problems.For(outcome.Failure!)).StatusCode);
        if (what == "ineligible-category")
        {
            var error = Assert.Single(((Failure.Invalid)outcome.Failure!).Errors);
            Assert.Equal("serviceId", error.Field);
            Assert.Contains("not eligible for vouchers under province policy", error.Message, StringComparison.Ordinal);
        }

        if (what == "expired")
        {
            Assert.Contains($"expired on {s.Voucher.ExpiresOn}", outcome.Failure!.Message, StringComparison.Ordinal);
        }

        Assert.Empty(await flow.Get<RedemptionStore>().ForEnterpriseAsync(s.Enterprise.Uscc));
        Assert.Null(await flow.Client.GetInstanceAsync(RedemptionStore.InstanceId(RedemptionStore.NewId(s.Voucher.VoucherId, 1))));
    }

    [Fact]
    public async Task Request_Twice_SameRequestIsTheExistingOne_DifferentOneIsAConflict()
    {
        var s = await flow.SeedAsync("yangquan");
        var first = await flow.CreateAsync(s);

        var same = await flow.Get<RedemptionService>().RequestAsync(s.Sme, s.Request(), flow.Client, CancellationToken.None);
        var different = await flow.Get<RedemptionService>().RequestAsync(s.Sme, s.Request(90_000m), flow.Client, CancellationToken.None);

        Assert.True(same.Value.Existing);
        Assert.Equal(first.RedemptionId, same.Value.Redemption.RedemptionId);
        var conflict = Assert.IsType<Failure.Conflict>(different.Failure);
        Assert.Contains(first.RedemptionId, conflict.Message, StringComparison.Ordinal);
        Assert.Single(await flow.Get<RedemptionStore>().ForEnterpriseAsync(s.Enterprise.Uscc));
    }
}
