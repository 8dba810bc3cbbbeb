namespace Voucher.Workflows.Tests.Settlement;

/// <summary>
/// A test class on its own settlement engine (<see cref="SettlementHostFixture"/>): the seed of queued redemptions and
/// the engine's services.
/// </summary>
public abstract class SettlementHostTests(SettlementHostFixture fixture) : IClassFixture<SettlementHostFixture>
{
    protected SettlementHostFixture Fixture { get; } = fixture;

    protected SettlementSeed Seed { get; } = new(fixture);

    protected T Get<T>()
        where T : notnull => Seed.Get<T>();
}
