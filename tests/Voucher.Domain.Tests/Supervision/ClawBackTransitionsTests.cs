namespace Voucher.Domain.Tests;

/// <summary>The claw-back state machine: Due → Confirmed once; nothing leaves Confirmed.</summary>
public sealed class ClawBackTransitionsTests
{
    [Fact]
    public void Due_MovesToConfirmed()
    {
        Assert.True(ClawBackTransitions.IsAllowed(ClawBackStatus.Due, ClawBackStatus.Confirmed));
        ClawBackTransitions.Ensure(ClawBackStatus.Due, ClawBackStatus.Confirmed);
    }

    [Theory]
    [InlineData(ClawBackStatus.Confirmed, ClawBackStatus.Confirmed)]
    [InlineData(ClawBackStatus.Confirmed, ClawBackStatus.Due)]
    [InlineData(ClawBackStatus.Due, ClawBackStatus.Due)]
    public void OtherMoves_AreRefusedNamingBothStates(ClawBackStatus from, ClawBackStatus to)
    {
        Assert.False(ClawBackTransitions.IsAllowed(from, to));
        var e = Assert.Throws<DomainException>(() => ClawBackTransitions.Ensure(from, to));
        Assert.Contains($"from {from} to {to}", e.Message, StringComparison.Ordinal);
    }
}
