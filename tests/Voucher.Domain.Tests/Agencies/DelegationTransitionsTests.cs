namespace Voucher.Domain.Tests;

/// <summary>The delegation state machine: Active → Revoked once; a revoked delegation stays revoked.</summary>
public sealed class DelegationTransitionsTests
{
    [Fact]
    public void Active_MovesToRevoked() =>
        TransitionAssert.Allowed(DelegationTransitions.IsAllowed, DelegationTransitions.Ensure, DelegationStatus.Active, DelegationStatus.Revoked);

    [Theory]
    [InlineData(DelegationStatus.Revoked, DelegationStatus.Revoked)]
    [InlineData(DelegationStatus.Revoked, DelegationStatus.Active)]
    [InlineData(DelegationStatus.Active, DelegationStatus.Active)]
    public void OtherMoves_AreRefusedNamingBothStates(DelegationStatus from, DelegationStatus to) =>
        TransitionAssert.Refused(DelegationTransitions.IsAllowed, DelegationTransitions.Ensure, from, to);
}
