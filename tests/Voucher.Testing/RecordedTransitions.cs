using Azure.Data.Tables;
using Voucher.Domain;

namespace Voucher.Testing;

/// <summary>
/// Every status change the tests made, as the audit trail recorded it (each audit table of an Azurite: subjects
/// <c>application:…</c>, <c>redemption:…</c> and a batch's item rows), driven through the domain's transition tables. An
/// entry whose from and to are the same is a note (a deadline counted again, a claw-back), not a transition; a step that
/// moves through two states in one write (approved and published in the decision) records them as one entry, legal when
/// both of its moves are.
/// </summary>
public static class RecordedTransitions
{
    /// <summary>The illegal transitions recorded in <paramref name="tables"/>, one line each (empty when all are legal).</summary>
    public static async Task<IReadOnlyList<string>> IllegalAsync(TableServiceClient tables, CancellationToken ct = default)
    {
        var illegal = new List<string>();
        await foreach (var table in tables.QueryAsync(cancellationToken: ct))
        {
            if (!table.Name.EndsWith("Audit", StringComparison.Ordinal))
            {
                continue;
            }

            await foreach (var row in tables.GetTableClient(table.Name).QueryAsync<TableEntity>(select: ["PartitionKey", "RowKey", "FromState", "ToState"], cancellationToken: ct))
            {
                var from = row.GetString("FromState") ?? "";
                var to = row.GetString("ToState") ?? "";
                if (from.Length == 0 || from == to || Check(row.PartitionKey, from, to) is not false)
                {
                    continue;
                }

                illegal.Add($"{table.Name} {row.PartitionKey} {row.RowKey}: {from} → {to}");
            }
        }

        return illegal;
    }

    /// <summary>Null when the entry is not a transition of a known aggregate; else whether its table allows it.</summary>
    static bool? Check(string subject, string from, string to)
    {
        if (subject.StartsWith("application:", StringComparison.Ordinal))
        {
            return Enum.TryParse<ApplicationStatus>(from, out var f) && Enum.TryParse<ApplicationStatus>(to, out var t)
                ? ApplicationTransitions.IsAllowed(f, t) || Enum.GetValues<ApplicationStatus>().Any(m => ApplicationTransitions.IsAllowed(f, m) && ApplicationTransitions.IsAllowed(m, t))
                : null;
        }

        if (subject.StartsWith("redemption:", StringComparison.Ordinal) || subject.StartsWith("batch-items:", StringComparison.Ordinal))
        {
            return Enum.TryParse<RedemptionStatus>(from, out var f) && Enum.TryParse<RedemptionStatus>(to, out var t)
                ? RedemptionTransitions.IsAllowed(f, t) || Enum.GetValues<RedemptionStatus>().Any(m => RedemptionTransitions.IsAllowed(f, m) && RedemptionTransitions.IsAllowed(m, t))
                : null;
        }

        return null;
    }
}
