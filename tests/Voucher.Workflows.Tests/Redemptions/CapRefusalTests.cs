namespace Voucher.Workflows.Tests.Redemptions;

/// <summary>
/// The annual cap at the request: a redemption whose pay-out the cap would cut to zero is refused by the API and by the
/// enterprise's page form (422 naming the cap, the cap year, what is granted and what is reserved), and nothing is stored;
/// one fen left is enough to be accepted.
/// </summary>
public sealed class CapRefusalTests(SettlementHostFixture fixture) : SettlementHostTests(fixture)
{
    const string City = "changzhi";

    [Fact]
    public async Task Api_CapUsedUp_Is422NamingCapYearGrantedAndReserved_AndStoresNothing()
    {
        var (s, store, before) = await SeedAndSnapshotAsync(granted: 150_000m, reserved: 50_000m);

        var result = await Get<RedemptionApi>().CreateAsync(Seed.Request(s.Sme, Json(s)));

        Assert.Equal(StatusCodes.Status422UnprocessableEntity, SettlementSeed.StatusOf(result));
        var problem = Assert.IsType<ProblemHttpResult>(result).ProblemDetails;
        var year = ChinaTime.DateOf(DateTime.UtcNow).Year;
        Assert.Contains($"{year} 年度补助限额 ¥200,000.00 已用完（已拨付 ¥150,000.00，在途预留 ¥50,000.00）", problem.Detail, StringComparison.Ordinal);
        Assert.Equal("annual-cap", problem.Extensions["rule"]);
        using var cap = JsonDocument.Parse(JsonSerializer.Serialize(problem.Extensions["annualCap"]));
        Assert.Equal(year, cap.RootElement.GetProperty("year").GetInt32());
        Assert.Equal(("200000.00", "150000.00", "50000.00", "0.00"), (
            cap.RootElement.GetProperty("cap").GetString(), cap.RootElement.GetProperty("granted").GetString(),
            cap.RootElement.GetProperty("reserved").GetString(), cap.RootElement.GetProperty("remaining").GetString()));
        Assert.Equal(before, await StoreSnapshot.TakeAsync(store, s.Enterprise.Uscc));
        Assert.Null(await Seed.Client.GetInstanceAsync(RedemptionStore.InstanceId(RedemptionStore.NewId(s.Voucher.VoucherId, 1))));
    }

    [Fact]
    public async Task PageForm_CapUsedUp_Is422WithTheMessageByTheForm_KeepsWhatWasTyped_AndStoresNothing()
    {
        var (s, store, before) = await SeedAndSnapshotAsync(granted: 200_000m, reserved: 0m);

        var result = await Get<EnterpriseRedemptionPages>().CreateRedemptionAsync(Seed.FormRequest(s.Sme, new Dictionary<string, string>
        {
            ["voucherId"] = s.Voucher.VoucherId, ["service"] = $"{s.Institution.InstitutionId}|{s.Service.RowKey}", ["contractNumber"] = "HT-CAP-7", ["amountPaid"] = "30000",
        }));

        Assert.Equal(StatusCodes.Status422UnprocessableEntity, SettlementSeed.StatusOf(result));
        var html = await PageHtml.RenderAsync(result, Fixture.Services);
        // The request form again: the chosen service named, the message at the top and by the choice, what was typed kept.
        var form = html[html.IndexOf("<section class=\"card redemption-form\">", StringComparison.Ordinal)..];
        form = form[..form.IndexOf("</form>", StringComparison.Ordinal)];
        Assert.Contains(s.Service.Title, form, StringComparison.Ordinal);
        Assert.Contains("<p class=\"error\" id=\"choice-error\">", form, StringComparison.Ordinal);
        Assert.Contains("class=\"error-summary\"", html, StringComparison.Ordinal);
        Assert.Contains($"{ChinaTime.DateOf(DateTime.UtcNow).Year} 年度补助限额 ¥200,000.00 已用完（已拨付 ¥200,000.00，在途预留 ¥0.00）", form, StringComparison.Ordinal);
        Assert.Contains("value=\"HT-CAP-7\"", form, StringComparison.Ordinal);
        Assert.Equal(before, await StoreSnapshot.TakeAsync(store, s.Enterprise.Uscc));
    }

    [Fact]
    public async Task OneFenLeft_IsAccepted()
    {
        var s = await SeedAsync(granted: 150_000m, reserved: 49_999.99m);

        var result = await Get<RedemptionApi>().CreateAsync(Seed.Request(s.Sme, Json(s)));

        Assert.Equal(StatusCodes.Status202Accepted, SettlementSeed.StatusOf(result));
        Assert.NotNull(await Get<RedemptionStore>().GetAsync(RedemptionStore.NewId(s.Voucher.VoucherId, 1)));
    }

    /// <summary>As <see cref="SeedAsync"/>, with what the store holds for the enterprise (its cap ledger among it) before the request.</summary>
    async Task<(SeededVoucher Seeded, VoucherStore Store, IReadOnlyList<string> Before)> SeedAndSnapshotAsync(decimal granted, decimal reserved)
    {
        var s = await SeedAsync(granted, reserved);
        var store = Get<VoucherStore>();
        var before = await StoreSnapshot.TakeAsync(store, s.Enterprise.Uscc);
        Assert.Contains(before, row => row.StartsWith("Ledger|", StringComparison.Ordinal));
        return (s, store, before);
    }

    static object Json(SeededVoucher s) =>
        new { voucherId = s.Voucher.VoucherId, institutionId = s.Institution.InstitutionId, serviceId = s.Service.RowKey, contractNumber = "HT-CAP-1", amountPaid = 30_000m };

    /// <summary>A new enterprise with a live voucher, a verified institution and service, and this year's cap ledger as given.</summary>
    async Task<SeededVoucher> SeedAsync(decimal granted, decimal reserved)
    {
        var s = await SeededVoucher.SeedAsync(Get<VoucherStore>(), City);
        var (enterprise, today) = (s.Enterprise, ChinaTime.DateOf(DateTime.UtcNow));
        var ledger = Get<CapLedger>();
        var cap = Cny.FromYuan(200_000m);
        if (granted > 0)
        {
            await ledger.ReserveAsync(enterprise.Uscc, today.Year, "earlier-paid", cap, _ => Cny.FromYuan(granted));
            await ledger.GrantAsync(enterprise.Uscc, today.Year, "earlier-paid");
        }

        if (reserved > 0)
        {
            await ledger.ReserveAsync(enterprise.Uscc, today.Year, "earlier-open", cap, _ => Cny.FromYuan(reserved));
        }

        return s;
    }
}
