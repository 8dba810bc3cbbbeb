namespace Voucher.Workflows.Tests.Supervision;

/// <summary>The annual evaluation on stored aggregates: violations read from the agreed table, scores, publishing freezes the result.</summary>
[Collection(AzuriteCollection.Name)]
public sealed class EvaluationTests(AzuriteFixture azurite)
{
    static readonly VoucherPrincipal Province = new("p", "prov", Role.Province, null);

    static IReadOnlyDictionary<string, CityScoreInput> Scores(params (string City, string Score, string Comment)[] scores) =>
        scores.ToDictionary(s => s.City, s => new CityScoreInput(s.Score, s.Comment));

    [Fact]
    public async Task Publish_UsesAggregatesViolationsAndScores_AndLaterEventsDoNotChangeThePublishedResult()
    {
        var time = new FakeTimeProvider(new DateTimeOffset(2026, 1, 10, 2, 0, 0, TimeSpan.Zero));
        await using var sp = await WorkflowServices.BuildAsync(azurite, azurite.NewName("ev")[..13], time);
        var stats = sp.GetRequiredService<StatsAggregator>();
        var evaluations = sp.GetRequiredService<EvaluationService>();
        var store = sp.GetRequiredService<VoucherStore>();

        // Without a Violations table, nothing is counted and nothing fails.
        Assert.All((await evaluations.WorkAsync(Province, "2025", default)).Value.Draft.Cities, c => Assert.Equal(0, c.Violations));

        await stats.ApplyAsync("taiyuan", 2025, "red|a", "e1", (s, n) => { s.RedemptionsFinished++; s.RedemptionsPaid++; s.PaidFen += 6_500_000; s.EnterprisesServed += n ? 1 : 0; });
        await stats.ApplyAsync("taiyuan", 2025, "red|b", "e2", (s, n) => { s.RedemptionsFinished++; s.RedemptionsRejected++; s.RedemptionsRejectedOrObjected++; });
        await stats.ApplyAsync("datong", 2025, "red|c", "e3", (s, n) => { s.RedemptionsFinished++; s.RedemptionsPaid++; s.PaidFen += 3_000_000; s.EnterprisesServed += n ? 1 : 0; });
        var violations = store.Table(ViolationCounts.Table);
        await violations.CreateIfNotExistsAsync();
        await violations.AddEntityAsync(new TableEntity("datong", "v1") { ["DecidedOn"] = "2025-06-01" });
        await violations.AddEntityAsync(new TableEntity("datong", "v2") { ["DecidedOn"] = "2024-12-31" });
        var saved = await evaluations.SaveAsync(Province, new SaveEvaluation("2025", Scores(("taiyuan", "90", "按月兑付，成效明显"), ("datong", "70", "")), Publish: false), default);
        Assert.Null(saved.Value.Published);
        Assert.IsType<Failure.NotFound>((await evaluations.PublishedAsync("2025", default)).Failure);

        var published = (await evaluations.SaveAsync(Province, new SaveEvaluation("2025", Scores(("taiyuan", "90", "按月兑付，成效明显"), ("datong", "70", "")), Publish: true), default)).Value.Published!;

        var taiyuan = published.Cities.Single(c => c.City == "taiyuan");
        var datong = published.Cities.Single(c => c.City == "datong");
        Assert.Equal((Cny.FromYuan(65_000m), 1L, 0.5, 0, 90m, "按月兑付，成效明显"), (taiyuan.AmountRedeemed, taiyuan.EnterprisesServed, taiyuan.RejectedOrObjectedShare!.Value, taiyuan.Violations, taiyuan.ExpertScore!.Value, taiyuan.Comment));
        Assert.Equal(1, datong.Violations);
        Assert.Equal(10_000, published.Cities.Sum(c => c.ShareBasisPoints));
        Assert.True(taiyuan.ShareBasisPoints > datong.ShareBasisPoints);
        Assert.Equal(1, published.FormulaVersion);
        Assert.Equal("prov (p)", published.PublishedBy);

        await stats.ApplyAsync("datong", 2025, "red|d", "e4", (s, n) => { s.RedemptionsFinished++; s.RedemptionsPaid++; s.PaidFen += 50_000_000; s.EnterprisesServed += n ? 1 : 0; });
        var again = (await evaluations.PublishedAsync("2025", default)).Value;
        Assert.Equal(published.Cities.Select(c => (c.City, c.Score, c.ShareBasisPoints)), again.Cities.Select(c => (c.City, c.Score, c.ShareBasisPoints)));
        Assert.NotEqual(datong.Score, (await evaluations.WorkAsync(Province, "2025", default)).Value.Draft.Cities.Single(c => c.City == "datong").Score);

        // A city bureau sees its own city only, draft and published.
        var work = (await evaluations.WorkAsync(new VoucherPrincipal("b", "bureau", Role.CityBureau, "datong"), "2025", default)).Value;
        Assert.Equal(["datong"], work.Draft.Cities.Select(c => c.City));
        Assert.Equal(["datong"], work.Published!.Cities.Select(c => c.City));
    }

    [Fact]
    public async Task Save_RefusesBadScoresAndYears_AndAnyoneButTheProvince_ChangingNothing()
    {
        var time = new FakeTimeProvider(new DateTimeOffset(2026, 1, 10, 2, 0, 0, TimeSpan.Zero));
        await using var sp = await WorkflowServices.BuildAsync(azurite, azurite.NewName("es")[..13], time);
        var evaluations = sp.GetRequiredService<EvaluationService>();

        var bad = await evaluations.SaveAsync(Province, new SaveEvaluation("2025", Scores(("taiyuan", "100.5", ""), ("datong", "7.25", ""), ("yuncheng", "80", new string('评', 501))), Publish: true), default);
        Assert.Equal(["comment-yuncheng", "score-datong", "score-taiyuan"], Assert.IsType<Failure.Invalid>(bad.Failure).Errors.Select(e => e.Field).Order());

        Assert.Equal("year", Assert.Single(Assert.IsType<Failure.Invalid>((await evaluations.SaveAsync(Province, new SaveEvaluation("2027", Scores(), true), default)).Failure).Errors).Field);
        Assert.IsType<Failure.Invalid>((await evaluations.PublishedAsync("2022", default)).Failure);
        var bureau = new VoucherPrincipal("b", "bureau", Role.CityBureau, "taiyuan");
        Assert.IsType<Failure.Forbidden>((await evaluations.SaveAsync(bureau, new SaveEvaluation("2025", Scores(("taiyuan", "99", "")), true), default)).Failure);
        Assert.IsType<Failure.Forbidden>((await evaluations.WorkAsync(new VoucherPrincipal("f", "finance", Role.FinanceBureau, "taiyuan"), "2025", default)).Failure);

        Assert.IsType<Failure.NotFound>((await evaluations.PublishedAsync("2025", default)).Failure);
        Assert.All((await evaluations.WorkAsync(Province, "2025", default)).Value.Draft.Cities, c => Assert.Null(c.ExpertScore));
    }
}
