namespace Voucher.Domain.Tests.Settlement;

/// <summary>The settlement batch's stage machine and the one-time resolution of an objection.</summary>
public sealed class BatchTransitionsTests
{
    static readonly HashSet<(BatchStage, BatchStage)> Legal =
    [
        (BatchStage.Forming, BatchStage.Reviewing),
        (BatchStage.Forming, BatchStage.Closed),
        (BatchStage.Reviewing, BatchStage.Deciding),
        (BatchStage.Deciding, BatchStage.Publicity),
        (BatchStage.Publicity, BatchStage.Closed),
    ];

    public static TheoryData<BatchStage, BatchStage> AllPairs()
    {
        var data = new TheoryData<BatchStage, BatchStage>();
        foreach (var from in Enum.GetValues<BatchStage>())
        {
            foreach (var to in Enum.GetValues<BatchStage>())
            {
                data.Add(from, to);
            }
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(AllPairs))]
    public void IsAllowed_EveryPair_MatchesTheStageMachine(BatchStage from, BatchStage to) =>
        Assert.Equal(Legal.Contains((from, to)), BatchTransitions.IsAllowed(from, to));

    [Theory]
    [InlineData(BatchStage.Reviewing, BatchStage.Publicity)]
    [InlineData(BatchStage.Publicity, BatchStage.Reviewing)]
    [InlineData(BatchStage.Closed, BatchStage.Publicity)]
    [InlineData(BatchStage.Deciding, BatchStage.Deciding)]
    public void Ensure_IllegalMove_ThrowsNamingBothStages(BatchStage from, BatchStage to) =>
        TransitionAssert.Refused(BatchTransitions.IsAllowed, BatchTransitions.Ensure, from, to);

    [Fact]
    public void Stage_InJson_KeepsItsName() =>
        Assert.Equal("\"Publicity\"", System.Text.Json.JsonSerializer.Serialize(BatchStage.Publicity));

    [Theory]
    [InlineData(ObjectionStatus.Open, ObjectionStatus.Upheld, true)]
    [InlineData(ObjectionStatus.Open, ObjectionStatus.Dismissed, true)]
    [InlineData(ObjectionStatus.Open, ObjectionStatus.Open, false)]
    [InlineData(ObjectionStatus.Upheld, ObjectionStatus.Dismissed, false)]
    [InlineData(ObjectionStatus.Dismissed, ObjectionStatus.Upheld, false)]
    [InlineData(ObjectionStatus.Upheld, ObjectionStatus.Open, false)]
    public void Objection_IsResolvedOnce(ObjectionStatus from, ObjectionStatus to, bool allowed)
    {
        Assert.Equal(allowed, ObjectionTransitions.IsAllowed(from, to));
        if (!allowed)
        {
            Assert.Throws<DomainException>(() => ObjectionTransitions.Ensure(from, to));
        }
    }

    [Theory]
    [InlineData(null, RowVerdict.Undecided)]
    [InlineData("", RowVerdict.Undecided)]
    [InlineData("  ", RowVerdict.Undecided)]
    [InlineData("approve", RowVerdict.Approve)]
    [InlineData(" reject ", RowVerdict.Reject)]
    public void RowVerdict_StoredNames_Read(string? name, RowVerdict expected)
    {
        Assert.True(RowVerdicts.TryParse(name, out var verdict));
        Assert.Equal(expected, verdict);
        Assert.Equal(expected, RowVerdicts.Parse(name));
    }

    [Theory]
    [InlineData("Approve")]
    [InlineData("yes")]
    [InlineData("rejected")]
    public void RowVerdict_OtherNames_AreRefused_AndCountAsUndecided(string name)
    {
        Assert.False(RowVerdicts.TryParse(name, out _));
        Assert.Equal(RowVerdict.Undecided, RowVerdicts.Parse(name));
    }

    [Fact]
    public void RowVerdict_Names_RoundTrip()
    {
        Assert.All(Enum.GetValues<RowVerdict>(), v => Assert.Equal(v, RowVerdicts.Parse(RowVerdicts.Name(v))));
        Assert.Equal(["", "approve", "reject"], Enum.GetValues<RowVerdict>().Select(RowVerdicts.Name));
    }
}
