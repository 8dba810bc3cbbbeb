namespace Voucher.Workflows.Supervision;

/// <summary>An inspection finding of the province centre about a city (PartitionKey = city, RowKey = <c>{year}|{id}</c>).</summary>
public sealed class FindingEntity : TableRow
{
    public int Year { get; set; }

    public string InspectedOn { get; set; } = "";

    /// <summary>observation | minor | major</summary>
    public string Severity { get; set; } = "observation";

    public string Finding { get; set; } = "";

    public string Recommendation { get; set; } = "";

    public string Inspector { get; set; } = "";

    public DateTimeOffset RecordedAt { get; set; }
}

public sealed record NewFinding(string CityCode, DateOnly InspectedOn, string Severity, string Finding, string Recommendation);

/// <summary>
/// Supervision: the province centre records inspection findings per city and reports them, with each city's figures of
/// the year, to the provincial S&amp;T and finance departments (printable page and CSV).
/// </summary>
public sealed class FindingsStore(VoucherStore store, TimeProvider time)
{
    public static IReadOnlyList<(string Code, string Name)> Severities { get; } = [("observation", "观察"), ("minor", "一般问题"), ("major", "重大问题")];

    public async Task<FindingEntity> AddAsync(NewFinding f, string inspector, CancellationToken ct)
    {
        var now = time.GetUtcNow();
        var entity = new FindingEntity
        {
            PartitionKey = f.CityCode,
            RowKey = $"{f.InspectedOn.Year:D4}|{f.InspectedOn:yyyyMMdd}|{now.UtcTicks:D19}",
            Year = f.InspectedOn.Year,
            InspectedOn = f.InspectedOn.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
            Severity = f.Severity,
            Finding = f.Finding,
            Recommendation = f.Recommendation,
            Inspector = inspector,
            RecordedAt = now,
        };
        await store.TryAddAsync(SupervisionTables.Findings, entity, ct);
        return entity;
    }

    /// <summary>Findings of a year per city: one row-key range query per city.</summary>
    public async Task<IReadOnlyList<(City City, IReadOnlyList<FindingEntity> Findings)>> ForYearAsync(int year, CancellationToken ct)
    {
        var result = await Task.WhenAll(Cities.All.Select(async c =>
        {
            var filter = Azure.Data.Tables.TableClient.CreateQueryFilter($"PartitionKey eq {c.Code} and RowKey ge {year.ToString("D4", CultureInfo.InvariantCulture) + "|"} and RowKey lt {year.ToString("D4", CultureInfo.InvariantCulture) + "}"}");
            var list = new List<FindingEntity>();
            await foreach (var row in store.Table(SupervisionTables.Findings).QueryAsync<FindingEntity>(filter, cancellationToken: ct))
            {
                list.Add(row);
            }

            return (c, (IReadOnlyList<FindingEntity>)list);
        }));
        return result;
    }
}
