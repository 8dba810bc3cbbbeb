namespace Voucher.Domain.Tests;

public class PerformanceEvaluationTests
{
    static CityIndicators City(string code, long amountYuan, long enterprises, double? median, long finished, long bad, int violations, decimal? expert) =>
        new(code, Cny.FromYuan(amountYuan), enterprises, median, finished, bad, violations, expert);

    [Fact]
    public void Evaluate_BestCityOnEveryIndicator_Scores100()
    {
        var result = PerformanceEvaluation.Evaluate(
            [City("taiyuan", 1_000_000, 20, 30, 10, 0, 0, 100m), City("datong", 500_000, 10, 60, 10, 5, 0, 50m)], new EvaluationFormula());

        Assert.Equal(100m, result[0].Score);
        // datong: 100 × (0.3×0.5 + 0.2×0.5 + 0.15×0.5 + 0.15×0.5 + 0.2×0.5) = 50
        Assert.Equal(50m, result[1].Score);
    }

    [Fact]
    public void Evaluate_ViolationsTakePoints_NotBelowZero()
    {
        var formula = new EvaluationFormula { ViolationPenalty = 10m };
        var result = PerformanceEvaluation.Evaluate(
            [City("taiyuan", 100, 1, 10, 1, 0, 2, 100m), City("lvliang", 0, 0, null, 0, 0, 50, null)], formula);

        Assert.Equal(80m, result[0].Score);
        Assert.Equal(0m, result[1].Score);
    }

    [Fact]
    public void Shares_FloorForEachCity_RestByScore_AddUpTo10000()
    {
        var shares = PerformanceEvaluation.Shares([100m, 50m, 0m], 0.1m);

        // rest 0.7: 0.1 + 0.7×2/3 = 0.5667, 0.1 + 0.7×1/3 = 0.3333, 0.1
        Assert.Equal([5667, 3333, 1000], shares);
        Assert.Equal(10_000, shares.Sum());
    }

    [Fact]
    public void Shares_AllScoresZero_SplitEqually_AndRemaindersStillAddUp()
    {
        var shares = PerformanceEvaluation.Shares(Enumerable.Repeat(0m, 11).ToList(), 0.02m);
        Assert.Equal(10_000, shares.Sum());
        Assert.True(shares.Max() - shares.Min() <= 1);
    }

    [Fact]
    public void Shares_RandomScores_AlwaysAddUpAndFollowTheScores()
    {
        var random = new Random(3);
        for (var i = 0; i < 200; i++)
        {
            var scores = Enumerable.Range(0, 11).Select(_ => (decimal)Math.Round(random.NextDouble() * 100, 2)).ToList();
            var shares = PerformanceEvaluation.Shares(scores, 0.02m);
            Assert.Equal(10_000, shares.Sum());
            Assert.All(shares, s => Assert.True(s >= 200));
            var best = scores.IndexOf(scores.Max());
            Assert.Equal(shares.Max(), shares[best]);
        }
    }

    [Fact]
    public void Formula_Validate_WeightsMustAddUpTo1_AndFloorFitsElevenCities()
    {
        Assert.Empty(new EvaluationFormula().Validate());
        Assert.Contains(new EvaluationFormula { AmountWeight = 0.5m }.Validate(), e => e.Field == "weights");
        Assert.Contains(new EvaluationFormula { FloorShare = 0.1m }.Validate(), e => e.Field == "floorShare");
        Assert.Contains(new EvaluationFormula { ViolationPenalty = -1m }.Validate(), e => e.Field == "violationPenalty");
    }
}

public class HistoricalRedemptionsTests
{
    [Fact]
    public void Parse_ReadsPeriodsAndSpans()
    {
        var figures = HistoricalRedemptions.Parse(new StringReader("city_zh,city_en,period,amount_10k_cny\n太原市,Taiyuan,2016,44\n吕梁市,Lvliang,2019-2021,19\n"));

        Assert.Equal([new HistoricalFigure("taiyuan", "2016", 2016, 2016, 44m), new HistoricalFigure("lvliang", "2019-2021", 2019, 2021, 19m)], figures);
    }

    [Theory]
    [InlineData("city,x\n")]
    [InlineData("city_zh,city_en,period,amount_10k_cny\n太原市,Atlantis,2016,1\n")]
    [InlineData("city_zh,city_en,period,amount_10k_cny\n吕梁市,Taiyuan,2016,1\n")]
    [InlineData("city_zh,city_en,period,amount_10k_cny\n太原市,Taiyuan,2021-2019,1\n")]
    [InlineData("city_zh,city_en,period,amount_10k_cny\n太原市,Taiyuan,2016,-3\n")]
    public void Parse_BadFile_IsRefusedWithTheLine(string text) =>
        Assert.Throws<DomainException>(() => HistoricalRedemptions.Parse(new StringReader(text)));
}
