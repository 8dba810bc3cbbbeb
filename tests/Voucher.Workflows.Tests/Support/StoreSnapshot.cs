namespace Voucher.Workflows.Tests.Support;

/// <summary>
/// Every row of every application table of a store (table, keys and ETag) and its evidence blobs, optionally only those whose
/// keys or blob name contain <c>mark</c> (a USCC: other tests' background work does not count): two equal snapshots mean
/// nothing was written.
/// </summary>
public static class StoreSnapshot
{
    public static async Task<IReadOnlyList<string>> TakeAsync(VoucherStore store, string? mark = null)
    {
        bool Keep(string text) => mark is null || text.Contains(mark, StringComparison.Ordinal);
        var rows = new List<string>();
        foreach (var name in VoucherStore.AllTables)
        {
            await foreach (var row in store.Table(name).QueryAsync<TableEntity>(select: ["PartitionKey", "RowKey"]))
            {
                if (Keep(row.PartitionKey + "|" + row.RowKey))
                {
                    rows.Add($"{name}|{row.PartitionKey}|{row.RowKey}|{row.ETag}");
                }
            }
        }

        await foreach (var blob in store.EvidenceBlobs.GetBlobsAsync())
        {
            if (Keep(blob.Name))
            {
                rows.Add($"blob|{blob.Name}|{blob.Properties.ETag}");
            }
        }

        rows.Sort(StringComparer.Ordinal);
        return rows;
    }
}
