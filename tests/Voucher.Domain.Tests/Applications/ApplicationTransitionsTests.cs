namespace Voucher.Domain.Tests;

public class ApplicationTransitionsTests
{
    private static readonly HashSet<(ApplicationStatus, ApplicationStatus)> Expected =
    [
        (ApplicationStatus.Submitted, ApplicationStatus.UnderReview),
        (ApplicationStatus.Submitted, ApplicationStatus.Ineligible),
        (ApplicationStatus.Submitted, ApplicationStatus.Withdrawn),
        (ApplicationStatus.UnderReview, ApplicationStatus.Escalated),
        (ApplicationStatus.UnderReview, ApplicationStatus.Approved),
        (ApplicationStatus.UnderReview, ApplicationStatus.Rejected),
        (ApplicationStatus.UnderReview, ApplicationStatus.Withdrawn),
        (ApplicationStatus.Escalated, ApplicationStatus.Escalated),
        (ApplicationStatus.Escalated, ApplicationStatus.Approved),
        (ApplicationStatus.Escalated, ApplicationStatus.Rejected),
        (ApplicationStatus.Escalated, ApplicationStatus.Withdrawn),
    ];

    public static TheoryData<ApplicationStatus, ApplicationStatus> AllPairs()
    {
        var data = new TheoryData<ApplicationStatus, ApplicationStatus>();
        foreach (var from in Enum.GetValues<ApplicationStatus>())
        {
            foreach (var to in Enum.GetValues<ApplicationStatus>())
            {
                data.Add(from, to);
            }
        }
        return data;
    }

    [Theory]
    [MemberData(nameof(AllPairs))]
    public void IsAllowed_EveryPair_MatchesTheStateMachine(ApplicationStatus from, ApplicationStatus to)
    {
        Assert.Equal(Expected.Contains((from, to)), ApplicationTransitions.IsAllowed(from, to));
    }

    [Fact]
    public void Ensure_AllowedTransition_DoesNotThrow()
    {
        ApplicationTransitions.Ensure(ApplicationStatus.Submitted, ApplicationStatus.UnderReview);
        ApplicationTransitions.Ensure(ApplicationStatus.Escalated, ApplicationStatus.Escalated);
    }

    [Theory]
    [InlineData(ApplicationStatus.Submitted, ApplicationStatus.Approved)]
    [InlineData(ApplicationStatus.Approved, ApplicationStatus.Rejected)]
    [InlineData(ApplicationStatus.UnderReview, ApplicationStatus.UnderReview)]
    [InlineData(ApplicationStatus.Withdrawn, ApplicationStatus.Withdrawn)]
    public void Ensure_ForbiddenTransition_ThrowsNamingBothStates(ApplicationStatus from, ApplicationStatus to) =>
        TransitionAssert.Refused(ApplicationTransitions.IsAllowed, ApplicationTransitions.Ensure, from, to);

    [Theory]
    [InlineData(ApplicationStatus.Submitted, false)]
    [InlineData(ApplicationStatus.UnderReview, false)]
    [InlineData(ApplicationStatus.Escalated, false)]
    [InlineData(ApplicationStatus.Ineligible, true)]
    [InlineData(ApplicationStatus.Approved, true)]
    [InlineData(ApplicationStatus.Rejected, true)]
    [InlineData(ApplicationStatus.Withdrawn, true)]
    public void IsFinal_FinalStates_AreIneligibleApprovedRejectedWithdrawn(ApplicationStatus status, bool expected)
    {
        Assert.Equal(expected, ApplicationTransitions.IsFinal(status));
    }

    [Fact]
    public void IsAllowed_FromFinalState_NothingAllowed()
    {
        foreach (var from in Enum.GetValues<ApplicationStatus>().Where(ApplicationTransitions.IsFinal))
        {
            Assert.All(Enum.GetValues<ApplicationStatus>(), to => Assert.False(ApplicationTransitions.IsAllowed(from, to)));
        }
    }
}
