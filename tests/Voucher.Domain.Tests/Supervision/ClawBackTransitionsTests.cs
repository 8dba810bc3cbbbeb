namespace Voucher.Domain.Tests;

/// <summary>The claw-back state machine: Due → Confirmed once; nothing leaves Confirmed.</summary>
public sealed class ClawBackTransitionsTests
{
    [Fact]
    public void Due_MovesToConfirmed() =>
        TransitionAssert.Allowed(ClawBackTransitions.IsAllowed, ClawBackTransitions.Ensure, ClawBackStatus.Due, ClawBackStatus.Confirmed);

    [Theory]
    [InlineData(ClawBackStatus.Confirmed, ClawBackStatus.Confirmed)]
    [InlineData(ClawBackStatus.Confirmed, ClawBackStatus.Due)]
    [InlineData(ClawBackStatus.Due, ClawBackStatus.Due)]
    public void OtherMoves_AreRefusedNamingBothStates(ClawBackStatus from, ClawBackStatus to) =>
        TransitionAssert.Refused(ClawBackTransitions.IsAllowed, ClawBackTransitions.Ensure, from, to);
}
