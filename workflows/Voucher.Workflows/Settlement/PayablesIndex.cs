using Azure.Data.Tables;
using Voucher.Workflows.Redemptions;

namespace Voucher.Workflows.Settlement;

/// <summary>
/// A payable or paid redemption in the finance bureau's list: PartitionKey <c>pay:{city}:{Payable|Paid}</c> (in the
/// <see cref="VoucherStore.RedemptionIndex"/> table), RowKey = redemption id, so one tab is one partition (and
/// one batch of it that partition filtered by <see cref="BatchId"/>). Everything the list shows is on the row.
/// </summary>
public sealed class PayableIndexEntity : TableRow
{
    public string RedemptionId { get; set; } = "";

    public string CityCode { get; set; } = "";

    public string Uscc { get; set; } = "";

    public string EnterpriseName { get; set; } = "";

    public string InstitutionName { get; set; } = "";

    public string ServiceTitle { get; set; } = "";

    public string? BatchId { get; set; }

    public long PayoutFen { get; set; }

    /// <summary>The advance approved (事前兑付) and the part of it the finance bureau confirmed as paid.</summary>
    public long PrepaidFen { get; set; }

    public long AdvancePaidFen { get; set; }

    /// <summary>What the final payment paid (paid rows).</summary>
    public long FinalPaidFen { get; set; }

    public DateTimeOffset? PayableAt { get; set; }

    public string? PaidOn { get; set; }

    public string? PaymentReference { get; set; }
}

/// <summary>
/// The payables index: written with the redemption's other listing rows (<see cref="RedemptionStore"/>) from the state
/// the record was left in, so whatever makes a redemption payable (publicity closing, an objection dismissed) lists it,
/// and the payment confirmation moves it to the paid partition (the payable row deleted). Both writes are idempotent
/// and re-done by a retried step (a retried confirmation of a paid one writes them again). Rows older than the index are
/// written once per city by <see cref="BackfillAsync"/>.
/// </summary>
public static class PayablesIndex
{
    public static string Partition(string cityCode, RedemptionStatus status) => $"pay:{cityCode}:{status}";

    /// <summary>The marker row of a city whose older payables have been written (<see cref="BackfillAsync"/>).</summary>
    static string MarkerPartition(string cityCode) => $"pay:{cityCode}:backfilled";

    public static bool Lists(RedemptionStatus status) => status is RedemptionStatus.Payable or RedemptionStatus.Paid;

    /// <summary>The row of a payable or paid redemption; null for any other state.</summary>
    public static PayableIndexEntity? Row(RedemptionEntity e) => Lists(e.State)
        ? new PayableIndexEntity
        {
            PartitionKey = Partition(e.CityCode, e.State),
            RowKey = e.RedemptionId,
            RedemptionId = e.RedemptionId,
            CityCode = e.CityCode,
            Uscc = e.Uscc,
            EnterpriseName = e.EnterpriseName,
            InstitutionName = e.InstitutionName,
            ServiceTitle = e.ServiceTitle,
            BatchId = e.BatchId,
            PayoutFen = e.PayoutFen,
            PrepaidFen = e.PrepaidFen,
            AdvancePaidFen = e.AdvancePaidFen,
            FinalPaidFen = e.FinalPaidFen,
            PayableAt = e.PayableAt,
            PaidOn = e.PaidOn,
            PaymentReference = e.PaymentReference,
        }
        : null;

    /// <summary>The row a paid redemption leaves behind in the payable partition (to delete); null for any other state.</summary>
    public static (string PartitionKey, string RowKey)? Left(RedemptionEntity e) =>
        e.State == RedemptionStatus.Paid ? (Partition(e.CityCode, RedemptionStatus.Payable), e.RedemptionId) : null;

    /// <summary>Writes the redemption's row and deletes the one it left (a missing row is no error).</summary>
    public static async Task WriteAsync(VoucherStore store, RedemptionEntity e, CancellationToken ct)
    {
        if (Row(e) is { } row)
        {
            await store.UpsertAsync(VoucherStore.RedemptionIndex, row, ct);
        }

        if (Left(e) is { } left)
        {
            await store.Table(VoucherStore.RedemptionIndex).DeleteEntityAsync(left.PartitionKey, left.RowKey, cancellationToken: ct);
        }
    }

    /// <summary>The rows of a tab, whole or of one batch, in redemption order.</summary>
    public static async Task<List<PayableIndexEntity>> ReadAsync(VoucherStore store, string cityCode, RedemptionStatus status, string? batchId, CancellationToken ct)
    {
        var partition = Partition(cityCode, status);
        var filter = string.IsNullOrEmpty(batchId)
            ? TableClient.CreateQueryFilter($"PartitionKey eq {partition}")
            : TableClient.CreateQueryFilter($"PartitionKey eq {partition} and BatchId eq {batchId}");
        var rows = new List<PayableIndexEntity>();
        await foreach (var row in store.Table(VoucherStore.RedemptionIndex).QueryAsync<PayableIndexEntity>(filter, maxPerPage: 1000, cancellationToken: ct))
        {
            rows.Add(row);
        }

        return rows;
    }

    /// <summary>How many rows a tab has (only their keys are read).</summary>
    public static async Task<int> CountAsync(VoucherStore store, string cityCode, RedemptionStatus status, CancellationToken ct)
    {
        var count = 0;
        var filter = TableClient.CreateQueryFilter($"PartitionKey eq {Partition(cityCode, status)}");
        await foreach (var _ in store.Table(VoucherStore.RedemptionIndex).QueryAsync<TableEntity>(filter, maxPerPage: 1000, select: ["RowKey"], cancellationToken: ct))
        {
            count++;
        }

        return count;
    }

    /// <summary>
    /// Once per city: the payable and paid redemptions recorded before the index (found through the city's listing rows)
    /// get their rows, then the city is marked. Each record is read again after its row is written: one paid meanwhile
    /// (its own index write may have run before this one) gets its paid row written and its payable row deleted here, so
    /// no redemption is listed in both tabs. A crash before the mark only repeats idempotent writes.
    /// </summary>
    public static async Task BackfillAsync(VoucherStore store, RedemptionStore redemptions, string cityCode, CancellationToken ct)
    {
        if (await store.GetAsync<TableEntity>(VoucherStore.RedemptionIndex, MarkerPartition(cityCode), "done", ct) is not null)
        {
            return;
        }

        var listed = new List<string>();
        var filter = TableClient.CreateQueryFilter($"PartitionKey eq {RedemptionStore.CityPartition(cityCode)} and (Status eq {nameof(RedemptionStatus.Payable)} or Status eq {nameof(RedemptionStatus.Paid)})");
        await foreach (var row in store.Table(VoucherStore.RedemptionIndex).QueryAsync<TableEntity>(filter, maxPerPage: 1000, select: ["RowKey"], cancellationToken: ct))
        {
            listed.Add(row.RowKey);
        }

        await Parallel.ForEachAsync(listed, new ParallelOptions { MaxDegreeOfParallelism = 16, CancellationToken = ct }, async (id, token) =>
        {
            if (await redemptions.GetAsync(id, token) is not { } r || !Lists(r.State))
            {
                return;
            }

            await WriteAsync(store, r, token);
            if (r.State == RedemptionStatus.Payable && await redemptions.GetAsync(id, token) is { State: RedemptionStatus.Paid } paid)
            {
                await WriteAsync(store, paid, token);
            }
        });

        await store.UpsertAsync(VoucherStore.RedemptionIndex, new TableEntity(MarkerPartition(cityCode), "done") { ["At"] = DateTimeOffset.UtcNow }, ct);
    }
}
