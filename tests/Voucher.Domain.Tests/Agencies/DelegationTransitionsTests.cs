namespace Voucher.Domain.Tests;

/// <summary>The delegation state machine: Active → Revoked once; a revoked delegation stays revoked.</summary>
public sealed class DelegationTransitionsTests
{
    [Fact]
    public void Active_MovesToRevoked()
    {
        Assert.True(DelegationTransitions.IsAllowed(DelegationStatus.Active, DelegationStatus.Revoked));
        DelegationTransitions.Ensure(DelegationStatus.Active, DelegationStatus.Revoked);
    }

    [Theory]
    [InlineData(DelegationStatus.Revoked, DelegationStatus.Revoked)]
    [InlineData(DelegationStatus.Revoked, DelegationStatus.Active)]
    [InlineData(DelegationStatus.Active, DelegationStatus.Active)]
    public void OtherMoves_AreRefusedNamingBothStates(DelegationStatus from, DelegationStatus to)
    {
        Assert.False(DelegationTransitions.IsAllowed(from, to));
        var e = Assert.Throws<DomainException>(() => DelegationTransitions.Ensure(from, to));
        Assert.Contains($"from {from} to {to}", e.Message, StringComparison.Ordinal);
    }
}
