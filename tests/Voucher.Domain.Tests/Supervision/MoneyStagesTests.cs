namespace Voucher.Domain.Tests.Supervision;

public class MoneyStagesTests
{
    static MoneyFacts F(RedemptionStatus s, bool queued = true, bool batched = false, bool published = false, bool payable = false) => new(s, queued, batched, published, payable);

    [Fact]
    public void NotQueued_HasNoPath_WhateverItsStatus()
    {
        foreach (var s in Enum.GetValues<RedemptionStatus>())
        {
            Assert.Empty(MoneyStages.Path(F(s, queued: false)));
            Assert.Null(MoneyStages.Current(F(s, queued: false)));
        }
    }

    [Theory]
    [InlineData(RedemptionStatus.Queued, false, false, false, new[] { MoneyStage.Queued })]
    [InlineData(RedemptionStatus.InBatch, true, false, false, new[] { MoneyStage.Queued, MoneyStage.Review })]
    [InlineData(RedemptionStatus.Published, true, true, false, new[] { MoneyStage.Queued, MoneyStage.Review, MoneyStage.Publicity })]
    [InlineData(RedemptionStatus.Objected, true, true, false, new[] { MoneyStage.Queued, MoneyStage.Review, MoneyStage.Publicity })]
    [InlineData(RedemptionStatus.Payable, true, true, true, new[] { MoneyStage.Queued, MoneyStage.Review, MoneyStage.Publicity, MoneyStage.Payable })]
    [InlineData(RedemptionStatus.Paid, true, true, true, new[] { MoneyStage.Queued, MoneyStage.Review, MoneyStage.Publicity, MoneyStage.Payable, MoneyStage.Paid })]
    [InlineData(RedemptionStatus.Rejected, true, false, false, new[] { MoneyStage.Queued, MoneyStage.Review, MoneyStage.Released })]
    [InlineData(RedemptionStatus.Rejected, true, true, false, new[] { MoneyStage.Queued, MoneyStage.Review, MoneyStage.Publicity, MoneyStage.Released })]
    [InlineData(RedemptionStatus.Withdrawn, false, false, false, new[] { MoneyStage.Queued, MoneyStage.Released })]
    [InlineData(RedemptionStatus.Stopped, false, false, false, new[] { MoneyStage.Queued, MoneyStage.Released })]
    public void Path_FollowsTheRecord(RedemptionStatus status, bool batched, bool published, bool payable, MoneyStage[] expected) =>
        Assert.Equal(expected, MoneyStages.Path(F(status, batched: batched, published: published, payable: payable)));

    [Fact]
    public void Path_ImpliesTheStagesAStatusCannotSkip()
    {
        // A paid record whose stage times were lost still went through review, publicity and payable.
        Assert.Equal([MoneyStage.Queued, MoneyStage.Review, MoneyStage.Publicity, MoneyStage.Payable, MoneyStage.Paid], MoneyStages.Path(F(RedemptionStatus.Paid)));
        Assert.Equal(MoneyStage.Review, MoneyStages.Current(F(RedemptionStatus.Approved)));
    }

    [Fact]
    public void Before_IsThePreviousStageOnThePath()
    {
        var path = MoneyStages.Path(F(RedemptionStatus.Rejected, batched: true, published: true));
        Assert.Null(MoneyStages.Before(path, MoneyStage.Queued));
        Assert.Equal(MoneyStage.Queued, MoneyStages.Before(path, MoneyStage.Review));
        Assert.Equal(MoneyStage.Publicity, MoneyStages.Before(path, MoneyStage.Released));
        Assert.Null(MoneyStages.Before(path, MoneyStage.Paid));
    }

    [Fact]
    public void CountingEveryEntryOnce_InAnyOrder_LeavesTheAmountInTheCurrentStageOnly()
    {
        var random = new Random(15);
        var statuses = Enum.GetValues<RedemptionStatus>();
        for (var n = 0; n < 500; n++)
        {
            var facts = F(statuses[random.Next(statuses.Length)], random.Next(4) > 0, random.Next(2) == 0, random.Next(2) == 0, random.Next(2) == 0);
            var path = MoneyStages.Path(facts);
            var totals = Enum.GetValues<MoneyStage>().ToDictionary(s => s, _ => 0L);
            foreach (var entered in path.OrderBy(_ => random.Next()))
            {
                totals[entered] += 100;
                if (MoneyStages.Before(path, entered) is { } left)
                {
                    totals[left] -= 100;
                }
            }

            var current = MoneyStages.Current(facts);
            foreach (var (stage, fen) in totals)
            {
                Assert.Equal(stage == current ? 100 : 0, fen);
            }
        }
    }

    [Fact]
    public void Of_MapsEveryStatus()
    {
        Assert.Null(MoneyStages.Of(RedemptionStatus.AwaitingBinding));
        Assert.Null(MoneyStages.Of(RedemptionStatus.AwaitingEvidence));
        Assert.Equal(MoneyStage.Review, MoneyStages.Of(RedemptionStatus.Approved));
        Assert.Equal(MoneyStage.Publicity, MoneyStages.Of(RedemptionStatus.Objected));
        Assert.Equal(MoneyStage.Released, MoneyStages.Of(RedemptionStatus.Stopped));
        Assert.Equal(["待结算", "结算审核中", "公示中", "待拨付"], MoneyStages.Committed.Select(MoneyStages.NameZh));
    }
}
