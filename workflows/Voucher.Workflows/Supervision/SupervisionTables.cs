namespace Voucher.Workflows.Supervision;

/// <summary>
/// Tables of the supervision area (created with the others through <see cref="Storage.VoucherStore.AllTables"/>).
/// <list type="bullet">
/// <item><c>Stats</c>: PartitionKey <c>{city}|{year}</c>; row <c>totals</c> holds the city-year aggregate, rows
/// <c>m|{event}</c> mark events already counted and <c>d|{uscc}</c> enterprises already counted as served — written with the
/// aggregate in one entity-group transaction, so an event counts exactly once.</item>
/// <item><c>Stats</c> money by stage (cap year): markers <c>m|c|{redemption}|{stage}</c>, one per stage a pay-out entered
/// (<see cref="StatsAggregator.CommittedEnteredAsync"/>).</item>
/// <item><c>StatsHistory</c>: PartitionKey <c>table1</c>, RowKey <c>{city}|{period}</c>: imported figures of the paper's Table 1;
/// PartitionKey <c>paper-facts</c>, RowKey = fact name: other figures the paper reports (889 enterprises benefited).</item>
/// <item><c>Evaluations</c>: PartitionKey = year, RowKey = city code (scores, comments) or <c>_published</c>.</item>
/// <item><c>Findings</c>: PartitionKey = city code, RowKey = finding id (inspection findings).</item>
/// </list>
/// </summary>
public static class SupervisionTables
{
    public const string Stats = "Stats";
    public const string StatsHistory = "StatsHistory";
    public const string Evaluations = "Evaluations";
    public const string Findings = "Findings";

    public static IReadOnlyList<string> All { get; } = [Stats, StatsHistory, Evaluations, Findings];
}
