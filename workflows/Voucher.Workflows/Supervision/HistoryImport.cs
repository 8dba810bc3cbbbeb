namespace Voucher.Workflows.Supervision;

/// <summary>
/// Imports the paper's Table 1 (amounts redeemed per city and period, 2016–2022, in 10,000 CNY; shipped as an embedded
/// resource) and the paper's other figures (889 enterprises benefited by December 2022) as imported history: its own
/// table, marked with its source, never added to what the system processed.
/// Importing again overwrites the same rows (idempotent).
/// </summary>
public sealed class HistoryImport(VoucherStore store, TimeProvider time)
{
    public const string Partition = "table1";
    public const string Source = "论文表1 (paper Table 1), 截至2022年12月";
    public const string FactsPartition = "paper-facts";
    const string Resource = "Voucher.Workflows.Supervision.Data.table1-redemptions-by-city.csv";
    const string FactsResource = "Voucher.Workflows.Supervision.Data.paper-facts.csv";

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

    /// <summary>Table 1 and the paper's other figures (the 889 enterprises benefited); answers the number of Table 1 figures.</summary>
    public async Task<int> ImportEmbeddedAsync(CancellationToken ct = default)
    {
        var count = await ImportAsync(ReadEmbedded(), ct);
        await ImportFactsAsync(ReadEmbeddedFacts(), ct);
        return count;
    }

    public static IReadOnlyList<PaperFact> ReadEmbeddedFacts()
    {
        using var stream = typeof(HistoryImport).Assembly.GetManifestResourceStream(FactsResource)
            ?? throw new InvalidOperationException($"Resource {FactsResource} is missing.");
        using var reader = new StreamReader(stream);
        return PaperFacts.Parse(reader);
    }

    public async Task ImportFactsAsync(IReadOnlyList<PaperFact> facts, CancellationToken ct = default)
    {
        var now = time.GetUtcNow();
        foreach (var f in facts)
        {
            await store.UpsertAsync(SupervisionTables.StatsHistory, new HistoryFactEntity
            {
                PartitionKey = FactsPartition,
                RowKey = f.Name,
                Value = f.Value,
                Unit = f.Unit,
                AsOf = f.AsOf,
                Quote = f.Quote,
                Source = Source,
                ImportedAt = now,
            }, ct);
        }
    }
}
