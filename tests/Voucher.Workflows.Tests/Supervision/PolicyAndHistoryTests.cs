using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using Voucher.Domain;
using Voucher.Testing;
using Voucher.Workflows.Applications;
using Voucher.Workflows.Policies;
using Voucher.Workflows.Security;
using Voucher.Workflows.Services;
using Voucher.Workflows.Supervision;
using Voucher.Workflows.Tests.Support;
using Voucher.Workflows.Vouchers;

namespace Voucher.Workflows.Tests.Supervision;

/// <summary>Policy administration (versions, who/when/why, past decisions untouched), the Table 1 import, and the evaluation on stored data.</summary>
[Collection(AzuriteCollection.Name)]
public sealed class PolicyAndHistoryTests(AzuriteFixture azurite)
{
    static readonly DateTimeOffset Now = new(2026, 3, 2, 2, 0, 0, TimeSpan.Zero);

    /// <summary>The province centre's editor: the history names them "prov (p1)".</summary>
    static readonly VoucherPrincipal Editor = new("p1", "prov", Role.Province, null);

    [Fact]
    public async Task Table1Import_TotalsMatchThePaper_AndStayApartFromSystemAmounts()
    {
        await using var sp = await WorkflowServices.BuildAsync(azurite, azurite.NewName("hi")[..13], new FakeTimeProvider(Now));
        var import = sp.GetRequiredService<HistoryImport>();

        Assert.Equal(55, await import.ImportEmbeddedAsync());
        Assert.Equal(55, await import.ImportEmbeddedAsync()); // again: same rows, nothing doubled

        var table = await sp.GetRequiredService<StatsReader>().RedemptionsByCityAsync(default);
        Assert.Equal(4537m, table.ImportedTotal);
        Assert.Equal(["2016", "2017", "2018", "2019-2021", "2022"], table.ImportedPeriods);
        Assert.Equal(2743m, table.Cities.Single(c => c.City == "taiyuan").ImportedTotal);
        Assert.Equal(1052m, table.Cities.Single(c => c.City == "taiyuan").Imported["2018"]);
        Assert.Equal(144m, table.ImportedByPeriod["2016"]);
        Assert.Equal(Cny.Zero, table.SystemTotal);
        Assert.Equal(Enumerable.Range(2023, 4).Select(y => y.ToString()), table.SystemYears);
    }

    [Fact]
    public async Task PublishCity_NewVersionWithWhoWhenWhy_ReasonRequired_StaleRefused()
    {
        await using var sp = await WorkflowServices.BuildAsync(azurite, azurite.NewName("pa")[..13], new FakeTimeProvider(Now));
        var admin = sp.GetRequiredService<PolicyService>();

        var noReason = await admin.PublishCityPolicyAsync(Editor, "yuncheng", new CityPolicyChange(null, null, 0.6m, null, null, null, null, null, "  "), default);
        Assert.Contains(Assert.IsType<Failure.Invalid>(noReason.Failure).Errors, e => e.Field == "reason");

        var bad = await admin.PublishCityPolicyAsync(Editor, "yuncheng", new CityPolicyChange(null, null, 1.5m, "weekly", 0, "stamp", 20, 0, "x", 1.2m), default);
        Assert.Equal(["bindingMode", "cadence", "excessRatio", "prepaymentShare", "publicityWorkingDays", "reminderLeadWorkingDays", "validityMonths"], Assert.IsType<Failure.Invalid>(bad.Failure).Errors.Select(e => e.Field).Distinct().Order());

        var ok = await admin.PublishCityPolicyAsync(Editor, "yuncheng", new CityPolicyChange(1, true, 0.6m, "monthly", 7, "seal", 3, 18, "试行按月兑付", 0.3m), default);
        Assert.Equal(2, ok.Value.Version);
        var stale = await admin.PublishCityPolicyAsync(Editor with { UserId = "p2" }, "yuncheng", new CityPolicyChange(1, null, 0.7m, null, null, null, null, null, "late editor"), default);
        Assert.IsType<Failure.Conflict>(stale.Failure);

        // Unknown city, a bureau publishing, a bureau reading another city's policy: refused, nothing published.
        Assert.IsType<Failure.NotFound>((await admin.PublishCityPolicyAsync(Editor, "atlantis", new CityPolicyChange(null, null, 0.6m, null, null, null, null, null, "x"), default)).Failure);
        var bureau = new VoucherPrincipal("b", "bureau", Role.CityBureau, "yuncheng");
        Assert.IsType<Failure.Forbidden>((await admin.PublishCityPolicyAsync(bureau, "yuncheng", new CityPolicyChange(2, null, 0.6m, null, null, null, null, null, "x"), default)).Failure);
        Assert.IsType<Failure.Forbidden>((await admin.CityHistoryAsync(bureau, "datong", default)).Failure);
        Assert.Equal(2, (await admin.CityHistoryAsync(bureau, "yuncheng", default)).Value.Current.Version);

        var history = (await admin.CityHistoryAsync(Editor, "yuncheng", default)).Value.Versions;
        Assert.Equal([2, 1], history.Select(h => h.Version));
        var v2 = history[0];
        Assert.Equal(("prov (p1)", "试行按月兑付", Now), (v2.ChangedBy, v2.Reason, v2.EffectiveFrom));
        Assert.Equal((true, 0.6m, SettlementCadence.Monthly, 7, BindingMode.Seal, 3, 18), (v2.LargeDenominationEnabled, v2.ExcessRatio, v2.Cadence, v2.PublicityWorkingDays, v2.BindingMode, v2.ReminderLeadWorkingDays, v2.ValidityMonths));
        Assert.Equal(0.3m, v2.PrepaymentShare);
        Assert.Equal(0.5m, history[1].ExcessRatio);
        Assert.Equal(0.5m, history[1].PrepaymentShare);
    }

    [Fact]
    public async Task PolicyChange_AfterADecision_LeavesThatDecisionAndItsVoucherAsTheyWere()
    {
        var time = new FakeTimeProvider(Now);
        await using var sp = await WorkflowServices.BuildAsync(azurite, azurite.NewName("pd")[..13], time);
        var admin = sp.GetRequiredService<PolicyService>();
        var applications = sp.GetRequiredService<ApplicationStore>();
        var decide = sp.GetRequiredService<RecordApplicationDecision>();
        var first = await NewApplicationAsync(applications, "MA0PX0001");
        await decide.RunAsync(new DecisionInput(first, new ReviewDecision(1, true, null, "city-bureau:xinzhou"), Now.UtcDateTime));
        var before = await applications.GetRequiredAsync(first);
        var voucherBefore = await sp.GetRequiredService<VoucherRepository>().GetAsync(before.VoucherId!);

        var published = await admin.PublishCityPolicyAsync(Editor, "xinzhou", new CityPolicyChange(null, null, null, null, null, null, null, 6, "有效期缩短为 6 个月"), default);
        Assert.True(published.Succeeded);
        time.Advance(TimeSpan.FromHours(1));
        var second = await NewApplicationAsync(applications, "MA0PX0002");
        await decide.RunAsync(new DecisionInput(second, new ReviewDecision(1, true, null, "city-bureau:xinzhou"), time.GetUtcNow().UtcDateTime));

        var after = await applications.GetRequiredAsync(first);
        var voucherAfter = await sp.GetRequiredService<VoucherRepository>().GetAsync(before.VoucherId!);
        Assert.Equal(1, after.PolicyVersion);
        Assert.Equal(before.ETag, after.ETag);
        Assert.Equal(voucherBefore!.ExpiresOn, voucherAfter!.ExpiresOn);
        Assert.Equal(1, voucherAfter.PolicyVersion);
        Assert.Equal(VoucherRules.ExpiresOn(new DateOnly(2026, 3, 2), 12).ToString("yyyy-MM-dd"), voucherAfter.ExpiresOn);
        Assert.Equal(12, (await sp.GetRequiredService<PolicyStore>().GetVersionAsync("xinzhou", 1))!.ValidityMonths);

        var later = await applications.GetRequiredAsync(second);
        Assert.Equal(2, later.PolicyVersion);
        Assert.Equal(VoucherRules.ExpiresOn(new DateOnly(2026, 3, 2), 6).ToString("yyyy-MM-dd"), (await sp.GetRequiredService<VoucherRepository>().GetAsync(later.VoucherId!))!.ExpiresOn);

        // The decision hook counted both decisions once, also when the activity runs again (a retry).
        await decide.RunAsync(new DecisionInput(second, new ReviewDecision(1, true, null, "city-bureau:xinzhou"), time.GetUtcNow().UtcDateTime));
        var row = await sp.GetRequiredService<StatsReader>().RowAsync("xinzhou", 2026, default);
        Assert.Equal((2L, 2L), (row.ApplicationsDecided, row.VouchersIssued));
    }

    [Fact]
    public async Task ProvinceCapChange_IsCarriedToEveryCityAsItsNextVersion()
    {
        await using var sp = await WorkflowServices.BuildAsync(azurite, azurite.NewName("pc")[..13], new FakeTimeProvider(Now));
        var admin = sp.GetRequiredService<PolicyService>();
        var bureau = new VoucherPrincipal("b", "bureau", Role.CityBureau, "taiyuan");
        Assert.IsType<Failure.Forbidden>((await admin.PublishProvincePolicyAsync(bureau, new ProvincePolicyChange(1, 150_000m, null, null, null, null, null, null, null, null, "x"), default)).Failure);

        var result = await admin.PublishProvincePolicyAsync(Editor, new ProvincePolicyChange(1, 150_000m, ["testing", "consulting"], null, null, null, null, null, null, null, "财政预算调整"), default);

        Assert.Equal(2, result.Value.Version);
        Assert.Equal(2, (await sp.GetRequiredService<ProvincePolicyStore>().GetCurrentAsync(default)).Version);
        Assert.Equal([2, 1], (await admin.ProvinceHistoryAsync(bureau, default)).Value.Versions.Select(v => v.Version));
        foreach (var city in Cities.All)
        {
            var current = await sp.GetRequiredService<PolicyStore>().GetCurrentAsync(city.Code);
            Assert.Equal(Cny.FromYuan(150_000m), current.AnnualCap);
            Assert.Contains("财政预算调整", current.Reason, StringComparison.Ordinal);
        }

        var badWeights = await admin.PublishProvincePolicyAsync(Editor, new ProvincePolicyChange(2, null, null, 0.9m, null, null, null, null, null, null, "x"), default);
        Assert.Contains(Assert.IsType<Failure.Invalid>(badWeights.Failure).Errors, e => e.Field == "weights");
        var stale = await admin.PublishProvincePolicyAsync(Editor, new ProvincePolicyChange(1, 120_000m, null, null, null, null, null, null, null, null, "late editor"), default);
        Assert.IsType<Failure.Conflict>(stale.Failure);
        Assert.Equal(2, (await sp.GetRequiredService<ProvincePolicyStore>().ReadCurrentAsync(default)).Version);
    }

    static async Task<string> NewApplicationAsync(ApplicationStore applications, string org)
    {
        var uscc = Uscc.Complete("91140900" + org);
        var id = ApplicationStore.NewId(uscc, 2026, 1);
        await applications.TryCreateAsync(new ApplicationEntity
        {
            PartitionKey = uscc, RowKey = id, EnterpriseName = "忻州测试科技有限公司", CityCode = "xinzhou", Status = ApplicationStatus.UnderReview,
            RequestedFaceValueFen = 5_000_000, Round = 1, SubmittedAt = Now.AddDays(-5), NotifiedAt = Now.AddDays(-5), PolicyVersion = 1,
        });
        return id;
    }
}
