using System.Globalization;
using Voucher.Domain;
using Voucher.Workflows.Storage;

namespace Voucher.Workflows.Supervision;

/// <summary>
/// Imports the paper's Table 1 (amounts redeemed per city and period, 2016–2022, in 10,000 CNY; shipped as an embedded
/// resource) as imported history: its own table, marked with its source, never added to what the system processed.
/// Importing again overwrites the same rows (idempotent).
/// </summary>
public sealed class HistoryImport(VoucherStore store, TimeProvider time)
{
    public const string Partition = "table1";
    public const string Source = "论文表1 (paper Table 1), 截至2022年12月";
    const string Resource = "Voucher.Workflows.Supervision.Data.table1-redemptions-by-city.csv";

    public static IReadOnlyList<HistoricalFigure> ReadEmbedded()
    {
        using var stream = typeof(HistoryImport).Assembly.GetManifestResourceStream(Resource)
            ?? throw new InvalidOperationException($"Resource {Resource} is missing.");
        using var reader = new StreamReader(stream);
        return HistoricalRedemptions.Parse(reader);
    }

    public async Task<int> ImportAsync(IReadOnlyList<HistoricalFigure> figures, CancellationToken ct = default)
    {
        var now = time.GetUtcNow();
        foreach (var f in figures)
        {
            await store.UpsertAsync(SupervisionTables.StatsHistory, new HistoryEntity
            {
                PartitionKey = Partition,
                RowKey = $"{f.CityCode}|{f.Period}",
                CityCode = f.CityCode,
                Period = f.Period,
                FirstYear = f.FirstYear,
                LastYear = f.LastYear,
                Amount10k = f.Amount10k.ToString(CultureInfo.InvariantCulture),
                Source = Source,
                ImportedAt = now,
            }, ct);
        }

        return figures.Count;
    }

    public Task<int> ImportEmbeddedAsync(CancellationToken ct = default) => ImportAsync(ReadEmbedded(), ct);
}
