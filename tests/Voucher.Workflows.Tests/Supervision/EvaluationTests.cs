using Azure.Data.Tables;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using Voucher.Domain;
using Voucher.Testing;
using Voucher.Workflows.Storage;
using Voucher.Workflows.Supervision;
using Voucher.Workflows.Tests.Support;

namespace Voucher.Workflows.Tests.Supervision;

/// <summary>The annual evaluation on stored aggregates: violations read from the agreed table, scores, publishing freezes the result.</summary>
[Collection(AzuriteCollection.Name)]
public sealed class EvaluationTests(AzuriteFixture azurite)
{
    [Fact]
    public async Task Publish_UsesAggregatesViolationsAndScores_AndLaterEventsDoNotChangeThePublishedResult()
    {
        var time = new FakeTimeProvider(new DateTimeOffset(2026, 1, 10, 2, 0, 0, TimeSpan.Zero));
        await using var sp = await WorkflowServices.BuildAsync(azurite, azurite.NewName("ev")[..13], time);
        var stats = sp.GetRequiredService<StatsAggregator>();
        var evaluations = sp.GetRequiredService<Evaluations>();
        var store = sp.GetRequiredService<VoucherStore>();

        // Without a Violations table, nothing is counted and nothing fails.
        Assert.All((await evaluations.DraftAsync(2025, default)).Cities, c => Assert.Equal(0, c.Violations));

        await stats.ApplyAsync("taiyuan", 2025, "red|a", "e1", (s, n) => { s.RedemptionsFinished++; s.RedemptionsPaid++; s.PaidFen += 6_500_000; s.EnterprisesServed += n ? 1 : 0; });
        await stats.ApplyAsync("taiyuan", 2025, "red|b", "e2", (s, n) => { s.RedemptionsFinished++; s.RedemptionsRejected++; s.RedemptionsRejectedOrObjected++; });
        await stats.ApplyAsync("datong", 2025, "red|c", "e3", (s, n) => { s.RedemptionsFinished++; s.RedemptionsPaid++; s.PaidFen += 3_000_000; s.EnterprisesServed += n ? 1 : 0; });
        var violations = store.Table(ViolationCounts.Table);
        await violations.CreateIfNotExistsAsync();
        await violations.AddEntityAsync(new TableEntity("datong", "v1") { ["DecidedOn"] = "2025-06-01" });
        await violations.AddEntityAsync(new TableEntity("datong", "v2") { ["DecidedOn"] = "2024-12-31" });
        await evaluations.SaveScoresAsync(2025, new Dictionary<string, (decimal?, string)> { ["taiyuan"] = (90m, "按月兑付，成效明显"), ["datong"] = (70m, "") }, "prov", default);

        var published = await evaluations.PublishAsync(2025, "prov", default);

        var taiyuan = published.Cities.Single(c => c.City == "taiyuan");
        var datong = published.Cities.Single(c => c.City == "datong");
        Assert.Equal((Cny.FromYuan(65_000m), 1L, 0.5, 0, 90m, "按月兑付，成效明显"), (taiyuan.AmountRedeemed, taiyuan.EnterprisesServed, taiyuan.RejectedOrObjectedShare!.Value, taiyuan.Violations, taiyuan.ExpertScore!.Value, taiyuan.Comment));
        Assert.Equal(1, datong.Violations);
        Assert.Equal(10_000, published.Cities.Sum(c => c.ShareBasisPoints));
        Assert.True(taiyuan.ShareBasisPoints > datong.ShareBasisPoints);
        Assert.Equal(1, published.FormulaVersion);

        await stats.ApplyAsync("datong", 2025, "red|d", "e4", (s, n) => { s.RedemptionsFinished++; s.RedemptionsPaid++; s.PaidFen += 50_000_000; s.EnterprisesServed += n ? 1 : 0; });
        var again = await evaluations.PublishedAsync(2025, default);
        Assert.Equal(published.Cities.Select(c => (c.City, c.Score, c.ShareBasisPoints)), again!.Cities.Select(c => (c.City, c.Score, c.ShareBasisPoints)));
        Assert.NotEqual(datong.Score, (await evaluations.DraftAsync(2025, default)).Cities.Single(c => c.City == "datong").Score);
    }
}
