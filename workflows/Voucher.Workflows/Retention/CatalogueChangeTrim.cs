using Azure.Data.Tables;
using Voucher.Workflows.Marketplace;

namespace Voucher.Workflows.Retention;

/// <summary>
/// Trims the catalogue change log (<c>CatalogueChanges</c>, one partition, keys in time order) that the instances' search
/// indexes read: entries older than <see cref="RetentionSettings.CatalogueChangesKept"/> go, in entity-group transactions
/// of 100; the newest entry always stays, so the log never reads as empty history.
/// </summary>
public sealed class CatalogueChangeTrim(VoucherStore store)
{
    public async Task<int> TrimAsync(DateTimeOffset now, CancellationToken ct)
    {
        var table = store.Table(VoucherStore.CatalogueChanges);
        var cutoff = CatalogueStore.ChangeKey(now - RetentionSettings.CatalogueChangesKept)[..19];
        var old = new List<TableEntity>();
        var filter = TableClient.CreateQueryFilter($"PartitionKey eq {CatalogueChangeEntity.Partition} and RowKey lt {cutoff}");
        await foreach (var row in table.QueryAsync<TableEntity>(filter, maxPerPage: 1000, select: ["PartitionKey", "RowKey"], cancellationToken: ct))
        {
            old.Add(row);
        }

        if (old.Count == 0)
        {
            return 0;
        }

        var younger = TableClient.CreateQueryFilter($"PartitionKey eq {CatalogueChangeEntity.Partition} and RowKey ge {cutoff}");
        var anyYounger = false;
        await foreach (var _ in table.QueryAsync<TableEntity>(younger, maxPerPage: 1, select: ["RowKey"], cancellationToken: ct))
        {
            anyYounger = true;
            break;
        }

        if (!anyYounger)
        {
            old.RemoveAt(old.Count - 1); // the newest entry of the log
        }

        foreach (var slice in old.Chunk(100))
        {
            await table.SubmitTransactionAsync(slice.Select(r => new TableTransactionAction(TableTransactionActionType.Delete, r, Azure.ETag.All)), ct);
        }

        return old.Count;
    }
}
