namespace Voucher.Domain.Tests.Redemptions;

/// <summary>The redemption state machine: every legal move, a set of illegal ones, finality and when the SME may withdraw.</summary>
public sealed class RedemptionTransitionsTests
{
    static readonly (RedemptionStatus From, RedemptionStatus To)[] Legal =
    [
        (RedemptionStatus.AwaitingBinding, RedemptionStatus.AwaitingEvidence),
        (RedemptionStatus.AwaitingBinding, RedemptionStatus.Queued),
        (RedemptionStatus.AwaitingBinding, RedemptionStatus.BindingOverdue),
        (RedemptionStatus.AwaitingBinding, RedemptionStatus.Disputed),
        (RedemptionStatus.AwaitingBinding, RedemptionStatus.Withdrawn),
        (RedemptionStatus.BindingOverdue, RedemptionStatus.AwaitingBinding),
        (RedemptionStatus.BindingOverdue, RedemptionStatus.Withdrawn),
        (RedemptionStatus.Disputed, RedemptionStatus.AwaitingBinding),
        (RedemptionStatus.Disputed, RedemptionStatus.Withdrawn),
        (RedemptionStatus.AwaitingEvidence, RedemptionStatus.Queued),
        (RedemptionStatus.AwaitingEvidence, RedemptionStatus.Withdrawn),
        (RedemptionStatus.Queued, RedemptionStatus.InBatch),
        (RedemptionStatus.Queued, RedemptionStatus.Withdrawn),
        (RedemptionStatus.InBatch, RedemptionStatus.Approved),
        (RedemptionStatus.InBatch, RedemptionStatus.Rejected),
        (RedemptionStatus.Approved, RedemptionStatus.Published),
        (RedemptionStatus.Published, RedemptionStatus.Objected),
        (RedemptionStatus.Published, RedemptionStatus.Payable),
        (RedemptionStatus.Objected, RedemptionStatus.Published), // an objection dismissed while the window is open
        (RedemptionStatus.Objected, RedemptionStatus.Payable),
        (RedemptionStatus.Objected, RedemptionStatus.Rejected),
        (RedemptionStatus.Payable, RedemptionStatus.Paid),
        (RedemptionStatus.AwaitingBinding, RedemptionStatus.Stopped),
        (RedemptionStatus.BindingOverdue, RedemptionStatus.Stopped),
        (RedemptionStatus.Disputed, RedemptionStatus.Stopped),
        (RedemptionStatus.AwaitingEvidence, RedemptionStatus.Stopped),
        (RedemptionStatus.Queued, RedemptionStatus.Stopped),
    ];

    static IEnumerable<RedemptionStatus> All => Enum.GetValues<RedemptionStatus>();

    public static TheoryData<RedemptionStatus, RedemptionStatus> LegalMoves()
    {
        var data = new TheoryData<RedemptionStatus, RedemptionStatus>();
        foreach (var (from, to) in Legal)
        {
            data.Add(from, to);
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(LegalMoves))]
    public void LegalMove_IsAllowedAndEnsureDoesNotThrow(RedemptionStatus from, RedemptionStatus to)
    {
        Assert.True(RedemptionTransitions.IsAllowed(from, to));
        RedemptionTransitions.Ensure(from, to);
    }

    [Fact]
    public void EveryOtherPair_IsForbidden_IncludingStayingPut()
    {
        var legal = Legal.ToHashSet();
        var forbidden = 0;
        foreach (var from in All)
        {
            foreach (var to in All)
            {
                if (!legal.Contains((from, to)))
                {
                    Assert.False(RedemptionTransitions.IsAllowed(from, to), $"{from} → {to} must be forbidden");
                    forbidden++;
                }
            }
        }

        Assert.Equal(All.Count() * All.Count() - Legal.Length, forbidden);
    }

    [Theory]
    [InlineData(RedemptionStatus.Queued, RedemptionStatus.AwaitingBinding)]
    [InlineData(RedemptionStatus.BindingOverdue, RedemptionStatus.AwaitingEvidence)] // the bureau must re-open binding first
    [InlineData(RedemptionStatus.Disputed, RedemptionStatus.Queued)]
    [InlineData(RedemptionStatus.AwaitingEvidence, RedemptionStatus.AwaitingBinding)]
    [InlineData(RedemptionStatus.InBatch, RedemptionStatus.Withdrawn)] // review started: too late to withdraw
    [InlineData(RedemptionStatus.InBatch, RedemptionStatus.Queued)]
    [InlineData(RedemptionStatus.Approved, RedemptionStatus.Payable)] // publicity cannot be skipped
    [InlineData(RedemptionStatus.Published, RedemptionStatus.Paid)]
    [InlineData(RedemptionStatus.Paid, RedemptionStatus.Rejected)]
    [InlineData(RedemptionStatus.Withdrawn, RedemptionStatus.AwaitingBinding)]
    [InlineData(RedemptionStatus.Rejected, RedemptionStatus.Approved)]
    [InlineData(RedemptionStatus.Queued, RedemptionStatus.Queued)]
    public void IllegalMove_EnsureThrowsNamingBothStates(RedemptionStatus from, RedemptionStatus to) =>
        TransitionAssert.Refused(RedemptionTransitions.IsAllowed, RedemptionTransitions.Ensure, from, to);

    [Fact]
    public void Final_IsPaidRejectedWithdrawnStopped_AndNothingLeavesAFinalState()
    {
        Assert.Equal(
            [RedemptionStatus.Paid, RedemptionStatus.Rejected, RedemptionStatus.Withdrawn, RedemptionStatus.Stopped],
            All.Where(RedemptionTransitions.IsFinal).Order());
        foreach (var final in All.Where(RedemptionTransitions.IsFinal))
        {
            Assert.All(All, to => Assert.False(RedemptionTransitions.IsAllowed(final, to)));
        }
    }

    [Fact]
    public void EveryNonFinalState_CanReachAFinalState()
    {
        foreach (var start in All.Where(s => !RedemptionTransitions.IsFinal(s)))
        {
            var seen = new HashSet<RedemptionStatus> { start };
            var frontier = new Queue<RedemptionStatus>([start]);
            while (frontier.TryDequeue(out var s))
            {
                foreach (var next in All.Where(t => RedemptionTransitions.IsAllowed(s, t) && seen.Add(t)))
                {
                    frontier.Enqueue(next);
                }
            }

            Assert.True(seen.Any(RedemptionTransitions.IsFinal), $"{start} has no way to a final state");
        }
    }

    [Theory]
    [InlineData(RedemptionStatus.AwaitingBinding, true)]
    [InlineData(RedemptionStatus.BindingOverdue, true)]
    [InlineData(RedemptionStatus.Disputed, true)]
    [InlineData(RedemptionStatus.AwaitingEvidence, true)]
    [InlineData(RedemptionStatus.Queued, true)]
    [InlineData(RedemptionStatus.InBatch, false)]
    [InlineData(RedemptionStatus.Approved, false)]
    [InlineData(RedemptionStatus.Published, false)]
    [InlineData(RedemptionStatus.Objected, false)]
    [InlineData(RedemptionStatus.Payable, false)]
    [InlineData(RedemptionStatus.Paid, false)]
    [InlineData(RedemptionStatus.Rejected, false)]
    [InlineData(RedemptionStatus.Withdrawn, false)]
    [InlineData(RedemptionStatus.Stopped, false)]
    public void CanWithdraw_OnlyBeforeTheBureausReviewStarts(RedemptionStatus status, bool allowed) =>
        Assert.Equal(allowed, RedemptionTransitions.CanWithdraw(status));

    [Fact]
    public void CanWithdraw_CoversEveryStatus()
    {
        // Guards the theory above against a status added later without deciding whether it may be withdrawn.
        Assert.Equal(14, All.Count());
        Assert.Equal(5, All.Count(RedemptionTransitions.CanWithdraw));
        Assert.All(All.Where(s => s >= RedemptionStatus.InBatch), s => Assert.False(RedemptionTransitions.CanWithdraw(s)));
    }

    [Fact]
    public void CanStop_ExactlyWhereWithdrawalIsPossible()
    {
        // A violation stops what the enterprise itself could still withdraw; from the batch on, the review decides.
        Assert.All(All, s => Assert.Equal(RedemptionTransitions.CanWithdraw(s), RedemptionTransitions.CanStop(s)));
    }

    [Fact]
    public void CanReopenBinding_OnlyWhenOverdueOrDisputed()
    {
        Assert.Equal([RedemptionStatus.BindingOverdue, RedemptionStatus.Disputed], All.Where(RedemptionTransitions.CanReopenBinding).Order());
    }

    [Fact]
    public void TakesEvidence_UntilQueued_ThenLocked()
    {
        Assert.Equal(
            [RedemptionStatus.AwaitingBinding, RedemptionStatus.BindingOverdue, RedemptionStatus.Disputed, RedemptionStatus.AwaitingEvidence],
            All.Where(RedemptionTransitions.TakesEvidence).Order());
    }
}
