namespace Voucher.Security.Tests.Support;

/// <summary>Row counts of the application tables and the number of evidence blobs.</summary>
public static class StorageSnapshot
{
    public static readonly string[] Tables = ["Enterprises", "Applications", "Vouchers", "Redemptions", "Evidence", "Ledger", "Objections", "Batches", "Agencies", "Delegations"];

    public static async Task<string> TakeAsync(AzuriteFixture azurite)
    {
        var parts = new List<string>();
        foreach (var name in Tables)
        {
            var count = 0;
            await foreach (var _ in azurite.Tables.GetTableClient(name).QueryAsync<TableEntity>(select: ["PartitionKey"]))
            {
                count++;
            }

            parts.Add($"{name}={count}");
        }

        var blobs = 0;
        await foreach (var _ in azurite.Blobs.GetBlobContainerClient("evidence").GetBlobsAsync())
        {
            blobs++;
        }

        parts.Add($"evidence-blobs={blobs}");
        return string.Join(", ", parts);
    }
}
