using Azure;
using Azure.Data.Tables;

namespace Voucher.Workflows.Supervision;

/// <summary>
/// Reads the number of violations decided against a city's enterprises in a year, for the annual evaluation.
/// The violations themselves are recorded by the enforcement area; the agreed row shape is: table <c>Violations</c>,
/// PartitionKey = city code, one row per violation, with <c>DecidedOn</c> (a <c>yyyy-MM-dd</c> string or a date-time).
/// A missing table or partition counts as zero.
/// </summary>
public interface IViolationCounts
{
    Task<int> CountAsync(string cityCode, int year, CancellationToken ct);
}

public sealed class ViolationCounts(VoucherStore store) : IViolationCounts
{
    public const string Table = "Violations";

    public async Task<int> CountAsync(string cityCode, int year, CancellationToken ct)
    {
        var count = 0;
        try
        {
            var filter = TableClient.CreateQueryFilter($"PartitionKey eq {cityCode}");
            await foreach (var row in store.Table(Table).QueryAsync<TableEntity>(filter, select: ["DecidedOn"], cancellationToken: ct))
            {
                var decided = row.TryGetValue("DecidedOn", out var v) ? v : null;
                var decidedYear = decided switch
                {
                    string s when s.Length >= 4 && int.TryParse(s.AsSpan(0, 4), out var y) => y,
                    DateTimeOffset d => Voucher.Domain.ChinaTime.DateOf(d.UtcDateTime).Year,
                    DateTime d => Voucher.Domain.ChinaTime.DateOf(d.ToUniversalTime()).Year,
                    _ => 0,
                };
                if (decidedYear == year)
                {
                    count++;
                }
            }
        }
        catch (RequestFailedException e) when (e.Status == 404)
        {
            return 0;
        }

        return count;
    }
}
